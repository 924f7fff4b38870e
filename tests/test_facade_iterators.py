"""``piggy_sync`` iterators over pagers and bulk runs: what a caller sees when it mixes
``next()``, ``collect()``, ``close()`` and threads (in-process: mutation runs can see it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from piggy_async.testing import FakePiggy
from piggy_sync import Piggy


@pytest.fixture
def piggy(threaded_fake: FakePiggy) -> Iterator[Piggy]:
    with Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url) as client:
        yield client


@pytest.fixture
def uuids(threaded_fake: FakePiggy) -> list[str]:
    return [threaded_fake.store.add_contact(f"it{i}@example.com")["uuid"] for i in range(12)]


def test_collect_after_next_returns_the_rest_in_order(piggy: Piggy, uuids: list[str]) -> None:
    run = piggy.contacts.get_many(uuids, concurrency=4)
    first = next(run)
    rest = run.collect()
    assert [r.input for r in [first, *rest]] == uuids
    assert all(r.ok for r in rest)
    assert run.collect() == []  # run to its end: nothing more, no error
    assert list(run) == []


def test_an_exhausted_iterator_asks_nothing_more(
    piggy: Piggy, uuids: list[str], threaded_fake: FakePiggy
) -> None:
    run = piggy.contacts.get_many(uuids[:3], concurrency=2)
    assert len(list(run)) == 3
    sent = len(threaded_fake.requests)
    for _ in range(3):
        with pytest.raises(StopIteration):
            next(run)
    assert run.collect() == []
    assert len(threaded_fake.requests) == sent
    pager = piggy.contacts.iter_all()
    items = list(pager)
    assert items
    with pytest.raises(StopIteration):
        next(pager)


def test_closed_iterators_stop(piggy: Piggy, uuids: list[str]) -> None:
    run = piggy.contacts.get_many(uuids, concurrency=1)  # one at a time: nothing buffered
    assert next(run).input == uuids[0]
    run.close()
    run.close()  # twice: nothing happens
    with pytest.raises(StopIteration):
        next(run)
    pager = piggy.contacts.iter_all()
    next(pager)
    pager.close()
    with pytest.raises(StopIteration):
        next(pager)
