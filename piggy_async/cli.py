"""The ``piggy`` command: a demo on the embedded fake server, real calls, bulk lookups.

::

    piggy demo [--contacts N] [--concurrency C]
    piggy contacts get UUID | find EMAIL | balance UUID
    piggy contacts get-many [FILE|-] | find-many [FILE|-]      (JSON Lines out, in order)
    piggy automations list | run --automation UUID --contact UUID [--data JSON]
    piggy fake-server [--port P] [--contacts N] [--token T]

Credentials come from ``PIGGY_API_KEY`` / ``PIGGY_BASE_URL`` (or ``--api-key`` /
``--base-url``); ``--fake`` runs the command against the embedded fake server instead.
Machine-readable output goes to stdout; progress and errors to stderr. Errors print one
line and exit 1 (2 for usage errors, 130 on Ctrl-C).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import IO, Any

import msgspec

from . import _config
from ._bulk import BulkResult, BulkRun
from ._client import AsyncPiggy
from ._version import __version__
from .errors import APIStatusError, PiggyError
from .testing import FakePiggy

__all__ = ["main"]

DEMO_CONTACTS = 3000
DEMO_CONCURRENCY = 32
FAKE_CONTACTS = 20


class CLIError(Exception):
    """A problem to report as one line on stderr (exit 1)."""


_encoder = msgspec.json.Encoder()


def _json_line(value: Any) -> str:
    return _encoder.encode(value).decode()


def error_object(error: BaseException) -> dict[str, Any]:
    """The JSON shape of a failed item: type, message, and Piggy's status/code if known."""
    out: dict[str, Any] = {"type": type(error).__name__, "message": str(error)}
    if isinstance(error, APIStatusError):
        out.update(status=error.status_code, code=error.code, message=error.message)
        if error.errors:
            out["errors"] = error.errors
    return out


def result_line(result: BulkResult[str, Any], key: str) -> str:
    """One JSON Lines record of a bulk result."""
    if result.error is None:
        return _json_line({"input": result.input, "ok": True, key: result.value})
    return _json_line({"input": result.input, "ok": False, "error": error_object(result.error)})


# -- plumbing ------------------------------------------------------------------------------


