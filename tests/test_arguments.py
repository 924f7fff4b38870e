"""``_arguments``: a resource method's type hints checked before any I/O.

Unit tests of the checks one hint makes, of how a call's arguments reach them (by keyword
and by position, defaults left alone), and of which methods are wrapped; then a few calls
through the client against the fake, which must refuse before sending anything.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, Literal

import pytest

from piggy_async import AsyncPiggy, InvalidArgumentError
from piggy_async._arguments import IDENTIFIES, check_for, checked, plan_of
from piggy_async._client import _RESOURCES
from piggy_async.resources.contacts import Contacts
from piggy_async.testing import FakePiggy


def refusal(hint: object, value: object, *, not_blank: bool = False) -> str | None:
    """The message of the error ``hint``'s check raises for ``value``, None if it passes."""
    check = check_for(hint, not_blank)
    assert check is not None
    try:
        check(value, "p")
    except InvalidArgumentError as exc:
        caught = exc
    else:
        return None
    assert caught.argument == "p"
    return str(caught)


@pytest.mark.parametrize(
    ("hint", "good", "bad"),
    [
        (str, ["x", " x "], [1, None, b"x", ["x"]]),
        (int, [0, -3, 2**70], [True, False, 1.0, "1", None]),
        (float, [0, 1.5, -2], [True, "1.5", None]),
        (bool, [True, False], [0, 1, "no", None]),
        (datetime, [datetime(2026, 1, 1, tzinfo=timezone.utc)], ["2026-01-01", 0]),
        (str | None, ["x", None], [1, b"x"]),
        (int | float | None, [1, 1.5, None], [True, "1"]),
        (Literal["a", "b"] | None, ["a", "b", None], ["c", 1, True]),
        (Literal[1, 2], [1, 2], [True, 1.0, "1"]),
        (Mapping[str, Any], [{}, {"a": 1}], [[("a", 1)], "a", None]),
        (dict[str, Any] | None, [{"a": 1}, None], [[], "a"]),
        (Sequence[Mapping[str, Any]], [[], [{}], ({"a": 1},)], ["ab", [1], {}, [{}, "x"]]),
        (Sequence[str] | None, [["a"], ("a", "b"), None], ["ab", [1], {"a"}]),
    ],
)
def test_a_hint_takes_what_fits_and_refuses_the_rest(
    hint: object, good: list[object], bad: list[object]
) -> None:
    for value in good:
        assert refusal(hint, value) is None, value
    for value in bad:
        message = refusal(hint, value)
        assert message is not None, value
        assert message.startswith(("p must be ", "p[")), value


def test_a_message_says_what_fits_and_what_came() -> None:
    assert refusal(int | None, True) == "p must be an integer or None, not bool"
    assert refusal(Literal["a", "b"], "c") == "p must be one of 'a', 'b', not 'c'"
    assert refusal(Sequence[Mapping[str, Any]], "ab") == "p must be a list of mappings, not str"
    assert refusal(Sequence[str], 1) == "p must be a list of text, not int"
    assert refusal(int, None) == "p must be an integer, not None"
    assert refusal(Sequence[Mapping[str, Any]], [{}, "x"]) == "p[1] must be a mapping, not str"
    assert refusal(Sequence[str] | None, ("a", 2)) == "p[1] must be text, not int"


def test_a_message_never_quotes_text_that_may_be_an_email_or_is_long() -> None:
    message = refusal(Literal["a"], "ann@example.com")
    assert message == "p must be one of 'a', not str"
    message = refusal(int, "x" * 10_000)
    assert message is not None
    assert len(message) < 120


def test_text_that_identifies_or_is_required_must_not_be_blank() -> None:
    for value in ("", " ", "\t\n"):
        assert refusal(str | None, value, not_blank=True) == "p must not be empty"
        assert refusal(str | None, value) is None
    assert refusal(str, "x", not_blank=True) is None
    assert [
        n
        for n in ("contact_uuid", "uuid", "code", "release_key", "name", "url")
        if IDENTIFIES.search(n)
    ] == ["contact_uuid", "uuid", "code", "release_key", "name", "url"]
    assert not any(IDENTIFIES.search(n) for n in ("description", "label", "group_name", "title"))


def test_text_must_be_valid_unicode_and_numbers_finite() -> None:
    assert refusal(str, "a\udc80") == "p holds a lone surrogate (not valid Unicode text)"
    assert refusal(str, "é€") is None
    for value in (float("nan"), float("inf"), -float("inf")):
        assert refusal(float | None, value) == f"p must be a finite number, not {value}"


def test_a_hint_it_does_not_know_is_not_checked() -> None:
    assert check_for(Any, True) is None
    assert check_for(Iterable[str], False) is None
    assert check_for(str | Iterable[str], False) is None  # (one unknown arm: none checked)


