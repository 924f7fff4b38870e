"""A decoded Contact whose deprecated ``attributes`` list is decoded on first read.

``attributes`` is ~45% of the time and ~72% of the memory of a decoded Contact, and Piggy
deprecates it in favour of ``current_values``. Responses therefore decode (``_decode``) into
a private subclass of Contact whose ``attributes`` slot first holds the list's raw JSON
bytes (``msgspec.Raw``, copied out of the body); reading ``contact.attributes`` decodes it
(typed, PHP empty maps tolerated, ``ResponseDecodeError`` if malformed), stores the list in
the slot and returns it. Everything a user reaches through Contact itself (attribute reads
and writes, ==, repr, pickle, copy) sees the decoded list; ``msgspec.json.encode`` writes
the raw bytes as they came; ``msgspec.to_builtins`` needs ``enc_hook=builtins_hook`` (or the
attributes read first).

The decoding function comes from ``_decode`` (``use_decoder``), which imports this module:
no import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from .types import Contact, ContactAttribute

__all__ = ["LazyContact", "builtins_hook", "detached", "use_decoder", "wire_type"]

_attributes_slot: Any = Contact.__dict__["attributes"]  # the field's slot descriptor
_decode: list[Callable[[msgspec.Raw], list[ContactAttribute]]] = []


def use_decoder(decode: Callable[[msgspec.Raw], list[ContactAttribute]]) -> None:
    """Set how raw attributes become a typed list (``_decode`` does, at import)."""
    _decode[:] = [decode]


def _read_attributes(contact: Any) -> list[ContactAttribute]:
    value = _attributes_slot.__get__(contact, Contact)
    if isinstance(value, msgspec.Raw):
        value = _decode[0](value)
        _attributes_slot.__set__(contact, value)
    result: list[ContactAttribute] = value
    return result


def _write_attributes(contact: Any, value: list[ContactAttribute]) -> None:
    _attributes_slot.__set__(contact, value)


def detached(contact: Any) -> Any:
    """The contact with its raw attributes copied out of the response body: keeping a
    contact keeps those bytes, not the whole body they were sliced from."""
    raw = _attributes_slot.__get__(contact, Contact)
    if isinstance(raw, msgspec.Raw):
        _attributes_slot.__set__(contact, raw.copy())
    return contact


def builtins_hook(value: Any) -> Any:
    """``enc_hook`` for ``msgspec.to_builtins`` over models: the one ``msgspec.Raw`` a model
    holds (a Contact's unread ``attributes``) becomes the builtins of the decoded list, as if
    it had been read. ``msgspec.to_builtins(model, enc_hook=builtins_hook)``."""
    if isinstance(value, msgspec.Raw):
        return msgspec.to_builtins(_decode[0](value))
    raise TypeError(f"Encoding objects of type {type(value).__name__} is unsupported")


def _fields(contact: Any) -> tuple[Any, ...]:
    return tuple(getattr(contact, name) for name in Contact.__struct_fields__)


def _lazy_eq(self: Any, other: object) -> Any:
    if not isinstance(other, Contact):
        return NotImplemented
    same: bool = _fields(self) == _fields(other)
    return same


def _lazy_repr(self: Any) -> str:
    _read_attributes(self)
    return Contact.__repr__(self)


def _lazy_rich_repr(self: Any) -> Any:
    _read_attributes(self)
    return Contact.__rich_repr__(self)


def _lazy_reduce(self: Any) -> tuple[Any, tuple[Any, ...]]:
    return Contact, _fields(self)


LazyContact: Any = msgspec.defstruct(
    "Contact",
    [("attributes", msgspec.Raw, msgspec.Raw(b"[]"))],
    bases=(Contact,),
    module=Contact.__module__,
)
LazyContact.__qualname__ = Contact.__qualname__
LazyContact.__doc__ = Contact.__doc__
LazyContact.attributes = property(_read_attributes, _write_attributes, doc="See Contact.")
LazyContact.__eq__ = _lazy_eq
LazyContact.__hash__ = None
LazyContact.__repr__ = _lazy_repr
LazyContact.__rich_repr__ = _lazy_rich_repr
LazyContact.__reduce__ = _lazy_reduce

_WIRE_TYPES: dict[Any, Any] = {Contact: LazyContact}


def wire_type(model: Any) -> Any:
    """The type responses of ``model`` decode into (the lazy subclass for Contact)."""
    return _WIRE_TYPES.get(model, model)
