"""What the sync runtime needs to know about gevent and eventlet monkey-patching.

Under ``gevent.monkey.patch_all()`` or ``eventlet.monkey_patch()`` a "thread" is a greenlet on
one OS thread, while asyncio keeps its running loop per OS thread: a loop run in a greenlet
would be seen as running by every greenlet (Django then refuses every ORM call). So, when
patching is active, the runtime runs its loop on a real OS thread built from the *original*
primitives (``gevent.monkey.get_original``, ``eventlet.patcher.original``): the real
``start_new_thread`` and locks, the platform's own selector, the original ``getaddrinfo``.
A greenlet waits for its call cooperatively: under gevent on an ``async_`` watcher, under
eventlet on a pipe of its own that its hub watches (``trampoline``) and that the loop thread
writes one byte to with the original ``os.write``; both are safe from another OS thread. A
greenlet killed (or timed out) while it waits cancels its call. Under eventlet the future a
call's outcome travels in holds a real lock too (eventlet's green locks are not safe across
OS threads), and eventlet's asyncio hub, a loop every green thread sees running, is not taken
for a loop the call blocks. Everything here is looked up at call time, not at import time:
the facade may be imported before the patching (``--preload``).
"""

from __future__ import annotations

import _thread
import concurrent.futures
import functools
import importlib
import os
import selectors
import socket
import sys
from collections.abc import Callable
from typing import Any

__all__ = [
    "allocate_lock",
    "future",
    "green_active",
    "is_hub_loop",
    "original_getaddrinfo",
    "selector",
    "start_thread",
    "wait_cooperatively",
]

# Captured at import: if we are imported before patching these are the originals anyway.
_START = _thread.start_new_thread
_ALLOCATE = _thread.allocate_lock
_GETADDRINFO = socket.getaddrinfo
_WRITE = os.write
_READ = os.read
#: eventlet's monkey-patching names its groups, not the modules themselves.
_EVENTLET_GROUP = {
    "_thread": "thread",
    "threading": "thread",
    "socket": "socket",
    "selectors": "select",
    "os": "os",
}


def _gevent_threads() -> bool:
    """Whether gevent's monkey-patching made threads greenlets."""
    monkey = sys.modules.get("gevent.monkey")
    return monkey is not None and bool(monkey.is_module_patched("threading"))


def _eventlet() -> Any:
    """``eventlet.patcher`` when eventlet's thread patching is on, else None."""
    patcher = sys.modules.get("eventlet.patcher")
    if patcher is not None and patcher.is_monkey_patched("thread"):
        return patcher
    return None


def _original(module: str, name: str, fallback: Any) -> Any:
    patcher = sys.modules.get("eventlet.patcher")
    if patcher is not None and patcher.is_monkey_patched(_EVENTLET_GROUP[module]):
        return getattr(patcher.original(module), name)
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None:
        return monkey.get_original(module, name)
    return fallback


def green_active() -> bool:
    """True when threads are greenlets (gevent's or eventlet's monkey-patching)."""
    return _gevent_threads() or _eventlet() is not None


def is_hub_loop(loop: object) -> bool:
    """Whether ``loop`` is eventlet's own hub (its asyncio hub, ``EVENTLET_HUB=asyncio``):
    every green thread sees it running, and a call that waits cooperatively blocks nothing."""
    hubs = sys.modules.get("eventlet.hubs")
    if hubs is None or _eventlet() is None:
        return False
    return getattr(hubs.get_hub(), "loop", None) is loop


def start_thread(target: Callable[[], object]) -> None:
    """Start ``target`` on a real OS thread, even under monkey-patching."""
    _original("_thread", "start_new_thread", _START)(target, ())


def allocate_lock() -> Any:
    """A real OS lock, even under monkey-patching."""
    return _original("_thread", "allocate_lock", _ALLOCATE)()


def future() -> concurrent.futures.Future[Any]:
    """A future that a greenlet and the loop thread both use. Under eventlet its condition
    is made of the original ``threading``: eventlet's green locks are not safe across OS
    threads (a green lock contended from the loop thread leaves it waiting for ever, and the
    release fails with greenlet's "Cannot switch to a different thread").
    Otherwise (gevent included) a plain future, as before."""
    made: concurrent.futures.Future[Any] = concurrent.futures.Future()
    patcher = _eventlet()
    if patcher is not None:
        made._condition = patcher.original("threading").Condition()
    return made


def original_getaddrinfo() -> Callable[..., Any]:
    return _original("socket", "getaddrinfo", _GETADDRINFO)  # type: ignore[no-any-return]


def selector() -> selectors.BaseSelector:
    """The platform's own selector (gevent and eventlet replace ``DefaultSelector``)."""
    patcher = sys.modules.get("eventlet.patcher")
    if patcher is not None and patcher.is_monkey_patched("select"):
        return _eventlet_selectors(patcher).DefaultSelector()  # type: ignore[no-any-return]
    cls = _original("selectors", "DefaultSelector", selectors.DefaultSelector)
    return cls()  # type: ignore[no-any-return]


@functools.cache  # (imported once per process)
def _eventlet_selectors(patcher: Any) -> Any:
    """``selectors`` as the platform has it. eventlet removes ``epoll`` & co. from ``select``
    in place, and its ``original("selectors")`` may have been imported after that (then its
    ``DefaultSelector`` is a ``select()`` one over the green ``select``): import it again,
    privately, with the original ``select`` module in place, as ``original()`` itself does."""
    saver = patcher.SysModulesSaver(("select", "selectors"))
    try:
        sys.modules["select"] = patcher.original("select")
        sys.modules.pop("selectors", None)
        return importlib.import_module("selectors")
    finally:
        saver.restore()


def wait_cooperatively(submit: Callable[[Callable[[], None]], Callable[[], None]]) -> None:
    """Let other greenlets run until the loop thread says it is done.

    ``submit(wake)`` hands the work to the loop thread, which calls ``wake()`` (thread-safe)
    when done; it returns a ``cancel`` function, called if this greenlet is killed.
    """
    if not _gevent_threads() and _eventlet() is not None:
        _wait_eventlet(submit)
        return
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


class _Doorbell:
    """A pipe this greenlet's hub watches; ``ring()`` from any thread writes one byte.

    The greenlet closes both ends when it stops waiting, under a real lock that ``ring``
    takes too: a late ring (the call of a killed greenlet ending) writes nothing, never to a
    descriptor number that was closed and given to someone else since.
    """

    def __init__(self) -> None:
        self.read_fd, self.write_fd = os.pipe()
        os.set_blocking(self.read_fd, False)
        self.lock = allocate_lock()
        self.open = True
        self.write = _original("os", "write", _WRITE)

    def ring(self) -> None:
        with self.lock:
            if self.open:
                self.write(self.write_fd, b"\0")  # one byte into an empty pipe: never blocks

    def close(self) -> None:
        with self.lock:
            self.open = False
            os.close(self.write_fd)
            os.close(self.read_fd)


def _wait_eventlet(submit: Callable[[Callable[[], None]], Callable[[], None]]) -> None:
    hubs = importlib.import_module("eventlet.hubs")  # imported: eventlet has patched us
    read = _original("os", "read", _READ)
    bell = _Doorbell()
    try:
        hubs.notify_opened(bell.read_fd)  # a listener left on a recycled number is dropped
        cancel = submit(bell.ring)
        try:
            while True:
                hubs.trampoline(bell.read_fd, read=True)
                try:
                    if read(bell.read_fd, 1):
                        return
                except BlockingIOError:  # woken for something else: wait again
                    continue
        except BaseException:
            cancel()
            raise
    finally:
        bell.close()
