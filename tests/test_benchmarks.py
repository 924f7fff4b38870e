"""The benchmark's contenders must stay equivalent to ours (CI installs the bench extra)."""

from __future__ import annotations

import pathlib

import msgspec
import pytest

pytest.importorskip("pydantic")
pytest.importorskip("orjson")

from benchmarks import imports, payloads, peers, stats
from benchmarks.decode import check_decoders
from benchmarks.payloads import large_contact, seed_contact
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
    check_decoders(seed_contact())
    check_decoders(large_contact(attributes=20, subscription_types=5))


def test_missing_seed_payload_is_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path
) -> None:
    monkeypatch.setenv("PIGGY_SHARED_DIR", str(tmp_path))
    payloads.seed_file.cache_clear()
    try:
        with pytest.raises(payloads.MissingSeedError, match="PIGGY_SHARED_DIR"):
            payloads.seed_contact()
    finally:
        payloads.seed_file.cache_clear()


def test_figures_pair_rounds_and_judge_the_median() -> None:
    runs = [{"a": [2.0, 3.0], "b": [1.0, 1.0]}, {"a": [4.0], "b": [2.0]}]
    fig = stats.Figure("k", "a / b", samples=stats.paired(runs, "a", "b", stats.ratio), goal=2.5)
    assert sorted(fig.samples) == [2.0, 2.0, 3.0]
    assert (fig.low, fig.median, fig.high) == (2.0, 2.0, 3.0)
    assert fig.met() is True
    higher = stats.Figure("h", "x", samples=[1.0, 2.0, 3.0], goal=2.5, higher_is_better=True)
    assert higher.met() is False
    skipped = stats.Figure("s", "x", skipped="not there")
    assert skipped.met() is None
    assert skipped.row()[-1] == "skipped: not there"


def test_import_breakdown_sums_self_time_per_package() -> None:
    lines = [
        "import time: self [us] | cumulative | imported package",
        "import time:       300 |        300 |     anyio._core",
        "import time:       200 |        500 |   anyio",
        "import time:      1000 |       1500 | piggy_async",
    ]
    assert imports.by_package(lines) == [("piggy_async", 1.0, 1), ("anyio", 0.5, 2)]


def test_rate_figures_judge_ideal_naive_and_429_share() -> None:
    from benchmarks.figures import rate_figures

    samples = {
        "get_many_ratio": [1.05, 1.20],
        "naive_ratio": [1.10, 1.10],
        "get_many+max_rate_ratio": [1.02, 1.03],
        "get_many_429": [4.0, 6.0],
        "naive_429": [40.0, 50.0],
        "get_many+max_rate_429": [1.0, 3.0],
        "get_many+max_rate_requests": [200.0, 100.0],
    }
    figures = {f.key: f for f in rate_figures([{"items": 3000, "samples": samples}])}
    assert figures["rate get_many ideal"].median == pytest.approx(1.125)
    assert figures["rate get_many ideal"].met() is False
    vs_naive = figures["rate get_many vs naive"]
    assert sorted(vs_naive.samples) == pytest.approx([1.05 / 1.10, 1.20 / 1.10])
    assert figures["rate max_rate 429 share"].samples == pytest.approx([0.5, 3.0])
    assert figures["rate naive 429"].median == 45.0
    assert "rate aiolimiter ideal" not in figures  # not measured: no row


def test_rate_check_rejects_incomplete_or_reordered_runs() -> None:
    from benchmarks import ratelimited

    uuids = ratelimited.inputs(40)
    good = [(u, not u.startswith("unknown")) for u in uuids]
    ratelimited.check(uuids, good)
    with pytest.raises(ratelimited.WrongResult, match="incomplete or out of order"):
        ratelimited.check(uuids, good[:-1])
    with pytest.raises(ratelimited.WrongResult, match="incomplete or out of order"):
        ratelimited.check(uuids, [good[1], good[0], *good[2:]])
    with pytest.raises(ratelimited.WrongResult, match="wrong outcome for unknown-7"):
        ratelimited.check(uuids, [(u, True) for u in uuids])
