"""An interrupted bulk job of the `piggy` CLI, resumed: nothing lost, nothing redone twice
beyond the lookups in flight when it was stopped (issue 20, "How it is checked")."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from piggy_async.testing import FakePiggy

#: Input lines. Issue 20 asks for a 100k job, but 100,000 lookups through the CLI and the
#: fake server take about a minute even on the quiet 2-core machine (~1,000 lookups/s
#: measured; 2-3x slower when it is loaded), far past the 30 s per-test bound. Measured:
#: 5,000 lines ~5 s quiet; 6,000 lines 10-17 s loaded. The resume logic does not depend on
#: N (it reads the output's records, then skips those lines).
N = 5_000
CONCURRENCY = 8


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PIGGY_API_KEY", None)
    return env


def _cli(argv: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "piggy_async", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )


def _looked_up(fake: FakePiggy) -> list[str]:
    return [r.path.rsplit("/", 1)[1] for r in list(fake.requests) if "/contacts/" in r.path]


def _answers(output: Path) -> list[tuple[int, bool, str | None]]:
    """Each record's line, ok and contact UUID. Every record is parsed whole, but only these
    three are kept: the N records of full contacts are ~64 MB, and keeping them all alive
    while parsing makes it ~3x slower (the garbage collector goes over them again and again):
    11-12 s on a loaded machine."""
    answers = []
    for line in output.read_text().splitlines():
        record = json.loads(line)
        uuid = record["contact"]["uuid"] if record["ok"] else None
        answers.append((record["line"], record["ok"], uuid))
    return answers


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
# Two CLI runs of N lookups: 8-9 s on a quiet machine, 22-26 s with four busy loops on its
# two cores, and past 30 s under more load. The test's own waits (20 + 15 + 25 s) bound
# each step; this bound is above their sum, so a stuck step fails with its own message.
@pytest.mark.timeout(75)
def test_interrupted_job_resumes_without_redoing_more_than_concurrency_lookups(
    threaded_fake: FakePiggy, tmp_path: Path
) -> None:
    """N lines, SIGTERM once a third is written, then ``--resume``: one record per input
    line in the end, and the lookups the server saw beyond the first run's written records
    (those in flight at SIGTERM, thrown away and redone) number at most ``--concurrency``."""
    store = threaded_fake.store
    uuids = [store.add_contact(f"resume{i}@example.com")["uuid"] for i in range(N)]
    source, output = tmp_path / "in.txt", tmp_path / "out.jsonl"
    source.write_text("\n".join(uuids) + "\n")
    output.touch()
    argv = ["contacts", "get-many", str(source), "-o", str(output)]
    argv += ["--concurrency", str(CONCURRENCY)]
    argv += ["--api-key", threaded_fake.token, "--base-url", threaded_fake.base_url]
    threaded_fake.requests.clear()
    # `with`: the pipes closed and the process reaped even when the test fails or times out
    # here (else its ResourceWarnings fail whichever later test the collector runs in)
    with _cli(argv) as proc:
        try:
            deadline, records_written = time.monotonic() + 20, 0
            with output.open("rb") as tail:  # reads only what was written since the last poll
                while time.monotonic() < deadline and records_written < N // 3:
                    records_written += tail.read().count(b"\n")
                    time.sleep(0.01)  # polls for written records (bounded by the deadline)
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=15)
        finally:
            proc.kill()
    assert proc.returncode == 143, err
    first = _looked_up(threaded_fake)
    written = _answers(output)
    assert N // 3 <= len(written) < N  # interrupted part-way
    assert len(first) - len(written) <= CONCURRENCY  # lost at SIGTERM: only those in flight

    threaded_fake.requests.clear()
    with _cli([*argv, "--resume"]) as proc:
        try:
            _, err = proc.communicate(timeout=25)
        finally:
            proc.kill()
    assert proc.returncode == 0, err
    assert f"{len(written)} already answered" in err
    second = _looked_up(threaded_fake)
    records = _answers(output)
    assert sorted(line for line, _, _ in records) == list(range(1, N + 1))  # one per line
    assert all(ok and uuid == uuids[line - 1] for line, ok, uuid in records)
    assert len(second) == N - len(written)  # only the unanswered lines, each once
    beyond = len(first) + len(second) - len(records)  # lookups beyond the records written
    assert 0 <= beyond <= CONCURRENCY
    assert max(Counter(first + second).values()) <= 2


#: Lines for the run of ``tools/check_resume.py`` below (it runs the 100k job by hand).
TOOL_LINES = 2_000
TOOL = Path(__file__).resolve().parent.parent / "tools" / "check_resume.py"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.timeout(30)
def test_check_resume_tool_passes_for_sigterm_and_sigint(tmp_path: Path) -> None:
    """The issue-20 check as a tool, at small N: a job interrupted by SIGTERM and by SIGINT
    exits 143 / 130, ``--resume`` finishes it, one answer per line, at most ``concurrency``
    answered lookups redone (against the independent model of tests/ratelimited_server.py)."""
    argv = [sys.executable, str(TOOL), "--lines", str(TOOL_LINES), "--concurrency", "8"]
    argv += ["--signals", "TERM,INT", "--at", "0.4", "--timeout", "24"]
    argv += ["--workdir", str(tmp_path)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=28, env=_env())
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| SIG")]
    assert [row.split(" | ")[0] for row in rows] == ["| SIGTERM", "| SIGINT"]
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        signal_name, lines, at, written, code, redone, _resent, concurrency = cells[:8]
        assert (lines, concurrency, cells[-1]) == (f"{TOOL_LINES:,}", "8", "pass")
        assert code == {"SIGTERM": "143", "SIGINT": "130"}[signal_name]
        assert 0 < int(written.replace(",", "")) < TOOL_LINES  # interrupted part-way
        assert int(at.replace(",", "")) >= int(TOOL_LINES * 0.4)
        assert 0 <= int(redone) <= 8


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_resume", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_resume"] = module
    spec.loader.exec_module(module)
    return module


def test_check_resume_tool_fails_when_answers_are_lost(tmp_path: Path) -> None:
    """The tool's verdict is not a constant: an output file missing answers and a
    resume that asks Piggy for answered lines again are both reported as failures."""
    tool = _load_tool()
    Case, Setup, Seen = tool.Case, tool.Setup, tool.Seen
    uuids = [f"u{i}" for i in range(1, 6)]
    setup = Setup(uuids, tmp_path, tmp_path, 2, (0.0, 0.0), 600, None, 0.0, 0.0)

    def record(n: int) -> dict[str, object]:
        return {"line": n, "input": uuids[n - 1], "ok": True, "contact": {"uuid": uuids[n - 1]}}

    good = Case("TERM", 5, 3, 2, written=2, written_resumed=5)
    records = [record(n) for n in (1, 2, 3, 4, 5)]
    first = [Seen(0.0, u, 200) for u in uuids[:4]]
    tool._check_output(setup, good, records)
    tool._check_lookups(setup, good, first, [Seen(0.0, u, 200) for u in uuids[2:]], records)
    assert good.passed
    assert good.redone == 2

    lost = Case("TERM", 5, 3, 2, written=2, written_resumed=4)
    tool._check_output(setup, lost, records[:4])
    assert lost.problems == ["1 lines unanswered, 0 answered twice", "4 records for 5 lines"]

    redone = Case("TERM", 5, 4, 1, written=2, written_resumed=5)
    tool._check_lookups(setup, redone, first, [Seen(0.0, u, 200) for u in uuids[1:]], records)
    assert redone.redone == 3
    assert redone.problems == [
        "3 lookups redone > --concurrency 1",
        "--resume did not look up exactly the unanswered lines",
    ]
