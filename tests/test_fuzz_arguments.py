"""Argument fuzz: every public method of every resource of ``AsyncPiggy``, ``request()``,
``with_options()`` and the constructor, each parameter in turn given each hostile value
while the others stay valid, run against the fake server.

The rule checked (the brief): bad input gets a clear, typed error naming what was wrong;
never a raw aiohttp, msgspec or builtin exception, never a hang, never a silent wrong value.
Each case ends in one class:

* ``refused``: a PiggyError before anything was sent, naming the parameter (good);
* ``unnamed``: a PiggyError before anything was sent that does not name it (bad);
* ``status``: sent, a plausible value, the fake answered an error (fine);
* ``catchable``: sent a clearly wrong value, the fake answered an error (bad: the client
  could have refused it; against Piggy with a real UUID it may well have gone through);
* ``wrong_send``: sent a clearly wrong value and the fake said 2xx (bad);
* ``sent``: sent a plausible value, 2xx (fine);
* ``raw``: a non-Piggy exception (TypeError, msgspec.EncodeError, ...) (bad);
* ``hang``: no end within the deadline (bad);
* ``leak``: the error's text holds the 10,000-character value or an e-mail address (bad).

Each method's sweep runs once per session in its own event loop (``_sweep``); the tests
read its verdicts, one test per method and parameter. Groups that fail today are marked
``xfail(strict=True, raises=KnownBug)`` by :data:`KNOWN`: a new kind of failure in such a
group still fails (a plain AssertionError), and a fixed group XPASSes (remove its entry).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import fnmatch
import functools
import inspect
import math
import re
import types
import typing
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Mapping,
    Sequence,
)
from typing import Any, Literal
from urllib.parse import unquote

import anyio
import pytest

from piggy_async import (
    NOT_GIVEN,
    APIConnectionError,
    APIStatusError,
    AsyncPager,
    AsyncPiggy,
    BulkRun,
    PiggyError,
)
from piggy_async._client import _RESOURCES
from piggy_async.testing import FakePiggy
from piggy_async.testing.server import RecordedRequest

from .test_cov_inputs import LINE

UUID = "7a6b9a7c-4f6f-4e7b-9a0c-000000000001"
EMAIL = "ann@example.com"
LONG = "x" * 10_000
DEADLINE = 5.0

#: label -> hostile value (the brief's list)
HOSTILE: dict[str, Any] = {
    "None": None,
    "empty": "",
    "blank": " ",
    "long": LONG,
    "newline": "a\nb",
    "crlf": "a\r\nb",
    "nul": "a\x00b",
    "surrogate": "\udc80",
    "dotdot": "../x",
    "slash": "a/b",
    "query": "?q=1",
    "fragment": "#f",
    "True": True,
    "False": False,
    "-1": -1,
    "0": 0,
    "2**63": 2**63,
    "2**64": 2**64,
    "nan": math.nan,
    "inf": math.inf,
    "1.5": 1.5,
    "dict": {"k": "v"},
    "list": ["x"],
    "set": {"x"},
    "bytes": b"x",
    "object": object(),
}
#: more for parameters that take a mapping or a sequence: hostile inside the container
HOSTILE_MAPPING: dict[str, Any] = {
    "{k:nan}": {"k": math.nan},
    "{k:object}": {"k": object()},
    "{1:v}": {1: "v"},
    "{k:surrogate}": {"k": "\udc80"},
    "{surrogate:v}": {"\udc80": "v"},
    "{X-A:crlf}": {"X-A": "a\r\nb"},
}
HOSTILE_SEQUENCE: dict[str, Any] = {
    "[None]": [None],
    "[nan]": [math.nan],
    "[surrogate]": ["\udc80"],
    "[object]": [object()],
    "[empty]": [""],
}

# -- valid values ----------------------------------------------------------------------

#: parameter name -> a valid value (names ending in ``uuid`` take UUID)
VALID: dict[str, Any] = {
    "email": EMAIL,
    "emails": [EMAIL],
    "contact_uuids": [UUID],
    "id": 1,
    "attributes": {"firstname": "Ann"},
    "options": [{"label": "A", "value": "a"}],
    "line_items": [LINE],
    "data": {"k": "v"},
    "custom_attributes": {"k": "v"},
    "started_at": "2024-01-01T10:00:00+00:00",
    "ended_at": "2024-01-01T18:00:00+00:00",
    "amount_in_cents": 100,
    "quantity": 1,
    "number_of_times": 1,
    "timestamp": 1_700_000_000,
    "credits": 10,
    "unit_value": 10.0,
    "total_order_amount": 1000,
    "url": "https://example.com/hook",
    "event_type": "contact_created",
    "entity": "contact",
    "data_type": "text",
    "type": "text",
    "status": "ACTIVE",
    "payment_status": "PAID",
    "version": "v1",
    "shop_id": "1",
    "unique_id": "U-1",
    "hash": "HASH1",
    "code": "CODE1",
    "release_key": "RK1",
    "contact_session_token": "tok123",
    "contact_identifier_value": "CARD-1",
    "external_identifier": "EXT-1",
    "external_id": "EXT-1",
    "name": "Name",
    "label": "Label",
    "description": "Description",
}
#: "resource.method.parameter" -> valid value where the name alone does not say
VALID_FOR: dict[str, Any] = {
    "contacts.delete.type": "DEFAULT",
    "giftcards.create.type": "DIGITAL",
    "orders.create.status": "COMPLETED",
    "shifts.create.status": "PLANNED",
    "shifts.update.status": "PLANNED",
    "shifts.list.status": "PLANNED",
    "shifts.iter_all.status": "PLANNED",
    "webhook_subscriptions.update.attributes": ["email"],
}


#: optional arguments a method needs one of (the client says so) -> given in the baseline
ALSO_GIVEN: dict[str, dict[str, Any]] = {
    "credit_receptions.create": {"credits": 10},
    "prepaid_transactions.create": {"contact_uuid": UUID},
    "giftcard_transactions.list": {"shop_uuid": UUID},
    "giftcard_transactions.iter_all": {"shop_uuid": UUID},
}


def valid_value(target: str, name: str, annotation: Any) -> Any:
    if f"{target}.{name}" in VALID_FOR:
        return VALID_FOR[f"{target}.{name}"]
    if name in VALID:
        return VALID[name]
    if name.endswith("uuid"):
        return UUID
    if name == "uuid":
        return UUID
    return _by_type(annotation)


def _by_type(tp: Any) -> Any:
    for arm in typing.get_args(tp) if _is_union(tp) else (tp,):
        if typing.get_origin(arm) is Literal:
            return typing.get_args(arm)[0]
        if arm in (str, int, float, bool):
            return {str: "text", int: 1, float: 1.0, bool: True}[arm]
    return None


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


# -- what fits a parameter's type hint -------------------------------------------------


def jsonable(value: Any) -> bool:
    if value is None or type(value) in (bool, int, str):
        return True
    if type(value) is float:
        return math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return all(jsonable(v) for v in value)
    if isinstance(value, Mapping):
        return all(type(k) is str and jsonable(v) for k, v in value.items())
    return False


def fits(value: Any, tp: Any) -> bool:
    """Whether ``value`` matches the type hint ``tp`` (bool is not an int; a str is not a
    sequence of str; Any means plain JSON data)."""
    if tp is Any:
        return jsonable(value)
    if _is_union(tp):
        return any(fits(value, arm) for arm in typing.get_args(tp))
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Literal:
        return any(type(value) is type(a) and value == a for a in args)
    if tp is type(None):
        return value is None
    if tp in (bool, int, str):
        return type(value) is tp
    if tp is float:
        return type(value) in (int, float)
    if origin in (Mapping, dict) or tp in (Mapping, dict):
        if not isinstance(value, Mapping):
            return False
        key, val = args or (Any, Any)
        return all(fits(k, key) and fits(v, val) for k, v in value.items())
    if origin in (Sequence, list):
        (elem,) = args
        return isinstance(value, (list, tuple)) and all(fits(v, elem) for v in value)
    if origin is Iterable:
        (elem,) = args
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            return False
        return all(fits(v, elem) for v in value)
    if origin is AsyncIterable:
        return hasattr(value, "__aiter__")
    if origin is Callable or tp is Callable:
        return callable(value)
    if isinstance(tp, type):
        return isinstance(value, tp)
    return True


def _has_bad_float(value: Any) -> bool:
    if type(value) is float:
        return not math.isfinite(value)
    if isinstance(value, (list, tuple, set)):
        return any(_has_bad_float(v) for v in value)
    if isinstance(value, Mapping):
        return any(_has_bad_float(v) for v in value.values())
    return False


_IDENTIFIER = re.compile(r"(uuid|_id|^id|email|code|hash|token|key|identifier_value|^name|url)$")


def clearly_wrong(label: str, value: Any, param: Param) -> str | None:
    """Why sending ``value`` for ``param`` is wrong whatever the server says, or None when
    the value is plausible (the server may refuse it)."""
    if not fits(value, param.annotation):
        return f"{type(value).__name__} does not fit {param.shown}"
    if _has_bad_float(value) and param.name not in ("timeout",):
        return "a non-finite float"
    if label in ("empty", "blank") and (param.required or _IDENTIFIER.search(param.name)):
        return "blank text for a required or identifier parameter"
    return None


# -- the targets -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Param:
    name: str
    annotation: Any
    required: bool
    shown: str


@dataclasses.dataclass(frozen=True)
class Target:
    """One public method (``contacts.get``), ``request``, ``with_options`` or ``AsyncPiggy``."""

    name: str
    params: tuple[Param, ...]
    valid: Mapping[str, Any]


def _params(func: Callable[..., Any], target: str) -> tuple[Param, ...]:
    hints = typing.get_type_hints(func, localns={"Awaitable": Awaitable})
    out = []
    for p in inspect.signature(func).parameters.values():
        if p.name == "self":
            continue
        if p.kind is p.VAR_KEYWORD:  # ``**attributes``: one extra field of the body
            out.append(Param("extra_field", Any, False, "Any"))
            continue
        shown = str(p.annotation).replace("typing.", "")
        out.append(Param(p.name, hints[p.name], p.default is p.empty, shown))
    return tuple(out)


def _valid(params: tuple[Param, ...], target: str) -> dict[str, Any]:
    given = {p.name: valid_value(target, p.name, p.annotation) for p in params if p.required}
    return {**given, **ALSO_GIVEN.get(target, {})}


@functools.cache
def targets() -> dict[str, Target]:
    found: dict[str, Target] = {}
    for resource, kind in _RESOURCES.items():
        for name, func in inspect.getmembers(kind, inspect.isfunction):
            if name.startswith("_"):
                continue
            key = f"{resource}.{name}"
            params = _params(func, key)
            found[key] = Target(key, params, _valid(params, key))
    request = _params(AsyncPiggy.request, "request")
    found["request"] = Target("request", request, {"method": "GET", "path": "/shops"})
    options = _params(AsyncPiggy.with_options, "with_options")
    found["with_options"] = Target("with_options", options, {})
    init = _params(AsyncPiggy.__init__, "AsyncPiggy")
    found["AsyncPiggy"] = Target("AsyncPiggy", init, {})
    return found


def hostile_for(param: Param) -> dict[str, Any]:
    values = dict(HOSTILE)
    shown = param.shown
    if "Mapping" in shown or "dict[" in shown or "Headers" in shown or param.name == "extra_field":
        values.update(HOSTILE_MAPPING)
    if any(s in shown for s in ("Sequence", "Iterable", "Options", "list[")):
        values.update(HOSTILE_SEQUENCE)
    return values


# -- running one case ------------------------------------------------------------------


@dataclasses.dataclass
class Outcome:
    kind: str
    detail: str


async def _drive(result: Any) -> Any:
    """Await a call's result the way a caller would: a pager's first item, a bulk run."""
    if inspect.isawaitable(result):
        return await result
    if isinstance(result, AsyncPager):
        async for _ in result:
            break
        return None
    if isinstance(result, BulkRun):
        async with result:
            for item in await result.collect():
                if item.error is not None:
                    raise item.error
        return None
    return result


async def _call(fake: FakePiggy, piggy: AsyncPiggy, target: Target, kwargs: dict[str, Any]) -> Any:
    if target.name == "AsyncPiggy":
        settings = {"api_key": fake.token, "base_url": fake.base_url, "max_retries": 0}
        client = AsyncPiggy(**{**settings, **kwargs})
        try:
            return await client.shops.list()
        finally:
            await client.aclose()
    if target.name == "with_options":
        copy = piggy.with_options(**kwargs)
        return await copy.contacts.create(email=EMAIL)
    if target.name == "request":
        return await piggy.request(**kwargs)
    resource, method = target.name.split(".")
    extra = kwargs.pop("extra_field", NOT_GIVEN)
    if extra is not NOT_GIVEN:
        kwargs["extra_field"] = extra
    return await _drive(getattr(getattr(piggy, resource), method)(**kwargs))


def _leaks(exc: BaseException) -> str | None:
    text = f"{exc} {exc!r}"
    if LONG in text:
        return f"the message holds the 10,000-character value ({len(text)} characters)"
    if re.search(r"[\w.+-]+@[\w-]+\.[\w.-]+", text):
        return "the message holds an e-mail address"
    return None


#: what an error may call a parameter besides its name
ALIASES = {
    "json": "request body",
    "extra_body": "request body",
    "extra_field": "request body",
    "query": "a query parameter",
    "extra_query": "a query parameter",
}


def _squash(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _names(exc: PiggyError, param: str) -> bool:
    """Whether the error names ``param``: its ``argument`` (``created_at[gt]`` names
    ``created_at_gt``; a bulk item's ``contact_uuid`` names ``contact_uuids``), or its text."""
    argument = _squash((getattr(exc, "argument", None) or "").split(".")[0])
    if argument and (argument == _squash(param) or _squash(param) == argument + "s"):
        return True
    text = str(exc)
    return param in text or (param in ALIASES and ALIASES[param] in text)


def _describe(sent: list[RecordedRequest]) -> str:
    last = sent[-1]
    body = "" if last.json is None else f" {str(last.json)[:160]}"
    return f"sent {last.method} {last.raw_path[:200]}{body}"


def _integrity(
    base: RecordedRequest | None, got: RecordedRequest, value: Any, new_key: bool
) -> str | None:
    """Why the request sent is not the baseline's with one value changed, or None.
    ``new_key``: the parameter was not in the baseline, so it may add one query key."""
    if base is None:
        return None
    items = [str(v) for v in value] if isinstance(value, (list, set, dict)) else [str(value)]
    if got.method != base.method:
        return f"the method changed to {got.method}"
    base_path, got_path = base.raw_path.split("?")[0], got.raw_path.split("?")[0]
    a, b = base_path.split("/"), got_path.split("/")
    if len(a) != len(b):
        return f"the path changed shape: {got_path[:200]}"
    for x, y in zip(a, b, strict=True):
        if x != y and (y in ("", ".", "..") or unquote(y) not in items):
            return f"a path segment was sent as {y[:80]!r} for {str(value)[:40]!r}"
    extra_keys = set(got.query) - set(base.query)
    if len(extra_keys) > int(new_key):
        return f"query keys not asked for: {sorted(extra_keys)}"
    return None


async def run_case(
    fake: FakePiggy,
    piggy: AsyncPiggy,
    target: Target,
    param: Param,
    label: str,
    value: Any,
    base: RecordedRequest | None,
) -> Outcome:
    kwargs = {**target.valid, param.name: value}
    before = len(fake.requests)
    status: int | None = None
    try:
        with anyio.fail_after(DEADLINE):
            await _call(fake, piggy, target, kwargs)
    except TimeoutError:
        return Outcome("hang", f"no end in {DEADLINE} s")
    except PiggyError as exc:
        leak = _leaks(exc)
        if leak is not None:
            return Outcome("leak", f"{type(exc).__name__}: {leak}")
        if isinstance(exc, APIConnectionError) and target.name == "AsyncPiggy":
            # the client went to another server than the one it was given
            wrong = clearly_wrong(label, value, param)
            kind = "status" if wrong is None else "wrong_send"
            return Outcome(kind, f"{wrong}; {type(exc).__name__}: {str(exc)[:200]}")
        if isinstance(exc, APIStatusError) and len(fake.requests) == before:
            # sent, refused by the fake's HTTP parser (a line over 8 KiB) before its log
            return Outcome("status", f"{type(exc).__name__}: {str(exc)[:200]}")
        if not isinstance(exc, APIStatusError) and len(fake.requests) == before:
            kind = "refused" if _names(exc, param.name) else "unnamed"
            return Outcome(kind, f"{type(exc).__name__}: {str(exc)[:300]}")
        status = exc.status_code if isinstance(exc, APIStatusError) else None
        error = f"{type(exc).__name__}: {str(exc)[:200]}"
    except Exception as exc:  # the very thing looked for
        text = f"{type(exc).__module__}.{type(exc).__name__}: {str(exc)[:300]}"
        return Outcome("raw", text)
    else:
        error = "2xx"
    sent = fake.requests[before:]
    if not sent:
        return Outcome("raw" if status else "sent", f"nothing sent; {error}")
    new_key = param.name not in target.valid
    wrong = clearly_wrong(label, value, param) or _integrity(base, sent[-1], value, new_key)
    if wrong is None:
        return Outcome("sent" if error == "2xx" else "status", error)
    kind = "wrong_send" if error == "2xx" else "catchable"
    return Outcome(kind, f"{wrong}; {_describe(sent)}; {error}")


#: (parameter, hostile label) -> outcome, for one method
Verdicts = dict[tuple[str, str], Outcome]


async def _baseline(
    fake: FakePiggy, piggy: AsyncPiggy, target: Target
) -> tuple[Outcome, RecordedRequest | None]:
    before = len(fake.requests)
    try:
        with anyio.fail_after(DEADLINE):
            await _call(fake, piggy, target, dict(target.valid))
    except (PiggyError, Exception) as exc:
        outcome = Outcome("status" if isinstance(exc, APIStatusError) else "bad", repr(exc))
    else:
        outcome = Outcome("sent", "2xx")
    sent = fake.requests[before:]
    return outcome, (sent[-1] if sent else None)


@contextlib.asynccontextmanager
async def _fake_client() -> AsyncIterator[tuple[FakePiggy, AsyncPiggy]]:
    """A fake of its own (what one method stores, the others do not see) and a client."""
    async with FakePiggy(contacts=1) as fake:
        piggy: AsyncPiggy = fake.client(max_retries=0, timeout=DEADLINE)
        try:
            yield fake, piggy
        finally:
            await piggy.aclose()


async def _sweep_target(target: Target) -> Verdicts:
    """Every hostile case of one method's parameters, each against its valid baseline."""
    verdicts: Verdicts = {}
    async with _fake_client() as (fake, piggy):
        _, base = await _baseline(fake, piggy, target)
        for param in target.params:
            for label, value in hostile_for(param).items():
                verdicts[param.name, label] = await run_case(
                    fake, piggy, target, param, label, value, base
                )
    return verdicts


@functools.cache
def _sweep(name: str) -> Verdicts:
    """One method's sweep, run once (in its own event loop) and shared by its tests. Per
    method, not the whole table at once: the whole sweep took 10-20 s, and more than a
    test's 30 s bound on a loaded machine, failing every test that ran it again after."""
    return asyncio.run(_sweep_target(targets()[name]))


async def _baselines() -> dict[str, Outcome]:
    found: dict[str, Outcome] = {}
    for target in targets().values():
        async with _fake_client() as (fake, piggy):
            found[target.name], _ = await _baseline(fake, piggy, target)
    return found


BAD = ("unnamed", "catchable", "wrong_send", "raw", "hang", "leak")

#: root cause -> why it breaks the rule and where the fix belongs
CAUSES: dict[str, str] = {
    "options": "definition_body does dict(o) for o in options unchecked: raw ValueError/"
    "TypeError, and '' or [''] sent as [] / [{}] (resources/_base.py:definition_body)",
    "hooks": "a non-callable hook raises a raw TypeError (_hooks.py)",
    "extras": "with_options(extra_query=/extra_body=) not a mapping: raw TypeError "
    "(_options.py:customized)",
    "request_query": "request(query=) not a mapping: raw AttributeError (_wire.py:encode_query)",
    "cast_to": "request(cast_to=) not a type: raw SyntaxError/TypeError from msgspec, after "
    "the request was sent (_client.py:request)",
    "list_of": "webhook_subscriptions.update(attributes=) is list()-ed unchecked: a str is "
    "sent as its characters, an int is a raw TypeError (resources/webhooks.py:update)",
    "nan": "NaN/inf are sent: as null in a JSON body (msgspec), as 'nan'/'inf' in a query "
    "(_transport.py:_call, _wire.py:_query_value)",
    "query_str": "any query value is str()-ed: a dict, bytes or object() is sent as its repr "
    "(_wire.py:_query_value)",
    "body_encode": "msgspec turns bytes into base64, a set into a list and an int key into a "
    "string in a JSON body, silently (_transport.py:_call)",
    "unchecked": "the resource does not check the argument's type: an int, bool, float, "
    "dict, list, set or bytes given for text (or text for a number) is sent as it is "
    "(resources/*: the optional fields that go into compact() bodies and query params)",
    "required_none": "None is accepted for a required argument and the field left out "
    "(resources/*)",
    "falsy": "'', 0 or False is taken for 'not given' (if x: / x or {}), not refused; "
    "AsyncPiggy(base_url='') goes to the production URL (_transport.py:_call, "
    "_client.py:__init__/with_options, _options.py:customized)",
    "bool_truthy": "a bool setting takes any value by its truthiness ('no' is True) "
    "(_bulk.py:BulkRun, _client.py:__init__, resources/units.py:create)",
    "blank": "'' or ' ' for an optional identifier (contact_uuid=, ...) is sent as an empty "
    "filter or field (resources/*)",
    "repr_leak": "the error quotes the whole value ({value!r}): a 10,000-character value "
    "makes a 20,000-character message (_validate.py:check_choice, _config.py:check_int/"
    "check_seconds/check_base_url, _options.py:checked_request, portal_sessions checks)",
    "url_leak": "an error from the answer quotes the URL's whole path: a 10,000-character "
    "path segment is in the message (errors.py:_where / _validate.py:shown_url)",
    "json_unnamed": "a body value msgspec cannot encode gives InvalidArgumentError with "
    "argument=None and msgspec's text, not the field's name (_transport.py:_call)",
    "bulk_unnamed": "a bulk method's inputs that are not an iterable: the error says "
    "'inputs', not emails/contact_uuids (_bulk_inputs.py:Inputs)",
    "query_key_name": "a lone surrogate in giftcard_hash is reported as 'gifcard_hash' (the "
    "wire key), not the parameter (_validate.py:_culprit)",
}

FALSY_TAKERS = ("extra_headers", "hooks", "extra_query", "extra_body", "query", "base_url")
BODY_MAPPINGS = ("json", "extra_field", "extra_body", "data", "attributes", "custom_attributes")


def cause_of(target: str, param: str, label: str, outcome: Outcome) -> str | None:
    """The root cause (a key of :data:`CAUSES`) of one bad outcome, or None if unknown."""
    kind, detail = outcome.kind, outcome.detail
    if kind == "leak":
        return (
            "url_leak" if "Error: the message" in detail and "Request" in detail else ("repr_leak")
        )
    if kind == "unnamed":
        for text, cause in (
            ("cannot be sent as JSON", "json_unnamed"),
            ("inputs must be an iterable", "bulk_unnamed"),
            ("a query parameter holds text", "query_key_name"),
            ("must be text, a whole number", "query_key_name"),
        ):
            if text in detail:
                return cause
        return None
    if kind == "raw":
        if param in ("options", "hooks", "cast_to"):
            return param
        if target == "with_options":
            return "extras"
        if target == "request" and param == "query":
            return "request_query"
        return "list_of" if target == "webhook_subscriptions.update" else None
    if kind not in ("catchable", "wrong_send"):
        return None
    if param == "options":
        return "options"
    if target == "webhook_subscriptions.update" and param == "attributes":
        return "list_of"
    if label in ("empty", "0", "False") and param in (*FALSY_TAKERS, "line_items"):
        return "falsy"
    if param in ("ordered", "telemetry", "allow_insecure_http", "is_default"):
        return "bool_truthy"
    if detail.startswith("a non-finite float"):  # (a float where text is due: unchecked)
        return "nan"
    if detail.startswith("blank text"):
        return "blank"
    if label == "None" and "NoneType does not fit" in detail:
        return "required_none"
    if param in ("query", "extra_query"):
        return "query_str"
    if param in BODY_MAPPINGS and (label in ("bytes", "set") or label.startswith("{1:")):
        return "body_encode"
    return "unchecked" if "does not fit" in detail else None


class KnownBug(AssertionError):
    """A case that breaks the rule for a root cause :data:`KNOWN` expects there."""


#: root cause -> the "target.parameter" groups where it shows today (fnmatch patterns)
KNOWN: dict[str, str] = {}


def _known_causes(target: str, param: str) -> set[str]:
    name = f"{target}.{param}"
    return {
        cause
        for cause, patterns in KNOWN.items()
        if any(fnmatch.fnmatchcase(name, p) for p in patterns.split())
    }


def _cases() -> list[Any]:
    out = []
    for target in targets().values():
        for param in target.params:
            causes = sorted(_known_causes(target.name, param.name))
            marks = []
            if causes:
                reason = "BUG: " + "; ".join(f"{c}: {CAUSES[c]}" for c in causes)
                marks.append(pytest.mark.xfail(strict=True, raises=KnownBug, reason=reason))
            name = f"{target.name}-{param.name}"
            out.append(pytest.param(target.name, param.name, id=name, marks=marks))
    return out


def test_every_valid_baseline_is_accepted() -> None:
    """The valid values of the table pass the client's checks (else the fuzz proves little)."""
    baselines = asyncio.run(_baselines())
    bad = {name: o.detail for name, o in baselines.items() if o.kind == "bad"}
    assert not bad


@pytest.mark.parametrize(("target", "param"), _cases())
def test_bad_arguments_follow_the_rule(target: str, param: str) -> None:
    found = {
        label: outcome
        for (p, label), outcome in _sweep(target).items()
        if p == param and outcome.kind in BAD
    }
    if not found:
        return
    causes = {label: cause_of(target, param, label, o) for label, o in found.items()}
    text = "\n".join(
        f"  {label}: {o.kind} [{causes[label]}]: {o.detail}" for label, o in found.items()
    )
    if set(causes.values()) <= _known_causes(target, param):
        raise KnownBug(f"{target}({param}=...) breaks the rule:\n{text}")
    raise AssertionError(f"{target}({param}=...) breaks the rule:\n{text}")
