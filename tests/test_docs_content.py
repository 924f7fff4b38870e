"""What a method decodes from a docs "Response Example" keeps the example's content.

``tests/test_docs_examples.py`` checks that each example decodes (and spot-checks a uuid or
a count); here every key of the example must come back with its value, for every mapped
section (``tests/sections/``). Values a method turns into
a scalar or a normalised shape on purpose are listed in ``RESHAPED``.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from piggy_async import Page
from piggy_async._decode import builtins_hook

from . import sections
from .docs_examples import DocCall, parse_docs, section_name
from .test_docs_examples import DOCS, run_case

SECTIONS = frozenset(sections.load())

#: (section, heading) -> how the method reshapes the example's data on purpose.
RESHAPED: dict[tuple[str, str], str] = {
    ("automations", "Create Automation Run"): "returns None (data is [])",
    ("contact_verification", "Send Contact Verification Email"): "returns True on Success",
    ("contact_verification", "Get Auth Token"): "returns the token text",
    ("contacts_portal", "Get Authenticated Url"): "returns the url text",
    ("credit_receptions", "Calculate Credits"): "returns the credits",
    ("webhooks", "Delete Webhook Subscription"): "returns None (data is [])",
    ("giftcards", "Send Giftcard by Email"): "returns None (data is a success note)",
    (
        "vouchers",
        "Create Batch of Vouchers",
    ): "returns None (data is a note: it runs in the background)",
}


def dropped(example: Any, got: Any, path: str = "data") -> list[str]:
    """Where ``got`` (the decoded value as builtins) lost or changed ``example``'s content.

    Top-level custom attributes may stand in the model's ``attributes``; a map of options
    may come back as a list of ``{value, label}`` options.
    """
    if isinstance(example, dict) and isinstance(got, list):
        as_options = [{"value": k, "label": v} for k, v in example.items()]
        return [] if [{k: o[k] for k in ("value", "label")} for o in got] == as_options else [path]
    if isinstance(example, dict):
        if not isinstance(got, dict):
            return [path] if example else []
        extras = got.get("attributes") if isinstance(got.get("attributes"), dict) else {}
        out: list[str] = []
        for key, value in example.items():
            if key in got:
                out += dropped(value, got[key], f"{path}.{key}")
            elif key in extras:
                out += dropped(value, extras[key], f"{path}.{key}")
            elif value is not None:
                out.append(f"{path}.{key}")
        return out
    if isinstance(example, list):
        if not isinstance(got, list) or len(got) != len(example):
            return [path]
        return [
            p
            for i, (a, b) in enumerate(zip(example, got, strict=True))
            for p in dropped(a, b, f"{path}[{i}]")
        ]
    return [] if example == got or str(example) == str(got) else [path]


def _rows() -> list[Any]:
    if not DOCS.is_dir():
        return []
    mappings = sections.load()
    rows = []
    for doc in parse_docs(DOCS):
        name = section_name(doc.page)
        if name not in SECTIONS or doc.example_text is None or (name, doc.heading) in RESHAPED:
            continue
        call = mappings[name].EXAMPLES[doc.heading]
        rows.append(pytest.param(doc, call, id=doc.where))
    return rows


ROWS = _rows()


@pytest.mark.skipif(not ROWS, reason=f"Piggy's docs pages not found at {DOCS}")
@pytest.mark.parametrize(("doc", "call"), ROWS or [(None, None)])
async def test_decoded_result_keeps_the_example(doc: DocCall, call: sections.Call) -> None:
    result = await run_case(doc, call)
    value = result.items if isinstance(result, Page) else result
    example = doc.example.get("data")
    # a Contact's unread attributes convert through the hook, as if read
    assert dropped(example, msgspec.to_builtins(value, enc_hook=builtins_hook)) == [], doc.where


def test_dropped_names_what_is_lost() -> None:
    assert dropped({"a": 1, "b": {"c": 2}}, {"a": 1, "b": {}}) == ["data.b.c"]
    assert dropped({"x": "1"}, {"attributes": {"x": "1"}}) == []
    assert dropped({"blue": "Blue"}, [{"value": "blue", "label": "Blue", "name": None}]) == []
    assert dropped([1, 2], [1]) == ["data"]
