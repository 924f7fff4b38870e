"""Decoding of Piggy's ``{"data": ..., "meta": ...}`` envelope straight from bytes.

One msgspec ``Decoder`` per response type, built once and cached. ``meta`` is skipped
unless the response is a page. PHP's ``[]``/``null`` for an empty map is accepted wherever
a map or an optional object is expected (see ``_php_fix``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Generic, TypeVar

import msgspec

from . import _lazy_contact
from ._lazy_contact import builtins_hook, detached, wire_type
from ._validate import shown
from .errors import InvalidArgumentError, ResponseDecodeError
from .types import (
    Contact,
    ContactAttribute,
    CreditReception,
    DigitalRewardReception,
    LoyaltyTransaction,
    OtherTransaction,
    Page,
    PageMeta,
    RewardReception,
)
from .types._page import WirePageMeta

T = TypeVar("T")

__all__ = ["builtins_hook", "decode_data", "decode_page", "decoder_for", "page_decoder_for"]


class _Envelope(msgspec.Struct, Generic[T], gc=False):
    data: T


class _PageEnvelope(msgspec.Struct, Generic[T], gc=False):
    data: list[T]
    meta: WirePageMeta | None = None


@cache
def decoder_for(model: Any) -> msgspec.json.Decoder[Any]:
    """The cached decoder of ``{"data": <model>}``."""
    return msgspec.json.Decoder(_Envelope[wire_type(model)])  # type: ignore[misc]


def check_model(model: Any) -> None:
    """Refuse a ``cast_to`` msgspec cannot decode into, before anything is sent."""
    try:
        decoder_for(model)
    except Exception as exc:  # (msgspec's own: TypeError, ValueError, IndexError, ...)
        raise InvalidArgumentError(
            f"cast_to must be a model class or a type msgspec decodes (list[Model], "
            f"dict[str, Any], ...), not {shown(model)}: {type(exc).__name__}",
            argument="cast_to",
        ) from None


@cache
def page_decoder_for(model: Any) -> msgspec.json.Decoder[Any]:
    """The cached decoder of ``{"data": [<model>...], "meta": {...}}``."""
    return msgspec.json.Decoder(_PageEnvelope[wire_type(model)])  # type: ignore[misc]


# -- PHP's empty map -----------------------------------------------------------------------
#
# PHP encodes an empty associative array as `[]` (and sometimes sends `null`) where a JSON
# object is meant. Rather than loosening every model, the decoders stay strict and fast,
# and only when msgspec reports "expected an object, got an array/null" at a path is that
# value replaced (`{}` for a map, `null` for an optional object) and the body decoded again.

_PHP_EMPTY = re.compile(
    r"^Expected `object( \| null)?`, got `(array|null)` - at `\$((?:\.[A-Za-z_]\w*|\[\d+\])*)`$"
)
_STEP = re.compile(r"\.([A-Za-z_]\w*)|\[(\d+)\]")
_MAX_FIXES = 64


def _php_fix(parsed: Any, message: str) -> bool:
    """Replace, in ``parsed``, the PHP empty map msgspec complained about; False if it
    was something else."""
    match = _PHP_EMPTY.match(message)
    if match is None:
        return False
    optional, got, path = match.group(1), match.group(2), match.group(3)
    steps: list[str | int] = [key if key else int(index) for key, index in _STEP.findall(path)]
    if not steps:
        return False
    parent = parsed
    try:
        for step in steps[:-1]:
            parent = parent[step]
        value = parent[steps[-1]]
    except (KeyError, IndexError, TypeError):
        return False
    if value not in ([], None) or (got == "null" and optional):
        return False
    parent[steps[-1]] = None if optional else {}
    return True


def _decode_tolerant(decoder: msgspec.json.Decoder[Any], body: bytes) -> Any:
    """Decode; on a PHP empty-map complaint, mend the body and decode again."""
    try:
        return decoder.decode(body)
    except msgspec.ValidationError as first:
        message = str(first)
        if _PHP_EMPTY.match(message) is None:
            raise  # not a PHP empty map: the body is not parsed again (it may be huge)
        try:
            parsed = msgspec.json.decode(body)
        except msgspec.DecodeError:
            raise first from None
        for _ in range(_MAX_FIXES):
            if not _php_fix(parsed, message):
                raise first from None
            try:
                return decoder.decode(msgspec.json.encode(parsed))
            except msgspec.ValidationError as again:
                message = str(again)
        raise first from None


# -- Contact: the deprecated ``attributes`` list, decoded on first read (see _lazy_contact)


def _decode_attributes(raw: msgspec.Raw) -> list[ContactAttribute]:
    """A Contact's raw ``attributes``, typed (PHP empty maps tolerated); ResponseDecodeError."""
    try:
        result: list[ContactAttribute] = _attributes_decoder().decode(raw)  # no copy to bytes
    except msgspec.ValidationError:
        body = bytes(raw)
        try:
            result = _decode_tolerant(_attributes_decoder(), body)
        except msgspec.ValidationError as exc:
            text = str(exc).replace("at `$", "at `$.attributes", 1)
            error = msgspec.ValidationError(text)
            raise _decode_error(
                error, body, endpoint="Contact.attributes", method=None, url=None
            ) from None
    return result


