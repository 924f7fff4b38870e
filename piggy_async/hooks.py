"""The events a client's hooks receive; see :class:`piggy_async.AsyncPiggy` ``hooks=``.

::

    from piggy_async.hooks import CallFinished, Event

    def log_slow(event: Event) -> None:
        if isinstance(event, CallFinished) and event.elapsed > 1.0:
            print(f"slow: {event.operation} {event.elapsed:.1f}s ({event.attempts} attempts)")

    piggy = AsyncPiggy(api_key=..., hooks=[log_slow])
"""

from ._hooks import CallFinished, Event, Hook, RequestSent, ResponseReceived, RetryScheduled

__all__ = ["CallFinished", "Event", "Hook", "RequestSent", "ResponseReceived", "RetryScheduled"]
