"""The ``piggy`` command: a demo on the embedded fake server, real calls, bulk lookups.

::

    piggy demo [--contacts N] [--concurrency C]
    piggy contacts get UUID | find EMAIL | balance UUID
    piggy contacts get-many [FILE|-] | find-many [FILE|-]   (JSON Lines out; see --help)
    piggy automations list | run --automation UUID --contact UUID [--data JSON]
    piggy fake-server [--port P] [--contacts N] [--token T]

Credentials come from ``PIGGY_API_KEY`` / ``PIGGY_BASE_URL`` (or ``--api-key`` /
``--base-url``); ``--fake`` runs the command against the embedded fake server instead.
Machine-readable output goes to stdout; progress and errors to stderr. Exit status: 0 done,
1 error (one line on stderr), 2 usage, 3 a bulk job left some lines unanswered, 130 Ctrl-C,
141 output pipe closed, 143 SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable, Sequence
from typing import IO, Any

from ..errors import ConfigurationError, PiggyError
from ._bulkjob import EXIT_SOME_FAILED
from ._commands import cmd_automations, cmd_contacts, cmd_demo, cmd_fake_server
from ._input import CLIError, DaemonThreads
from ._output import quiet_broken_pipe
from ._parser import DEMO_CONCURRENCY, DEMO_CONTACTS, FAKE_CONTACTS, build_parser

__all__ = [
    "DEMO_CONCURRENCY",
    "DEMO_CONTACTS",
    "EXIT_SOME_FAILED",
    "FAKE_CONTACTS",
    "CLIError",
    "build_parser",
    "main",
    "main_entry",
]

EXIT_ERROR, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE, EXIT_TERMINATED = 1, 130, 141, 143


class Terminated(Exception):
    """SIGTERM arrived: the command stopped like on Ctrl-C (output flushed)."""


class Interrupted(Exception):
    """SIGINT (Ctrl-C) arrived while the loop ran: the command stopped (output flushed)."""


async def _dispatch(args: argparse.Namespace, stdin: IO[str], out: IO[str], err: IO[str]) -> int:
    if args.command == "demo":
        return await cmd_demo(args, out, err)
    if args.command == "contacts":
        return await cmd_contacts(args, out, err, stdin)
    if args.command == "automations":
        return await cmd_automations(args, out, err, stdin)
    return await cmd_fake_server(args, out, err)


async def _guarded(args: argparse.Namespace, stdin: IO[str], out: IO[str], err: IO[str]) -> int:
    """Run the command; SIGINT and SIGTERM cancel it (then ``Interrupted`` / ``Terminated``).

    Both are handled on the loop, on every Python: on 3.10 ``asyncio.run`` leaves SIGINT to
    Python's default handler, which raises ``KeyboardInterrupt`` wherever the main thread is,
    and inside aiohttp's ``data_received`` that is caught as a broken response (the lookup is
    retried and the job runs on). A second Ctrl-C gets the default handler back.
    """
    loop = asyncio.get_running_loop()
    loop.set_default_executor(DaemonThreads())  # a read of an idle pipe holds no exit
    task = asyncio.current_task()
    received: list[int] = []

    def on_signal(signum: int) -> None:
        received.append(signum)
        if signum == signal.SIGINT:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signal.SIGINT)  # a second Ctrl-C: KeyboardInterrupt
        if task is not None:
            task.cancel()

    installed: list[signal.Signals] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError, AttributeError):
            loop.add_signal_handler(signum, on_signal, signum)
            installed.append(signum)
    try:
        return await _dispatch(args, stdin, out, err)
    except asyncio.CancelledError:
        if signal.SIGTERM in received:
            raise Terminated from None
        if received:
            raise Interrupted from None
        raise
    finally:
        for signum in installed:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)
        with contextlib.suppress(OSError, ValueError):
            out.flush()


def _cli_words(text: str) -> str:
    """A client error in the words of the command line (``--api-key``, not ``api_key=``)."""
    for name, option in (("api_key", "--api-key"), ("base_url", "--base-url")):
        text = text.replace(f"{name}=...", option).replace(f"{name}=", option + " ")
        text = text.replace(name, option)
    return text


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    runner: Callable[[Any], int] = asyncio.run,
) -> int:
    """Run the ``piggy`` command; returns the exit code."""
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return runner(_guarded(args, stdin, out, err))
    except (KeyboardInterrupt, Interrupted):
        err.write("piggy: interrupted\n")
        return EXIT_INTERRUPTED
    except Terminated:
        err.write("piggy: terminated\n")
        return EXIT_TERMINATED
    except ConfigurationError as exc:
        err.write(f"piggy: error: {_cli_words(_one_line(exc))}\n")
        return EXIT_ERROR
    except (CLIError, PiggyError) as exc:
        err.write(f"piggy: error: {_one_line(exc)}\n")
        return EXIT_ERROR
    except BrokenPipeError:  # e.g. `piggy contacts get-many | head`: quietly, like any tool
        quiet_broken_pipe()
        return EXIT_BROKEN_PIPE


def main_entry() -> None:
    """Console-script entry point: ``sys.exit(main())``."""
    sys.exit(main())


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
