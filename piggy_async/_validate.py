"""Argument checks that resources run before any I/O.

A bad argument raises :class:`~piggy_async.errors.InvalidArgumentError` (also a ValueError
and a TypeError) naming it.
"""

from __future__ import annotations

import math
import reprlib
import string
from collections.abc import Collection, Mapping
from urllib.parse import quote, quote_plus

import msgspec

from .errors import InvalidArgumentError

#: Characters a path segment may carry as they are (RFC 3986 "unreserved").
_UNRESERVED = string.ascii_letters + string.digits + "._~-"

__all__ = [
    "check_choice",
    "check_email",
    "check_limit",
    "check_page",
    "check_text",
    "check_unicode",
    "segment",
    "unsendable_text",
]


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60


def shown(value: object) -> str:
    """``repr(value)``, cut short: an error message quotes at most about 60 characters."""
    return _SHORT.repr(value)


def json_problem(value: object, where: str = "") -> tuple[str, str] | None:
    """(where, what) of the first value of a request body that JSON would send wrong or
    not at all: NaN or an infinity (msgspec sends ``null``), bytes (sent as base64), a set
    (sent as a list, in no order), a key that is not text; None: nothing found."""
    if isinstance(value, float):
        return None if math.isfinite(value) else (where, f"{value} is not a JSON number")
    if isinstance(value, (str, int, type(None))):
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                return (where, f"key {shown(key)} is not text")
            found = json_problem(item, f"{where}.{key}" if where else key)
            if found is not None:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = json_problem(item, f"{where}[{index}]")
            if found is not None:
                return found
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return (where, "bytes are not JSON (decode them to text first)")
    if isinstance(value, (set, frozenset)):
        return (where, "a set is not JSON (its order is not kept): pass a list")
    return None  # (anything else: msgspec says whether it can send it)


def _bad(name: str, problem: str) -> InvalidArgumentError:
    return InvalidArgumentError(f"{name} {problem}", argument=name)


def check_text(value: object, name: str) -> str:
    """A required, non-blank string argument."""
    if not isinstance(value, str):
        raise _bad(name, f"must be a string, not {type(value).__name__}")
    if not value.strip():
        raise _bad(name, "must not be empty")
    check_unicode(value, name)
    return value


def check_unicode(value: str, name: str) -> str:
    """Text that can be sent (UTF-8): no lone surrogates such as ``'\\ud800'``."""
    try:
        value.encode()
    except UnicodeEncodeError:
        raise _bad(name, "holds a lone surrogate (not valid Unicode text)") from None
    return value


def check_email(value: object, name: str = "email") -> str:
    """An email address: text with one ``@`` that has something on both sides."""
    text = check_text(value, name)
    problem = _email_problem(text)
    if problem is not None:  # (the value is not shown: it is personal data)
        raise _bad(name, f"is not an email address: it {problem}")
    return text


def _email_problem(text: str) -> str | None:
    """What keeps ``text`` from being an email address, without quoting any of it."""
    blank = next((i for i, c in enumerate(text) if c.isspace()), None)
    if blank is not None:
        return f"has whitespace (character {blank + 1} of {len(text)})"
    local, at, domain = text.rpartition("@")
    if not at:
        return "has no '@'"
    if not local:
        return "has nothing before its '@'"
    return None if domain else "has nothing after its '@'"


def check_choice(value: object, name: str, choices: Collection[str]) -> str:
    """One of a closed set of strings."""
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise _bad(name, f"must be one of {allowed}, not {shown(value)}")
    return str(value)


def check_int(value: object, name: str, low: int, high: int | None = None) -> int:
    """An integer in ``low..high`` (``high`` None: no upper bound)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(name, f"must be an integer, not {type(value).__name__}")
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"{low} or more"
        raise _bad(name, f"must be {bounds}, not {value}")
    return value


def check_limit(value: int | None, name: str = "limit", maximum: int = 100) -> int | None:
    """A page size in 1..maximum, or None for Piggy's default."""
    return None if value is None else check_int(value, name, 1, maximum)


def check_page(value: int | None, name: str = "page") -> int | None:
    """A 1-based page number, or None."""
    return None if value is None else check_int(value, name, 1)


def segment(value: object, name: str) -> str:
    """A dynamic path segment (a UUID, a name): checked, then percent-encoded whole.

    ``/``, ``?``, ``#``, spaces and unicode are encoded, and ``.``/``..`` too, so that the
    value reaches Piggy as one segment and can never change the path.
    """
    # The common case (a UUID): only unreserved characters, nothing to encode. A string
    # method rather than a regular expression: about 1.8 µs less CPU per call in situ.
    if type(value) is str and value and not value.strip(_UNRESERVED) and value not in (".", ".."):
        return value
    text = check_text(value, name)
    quoted = quote(text, safe="")
    if quoted in (".", ".."):
        quoted = quoted.replace(".", "%2E")
    return quoted


