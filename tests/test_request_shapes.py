"""What each method sends: verb, path and body/query keys, checked against Piggy's docs.

The table is ``SHAPES`` in ``tests/sections/<section>.py``: a method call and the keys it
should send. Each row is checked three ways: the request the fake server recorded has the
documented verb and path and exactly those keys; those keys are all documented parameters
of that call; and they include every parameter the docs mark ``REQUIRED``. (Piggy reads
parameters from the query and the body alike, so the docs' "Params"/"Body" split is not
checked; the path parameters are.)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import pytest

from piggy_async import ResponseDecodeError
from piggy_async.testing import FakePiggy

from . import sections
from .conftest import SHARED
from .docs_examples import DocCall, parse_docs, section_name

DOCS = SHARED / "piggy-docs"
SECTIONS = sections.load()


def _rows() -> list[Any]:
    if not DOCS.is_dir():
        return []
    docs = {(section_name(d.page), d.heading): d for d in parse_docs(DOCS)}
    rows = []
    for name, mapping in sorted(SECTIONS.items()):
        for index, row in enumerate(mapping.SHAPES):
            doc = docs.get((name, row.heading))
            marks = [pytest.mark.xfail(strict=True, reason=row.xfail)] if row.xfail else []
            rows.append(
                pytest.param(name, doc, row, id=f"{name}.md > {row.heading} #{index}", marks=marks)
            )
    return rows


ROWS = _rows()


def _sent_keys(query: dict[str, str], body: Any, form: dict[str, str]) -> set[str]:
    keys = {key.split("[")[0] for key in query}
    if isinstance(body, dict):
        keys |= set(body)
    return keys | set(form)


@pytest.mark.skipif(not ROWS, reason=f"Piggy's docs pages not found at {DOCS}")
@pytest.mark.parametrize(("section", "doc", "row"), ROWS or [(None, None, None)])
async def test_request_shape_matches_the_docs(
    section: str, doc: DocCall | None, row: sections.Shape
) -> None:
    assert doc is not None, f"{section}: no docs heading {row.heading!r}"
    assert doc.verb is not None
    documented = doc.documented_keys()
    assert row.sends <= documented, f"{doc.where}: undocumented {row.sends - documented}"
    missing = doc.required_keys() - row.sends
    assert not missing, f"{doc.where}: the docs require {missing}"

    body = json.dumps(doc.example if doc.example_text else {"data": None}).encode()
    async with FakePiggy() as fake:
        fake.faults.status(200, body=body, method=doc.verb)
        async with fake.client(max_retries=0) as piggy:
            # What came back is test_docs_examples' business; the request is ours.
            with contextlib.suppress(ResponseDecodeError):
                await asyncio.wait_for(row.call(piggy), 10)
        assert len(fake.requests) == 1
        sent = fake.requests[0]
    where = f"{doc.where}: sent {sent.method} {sent.path}, docs: {doc.verb} {doc.path}"
    assert sent.method == doc.verb, where
    assert doc.path_regex().match(sent.path), where
    assert _sent_keys(sent.query, sent.json, sent.form) == set(row.sends), where
