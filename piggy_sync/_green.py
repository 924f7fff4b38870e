"""What the sync runtime needs to know about gevent and eventlet monkey-patching.

Under ``gevent.monkey.patch_all()`` a "thread" is a greenlet on one OS thread, while asyncio
keeps its running loop per OS thread: a loop run in a greenlet would be seen as running by
every greenlet (Django then refuses every ORM call). So, when patching is active, the
runtime runs its loop on a real OS thread built from the *original* primitives, and a
greenlet waits for its call cooperatively (a gevent ``async_`` watcher, which is
thread-safe). Everything here is looked up at call time, not at import time: the facade may
be imported before the patching (``gunicorn -k gevent --preload``).
"""

from __future__ import annotations

import _thread
import importlib
import selectors
import socket
import sys
from collections.abc import Callable
from typing import Any

from piggy_async.errors import ConfigurationError

__all__ = ["allocate_lock", "gevent_active", "original_getaddrinfo", "selector", "start_thread"]

# Captured at import: if we are imported before patching these are the originals anyway.
_START = _thread.start_new_thread
_ALLOCATE = _thread.allocate_lock
_GETADDRINFO = socket.getaddrinfo


def _original(module: str, name: str, fallback: Any) -> Any:
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None:
        return monkey.get_original(module, name)
    return fallback


def gevent_active() -> bool:
    """True when threads are greenlets (gevent); a clear error under eventlet's patching."""
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("threading"):
        return True
    patcher = sys.modules.get("eventlet.patcher")
    if patcher is not None and patcher.is_monkey_patched("thread"):
        raise ConfigurationError(
            "piggy_sync does not run under eventlet's monkey-patching: use gevent "
            "(gunicorn -k gevent), a thread-based worker, or the async client piggy_async"
        )
    return False


def start_thread(target: Callable[[], object]) -> None:
    """Start ``target`` on a real OS thread, even under monkey-patching."""
    _original("_thread", "start_new_thread", _START)(target, ())


def allocate_lock() -> Any:
    """A real OS lock, even under monkey-patching."""
    return _original("_thread", "allocate_lock", _ALLOCATE)()


def original_getaddrinfo() -> Callable[..., Any]:
    return _original("socket", "getaddrinfo", _GETADDRINFO)  # type: ignore[no-any-return]


def selector() -> selectors.BaseSelector:
    """The platform's own selector (gevent replaces ``selectors.DefaultSelector``)."""
    cls = _original("selectors", "DefaultSelector", selectors.DefaultSelector)
    return cls()  # type: ignore[no-any-return]


def wait_cooperatively(submit: Callable[[Callable[[], None]], Callable[[], None]]) -> None:
    """Let other greenlets run until the loop thread says it is done.

    ``submit(wake)`` hands the work to the loop thread, which calls ``wake()`` (thread-safe)
    when done; it returns a ``cancel`` function, called if this greenlet is killed.
    """
    gevent_hub = importlib.import_module("gevent.hub")  # imported: gevent has patched us
    hub = gevent_hub.get_hub()
    watcher = hub.loop.async_()
    waiter = gevent_hub.Waiter()
    watcher.start(waiter.switch, None)  # started before submit: no lost wake-up
    try:
        cancel = submit(watcher.send)
        try:
            waiter.get()
        except BaseException:
            cancel()
            raise
    finally:
        watcher.stop()
        watcher.close()
