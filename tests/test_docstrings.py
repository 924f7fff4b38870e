"""Every public method of every resource (``piggy.<attribute>.<method>``, inherited ones
included) names the docs call it makes: its docstring carries one or more
``(docs: <page>, "<Title>")`` (more in one bracket as ``; <page>, "<Title>"``), where
``<page>.md`` is a page of Piggy's docs, ``### <Title>`` one of its headings and that
call's verb and path are those of the docstring's ``VERB /path``. The few calls the docs do
not have say ``not in Piggy's docs`` instead and are listed in :data:`NOT_IN_DOCS`, each
with a path no docs page has.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest

from piggy_async._client import _RESOURCES

from .section_checks import DOCS, doc_calls

#: The calls no page of Piggy's docs has, and where the client has them from.
NOT_IN_DOCS: dict[str, str] = {
    # the seeds' contacts page (an older copy of the docs) has it; the docs' page does not
    "contacts.list_loyalty_transactions": "seeds: GET /contacts/{uuid}/loyalty-transactions",
    "contacts.iter_loyalty_transactions": "pages of contacts.list_loyalty_transactions",
    # the PHP SDK 3.12.2 has these; no docs page names them
    "contact_attributes.list": "PHP SDK",
    "contact_attributes.create": "PHP SDK",
    "credit_receptions.correct": "PHP SDK",
    "giftcard_transactions.correct": "PHP SDK",
    # pages the docs only link ("Related"), not among the copy's pages; bodies as the PHP SDK
    "loyalty_tokens.create": "linked from credit-receptions",
    "loyalty_tokens.claim": "linked from credit-receptions",
    "reward_attributes.list": "linked from rewards",
    "reward_attributes.iter_all": "linked from rewards",
    "reward_attributes.create": "linked from rewards",
    "promotion_attributes.list": "linked from promotions",
    "promotion_attributes.get": "linked from promotions",
    "promotion_attributes.create": "linked from promotions",
    "promotion_attributes.update": "linked from promotions",
}

NOT_IN_DOCS_WORDING = "not in piggy's docs"
#: ``(docs: <page>`` and what follows: ``, "<Title>"``, then ``; <page>, "<Title>"`` ...
_REFERENCE = re.compile(r'\(docs: ([a-z0-9-]+(?:, "[^"]+")?(?:; [a-z0-9-]+, "[^"]+")*)')
_PAGE_TITLE = re.compile(r'([a-z0-9-]+)(?:, "([^"]+)")?')
_ENDPOINT = re.compile(r"``(GET|POST|PUT|PATCH|DELETE) (/[^`\s]*)``")

Calls = dict[str, dict[str, tuple[str, str] | None]]  # page -> heading -> (verb, path)


def _methods() -> Iterator[tuple[str, Callable[..., Any]]]:
    """``(contacts.get, <function>)`` for every public method, inherited ones included."""
    for attribute, kind in _RESOURCES.items():
        for name in dir(kind):
            value = getattr(kind, name)
            if not name.startswith("_") and callable(value):
                yield f"{attribute}.{name}", value


def _shape(path: str) -> str:
    """A path without its query and with every ``{placeholder}`` as ``{}``."""
    return re.sub(r"\{[^}]*\}", "{}", path.split("?", 1)[0])


@cache
def _docs_calls() -> Calls:
    """Every page's ``###`` headings, each with its call's verb and path (None: no call)."""
    if not DOCS.exists():
        pytest.skip(f"Piggy's docs pages not found at {DOCS} (set PIGGY_SHARED_DIR)")
    calls: Calls = {}
    for page in sorted(DOCS.glob("*.md")):
        headings = re.findall(r"^### (.+?)\s*$", page.read_text("utf-8"), re.MULTILINE)
        documented = doc_calls(page.stem)
        calls[page.stem] = {}
        for heading in headings:
            call = documented.get(heading)
            if call is not None and call.verb is not None and call.path is not None:
                calls[page.stem][heading] = (call.verb, _shape(call.path))
            else:
                calls[page.stem][heading] = None
    return calls


def _problems(name: str, docstring: str | None, calls: Calls) -> list[str]:
    """What is wrong with one method's docs reference (nothing: an empty list)."""
    doc = " ".join((docstring or "").split())
    endpoints = {(verb, _shape(path)) for verb, path in _ENDPOINT.findall(doc)}
    if not endpoints:
        return ["no ``VERB /path`` in the docstring"]
    problems, named = [], 0
    for chain in _REFERENCE.findall(doc):
        for page, title in _PAGE_TITLE.findall(chain):
            named += bool(title)
            if page not in calls:
                problems.append(f"no docs page {page}.md")
            elif title and title not in calls[page]:
                problems.append(f'{page}.md has no heading "### {title}"')
            elif title:
                call = calls[page][title]
                if call is None:
                    problems.append(f'{page}, "{title}" is not a call')
                elif call not in endpoints:
                    problems.append(f'{page}, "{title}" is {call}, not {sorted(endpoints)}')
    says_not_in_docs = NOT_IN_DOCS_WORDING in doc.lower()
    if name in NOT_IN_DOCS:
        documented = {call for page in calls.values() for call in page.values()}
        if not says_not_in_docs:
            problems.append(f"in NOT_IN_DOCS but does not say {NOT_IN_DOCS_WORDING!r}")
        if endpoints & documented:
            problems.append(f"says it is not in the docs, but they have {endpoints & documented}")
    elif says_not_in_docs:
        problems.append(f"says {NOT_IN_DOCS_WORDING!r} but is not in NOT_IN_DOCS")
    elif not named:
        problems.append('no (docs: <page>, "<Title>")')
    return problems


