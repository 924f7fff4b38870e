"""Every "Response Example" of Piggy's docs decodes through the public method that returns it.

For each documented call mapped in ``tests/sections/<section>.py`` the fake server answers
the example (repaired: see ``tests/docs_examples.py``) through its fault hook, the mapped
method is called, and the test checks that the request went to the documented verb and path
and that what came back carries the example's content. The summary test prints
"N of M examples decode" over every example of every page (unmapped ones count as not
decoding) and names each one that does not, by page and section.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgspec
import pytest

from piggy_async import Page, PiggyError
from piggy_async._decode import builtins_hook
from piggy_async.testing import FakePiggy

from . import sections
from .conftest import SHARED
from .docs_examples import DocCall, parse_docs, section_name

DOCS = SHARED / "piggy-docs"
SECTIONS = sections.load()


@dataclass(frozen=True)
class Case:
    doc: DocCall
    call: sections.Call | None
    #: why it does not decode yet (unmapped, missing method, known model gap), or None
    gap: str | None


def _cases() -> Iterator[Case]:
    if not DOCS.is_dir():
        return
    for doc in parse_docs(DOCS):
        if doc.example_text is None:
            continue
        mapping = SECTIONS.get(section_name(doc.page))
        if mapping is None:
            yield Case(doc, None, "section not mapped yet")
            continue
        call = mapping.EXAMPLES.get(doc.heading)
        if call is None:
            gap = mapping.MISSING.get(doc.heading, "heading missing from the section mapping")
            yield Case(doc, None, gap)
        else:
            yield Case(doc, call, mapping.XFAIL.get(doc.heading))


CASES = list(_cases())
MAPPED = [case for case in CASES if case.call is not None]


def _param(case: Case) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case.gap)] if case.gap else []
    return pytest.param(case, id=case.doc.where, marks=marks)


def _spot_check(doc: DocCall, result: Any) -> None:
    """What the method returned carries the example's content (not just "no exception")."""
    data = doc.example.get("data") if isinstance(doc.example, dict) else None
    if isinstance(result, Page):
        assert isinstance(data, list)
        assert len(result.items) == len(data)
        meta = doc.example.get("meta") or {}
        # promotions "List Promotions" sends no paging meta (``[]``) to a paged method
        if "total" in meta:
            assert result.meta.total == int(meta["total"])
    elif isinstance(result, list):
        assert isinstance(data, list)
        assert len(result) == len(data)
    elif isinstance(data, dict) and isinstance(data.get("uuid"), str):
        assert getattr(result, "uuid", data["uuid"]) == data["uuid"]
    if isinstance(result, msgspec.Struct):
        # every field is a plain, encodable value (a Contact's unread attributes: via the hook)
        msgspec.to_builtins(result, enc_hook=builtins_hook)


async def run_case(doc: DocCall, call: sections.Call) -> Any:
    """Serve ``doc``'s example for its verb, call the method, check the request and result."""
    assert doc.verb is not None
    body = json.dumps(doc.example).encode()
    async with FakePiggy() as fake:
        fake.faults.status(200, body=body, method=doc.verb)
        async with fake.client(max_retries=0) as piggy:
            result = await asyncio.wait_for(call(piggy), 10)
        sent = fake.requests[-1]
    where = f"{doc.where}: sent {sent.method} {sent.path}, docs: {doc.verb} {doc.path}"
    assert sent.method == doc.verb, where
    assert doc.path_regex().match(sent.path), where
    assert sent.fault == "status", where  # the example was what answered
    _spot_check(doc, result)
    return result


@pytest.mark.skipif(not MAPPED, reason=f"Piggy's docs pages not found at {DOCS}")
@pytest.mark.parametrize("case", [_param(case) for case in MAPPED] or [None])
async def test_example_decodes_through_its_method(case: Case) -> None:
    assert case.call is not None
    await run_case(case.doc, case.call)


@pytest.mark.skipif(not CASES, reason=f"Piggy's docs pages not found at {DOCS}")
async def test_every_mapped_section_names_every_documented_call() -> None:
    for name, mapping in SECTIONS.items():
        docs = [doc for doc in parse_docs(DOCS) if section_name(doc.page) == name]
        assert docs, f"tests/sections/{name}.py maps no docs page"
        headings = {doc.heading for doc in docs}
        with_example = {doc.heading for doc in docs if doc.example_text is not None}
        named = set(mapping.EXAMPLES) | set(mapping.MISSING)
        assert with_example <= named, f"{name}: unmapped {sorted(with_example - named)}"
        assert named <= headings, f"{name}: not in the docs {sorted(named - headings)}"
        assert set(mapping.XFAIL) <= set(mapping.EXAMPLES), name


@pytest.mark.skipif(not CASES, reason=f"Piggy's docs pages not found at {DOCS}")
async def test_summary_n_of_m_examples_decode(capsys: pytest.CaptureFixture[str]) -> None:
    failures: list[tuple[Case, str]] = []
    for case in CASES:
        if case.call is None:
            failures.append((case, f"{case.gap}"))
            continue
        try:
            await run_case(case.doc, case.call)
        except (AssertionError, PiggyError) as exc:
            failures.append((case, f"{type(exc).__name__}: {exc}".splitlines()[0]))
            assert case.gap is not None, f"{case.doc.where}: {failures[-1][1]}"
    decoded = len(CASES) - len(failures)
    with capsys.disabled():
        print(f"\n{decoded} of {len(CASES)} docs examples decode through their method")
        for name in sorted(SECTIONS):
            mine = [c for c in CASES if section_name(c.doc.page) == name]
            bad = [(c, why) for c, why in failures if c in mine]
            print(f"  {name}: {len(mine) - len(bad)} of {len(mine)} decode")
            for case, why in bad:
                print(f"    not yet: {case.doc.heading}: {why}")
        unmapped = sorted({c.doc.page for c in CASES if section_name(c.doc.page) not in SECTIONS})
        print(f"  pages not mapped yet ({len(unmapped)}): {', '.join(unmapped)}")
    assert decoded == len(CASES) - sum(1 for case in CASES if case.gap)
