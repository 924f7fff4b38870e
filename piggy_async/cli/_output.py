"""The output of a bulk job (JSON Lines, one record per looked-up line) and its progress.

Each record names the input line it answers: ``{"line": 7, "input": "...", "ok": true,
"contact": {...}}`` or ``{"line": 7, "input": "...", "ok": false, "error": {...}}``; an
error carries ``retryable: true`` when it was transient (rate limit, 5xx, connection), which
is what ``--retry-failed`` looks for. ``--resume`` reads the records already in the output file.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import IO, Any

import msgspec

from .._bulk_limits import classify
from ..errors import APIStatusError, NotFoundError, PiggyError
from ._input import CLIError

__all__ = ["PLAIN_PROGRESS_EVERY", "Progress", "answered_lines", "error_object", "json_line"]

#: Seconds between two progress lines when stderr is not a terminal.
PLAIN_PROGRESS_EVERY = 10.0

_encoder = msgspec.json.Encoder()


def json_line(value: Any) -> str:
    return _encoder.encode(value).decode()


def error_object(error: BaseException) -> dict[str, Any]:
    """The JSON shape of a failed item: type, message, Piggy's status/code if known, and
    whether it was transient (``retryable``)."""
    out: dict[str, Any] = {"type": type(error).__name__, "message": str(error)}
    if isinstance(error, APIStatusError):
        out.update(status=error.status_code, code=error.code, message=error.message)
        if error.errors:
            out["errors"] = error.errors
    transient = isinstance(error, PiggyError) and classify(error) in ("retry", "pushback")
    out["retryable"] = transient
    return out


def is_not_found(error: BaseException | None) -> bool:
    return isinstance(error, NotFoundError)


def answered_lines(path: str, retry_failed: bool) -> frozenset[int]:
    """The input lines the output file already answers (their last record counts): with
    ``retry_failed``, a transient failure does not count as answered. A last line cut off
    mid-write (the job was killed) is removed from the file."""
    try:
        with open(path, "rb+") as stream:
            data = stream.read()
            end = data.rfind(b"\n") + 1
            if end < len(data):  # a partial record at the end: drop it
                stream.truncate(end)
    except FileNotFoundError:
        return frozenset()
    except OSError as exc:
        raise CLIError(f"cannot resume from {path}: {exc.strerror or exc}") from None
    last: dict[int, bool] = {}
    for number, raw in enumerate(data[:end].splitlines(), 1):
        try:
            record = msgspec.json.decode(raw)
            line = record["line"]
            done = bool(record["ok"]) or not (retry_failed and record["error"]["retryable"])
        except (msgspec.DecodeError, KeyError, TypeError):
            raise CLIError(f"{path} line {number} is not a record of this command") from None
        last[int(line)] = done
    return frozenset(line for line, done in last.items() if done)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """A tqdm bar with total and ETA on a terminal; otherwise a plain line every
    ``PLAIN_PROGRESS_EVERY`` seconds (``piggy: 1200/3000 done, 2 failed, 198/s, ETA 9s``)."""

    def __init__(
        self,
        stream: IO[str],
        total: int | None,
        desc: str,
        skipped: Callable[[], int] = lambda: 0,
    ) -> None:
        self._skipped = skipped  # input lines handled without a lookup (count toward total)
        self._stream = stream
        self._bar: Any = None
        self.total = total
        self._started = self._last = time.monotonic()
        if stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=desc, unit=" req", file=stream, leave=False)
        self._shown = 0
        self.done = self.errors = 0

    def __call__(self, done: int, total: int | None, errors: int) -> None:
        self.done, self.errors = done + self._skipped(), errors
        if self._bar is not None:
            self._bar.update(self.done - self._shown)
            self._shown = self.done
            if errors:
                self._bar.set_postfix(errors=errors, refresh=False)
            return
        now = time.monotonic()
        if now - self._last >= PLAIN_PROGRESS_EVERY:
            self._last = now
            self._stream.write(self.line(now) + "\n")
            self._stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self._started, 1e-9)
        rate = self.done / elapsed
        text = f"piggy: {self.done}" + (f"/{self.total}" if self.total else "") + " done"
        text += f", {self.errors} failed, {rate:,.0f}/s"
        if self.total and rate > 0:
            text += f", ETA {_duration(max(0, self.total - self.done) / rate)}"
        return text

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def quiet_broken_pipe() -> None:
    """After ``| head`` closed stdout: point stdout at devnull so the flush at exit is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - kept open until exit
