"""One page of a list and its pagination facts (the ``{data, meta}`` envelope's meta)."""

from __future__ import annotations

import re
from typing import Generic, TypeVar

import msgspec

from ._base import _Model

T = TypeVar("T")


class PageMeta(_Model):
    """Pagination facts Piggy sends with a list: page number, size, last page, total."""

    page: int | None = None
    limit: int | None = None
    viewing_from: int | None = None
    viewing_to: int | None = None
    last_page: int | None = None
    total: int | None = None
    # Laravel-style pagination (voucher lists)
    current_page: int | None = None
    per_page: int | None = None
    from_: int | None = msgspec.field(default=None, name="from")
    to: int | None = None


_COUNT = re.compile(r"-?[0-9]{1,18}")  # (fits an int64; int() fails past 4300 digits)
#: The count fields of both meta styles (``from_`` is ``from`` on the wire).
_COUNT_FIELDS = PageMeta.__struct_fields__


class WirePageMeta(msgspec.Struct, gc=False):
    """:class:`PageMeta` as it arrives: some lists echo query values back as strings
    (contacts ``"limit": "2"``, vouchers ``"per_page": "30"``); a numeric string is a number,
    anything else is refused while decoding (``$.meta``)."""

    page: int | str | None = None
    limit: int | str | None = None
    viewing_from: int | str | None = None
    viewing_to: int | str | None = None
    last_page: int | str | None = None
    total: int | str | None = None
    current_page: int | str | None = None
    per_page: int | str | None = None
    from_: int | str | None = msgspec.field(default=None, name="from")
    to: int | str | None = None

    def __post_init__(self) -> None:
        for name in _COUNT_FIELDS:
            value = getattr(self, name)
            if isinstance(value, str) and not _COUNT.fullmatch(value.strip()):
                raise ValueError(f"meta `{name}` is not a number: {value[:20]!r}")

    def to_meta(self) -> PageMeta:
        """The same facts with every count an ``int``."""
        values = {name: getattr(self, name) for name in _COUNT_FIELDS}
        return PageMeta(**{k: int(v) if isinstance(v, str) else v for k, v in values.items()})


class Page(_Model, Generic[T]):
    """One page of a list: ``items`` and the pagination ``meta``."""

    items: list[T]
    meta: PageMeta = msgspec.field(default_factory=PageMeta)

    @property
    def next_page(self) -> int | None:
        """The number of the page after this one, or None when this is the last."""
        return next_page_number(self.meta, len(self.items))


def next_page_number(meta: PageMeta, item_count: int, asked: int = 1) -> int | None:
    """Pure pagination rule: which page follows, given the meta and this page's size
    (``asked``: the page that was asked for, when the meta does not say which this is)."""
    page = meta.page or meta.current_page or asked
    if meta.last_page is not None:
        return page + 1 if page < meta.last_page else None
    if meta.total is not None and meta.viewing_to is not None:
        return page + 1 if meta.viewing_to < meta.total else None
    size = meta.limit or meta.per_page
    if size is not None and item_count >= size and item_count > 0:
        return page + 1
    return None
