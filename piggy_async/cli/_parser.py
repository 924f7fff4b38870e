"""The ``piggy`` command line: every command and option, with its help text."""

from __future__ import annotations

import argparse

from .._version import __version__

__all__ = ["DEMO_CONCURRENCY", "DEMO_CONTACTS", "FAKE_CONTACTS", "build_parser"]

DEMO_CONTACTS = 3000
DEMO_CONCURRENCY = 32
FAKE_CONTACTS = 20

EPILOG = """\
exit status: 0 done; 1 error (one line on stderr; for a bulk job: a run-wide failure such
as a wrong --api-key, a permission error or an unreachable host); 2 usage error; 3 a bulk
job ran to its end but some lines have no answer (transient failures or bad lines: see the
summary, rerun with --resume --retry-failed); 130 interrupted (Ctrl-C); 141 output pipe
closed (| head); 143 terminated (SIGTERM)."""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {value}")
    return value


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--api-key", help="Piggy API key (default: env PIGGY_API_KEY)")
    common.add_argument("--base-url", help="API base URL (default: env PIGGY_BASE_URL)")
    common.add_argument(
        "--fake",
        action="store_true",
        help=f"run against the embedded fake Piggy server instead ({FAKE_CONTACTS} generated "
        "contacts, the same on every run; `piggy fake-server` lists some of their UUIDs)",
    )
    return common


def _bulk_options(many: argparse.ArgumentParser, what: str) -> None:
    many.add_argument("file", nargs="?", default="-", help="input file (default: stdin)")
    many.add_argument(
        "--output", "-o", metavar="FILE", help="append the JSON Lines to FILE (default: stdout)"
    )
    many.add_argument(
        "--resume",
        action="store_true",
        help="skip the input lines already answered in --output FILE, append the rest",
    )
    many.add_argument(
        "--retry-failed",
        action="store_true",
        help="with --resume: also redo the lines whose answer was a transient failure "
        "(rate limit, server error, connection); not-found answers are kept",
    )
    many.add_argument(
        "--column", metavar="NAME", help=f"the input is CSV with a header row: take the {what}s "
        "from column NAME",
    )  # fmt: skip
    many.add_argument("--dedupe", action="store_true", help=f"look up each {what} only once")
    many.add_argument(
        "--concurrency", type=_positive, default=16, help="lookups in flight at most (default 16)"
    )
    many.add_argument(
        "--max-rate",
        type=_rate,
        metavar="REQ_PER_S",
        help="at most this many requests per second (your key's limit, if you know it)",
    )
    many.add_argument(
        "--unordered",
        action="store_true",
        help="write records as lookups finish, not in input order (each names its line)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``piggy`` command line."""
    parser = argparse.ArgumentParser(
        prog="piggy",
        description="Piggy loyalty platform client (piggy-client).",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"piggy-client {__version__}")
    common = _common()
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="bulk lookup demo on the embedded fake server")
    demo.add_argument(
        "--contacts", type=_positive, default=DEMO_CONTACTS,
        help=f"contacts the fake server holds and the demo looks up (default {DEMO_CONTACTS})",
    )  # fmt: skip
    demo.add_argument(
        "--concurrency", type=_positive, default=DEMO_CONCURRENCY,
        help=f"lookups in flight at most (default {DEMO_CONCURRENCY})",
    )  # fmt: skip

    contacts = sub.add_parser("contacts", help="contact lookups")
    csub = contacts.add_subparsers(dest="action", required=True, metavar="ACTION")
    get = csub.add_parser("get", parents=[common], help="one contact by UUID")
    get.add_argument("uuid", help="the contact's UUID")
    find = csub.add_parser("find", parents=[common], help="one contact by email")
    find.add_argument("email", help="the contact's e-mail address")
    balance = csub.add_parser("balance", parents=[common], help="credit and prepaid balance")
    balance.add_argument("uuid", help="the contact's UUID")
    for name, what in (("get-many", "UUID"), ("find-many", "e-mail address")):
        many = csub.add_parser(
            name,
            parents=[common],
            help=f"one {what} per line in, JSON Lines out",
            epilog=EPILOG,
        )
        _bulk_options(many, what)

    automations = sub.add_parser("automations", help="automations")
    asub = automations.add_subparsers(dest="action", required=True, metavar="ACTION")
    asub.add_parser("list", parents=[common], help="every automation of the account")
    run = asub.add_parser("run", parents=[common], help="run an automation for a contact")
    run.add_argument("--automation", required=True, help="automation UUID")
    run.add_argument("--contact", required=True, help="contact UUID")
    run.add_argument("--data", help="JSON object handed to the run")

    fake = sub.add_parser("fake-server", help="run the fake Piggy server in the foreground")
    fake.add_argument(
        "--port", type=_port, default=8765, help="port on 127.0.0.1 (default 8765; 0: any free)"
    )
    fake.add_argument(
        "--contacts", type=int, default=100, help="generated contacts it holds (default 100)"
    )
    fake.add_argument(
        "--token", default="test-api-key", help="the API key it accepts (default test-api-key)"
    )
    return parser
