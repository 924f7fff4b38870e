"""What every resource module shares: the ``Resource`` base, body and filter helpers."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from .._arguments import checked
from .._bulk import BulkRun, ProgressCallback
from .._bulk_inputs import check_source
from .._validate import check_mappings, check_text

if TYPE_CHECKING:
    from .._transport import Transport

#: A method's ``extra_headers=``: header name to text, sent with that call only.
Headers = Mapping[str, str]

I = TypeVar("I")  # noqa: E741
T = TypeVar("T")


class Resource:
    """Base of ``piggy.contacts``, ``piggy.automations``, ...: holds the client's transport.

    Every method that makes one call takes ``extra_headers=``: headers sent with that call
    only (an ``X-Request-ID``, ...), checked like ``default_headers``; the cheap way to vary a
    header per call (for a client-wide or per-run header, use ``with_options``)."""

    __slots__ = ("_transport",)

    #: Public methods whose bodies check every argument themselves, left unwrapped by
    #: ``__init_subclass__`` (the per-item calls of bulk runs, where a wrapper costs CPU).
    _checks_itself: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Wrap each public method of the new class with ``_arguments.checked``: its
        arguments are held to its type hints before it runs."""
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if name.startswith("_") or name in cls._checks_itself:
                continue
            if inspect.isfunction(value) and not hasattr(value, "__wrapped__"):
                setattr(cls, name, checked(value))

    def _bulk(
        self,
        func: Callable[[I], Awaitable[T]],
        inputs: Iterable[I] | AsyncIterable[I],
        concurrency: int,
        on_progress: ProgressCallback | None,
        **options: Any,
    ) -> BulkRun[I, T]:
        """The one way resources run a call over many inputs (ordered, bounded, rate-aware);
        ``options``: ``window``, ``ordered``, ``decode_at_delivery`` (see ``BulkRun``), and
        ``name``, the inputs' parameter in errors (default ``contact_uuids``)."""
        check_source(inputs, options.pop("name", "contact_uuids"))
        options["max_retries"] = self._transport.max_retries
        observer = self._transport.observer
        if observer is not None and observer.tracing is not None:  # one span for the run
            run: BulkRun[I, T] = observer.tracing.bulk(
                observer.operation(2)[0],
                func,
                inputs,
                concurrency=concurrency,
                on_progress=on_progress,
                sleep=self._transport.pause,
                **options,
            )
            return run
        return BulkRun(
            func,
            inputs,
            concurrency=concurrency,
            on_progress=on_progress,
            sleep=self._transport.pause,
            **options,
        )


class ResourceSlot:
    """``piggy.contacts`` and the others: made on first use and kept on the client, so a
    ``with_options`` copy costs almost nothing (a non-data descriptor: once made, the
    instance's own attribute answers)."""

    __slots__ = ("kind", "name")

    def __init__(self, name: str, kind: type[Any]) -> None:
        self.name = name
        self.kind = kind

    def __get__(self, client: Any, owner: type[Any] | None = None) -> Any:
        if client is None:
            return self
        resource = self.kind(client._transport)
        client.__dict__[self.name] = resource
        return resource


def compact(body: dict[str, Any]) -> dict[str, Any]:
    """Leave out optional fields that were not given (None)."""
    return {k: v for k, v in body.items() if v is not None}


def iso(value: str | datetime | None) -> str | None:
    """A date filter as Piggy wants it: ISO 8601 text (a datetime is converted)."""
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def created_at_filters(
    gt: str | datetime | None,
    gte: str | datetime | None,
    lt: str | datetime | None,
    lte: str | datetime | None,
) -> dict[str, str | None]:
    """Piggy's ``created_at[gt]``-style query parameters."""
    return {
        "created_at[gt]": iso(gt),
        "created_at[gte]": iso(gte),
        "created_at[lt]": iso(lt),
        "created_at[lte]": iso(lte),
    }


Options = Sequence[Mapping[str, Any]]


# Contact and loyalty transaction attributes are created with `data_type` (docs pages
# contacts and loyalty-transaction-attributes); reward and promotion attributes with `type`
# (the PHP SDK's answers, and the custom-attributes page that covers both entities).
def definition_body(
    name: str,
    label: str | None,
    data_type: str,
    description: str | None,
    options: Options | None,
    *,
    type_key: str = "data_type",
    **more: Any,
) -> dict[str, Any]:
    return compact(
        {
            "name": check_text(name, "name"),
            "label": None if label is None else check_text(label, "label"),
            type_key: check_text(data_type, type_key),
            "description": description,
            "options": None if options is None else check_mappings(options, "options"),
            **more,
        }
    )
