"""The benchmark's contenders must stay equivalent to ours (CI installs the bench extra)."""

from __future__ import annotations

import msgspec
import pytest

pytest.importorskip("pydantic")
pytest.importorskip("orjson")

from benchmarks import peers
from benchmarks.payloads import large_contact, seed_contact
from benchmarks.run import _check_decoders
from piggy_async import types

PAIRS = [
    (types.Contact, peers.PContact),
    (types.ContactAttribute, peers.PContactAttribute),
    (types.AttributeDefinition, peers.PAttributeDefinition),
    (types.AttributeOption, peers.POption),
    (types.Subscription, peers.PSubscription),
    (types.SubscriptionType, peers.PSubscriptionType),
    (types.Tier, peers.PTier),
    (types.CreditBalance, peers.PCreditBalance),
    (types.PrepaidBalance, peers.PPrepaidBalance),
]


@pytest.mark.parametrize(("ours", "theirs"), PAIRS, ids=[p[0].__name__ for p in PAIRS])
def test_pydantic_peer_models_have_our_fields(ours: type, theirs: type) -> None:
    assert {f.name for f in msgspec.structs.fields(ours)} == set(theirs.model_fields)  # type: ignore[attr-defined]


def test_every_decoder_reads_the_same_contact() -> None:
    _check_decoders(seed_contact())
    _check_decoders(large_contact(attributes=20, subscription_types=5))
