"""OpenTelemetry traces and metrics for Piggy calls, in Piggy's own vocabulary.

Install the extra and turn it on for a client, with one of::

    pip install 'piggy-client[otel]'

    piggy = AsyncPiggy(api_key=..., telemetry=True)          # the global providers
    piggy_async.otel.instrument(piggy, tracer_provider=tp)   # or chosen providers

Each client call is one span named by the operation (``piggy contacts.get``, kind INTERNAL)
carrying ``http.request.method``, ``url.template`` (``/contacts/{contact_uuid}``),
``server.address``, ``http.response.status_code``, ``error.type``, ``piggy.operation``,
``piggy.error.code``, ``piggy.retry.count`` and ``piggy.outcome_unknown``. Each attempt is a
child span of kind CLIENT named ``GET /contacts/{contact_uuid}`` (with
``http.request.resend_count`` from the second attempt on); each retry is a ``piggy.retry``
event on the call span. A bulk run is one span (``piggy contacts.get_many``) with the calls as
its children and its counts as attributes.

Metrics: ``piggy.client.call.duration`` (histogram, seconds) and ``piggy.client.retries``
(counter), with low-cardinality attributes only (operation, method, server, status, error
type, retry reason). No query string, email, UUID, API key or token goes into any span name,
attribute or metric.

Nothing here is imported unless telemetry is turned on.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit

from ._bulk import BulkResult, BulkRun, ProgressCallback
from ._hooks import CallInfo, Observer
from ._version import __version__
from .errors import APIStatusError, ConfigurationError

try:
    from opentelemetry import context as otel_context
    from opentelemetry import metrics, trace
    from opentelemetry.trace import Span, SpanKind, Status, StatusCode
except ImportError:  # pragma: no cover - exercised by the "not installed" test with a stub
    trace = None  # type: ignore[assignment]

__all__ = ["Telemetry", "instrument"]

I = TypeVar("I")  # noqa: E741
T = TypeVar("T")

_SCOPE = "piggy_async"


def _require() -> None:
    if trace is None:
        raise ConfigurationError("telemetry needs OpenTelemetry: pip install 'piggy-client[otel]'")


def error_type(error: BaseException | None, outcome: str) -> str | None:
    """The ``error.type`` of a finished call: the error's class name (``NotFoundError``)."""
    if outcome == "cancelled":
        return "cancelled"
    if error is None:
        return None
    return type(error).__name__


