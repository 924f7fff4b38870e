"""The input of a bulk job: numbered lines, cleaned up before any request is spent.

Lines are read as bytes and decoded one at a time, so a line that is not UTF-8 is reported
with its number and skipped (the lines after it still run). A UTF-8 BOM is dropped, blank
lines and duplicates (``--dedupe``) are counted and skipped, and each value's shape (a UUID,
an e-mail address) is checked before it can cost a rate-limited request. ``--column`` reads
CSV with a header row and takes that column.
"""

from __future__ import annotations

import concurrent.futures
import csv
import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from .._validate import check_email
from ..errors import InvalidArgumentError

__all__ = [
    "CLIError",
    "Cleanup",
    "DaemonThreads",
    "count_lines",
    "fd_lines",
    "numbered_values",
    "open_source",
]

UUID_SHAPE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
BOM = "\ufeff"


class CLIError(Exception):
    """A problem to report as one line on stderr (exit 1)."""


class DaemonThreads(concurrent.futures.ThreadPoolExecutor):
    """The command's default executor (the input's reads, DNS lookups): each job on a daemon
    thread of its own. A read of a pipe that stays open and idle then holds neither the
    loop's shutdown nor the exit after Ctrl-C or SIGTERM, as a ``ThreadPoolExecutor``
    thread would (both wait for it to return). Its own pool threads never start."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()

        def job() -> None:
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn(*args, **kwargs))
                except BaseException as exc:  # handed to whoever waits on the future
                    future.set_exception(exc)

        threading.Thread(target=job, name="piggy-cli", daemon=True).start()
        return future


@dataclass
class Cleanup:
    """What the input cleanup skipped (updated as the input is read)."""

    blank: int = 0
    bad: int = 0
    duplicates: int = 0
    resumed: int = 0  # already answered in the output file
    seen: set[str] = field(default_factory=set)

    @property
    def skipped(self) -> int:
        return self.blank + self.bad + self.duplicates + self.resumed


def open_source(source: str, stdin: IO[str]) -> tuple[Iterable[bytes | str], IO[bytes] | None]:
    """The lines of FILE (bytes), or of stdin for ``-``; and the file to close, if any."""
    if source == "-":
        try:
            return fd_lines(stdin.fileno()), None
        except (AttributeError, OSError, ValueError):  # no file descriptor (io.StringIO)
            buffer = getattr(stdin, "buffer", None)
            return (buffer if buffer is not None else stdin), None
    try:
        stream = open(source, "rb")  # noqa: SIM115 - the caller closes it
    except OSError as exc:
        raise CLIError(f"cannot read {source}: {exc.strerror or exc}") from None
    return stream, stream


def fd_lines(fd: int, size: int = 1 << 16) -> Iterator[bytes]:
    """The lines of a file descriptor (each with its ``\\n``, the last one maybe without),
    read with ``os.read``: a thread left waiting in a read of an idle pipe holds no lock of
    a buffered reader, which would abort the interpreter's exit ("could not acquire lock
    for <stdin> at interpreter shutdown")."""
    pending: list[bytes] = []
    while chunk := os.read(fd, size):
        lines = chunk.split(b"\n")
        if len(lines) == 1:
            pending.append(chunk)
            continue
        pending.append(lines[0])
        yield b"".join(pending) + b"\n"
        for line in lines[1:-1]:
            yield line + b"\n"
        pending = [lines[-1]] if lines[-1] else []
    if pending:
        yield b"".join(pending)


def count_lines(source: str) -> int | None:
    """How many lines FILE has (None for stdin or an unreadable file): for progress."""
    if source == "-":
        return None
    count, last = 0, b"\n"
    try:
        with open(source, "rb") as stream:
            while chunk := stream.read(1 << 20):
                count += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return None
    return count + (last != b"\n")


def _decoded(
    lines: Iterable[bytes | str], report: IO[str], cleanup: Cleanup
) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line that decodes; the others reported and skipped."""
    for number, raw in enumerate(lines, 1):
        if isinstance(raw, bytes):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                cleanup.bad += 1
                report.write(
                    f"piggy: line {number}: not UTF-8 text (byte {exc.start + 1}), skipped\n"
                )
                continue
        else:
            text = raw
        if number == 1 and text.startswith(BOM):
            text = text[1:]
        yield number, text.rstrip("\r\n")


def _csv_column(lines: Iterator[tuple[int, str]], column: str) -> Iterator[tuple[int, str]]:
    """(line number, value of ``column``) per CSV row; the first row is the header."""
    numbers: list[int] = []

    def texts() -> Iterator[str]:
        for number, text in lines:
            numbers.append(number)
            yield text

    reader = csv.reader(texts())
    header = next(reader, None)
    if header is None:
        return
    names = [name.strip() for name in header]
    if column not in names:
        raise CLIError(f"--column {column!r} is not in the CSV header ({', '.join(names)})")
    index = names.index(column)
    for row in reader:
        first = numbers[-1] if numbers else 0
        numbers.clear()
        yield first, row[index] if index < len(row) else ""


def check_shape(value: str, kind: str) -> str | None:
    """Why ``value`` cannot be a contact UUID / e-mail address (None: it can)."""
    if kind == "uuid":
        return None if UUID_SHAPE.fullmatch(value) else "not a UUID"
    try:
        check_email(value)
    except InvalidArgumentError:
        return "not an e-mail address"
    return None


def numbered_values(
    lines: Iterable[bytes | str],
    *,
    kind: str,
    report: IO[str],
    cleanup: Cleanup,
    column: str | None = None,
    dedupe: bool = False,
    done: frozenset[int] = frozenset(),
) -> Iterator[tuple[int, str]]:
    """(line number, value) for every line worth a request, in input order."""
    rows = _decoded(lines, report, cleanup)
    if column is not None:
        rows = _csv_column(rows, column)
    for number, text in rows:
        value = text.strip()
        if not value:
            cleanup.blank += 1
            continue
        if number in done:
            cleanup.resumed += 1
            if dedupe:  # answered already: its duplicates further down are not looked up
                cleanup.seen.add(value.lower())
            continue
        problem = check_shape(value, kind)
        if problem is not None:
            cleanup.bad += 1  # (the value is not echoed: it may be personal data)
            report.write(f"piggy: line {number}: {problem}, skipped\n")
            continue
        if dedupe:
            key = value.lower()
            if key in cleanup.seen:
                cleanup.duplicates += 1
                continue
            cleanup.seen.add(key)
        yield number, value