class _Thing:
    def plain(
        self, a: int, b: str | None = None, *, c: bool = False, d: Any = None
    ) -> tuple[object, ...]:
        return (a, b, c, d)

    async def coro(self, uuid: str, *, n: int | None = None) -> tuple[object, ...]:
        return (uuid, n)

    def texts(self, label: str, note: str = "", title: str | None = None) -> tuple[object, ...]:
        return (label, note, title)


def test_required_text_must_not_be_blank_and_optional_text_may() -> None:
    texts: Any = checked(_Thing.texts)
    assert texts(_Thing(), "Stamps", " ", title="") == ("Stamps", " ", "")
    with pytest.raises(InvalidArgumentError, match=r"^label must not be empty$"):
        texts(_Thing(), " ")


def test_the_plan_lists_checked_parameters_with_their_positions() -> None:
    plan = plan_of(_Thing.plain)
    assert [(name, position) for name, position, _ in plan] == [("a", 0), ("b", 1), ("c", None)]


def test_arguments_are_checked_by_position_and_by_keyword_and_defaults_are_not() -> None:
    plain: Any = checked(_Thing.plain)
    thing = _Thing()
    assert plain(thing, 1) == (1, None, False, None)
    assert plain(thing, 1, "x", c=True, d=object()) is not None
    cases: list[tuple[tuple[object, ...], dict[str, object], str]] = [
        (("1",), {}, "a"),
        ((), {"a": "1"}, "a"),
        ((1, 2), {}, "b"),
        ((1,), {"b": 2}, "b"),
        ((1,), {"c": 1}, "c"),
    ]
    for args, kwargs, name in cases:
        with pytest.raises(InvalidArgumentError) as caught:
            plain(thing, *args, **kwargs)
        assert caught.value.argument == name
    assert inspect.signature(plain) == inspect.signature(_Thing.plain)


async def test_a_coroutine_method_stays_one_and_checks_when_awaited() -> None:
    coro: Any = checked(_Thing.coro)
    assert inspect.iscoroutinefunction(coro)
    assert await coro(_Thing(), "u", n=3) == ("u", 3)
    with pytest.raises(InvalidArgumentError, match=r"^uuid must not be empty$"):
        await coro(_Thing(), " ")
    with pytest.raises(InvalidArgumentError, match=r"^n must be an integer or None, not str$"):
        await coro(_Thing(), "u", n="3")


def test_every_public_resource_method_is_wrapped_but_those_that_check_themselves() -> None:
    unwrapped = []
    for kind in _RESOURCES.values():
        for name in dir(kind):
            value = getattr(kind, name)
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if not hasattr(value, "__wrapped__"):
                unwrapped.append(f"{kind.__name__}.{name}")
            else:  # (a private code name: the hooks' operation search passes over it)
                assert value.__code__.co_name.startswith("_"), name
    assert sorted(unwrapped) == [
        "Contacts.find_one_by",
        "Contacts.get",
        "Contacts.get_credit_balance",
    ]
    assert Contacts._checks_itself == {"get", "find_one_by", "get_credit_balance"}


def test_every_wrapped_method_has_a_plan_built_from_its_hints() -> None:
    # (a hint that cannot be resolved would be a raw NameError on the method's first call)
    planned = 0
    for kind in _RESOURCES.values():
        for name in dir(kind):
            method = getattr(kind, name)
            if name.startswith("_") or not hasattr(method, "__wrapped__"):
                continue
            plan = plan_of(method.__wrapped__)
            params = list(inspect.signature(method).parameters)[1:]
            assert {step[0] for step in plan} <= set(params), f"{kind.__name__}.{name}"
            planned += len(plan)
    assert planned > 550  # (592 parameters are checked)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda p: p.loyalty_transactions.list(contact_uuid=" "), "contact_uuid"),
        (lambda p: p.vouchers.list(contact_uuid=5), "contact_uuid"),
        (lambda p: p.loyalty_transactions.list(sort="newest"), "sort"),
        (lambda p: p.contacts.list(page="2"), "page"),
        (lambda p: p.contacts.update(" ", attributes={}), "contact_uuid"),
        (lambda p: p.contacts.update("u", attributes=[("a", 1)]), "attributes"),
    ],
)
async def test_the_client_refuses_before_sending(call: Any, argument: str) -> None:
    async with FakePiggy() as fake, fake.client() as piggy:
        before = len(fake.requests)
        with pytest.raises(InvalidArgumentError) as caught:
            await call(piggy)
        assert caught.value.argument == argument
        assert len(fake.requests) == before


def test_a_pager_refuses_a_bad_page_size_when_it_is_made() -> None:
    piggy = AsyncPiggy(api_key="k", base_url="http://127.0.0.1:9")
    with pytest.raises(InvalidArgumentError, match=r"^page_size must be an integer, not None$"):
        piggy.contacts.iter_all(page_size=None)  # type: ignore[arg-type]
