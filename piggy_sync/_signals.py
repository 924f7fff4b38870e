"""Whether SIGINT is handled by Python's own handler at the OS level, or by one set from C.

A call on the main thread's loop puts its Ctrl-C guard in place of Python's default SIGINT
handler, and Python's default back afterwards. ``signal.getsignal`` only knows what Python
itself installed: a server that sets its handler from C (uWSGI's workers stop on SIGINT with
its ``end_me``) still reads as ``default_int_handler``, and putting "the default" back would
install Python's handler over the server's (the worker then ignores its master's SIGINT and
is killed after ``worker-reload-mercy``). So before a guard goes in, the handler the OS has
for SIGINT is compared with Python's own: one set from C is left alone, no guard.

Python's handler's address is learned once per process, by installing it (what
``signal.signal`` does) and reading it back; whatever was there before is put back at once,
byte for byte. Each call then reads the OS's handler (one ``sigaction``) and compares.
Without ``sigaction`` (Windows) Python's record is all there is, as before.
"""

from __future__ import annotations

import functools
import signal
import sys
from typing import Any

__all__ = ["C_SIGNAL", "SIGINT", "set_from_c"]

#: The C functions under ``signal`` (whose wrappers convert to enums: 10x the cost, twice
#: per call on the main thread).
C_SIGNAL: Any = sys.modules.get("_signal", signal)  # imported by ``signal`` itself
SIGINT = int(signal.SIGINT)
#: Room for any platform's ``struct sigaction`` (152 bytes on Linux, 16 on macOS) in
#: pointer-sized words, handled as opaque: only its first field, the handler, is compared.
_WORDS = 64


def set_from_c() -> bool:
    """True when SIGINT's handler at the OS level is not Python's own (set from C).
    Main thread only (it may call ``signal.signal``)."""
    learned = _learn()
    if learned is None:
        return False
    sigaction, words, python_handler = learned
    if sigaction(SIGINT, None, words) != 0:
        return False
    return bool(words[0] != python_handler)


@functools.cache  # (once per process)
def _learn() -> tuple[Any, Any, int | None] | None:
    """``(sigaction, a buffer of words, Python's handler's address)``, or None without
    ``sigaction``; SIGINT left as it was."""
    try:
        import ctypes

        sigaction = ctypes.CDLL(None, use_errno=True).sigaction
    except (ImportError, OSError, AttributeError, TypeError):  # (Windows: no sigaction)
        return None
    before = (ctypes.c_void_p * _WORDS)()
    mine = (ctypes.c_void_p * _WORDS)()
    if sigaction(SIGINT, None, before) != 0:
        return None
    previous = C_SIGNAL.getsignal(SIGINT)
    C_SIGNAL.signal(SIGINT, signal.default_int_handler)  # Python's handler at the OS level
    sigaction(SIGINT, None, mine)
    if previous is not None:
        C_SIGNAL.signal(SIGINT, previous)  # Python's record as it was...
    sigaction(SIGINT, before, None)  # ...and the OS's, byte for byte
    return sigaction, (ctypes.c_void_p * _WORDS)(), mine[0]