def test_every_public_resource_method_names_its_docs_call() -> None:
    calls = _docs_calls()
    methods = dict(_methods())
    assert len(methods) > 150  # the walk found them, inherited ones too
    assert "contacts.get_many" in methods
    problems = {
        name: found
        for name, method in methods.items()
        if (found := _problems(name, inspect.getdoc(method), calls))
    }
    assert problems == {}


def test_not_in_docs_names_existing_methods() -> None:
    assert set(NOT_IN_DOCS) <= dict(_methods()).keys()


def test_the_check_finds_a_missing_or_wrong_reference() -> None:
    calls = _docs_calls()
    good = 'One contact. ``GET /contacts/{contact_uuid}`` (docs: contacts, "Get Contact").'
    assert _problems("contacts.get", good, calls) == []
    two = good.replace('"Get Contact")', '"Get Contact"; contacts, "Get Contact")')
    assert _problems("contacts.get", two, calls) == []
    missing = "One contact. ``GET /contacts/{contact_uuid}``."
    assert _problems("contacts.get", missing, calls) == ['no (docs: <page>, "<Title>")']
    no_title = good.replace('"Get Contact")', '"Get A Contact")')
    assert _problems("contacts.get", no_title, calls) == [
        'contacts.md has no heading "### Get A Contact"'
    ]
    no_page = good.replace("(docs: contacts,", "(docs: contact,")
    assert _problems("contacts.get", no_page, calls) == ["no docs page contact.md"]
    other_call = good.replace('"Get Contact")', '"Get Tier")')
    assert len(_problems("contacts.get", other_call, calls)) == 1
    not_a_call = good.replace('"Get Contact")', '"Related")')
    assert len(_problems("contacts.get", not_a_call, calls)) == 1
    not_in_docs = "One contact. ``GET /contacts/{contact_uuid}`` (not in Piggy's docs: ...)."
    assert len(_problems("contacts.get", not_in_docs, calls)) == 1  # not in NOT_IN_DOCS
    # in NOT_IN_DOCS, yet the docs have its call
    assert len(_problems("credit_receptions.correct", not_in_docs, calls)) == 1