def check_flag(value: object, name: str) -> bool:
    """``value`` if it is a bool; anything else (``"no"``, ``0``) refused, not read as one."""
    if not isinstance(value, bool):
        raise _bad(name, f"must be True or False, not {type(value).__name__}")
    return value


def _items(value: object, name: str, of: str) -> list[object] | tuple[object, ...]:
    """``value`` if it is a list or tuple (not one string, whose letters would be sent one
    by one, nor one mapping)."""
    if not isinstance(value, (list, tuple)):
        raise _bad(name, f"must be a list of {of}, not {type(value).__name__}")
    return value


def check_mappings(value: object, name: str) -> list[dict[str, object]]:
    """A list of mappings (attribute ``options``: ``[{"value": ..., "label": ...}]``)."""
    items = _items(value, name, "mappings")
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise _bad(f"{name}[{index}]", f"must be a mapping, not {type(item).__name__}")
    return [dict(item) for item in items]  # type: ignore[call-overload]


def check_texts(value: object, name: str) -> list[str]:
    """A list of non-blank strings."""
    items = _items(value, name, "text")
    return [check_text(item, f"{name}[{index}]") for index, item in enumerate(items)]


def unsendable_text(where: str, value: object) -> InvalidArgumentError:
    """The error for query or body text that UTF-8 cannot encode (a lone surrogate)."""
    return InvalidArgumentError(
        f"{where} holds text that cannot be sent (a lone surrogate such as '\\ud800'): "
        "pass valid Unicode text",
        argument=_culprit(value),
    )


def encode_body(json: object) -> bytes:
    """A request's JSON body as bytes; what JSON cannot hold as it is (a lone surrogate, an
    object msgspec does not encode, NaN, bytes, a set, a key that is not text) refused with
    an ``InvalidArgumentError`` naming the field, never sent changed."""
    try:
        body = msgspec.json.encode(json)
    except UnicodeEncodeError:
        raise unsendable_text("a field of the request body", json) from None
    except (TypeError, msgspec.EncodeError) as exc:
        raise unencodable(json, exc) from None
    problem = json_problem(json)
    if problem is not None:
        where, what = problem
        raise InvalidArgumentError(
            f"the request body cannot be sent as JSON: {where or 'the body'}: {what}",
            argument=where.split(".")[0].split("[")[0] or None,
        )
    return body


def unencodable(value: object, exc: Exception) -> InvalidArgumentError:
    """The error for a request body JSON cannot hold (an object of a type msgspec does not
    encode), naming the body's field that holds it."""
    key = _culprit(value)
    where = "the body" if key is None else f"field {shown(key)}"
    return InvalidArgumentError(
        f"the request body cannot be sent as JSON: {where}: {exc}", argument=key
    )


def _culprit(value: object) -> str | None:
    """The key of the first value that UTF-8 cannot encode, if it is a mapping's."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            try:
                msgspec.json.encode(item)
                str(key).encode()
            except (UnicodeEncodeError, TypeError, msgspec.EncodeError):
                return str(key)
    return None


def secret_forms(secret: str) -> tuple[str, ...]:
    """The ways ``secret`` may come back in a URL or body: as given, percent-encoded
    (path, form) and JSON-escaped (PHP writes ``/`` as ``\\/``)."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret), secret.replace("/", "\\/")}
    return tuple(sorted((f for f in forms if f), key=len, reverse=True))


def shown_url(url: str, secret: str | None = None) -> str:
    """``url`` as a message may quote it: without credentials (``user:password@``), query
    or fragment, with ``secret`` and any path segment holding an ``@`` (an e-mail address)
    shown as ``<redacted>``."""
    url = url.split("?", 1)[0].split("#", 1)[0]
    head, slashes, path = url.partition("//")
    if slashes:  # (the host stays as it is; only the path is looked at)
        authority, slash, path = path.partition("/")
        head = head + slashes + authority.rpartition("@")[2] + slash
    else:
        head, path = "", url
    if secret:
        for form in secret_forms(secret):
            path = path.replace(form, "<redacted>")
    segments = [
        "<redacted>" if "@" in segment or "%40" in segment.upper() else segment
        for segment in path.split("/")
    ]
    return head + "/".join(segments)