@cache
def _attributes_decoder() -> msgspec.json.Decoder[list[ContactAttribute]]:
    """Made on first use, not at import (building a typed decoder costs import time)."""
    return msgspec.json.Decoder(list[ContactAttribute])


_lazy_contact.use_decoder(_decode_attributes)


# -- loyalty transactions: a tagged union with a fallback ----------------------------------

_KnownTransaction = CreditReception | RewardReception | DigitalRewardReception


@cache
def _transaction_decoder() -> msgspec.json.Decoder[Any]:
    """Made on first use, not at import."""
    return msgspec.json.Decoder(_KnownTransaction)


_object_decoder = msgspec.json.Decoder(dict[str, Any])
_raw_fields_decoder = msgspec.json.Decoder(dict[str, msgspec.Raw])
_CREDIT_FIELDS = frozenset(CreditReception.__struct_fields__) | {"type"}
_UNKNOWN_TAG = re.compile(r"^Invalid value .* - at `\$\.type`$")


def _decode_transaction(raw: bytes) -> Any:
    """One transaction: its class by ``type``; an unknown type as ``OtherTransaction``.

    A credit reception keeps the top-level fields it does not model (the custom loyalty
    transaction attributes a shop sent) in ``attributes``.
    """
    try:
        transaction = _decode_tolerant(_transaction_decoder(), raw)
    except msgspec.ValidationError as exc:
        if not _UNKNOWN_TAG.match(str(exc)):
            raise
        data = _object_decoder.decode(raw)
        other = msgspec.convert(data, OtherTransaction)
        return msgspec.structs.replace(other, data=data)
    if isinstance(transaction, CreditReception):
        # Only the keys are looked at; just the values of unmodelled keys are parsed.
        fields = _raw_fields_decoder.decode(raw)
        extras = {k: msgspec.json.decode(v) for k, v in fields.items() if k not in _CREDIT_FIELDS}
        if extras:
            transaction = msgspec.structs.replace(
                transaction, attributes={**transaction.attributes, **extras}
            )
    elif _transaction_collects(transaction):
        transaction = _with_extras(transaction, msgspec.json.decode(raw))
    return transaction


# -- models whose custom attributes stand among their own fields ---------------------------
#
# A reward carries its custom attributes as top-level keys beside its own fields (docs page
# rewards, "Get Reward"), and so does a promotion inside a voucher (docs page vouchers). Such
# a model names the field that collects them in a ``__piggy_extras__`` class attribute.
# Decoding stays one typed pass; only for a response type that contains such a model
# anywhere is the body read a second time, untyped, to collect the unmodelled keys.


def _transaction_collects(transaction: Any) -> bool:
    cls: Any = type(transaction)
    return collects_extras(cls)


@cache
def collects_extras(tp: Any) -> bool:
    """Does ``tp`` (a model, a list, an optional, a union) contain an extras model?"""
    return _collects(tp, frozenset())


def _collects(tp: Any, seen: frozenset[Any]) -> bool:
    if tp in seen:
        return False
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        if hasattr(tp, "__piggy_extras__"):
            return True
        inner = seen | {tp}
        return any(_collects(f.type, inner) for f in msgspec.structs.fields(tp))
    return any(_collects(arg, seen) for arg in getattr(tp, "__args__", ()))


@cache
def _known_fields(cls: Any) -> frozenset[str]:
    return frozenset(f.encode_name for f in msgspec.structs.fields(cls))