class Progress:
    """A tqdm bar on stderr when it is a terminal; nothing otherwise."""

    def __init__(self, stream: IO[str], total: int | None, desc: str) -> None:
        self._bar: Any = None
        if stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=desc, unit=" req", file=stream, leave=False)
        self._shown = 0

    def __call__(self, done: int, total: int | None, errors: int) -> None:
        if self._bar is not None:
            self._bar.update(done - self._shown)
            self._shown = done
            if errors:
                self._bar.set_postfix(errors=errors, refresh=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _read_lines(source: str, stdin: IO[str]) -> Iterator[str]:
    """Non-empty stripped lines of FILE, or of stdin for ``-``; lazily."""
    if source == "-":
        stream: IO[str] = stdin
        close = False
    else:
        try:
            stream = open(source, encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise CLIError(f"cannot read {source}: {exc.strerror or exc}") from None
        close = True
    try:
        for line in stream:
            text = line.strip()
            if text:
                yield text
    except UnicodeDecodeError:
        raise CLIError(f"{source} is not UTF-8 text") from None
    finally:
        if close:
            stream.close()


@contextlib.asynccontextmanager
async def _client(args: argparse.Namespace) -> AsyncIterator[AsyncPiggy]:
    if args.fake:
        fake = FakePiggy(contacts=FAKE_CONTACTS, transactions=5)
        async with fake, fake.client() as piggy:
            yield piggy
        return
    api_key = args.api_key or os.environ.get(_config.ENV_API_KEY)
    base_url = args.base_url or os.environ.get(_config.ENV_BASE_URL)
    kwargs: dict[str, Any] = {"base_url": base_url}
    if api_key:
        kwargs["api_key"] = api_key
    async with AsyncPiggy(**kwargs) as piggy:
        yield piggy


# -- commands ------------------------------------------------------------------------------


async def cmd_demo(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    started = time.perf_counter()
    async with FakePiggy(contacts=args.contacts, seed=1) as fake:
        uuids = list(fake.store.contacts)
        # A few unknown UUIDs show how per-item errors come back without stopping the run.
        for i in range(0, len(uuids), 500):
            uuids.insert(i, f"unknown-contact-{i}")
        body_bytes = sum(len(fake.store.encoded_contact(u)) for u in fake.store.contacts)
        ready = time.perf_counter()
        err.write(
            f"fake Piggy at {fake.base_url} with {args.contacts} contacts "
            f"(ready in {ready - started:.2f}s)\n"
        )
        progress = Progress(err, len(uuids), "get_many")
        fetched = errors = 0
        attributes = 0
        t0 = time.perf_counter()
        async with fake.client() as piggy:
            async for result in piggy.contacts.get_many(
                uuids, concurrency=args.concurrency, on_progress=progress
            ):
                if result.value is not None:
                    fetched += 1
                    attributes += len(result.value.attributes)
                else:
                    errors += 1
        elapsed = time.perf_counter() - t0
        progress.close()
    rate = len(uuids) / elapsed if elapsed else 0.0
    out.write(
        "piggy demo: bulk lookup through piggy-client against the embedded fake server\n"
        f"  contacts fetched   {fetched}\n"
        f"  errors             {errors} (unknown UUIDs, as ContactNotFoundError results)\n"
        f"  attributes decoded {attributes}\n"
        f"  wall time          {elapsed:.2f} s\n"
        f"  requests/second    {rate:,.0f}\n"
        f"  MB decoded         {body_bytes / 1e6:.1f}\n"
        f"  concurrency        {args.concurrency}\n"
        f"  (client and server share one process and one event loop:"
        f" {platform.python_implementation()} {platform.python_version()})\n"
    )
    return 0


async def cmd_contacts(args: argparse.Namespace, out: IO[str], err: IO[str], stdin: IO[str]) -> int:
    async with _client(args) as piggy:
        action = args.action
        if action == "get":
            out.write(_json_line(await piggy.contacts.get(args.uuid)) + "\n")
        elif action == "find":
            out.write(_json_line(await piggy.contacts.find_one_by(email=args.email)) + "\n")
        elif action == "balance":
            credit = await piggy.contacts.get_credit_balance(args.uuid)
            prepaid = await piggy.contacts.get_prepaid_balance(args.uuid)
            out.write(_json_line({"credit": credit, "prepaid": prepaid}) + "\n")
        else:
            lines = _read_lines(args.file, stdin)
            progress = Progress(err, None, action)
            run: BulkRun[str, Any]
            if action == "get-many":
                run = piggy.contacts.get_many(
                    lines, concurrency=args.concurrency, on_progress=progress
                )
            else:
                run = piggy.contacts.find_many(
                    lines, concurrency=args.concurrency, on_progress=progress
                )
            failed = 0
            async with run:
                async for result in run:
                    failed += not result.ok
                    out.write(result_line(result, "contact") + "\n")
            progress.close()
            if failed:
                err.write(f"piggy: {failed} of {run.done} lookups failed (see the JSON lines)\n")
    return 0


async def cmd_automations(
    args: argparse.Namespace, out: IO[str], err: IO[str], stdin: IO[str]
) -> int:
    data: Any = None
    if args.action == "run" and args.data is not None:
        try:
            data = msgspec.json.decode(args.data)
        except msgspec.DecodeError as exc:
            raise CLIError(f"--data is not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise CLIError("--data must be a JSON object")
    async with _client(args) as piggy:
        if args.action == "list":
            for automation in await piggy.automations.list():
                out.write(_json_line(automation) + "\n")
        else:
            await piggy.automations.create_run(
                automation_uuid=args.automation, contact_uuid=args.contact, data=data
            )
            out.write(_json_line({"ok": True}) + "\n")
    return 0


async def cmd_fake_server(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    fake = FakePiggy(contacts=args.contacts, transactions=5, port=args.port, token=args.token)
    async with fake:
        sample = list(fake.store.contacts)[:3]
        out.write(
            f"fake Piggy listening: base_url {fake.base_url}\n"
            f"  api key (token)  {fake.token}\n"
            f"  OAuth client     {fake.client_id} / {fake.client_secret}\n"
            f"  contacts         {len(fake.store.contacts)} (e.g. {', '.join(sample)})\n"
            f"  try: PIGGY_BASE_URL={fake.base_url} PIGGY_API_KEY={fake.token} "
            f"piggy contacts get {sample[0] if sample else 'UUID'}\n"
            "Ctrl-C stops it.\n"
        )
        out.flush()
        await asyncio.Event().wait()
    return 0  # pragma: no cover - only left through Ctrl-C


# -- argument parsing ------------------------------------------------------------------------


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The ``piggy`` command line."""
    parser = argparse.ArgumentParser(
        prog="piggy", description="Piggy loyalty platform client (piggy-client)."
    )
    parser.add_argument("--version", action="version", version=f"piggy-client {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--api-key", help="Piggy API key (default: env PIGGY_API_KEY)")
    common.add_argument("--base-url", help="API base URL (default: env PIGGY_BASE_URL)")
    common.add_argument(
        "--fake", action="store_true", help="run against the embedded fake Piggy server"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="bulk lookup demo on the embedded fake server")
    demo.add_argument("--contacts", type=_positive, default=DEMO_CONTACTS)
    demo.add_argument("--concurrency", type=_positive, default=DEMO_CONCURRENCY)

    contacts = sub.add_parser("contacts", help="contact lookups")
    csub = contacts.add_subparsers(dest="action", required=True, metavar="ACTION")
    get = csub.add_parser("get", parents=[common], help="one contact by UUID")
    get.add_argument("uuid")
    find = csub.add_parser("find", parents=[common], help="one contact by email")
    find.add_argument("email")
    balance = csub.add_parser("balance", parents=[common], help="credit and prepaid balance")
    balance.add_argument("uuid")
    for name, what in (("get-many", "UUID"), ("find-many", "email")):
        many = csub.add_parser(
            name, parents=[common], help=f"one {what} per line in, JSON Lines out, in order"
        )
        many.add_argument("file", nargs="?", default="-", help="input file (default: stdin)")
        many.add_argument("--concurrency", type=_positive, default=16)

    automations = sub.add_parser("automations", help="automations")
    asub = automations.add_subparsers(dest="action", required=True, metavar="ACTION")
    asub.add_parser("list", parents=[common], help="every automation of the account")
    run = asub.add_parser("run", parents=[common], help="run an automation for a contact")
    run.add_argument("--automation", required=True, help="automation UUID")
    run.add_argument("--contact", required=True, help="contact UUID")
    run.add_argument("--data", help="JSON object handed to the run")

    fake = sub.add_parser("fake-server", help="run the fake Piggy server in the foreground")
    fake.add_argument("--port", type=_port, default=8765)
    fake.add_argument("--contacts", type=int, default=100)
    fake.add_argument("--token", default="test-api-key")
    return parser


async def _dispatch(args: argparse.Namespace, stdin: IO[str], out: IO[str], err: IO[str]) -> int:
    if args.command == "demo":
        return await cmd_demo(args, out, err)
    if args.command == "contacts":
        return await cmd_contacts(args, out, err, stdin)
    if args.command == "automations":
        return await cmd_automations(args, out, err, stdin)
    return await cmd_fake_server(args, out, err)


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
        return runner(_dispatch(args, stdin, out, err))
    except KeyboardInterrupt:
        err.write("piggy: interrupted\n")
        return 130
    except (CLIError, PiggyError) as exc:
        err.write(f"piggy: error: {_one_line(exc)}\n")
        return 1
    except BrokenPipeError:  # e.g. `piggy contacts get-many | head`
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 1


def main_entry() -> None:
    """Console-script entry point: ``sys.exit(main())``."""
    sys.exit(main())


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


if __name__ == "__main__":  # pragma: no cover
    main_entry()
