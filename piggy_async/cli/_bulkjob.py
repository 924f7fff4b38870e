"""``piggy contacts get-many | find-many``: a bulk lookup job a user can run on 1M lines.

Input lines are cleaned up (see :mod:`._input`), looked up through ``get_many`` /
``find_many`` and written as JSON Lines, flushed line by line. Interrupted (Ctrl-C, SIGTERM),
it writes every lookup already finished, flushes and exits 130 / 143, so ``--resume``
redoes at most the lookups that were in flight. Exit status: 0 every line answered (found
or not found), 3 some lines not answered (transient failures, bad lines), 1 a run-wide
failure (credentials, permission, connection), 2 usage.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from .._bulk import BulkResult, BulkRun
from .._client import AsyncPiggy
from ._input import Cleanup, CLIError, count_lines, numbered_values, open_source
from ._output import Progress, answered_lines, error_object, is_not_found, json_line

__all__ = ["EXIT_SOME_FAILED", "run_bulk_job"]

#: Exit status when the job ran to its end but some lines have no answer.
EXIT_SOME_FAILED = 3


@dataclass
class Tally:
    found: int = 0
    not_found: int = 0
    failed: int = 0
    transient: int = 0  # of the failed: no answer yet (``--retry-failed`` looks them up)


class Job:
    """One bulk job: where its records go and what it counted."""

    def __init__(self, args: argparse.Namespace, out: IO[str], err: IO[str]) -> None:
        self.args = args
        self.err = err
        self.kind = "uuid" if args.action == "get-many" else "email"
        self.cleanup = Cleanup()
        self.tally = Tally()
        self.lines: dict[int, int] = {}  # result index -> input line number
        self._next_index = 0
        self._close_output: IO[str] | None = None
        if args.output is not None:
            try:
                self.out: IO[str] = open(args.output, "a", encoding="utf-8")  # noqa: SIM115
            except OSError as exc:
                raise CLIError(f"cannot write {args.output}: {exc.strerror or exc}") from None
            self._close_output = self.out
        else:
            self.out = out

    def values(self, lines: Any, done: frozenset[int]) -> Iterator[str]:
        """The values to look up (read off the event loop by the bulk run)."""
        for number, value in numbered_values(
            lines,
            kind=self.kind,
            report=self.err,
            cleanup=self.cleanup,
            column=self.args.column,
            dedupe=self.args.dedupe,
            done=done,
        ):
            self.lines[self._next_index] = number
            self._next_index += 1
            yield value

    def write(self, result: BulkResult[str, Any]) -> None:
        record: dict[str, Any] = {"line": self.lines.pop(result.index, None), "input": result.input}
        if result.error is None:
            self.tally.found += 1
            record.update(ok=True, contact=result.value)
        else:
            error = error_object(result.error)
            if is_not_found(result.error):
                self.tally.not_found += 1
            else:
                self.tally.failed += 1
                self.tally.transient += bool(error["retryable"])
            record.update(ok=False, error=error)
        self.out.write(json_line(record) + "\n")
        self.out.flush()

    def summary(self, seconds: float) -> str:
        t, c = self.tally, self.cleanup
        text = (
            f"piggy: {t.found + t.not_found + t.failed} looked up in {seconds:.1f}s: "
            f"{t.found} found, {t.not_found} not found, {t.failed} failed"
        )
        if t.transient and self.args.output:  # (an error Piggy answered stays the answer)
            text += f" ({t.transient} transient: run again with --resume --retry-failed)"
        for count, what in (
            (c.bad, "bad lines skipped"),
            (c.blank, "blank lines skipped"),
            (c.duplicates, "duplicates skipped"),
            (c.resumed, "already answered"),
        ):
            if count:
                text += f"; {count} {what}"
        return text

    def close(self) -> None:
        if self._close_output is not None:
            self._close_output.close()


def _start(
    job: Job, piggy: AsyncPiggy, values: Iterator[str], progress: Progress
) -> BulkRun[str, Any]:
    args = job.args
    options: dict[str, Any] = {
        "concurrency": args.concurrency,
        "on_progress": progress,
        "ordered": not args.unordered,
    }
    if args.action == "get-many":
        return piggy.contacts.get_many(values, **options)
    return piggy.contacts.find_many(values, **options)


async def run_bulk_job(
    args: argparse.Namespace, piggy: AsyncPiggy, stdin: IO[str], out: IO[str], err: IO[str]
) -> int:
    """Run the job to its end (or interruption); returns the exit status."""
    if args.resume and args.output is None:
        raise CLIError("--resume needs --output FILE (the records to resume from)")
    done = answered_lines(args.output, args.retry_failed) if args.resume else frozenset()
    if args.output is None and args.retry_failed:
        raise CLIError("--retry-failed needs --output FILE (the records to retry from)")
    lines, source = open_source(args.file, stdin)
    job = Job(args, out, err)
    progress = Progress(err, count_lines(args.file), args.action, lambda: job.cleanup.skipped)
    started = time.monotonic()
    try:
        run = _start(job, piggy, job.values(lines, done), progress)
        async with run:
            try:
                async for result in run:
                    job.write(result)
            except (asyncio.CancelledError, KeyboardInterrupt):
                for result in run.take_finished():  # keep what is done: --resume skips it
                    job.write(result)
                raise
    finally:
        progress.close()
        job.close()
        if source is not None:
            source.close()
    err.write(job.summary(time.monotonic() - started) + "\n")
    if job.tally.failed or job.cleanup.bad:
        return EXIT_SOME_FAILED
    return 0