def _with_extras(value: Any, data: Any) -> Any:
    """``value`` (decoded from ``data``) with every extras model's unmodelled keys kept."""
    if isinstance(value, list) and isinstance(data, list):
        return [_with_extras(v, d) for v, d in zip(value, data, strict=False)]
    if not isinstance(value, msgspec.Struct) or not isinstance(data, dict):
        return value
    changes: dict[str, Any] = {}
    for field in msgspec.structs.fields(value):
        inner = getattr(value, field.name)
        if isinstance(inner, (msgspec.Struct, list)) and field.encode_name in data:
            new = _with_extras(inner, data[field.encode_name])
            if new is not inner:
                changes[field.name] = new
    target = getattr(type(value), "__piggy_extras__", None)
    if target is not None:
        known = _known_fields(type(value))
        extras = {k: v for k, v in data.items() if k not in known}
        if extras:
            changes[target] = {**getattr(value, target), **changes.get(target, {}), **extras}
    return msgspec.structs.replace(value, **changes) if changes else value


def _decode_items(items: list[msgspec.Raw], decode_one: Any) -> list[Any]:
    out = []
    for index, raw in enumerate(items):
        try:
            out.append(decode_one(raw))
        except msgspec.ValidationError as exc:
            # Re-anchor the item's path ($.credits) in the body ($.data[3].credits).
            text = str(exc).replace("at `$", f"at `$.data[{index}]", 1)
            raise msgspec.ValidationError(text) from None
    return out


_PATH = re.compile(r" - at `([^`]*)`$")

#: Everything decoding hostile bytes can raise: malformed JSON, a wrong shape, invalid
#: UTF-8 (a ValueError), nesting deeper than the interpreter's stack.
DECODE_FAILURES = (msgspec.DecodeError, msgspec.ValidationError, ValueError, RecursionError)


def _decode_error(
    exc: BaseException, body: bytes, *, endpoint: str, method: str | None, url: str | None
) -> ResponseDecodeError:
    text = str(exc)
    match = _PATH.search(text)
    path = match.group(1) if match else None
    if isinstance(exc, RecursionError):
        message = f"response from {endpoint} is nested too deeply to decode"
    elif isinstance(exc, msgspec.ValidationError):
        # msgspec paths start at the envelope: `$.data...` is exactly the body's JSON path.
        reason = _PATH.sub("", text)
        if path is None and "missing required field `data`" in text:
            path = "$"
        message = f"unexpected response from {endpoint}: {reason}" + (f" at {path}" if path else "")
    else:  # msgspec.DecodeError, invalid UTF-8 (UnicodeDecodeError), other ValueError
        message = f"response from {endpoint} is not valid JSON: {text}"
    return ResponseDecodeError(message, method=method, url=url, path=path, body=body)


def decode_data(
    model: Any,
    body: bytes,
    *,
    endpoint: str = "Piggy",
    method: str | None = None,
    url: str | None = None,
) -> Any:
    """Decode the ``data`` of an envelope into ``model``; ``ResponseDecodeError`` if it isn't."""
    try:
        if model is LoyaltyTransaction:
            raw = _decode_tolerant(decoder_for(msgspec.Raw), body).data
            try:
                return _decode_transaction(raw)
            except msgspec.ValidationError as exc:
                text = str(exc).replace("at `$", "at `$.data", 1)
                raise msgspec.ValidationError(text) from None
        value = _decode_tolerant(decoder_for(model), body).data
        if collects_extras(model):
            value = _with_extras(value, _object_decoder.decode(body).get("data"))
    except DECODE_FAILURES as exc:
        raise _decode_error(exc, body, endpoint=endpoint, method=method, url=url) from None
    return detached(value) if model is Contact else value


def decode_page(
    model: Any,
    body: bytes,
    *,
    endpoint: str = "Piggy",
    method: str | None = None,
    url: str | None = None,
) -> Page[Any]:
    """Decode a list envelope into a :class:`Page` of ``model``."""
    try:
        if model is LoyaltyTransaction:
            env = _decode_tolerant(page_decoder_for(msgspec.Raw), body)
            items = _decode_items(env.data, _decode_transaction)
        else:
            env = _decode_tolerant(page_decoder_for(model), body)
            items = env.data
            if collects_extras(model):
                items = _with_extras(items, _object_decoder.decode(body).get("data"))
            if model is Contact:
                for contact in items:
                    detached(contact)
    except DECODE_FAILURES as exc:
        raise _decode_error(exc, body, endpoint=endpoint, method=method, url=url) from None
    return Page(items=items, meta=env.meta.to_meta() if env.meta else PageMeta())