class Telemetry:
    """Spans and metrics of one client's calls (see the module docstring)."""

    def __init__(
        self,
        base_url: str,
        *,
        tracer_provider: Any = None,
        meter_provider: Any = None,
    ) -> None:
        _require()
        parts = urlsplit(base_url)
        self.server: dict[str, str | int] = {"server.address": parts.hostname or ""}
        if parts.port is not None:
            self.server["server.port"] = parts.port
        self.tracer = trace.get_tracer(_SCOPE, __version__, tracer_provider=tracer_provider)
        meter = metrics.get_meter(_SCOPE, __version__, meter_provider=meter_provider)
        self.duration = meter.create_histogram(
            "piggy.client.call.duration",
            unit="s",
            description="Duration of Piggy client calls, retries and waits included",
        )
        self.retries = meter.create_counter(
            "piggy.client.retries", unit="{retry}", description="Retries of Piggy calls"
        )

    # -- the call span -------------------------------------------------------------------

    @contextmanager
    def call(self, info: CallInfo) -> Iterator[object]:
        attributes: dict[str, Any] = {
            "piggy.operation": info.operation,
            "http.request.method": info.method,
            "url.template": info.url_template,
            **self.server,
        }
        with self.tracer.start_as_current_span(
            f"piggy {info.operation}",
            kind=SpanKind.INTERNAL,
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            info.span = span
            try:
                yield span
            finally:
                self._finish(info, span, attributes)

    def _finish(self, info: CallInfo, span: Span, attributes: dict[str, Any]) -> None:
        if info.attempt_span is not None:  # cancelled in the middle of an attempt
            self.attempt_ended(info, None, None)
        err = info.error
        kind = error_type(err, info.outcome)
        metric: dict[str, Any] = {
            "piggy.operation": info.operation,
            "http.request.method": info.method,
            "server.address": self.server["server.address"],
        }
        if info.status_code is not None:
            span.set_attribute("http.response.status_code", info.status_code)
            metric["http.response.status_code"] = info.status_code
        span.set_attribute("piggy.retry.count", info.retries)
        span.set_attribute("piggy.outcome_unknown", bool(err is not None and err.outcome_unknown))
        if kind is not None:
            span.set_attribute("error.type", kind)
            metric["error.type"] = kind
            span.set_status(Status(StatusCode.ERROR, kind))
        if isinstance(err, APIStatusError) and err.code is not None:
            span.set_attribute("piggy.error.code", int(err.code))  # a plain int, not ErrorCode
        self.duration.record(time.perf_counter() - info.started, metric)

    # -- attempts and retries ------------------------------------------------------------

    def attempt_started(self, info: CallInfo, attempt: int) -> None:
        attributes: dict[str, Any] = {
            "http.request.method": info.method,
            "url.template": info.url_template,
            **self.server,
        }
        if attempt > 1:
            attributes["http.request.resend_count"] = attempt - 1
        parent = trace.set_span_in_context(info.span) if info.span is not None else None
        info.attempt_span = self.tracer.start_span(
            f"{info.method} {info.url_template}",
            context=parent,
            kind=SpanKind.CLIENT,
            attributes=attributes,
        )

    def attempt_ended(
        self, info: CallInfo, status: int | None, error: BaseException | None
    ) -> None:
        span, info.attempt_span = info.attempt_span, None
        if span is None:
            return
        kind: str | None = None
        if status is not None:
            span.set_attribute("http.response.status_code", status)
            if status >= 400:
                kind = str(status)
        elif error is not None:
            kind = type(error).__name__
        else:
            kind = "cancelled"
        if kind is not None:
            span.set_attribute("error.type", kind)
            span.set_status(Status(StatusCode.ERROR, kind))
        span.end()

    def retry(self, info: CallInfo, attempt: int, reason: str, wait: float) -> None:
        if info.span is not None:
            info.span.add_event(
                "piggy.retry",
                {"piggy.attempt": attempt, "piggy.retry.reason": reason, "piggy.retry.wait": wait},
            )
        self.retries.add(
            1,
            {
                "piggy.operation": info.operation,
                "http.request.method": info.method,
                "piggy.retry.reason": reason,
                "server.address": self.server["server.address"],
            },
        )

    # -- bulk runs -----------------------------------------------------------------------

    def bulk(
        self,
        operation: str,
        func: Callable[[I], Awaitable[T]],
        inputs: Iterable[I] | AsyncIterable[I],
        *,
        concurrency: int,
        on_progress: ProgressCallback | None,
        sleep: Callable[[float], Awaitable[None]],
        **options: Any,
    ) -> BulkRun[I, T]:
        """A bulk run traced as one span whose children are its calls."""
        run: TracedBulkRun[I, T] = TracedBulkRun(
            func, inputs, concurrency=concurrency, on_progress=on_progress, sleep=sleep, **options
        )
        run._telemetry, run._operation = self, operation
        return run


class TracedBulkRun(BulkRun[I, T]):
    """A :class:`BulkRun` with a span from its first result to its end."""

    _telemetry: Telemetry
    _operation: str
    _span: Any = None
    _ended = False

    def _start(self) -> Any:
        attributes: dict[str, Any] = {
            "piggy.operation": self._operation,
            "piggy.bulk.concurrency": self.concurrency,
        }
        if self.total is not None:
            attributes["piggy.bulk.total"] = self.total
        span = self._telemetry.tracer.start_span(
            f"piggy {self._operation}", kind=SpanKind.INTERNAL, attributes=attributes
        )
        self._span = span
        token = otel_context.attach(trace.set_span_in_context(span))
        try:  # the workers are created here: they inherit the span as their parent
            return super()._start()
        finally:
            otel_context.detach(token)

    async def __anext__(self) -> BulkResult[I, T]:
        try:
            return await super().__anext__()
        except StopAsyncIteration:
            self._end(None)
            raise
        except BaseException as exc:
            self._end(exc)
            raise

    async def aclose(self) -> None:
        try:
            await super().aclose()
        finally:
            self._end(None)

    def _end(self, failure: BaseException | None) -> None:
        span = self._span
        if span is None or self._ended:
            return
        self._ended = True
        span.set_attribute("piggy.bulk.done", self.done)
        span.set_attribute("piggy.bulk.errors", self.errors)
        span.set_attribute("piggy.bulk.pushbacks", self.limiter.pushbacks)
        if self.limiter.lowest_rate is not None:  # the slowest pace (req/s) Piggy imposed
            span.set_attribute("piggy.bulk.lowest_rate", self.limiter.lowest_rate)
        if failure is not None:
            kind = type(failure).__name__
            span.set_attribute("error.type", kind)
            span.set_status(Status(StatusCode.ERROR, kind))
        span.end()

    def __del__(self) -> None:
        self._end(None)
        super().__del__()


def instrument(client: Any, *, tracer_provider: Any = None, meter_provider: Any = None) -> Any:
    """Turn on OpenTelemetry spans and metrics for ``client`` (an ``AsyncPiggy`` or a
    ``piggy_sync.Piggy``); returns the client. Without providers the global ones are used.
    ``with_options`` copies made afterwards are traced too."""
    target = getattr(client, "_async", client)
    transport = target._transport
    tracing = Telemetry(
        transport.base_url, tracer_provider=tracer_provider, meter_provider=meter_provider
    )
    old: Observer | None = transport.observer
    hooks = old.hooks if old is not None else ()
    transport.observer = Observer(hooks, tracing, target._resource_names())
    target._copies = None  # with_options copies cached before this: untraced
    return client
