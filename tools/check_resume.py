"""Interrupt a ``piggy contacts get-many`` job and resume it: is every line answered once,
and are at most ``--concurrency`` lookups redone? (issue 20, "How it is checked")

Per case (one signal, one interrupt point): starts the independent model Piggy of
``tests/ratelimited_server.py`` on 127.0.0.1 (no rate limit, a few ms per request; it
records the contact UUID of every request), writes ``--lines`` contact UUIDs, runs the real
CLI as a user would (``python -m piggy_async contacts get-many IN -o OUT --concurrency C``),
sends it SIGTERM or SIGINT once the server has seen a random share of the lookups, checks
its exit status (143 / 130, as ``piggy --help`` documents), then reruns it with ``--resume``
until it exits 0. Then it checks the output file: exactly one record per input line, each
the right contact; the interrupted run's records in input order up to the lookups that
were finished at the signal, the resumed run's records in input order; the resumed run
looked up only the lines left unanswered, each once; and the UUIDs the server saw more
than once number at most ``--concurrency``. Prints one table row per case; exits 1 if a
case fails, 2 on overrun of ``--timeout`` (the CLI is killed).

    python tools/check_resume.py --lines 100000 --concurrency 16 --signals TERM,INT
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.ratelimited_server import API_KEY, RateLimitedPiggy, Seen, TokenBucket

#: The exit status ``piggy`` documents for each signal (``piggy --help``, docs/cli.md).
EXPECTED_EXIT = {"TERM": 143, "INT": 130}
#: --resume reruns before a case is called failed (each exits 0 unless lines failed).
MAX_RESUMES = 3


class Overrun(Exception):
    """The --timeout ran out (the CLI was killed)."""


@dataclass
class Case:
    """One interrupted job and its resume, as measured."""

    signal: str
    lines: int
    at: int  # lookups the server had seen when the signal was sent
    concurrency: int
    exit_code: int | None = None
    written: int = 0  # records the interrupted run left in the output file
    written_resumed: int = 0  # records in the file after the first --resume run
    redone: int = 0  # contacts Piggy answered in the interrupted run, asked again on resume
    resent: int = 0  # contacts the interrupted run sent, sent again on resume (429s, 5xx too)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass
class Setup:
    """What every case shares: the input, the options, the deadline."""

    uuids: list[str]
    source: Path
    workdir: Path
    concurrency: int
    latency: tuple[float, float]
    body_bytes: int
    rate: tuple[float, int] | None  # token bucket (req/s, burst) of the model, if any
    error_rate: float
    deadline: float

    @property
    def strict(self) -> bool:
        """No 429s nor 5xx: every lookup is answered at the first attempt."""
        return self.rate is None and self.error_rate == 0

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Overrun
        return left


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PIGGY_")}


async def _start_cli(
    setup: Setup, server: RateLimitedPiggy, output: Path, log: Path, *extra: str
) -> asyncio.subprocess.Process:
    argv = [sys.executable, "-m", "piggy_async", "contacts", "get-many", str(setup.source)]
    argv += ["-o", str(output), "--concurrency", str(setup.concurrency)]
    argv += ["--api-key", API_KEY, "--base-url", server.base_url, *extra]
    err = log.open("ab")  # (the child holds its own copy of the descriptor)
    try:
        return await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=err,
            env=_env(),
        )
    finally:
        err.close()


async def _wait(setup: Setup, proc: asyncio.subprocess.Process) -> int:
    """The exit status, or kill the CLI and raise Overrun when the deadline passes."""
    try:
        return await asyncio.wait_for(proc.wait(), setup.remaining())
    except (asyncio.TimeoutError, Overrun):
        proc.kill()
        await proc.wait()
        raise Overrun from None


async def _interrupted_run(
    setup: Setup, server: RateLimitedPiggy, case: Case, output: Path, log: Path
) -> None:
    proc = await _start_cli(setup, server, output, log)
    while len(server.seen) < case.at and proc.returncode is None:
        setup.remaining()
        await asyncio.sleep(0.002)  # polls the server's count (bounded by the deadline)
    if proc.returncode is None:
        proc.send_signal(getattr(signal, "SIG" + case.signal))
        case.at = len(server.seen)
    case.exit_code = await _wait(setup, proc)
    if case.exit_code != EXPECTED_EXIT[case.signal]:
        case.problems.append(f"exit {case.exit_code}, expected {EXPECTED_EXIT[case.signal]}")


async def _resume(
    setup: Setup, server: RateLimitedPiggy, case: Case, output: Path, log: Path
) -> None:
    # A transient failure the interrupted run wrote is redone too when Piggy can fail.
    extra = ["--resume"] if setup.strict else ["--resume", "--retry-failed"]
    for _ in range(MAX_RESUMES):
        proc = await _start_cli(setup, server, output, log, *extra)
        code = await _wait(setup, proc)
        if not case.written_resumed:
            case.written_resumed = len(_records(output))
        if code == 0:
            return
        if code != 3:  # 3: some lines failed (transient): again, retrying those
            case.problems.append(f"--resume exited {code}")
            return
        extra = ["--resume", "--retry-failed"]
    case.problems.append(f"not done after {MAX_RESUMES} --resume runs")


def _records(output: Path) -> list[dict[str, Any]]:
    if not output.exists():
        return []
    with open(output, encoding="utf-8") as stream:  # (a line cut off by a kill: not one)
        return [json.loads(line) for line in stream if line.endswith("\n")]


def _check_order(case: Case, first: list[int], resumed: list[int]) -> None:
    """The interrupted run: input order up to the first lookup still unfinished at the
    signal, then the finished ones after it (flushed on the way out, in any order); the
    first resumed run: input order."""
    head = 0
    while head < len(first) and first[head] == head + 1:
        head += 1
    tail = first[head:]
    if any(line <= head for line in tail) or len(tail) > len(set(tail)):
        case.problems.append("the interrupted run wrote lines out of input order")
    if any(b <= a for a, b in itertools.pairwise(resumed)):
        case.problems.append("the resumed run wrote lines out of input order")


def _check_output(setup: Setup, case: Case, records: list[dict[str, Any]]) -> None:
    """One answer per input line, the right contact; only transient failures before it."""
    lines = [int(r["line"]) for r in records]
    _check_order(case, lines[: case.written], lines[case.written : case.written_resumed])
    answers = Counter(int(r["line"]) for r in records if r.get("ok") is True)
    n = len(setup.uuids)
    missing = sum(1 for line in range(1, n + 1) if line not in answers)
    doubled = sum(1 for count in answers.values() if count > 1)
    if missing or doubled or len(answers) != n:
        case.problems.append(f"{missing} lines unanswered, {doubled} answered twice")
    wrong = 0
    for record in records:
        want = setup.uuids[int(record["line"]) - 1]
        if record.get("ok") is True:
            got = record["contact"].get("uuid")
            wrong += not record.get("input") == want == got
        else:  # a transient failure (5xx, 429s past the retries), redone by --retry-failed
            wrong += not (record.get("input") == want and record["error"].get("retryable"))
    if wrong:
        case.problems.append(f"{wrong} records not the answer of their line")
    if setup.strict and len(records) != n:
        case.problems.append(f"{len(records)} records for {n} lines")


def _answered(seen: list[Seen]) -> set[str]:
    """Contacts Piggy answered (or may have: the client went away before the answer)."""
    return {s.key for s in seen if s.status != 429 and s.status < 500}


def _check_lookups(
    setup: Setup, case: Case, first: list[Seen], rest: list[Seen], records: list[dict[str, Any]]
) -> None:
    """At most --concurrency answers thrown away; --resume asks only what is unanswered."""
    again = {s.key for s in rest}
    case.redone = len(_answered(first) & again)
    case.resent = len({s.key for s in first} & again)
    if case.redone > case.concurrency:
        case.problems.append(f"{case.redone} lookups redone > --concurrency {case.concurrency}")
    kept = records[: case.written]
    written = {int(r["line"]) for r in kept}
    unanswered = {u for line, u in enumerate(setup.uuids, 1) if line not in written}
    failed = {r["input"] for r in kept if r.get("ok") is not True}
    if not unanswered <= again or not again - unanswered <= failed:
        case.problems.append("--resume did not look up exactly the unanswered lines")
    if setup.strict:  # no 429s, no 5xx: every run asks Piggy once per contact
        for run in (first, rest):
            if max(Counter(s.key for s in run).values(), default=0) > 1:
                case.problems.append("a contact looked up twice in one run")


async def run_case(setup: Setup, case: Case, index: int) -> Case:
    """Interrupt one job with ``case.signal`` after ``case.at`` lookups, resume, check."""
    output = setup.workdir / f"out-{index}.jsonl"
    log = setup.workdir / f"stderr-{index}.txt"
    output.unlink(missing_ok=True)
    started = time.monotonic()
    limit = TokenBucket(*setup.rate) if setup.rate else None
    server = RateLimitedPiggy(
        limit, latency=setup.latency, body_bytes=setup.body_bytes, error_rate=setup.error_rate
    )
    async with server:
        await _interrupted_run(setup, server, case, output, log)
        first = list(server.seen)
        case.written = len(_records(output))
        if case.written >= case.lines:
            case.problems.append("the job ended before the signal: not interrupted")
        server.seen.clear()
        await _resume(setup, server, case, output, log)
        rest = list(server.seen)
    case.seconds = time.monotonic() - started
    records = _records(output)
    _check_output(setup, case, records)
    _check_lookups(setup, case, first, rest, records)
    return case


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def print_table(cases: list[Case]) -> None:
    head = [
        "signal",
        "lines",
        "interrupted at",
        "written",
        "exit",
        "redone lookups",
        "resent",
        "concurrency",
        "seconds",
        "result",
    ]
    print(_row(head))
    print(_row(["---"] * len(head)))
    for c in cases:
        result = "pass" if c.passed else "FAIL: " + "; ".join(c.problems)
        cells = [
            f"SIG{c.signal}",
            f"{c.lines:,}",
            f"{c.at:,}",
            f"{c.written:,}",
            str(c.exit_code),
            str(c.redone),
            str(c.resent),
            str(c.concurrency),
            f"{c.seconds:.1f}",
            result,
        ]
        print(_row(cells), flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=100_000, help="input lines (contacts)")
    parser.add_argument("--concurrency", type=int, default=16, help="the CLI's --concurrency")
    parser.add_argument("--signals", default="TERM,INT", help="signals, one case each (TERM,INT)")
    parser.add_argument("--points", type=int, default=1, help="random interrupt points per signal")
    parser.add_argument("--at", help="interrupt points as shares of --lines instead (0.2,0.7)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the UUIDs and the points")
    parser.add_argument("--latency-ms", default="1,5", help="model latency per request LOW,HIGH")
    parser.add_argument("--body-bytes", type=int, default=600, help="contact body size")
    parser.add_argument("--rate", type=float, help="model Piggy's token bucket, req/s (none)")
    parser.add_argument("--burst", type=int, default=50, help="its burst (with --rate)")
    parser.add_argument("--error-rate", type=float, default=0.0, help="share answered 500")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds for every case")
    parser.add_argument("--workdir", help="keep input, outputs and CLI stderr here")
    return parser


def _cases(args: argparse.Namespace, rng: random.Random) -> list[Case]:
    signals = [s.strip().upper().removeprefix("SIG") for s in args.signals.split(",")]
    for name in signals:
        if name not in EXPECTED_EXIT:
            raise SystemExit(f"check_resume: --signals: {name} is not TERM or INT")
    if args.at:
        shares = [float(x) for x in args.at.split(",")]
    else:
        shares = [rng.uniform(0.05, 0.95) for _ in range(args.points)]
    return [
        Case(name, args.lines, max(1, int(share * args.lines)), args.concurrency)
        for share in shares
        for name in signals
    ]


async def _main(args: argparse.Namespace, workdir: Path) -> int:
    rng = random.Random(args.seed)
    uuids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(args.lines)]
    source = workdir / "uuids.txt"
    source.write_text("\n".join(uuids) + "\n", encoding="utf-8")
    low, high = (float(x) / 1000 for x in args.latency_ms.split(","))
    deadline = time.monotonic() + args.timeout
    rate = (args.rate, args.burst) if args.rate else None
    setup = Setup(
        uuids,
        source,
        workdir,
        args.concurrency,
        (low, high),
        args.body_bytes,
        rate,
        args.error_rate,
        deadline,
    )
    cases = _cases(args, rng)
    done: list[Case] = []
    try:
        for index, case in enumerate(cases):
            done.append(await run_case(setup, case, index))
    except Overrun:
        print_table(done)
        print(
            f"check_resume: overran --timeout {args.timeout:g}s (the CLI was killed) "
            f"after {len(done)} of {len(cases)} cases",
            file=sys.stderr,
        )
        return 2
    print_table(done)
    return 0 if all(c.passed for c in done) else 1


def main() -> int:
    args = _parser().parse_args()
    # A child inherits an ignored SIGINT (e.g. started with `&` without job control) and
    # would then never see the SIGINT case: make sure this process does not ignore it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if args.workdir:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
        return asyncio.run(_main(args, Path(args.workdir)))
    with tempfile.TemporaryDirectory(prefix="check-resume-") as tmp:
        return asyncio.run(_main(args, Path(tmp)))


if __name__ == "__main__":
    sys.exit(main())
