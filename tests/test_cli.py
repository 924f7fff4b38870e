"""The `piggy` command, in-process and as a subprocess, against the fake server."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import backoff
import pytest

import piggy_async.cli as cli_module
from piggy_async.cli import FAKE_CONTACTS, _input, build_parser, main
from piggy_async.testing import FakePiggy


def run_cli(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def embedded() -> Any:
    """The store that `--fake` starts with (it is deterministic: same seed, same data)."""
    return FakePiggy(contacts=FAKE_CONTACTS, transactions=5).store


def test_demo_prints_the_summary() -> None:
    code, out, err = run_cli("demo", "--contacts", "120", "--concurrency", "8")
    assert code == 0, err
    assert "contacts fetched   120" in out
    assert "errors             1 " in out  # one unknown UUID per 500 inputs
    assert "requests/second" in out
    assert "MB decoded" in out
    assert "fake Piggy at http://127.0.0.1:" in err


def test_contacts_get(embedded: Any) -> None:
    uuid = next(iter(embedded.contacts))
    code, out, err = run_cli("contacts", "get", uuid, "--fake")
    assert code == 0, err
    contact = json.loads(out)
    assert contact["uuid"] == uuid
    assert contact["email"] == embedded.contacts[uuid]["email"]
    assert out.count("\n") == 1
    assert err == ""


def test_contacts_find_and_balance(embedded: Any) -> None:
    uuid, stored = next(iter(embedded.contacts.items()))
    code, out, _ = run_cli("contacts", "find", stored["email"], "--fake")
    assert code == 0
    assert json.loads(out)["uuid"] == uuid
    code, out, _ = run_cli("contacts", "balance", uuid, "--fake")
    assert code == 0
    balance = json.loads(out)
    assert balance["credit"]["balance"] == stored["credit_balance"]["balance"]
    assert balance["prepaid"]["balance_in_cents"] == stored["prepaid_balance"]["balance_in_cents"]


UNKNOWN_1 = "00000000-0000-4000-8000-000000000001"
UNKNOWN_2 = "00000000-0000-4000-8000-000000000002"


def test_get_many_from_stdin_in_order(embedded: Any) -> None:
    uuids = list(embedded.contacts)[:6]
    lines = [uuids[0], UNKNOWN_1, *uuids[1:], "", UNKNOWN_2]
    code, out, err = run_cli("contacts", "get-many", "--fake", stdin="\n".join(lines) + "\n")
    assert code == 0, err  # every line answered (found or not found)
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["input"] for r in records] == [line for line in lines if line]
    assert [r["line"] for r in records] == [1, 2, 3, 4, 5, 6, 7, 9]  # the blank line 8 skipped
    assert records[0]["ok"] is True
    assert records[0]["contact"]["uuid"] == uuids[0]
    assert records[1] == {
        "line": 2,
        "input": UNKNOWN_1,
        "ok": False,
        "error": {
            "type": "ContactNotFoundError",
            "message": "Contact not found.",
            "status": 400,
            "code": 55031,
            "retryable": False,
        },
    }
    summary = err.splitlines()[-1]
    assert summary.startswith("piggy: 8 looked up in ")
    assert "6 found, 2 not found, 0 failed; 1 blank lines skipped" in summary


def test_find_many_from_a_file(embedded: Any, tmp_path: Path) -> None:
    emails = [c["email"] for c in list(embedded.contacts.values())[:3]] + ["not-an-email"]
    path = tmp_path / "emails.txt"
    path.write_text("\n".join(emails))
    code, out, err = run_cli("contacts", "find-many", str(path), "--fake", "--concurrency", "2")
    assert code == 3  # a bad line: skipped without spending a request, reported
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["ok"] for r in records] == [True, True, True]
    assert "piggy: line 4: not an e-mail address, skipped" in err
    assert "not-an-email" not in err  # values are not echoed (personal data)


def test_input_cleanup(embedded: Any, tmp_path: Path) -> None:
    uuids = list(embedded.contacts)[:3]
    path = tmp_path / "in.txt"
    path.write_bytes(
        b"\xef\xbb\xbf" + uuids[0].encode() + b"\r\n"  # a BOM glued to the first UUID
        + b"\n"
        + b"caf\xe9\n"  # not UTF-8
        + b"not-a-uuid\n"
        + uuids[1].upper().encode() + b"\n"
        + uuids[1].encode() + b"\n"  # a duplicate (case-insensitive)
        + uuids[2].encode()  # no final newline
    )  # fmt: skip
    code, out, err = run_cli("contacts", "get-many", str(path), "--fake", "--dedupe")
    assert code == 3
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["line"], r["ok"]) for r in records] == [(1, True), (5, False), (7, True)]
    assert records[0]["input"] == uuids[0]
    assert "piggy: line 3: not UTF-8 text (byte 4), skipped" in err
    assert "piggy: line 4: not a UUID, skipped" in err
    assert "2 bad lines skipped; 1 blank lines skipped; 1 duplicates skipped" in err


def test_csv_column(embedded: Any, tmp_path: Path) -> None:
    contacts = list(embedded.contacts.values())[:2]
    path = tmp_path / "in.csv"
    rows = ["name,email", *(f'"Doe, J",{c["email"]}' for c in contacts)]
    path.write_text("\n".join(rows) + "\n")
    code, out, err = run_cli("contacts", "find-many", str(path), "--column", "email", "--fake")
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["line"], r["contact"]["uuid"]) for r in records] == [
        (2, contacts[0]["uuid"]),
        (3, contacts[1]["uuid"]),
    ]
    code, _, err = run_cli("contacts", "find-many", str(path), "--column", "mail", "--fake")
    assert code == 1
    assert "--column 'mail' is not in the CSV header (name, email)" in err


def test_resume_and_retry_failed(embedded: Any, tmp_path: Path) -> None:
    uuids = list(embedded.contacts)[:5]
    source = tmp_path / "in.txt"
    source.write_text("\n".join(uuids) + "\n")
    output = tmp_path / "out.jsonl"
    done = {"line": 2, "input": uuids[1], "ok": True, "contact": {"uuid": uuids[1]}}
    transient = {"line": 3, "input": uuids[2], "ok": False, "error": {"retryable": True}}
    final = {"line": 4, "input": uuids[3], "ok": False, "error": {"retryable": False}}
    text = "".join(json.dumps(r) + "\n" for r in (done, transient, final)) + '{"line": 5, "in'
    output.write_text(text)  # ...and a record cut off mid-write by a kill
    argv = ("contacts", "get-many", str(source), "--fake", "-o", str(output), "--resume")
    code, _, err = run_cli(*argv)
    assert code == 0, err
    lines = [json.loads(line)["line"] for line in output.read_text().splitlines()]
    assert lines == [2, 3, 4, 1, 5]  # the partial record was dropped, then redone
    assert "3 already answered" in err
    code, _, err = run_cli(*argv, "--retry-failed")
    assert code == 0, err
    lines = [json.loads(line)["line"] for line in output.read_text().splitlines()]
    assert lines == [2, 3, 4, 1, 5, 3]  # only the transient failure was redone
    code, _, err = run_cli("contacts", "get-many", str(source), "--fake", "--resume")
    assert code == 1
    assert "--resume needs --output FILE" in err


def test_resume_with_dedupe_looks_each_value_up_once(embedded: Any, tmp_path: Path) -> None:
    uuid = next(iter(embedded.contacts))
    source = tmp_path / "in.txt"
    source.write_text(f"{uuid}\n{uuid.upper()}\n{uuid}\n")  # one value, three times
    output = tmp_path / "out.jsonl"
    argv = ("contacts", "get-many", str(source), "--fake", "-o", str(output), "--dedupe")
    for extra in ((), ("--resume",), ("--resume", "--retry-failed")):
        code, _, err = run_cli(*argv, *extra)
        assert code == 0, err
        lines = [json.loads(line)["line"] for line in output.read_text().splitlines()]
        assert lines == [1]  # the duplicates of an answered line are not looked up again
    assert "2 duplicates skipped" in err


def test_only_transient_failures_are_sent_back_to_retry_failed(
    threaded_fake: FakePiggy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Line 1 gets a 500 (transient: no answer yet), line 2 a 422 (Piggy's answer): both are
    # failures (exit 3), and only the first is worth --retry-failed.
    uuids = [threaded_fake.store.add_contact(f"t{i}@example.com")["uuid"] for i in range(3)]
    threaded_fake.faults.status(500, times=3, path=f"/contacts/{uuids[0]}")
    threaded_fake.faults.status(422, times=1, path=f"/contacts/{uuids[1]}")
    monkeypatch.setattr(backoff, "full_jitter", lambda ceiling: 0.0)  # retries at once
    source, output = tmp_path / "in.txt", tmp_path / "out.jsonl"
    source.write_text("\n".join(uuids) + "\n")
    argv = ["contacts", "get-many", str(source), "-o", str(output)]
    argv += ["--api-key", threaded_fake.token, "--base-url", threaded_fake.base_url]
    code, _, err = run_cli(*argv)
    assert code == 3, err
    assert "1 found, 0 not found, 2 failed (1 transient: run again with --resume" in err
    code, _, err = run_cli(*argv, "--resume", "--retry-failed")
    assert code == 0, err
    records = [json.loads(line) for line in output.read_text().splitlines()]
    assert [(r["line"], r["ok"]) for r in records] == [(1, False), (2, False), (3, True), (1, True)]
    assert "transient" not in err


def test_plain_progress_lines_when_not_a_terminal(
    embedded: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("piggy_async.cli._output.PLAIN_PROGRESS_EVERY", 0.0)
    path = tmp_path / "in.txt"
    path.write_text("\n".join(list(embedded.contacts)[:4]) + "\n")
    code, _, err = run_cli("contacts", "get-many", str(path), "--fake")
    assert code == 0
    progress = [line for line in err.splitlines() if " done, " in line]
    assert progress[-1].startswith("piggy: 4/4 done, 0 failed, ")
    assert "ETA" in progress[0]
    assert "\r" not in err


def test_automations(embedded: Any) -> None:
    code, out, _ = run_cli("automations", "list", "--fake")
    assert code == 0
    names = [json.loads(line)["name"] for line in out.splitlines()]
    assert names == [a["name"] for a in embedded.automations]
    automation = next(a for a in embedded.automations if a["event"] == "contact_updated")
    contact = next(iter(embedded.contacts))
    code, out, err = run_cli(
        "automations",
        "run",
        "--automation",
        automation["uuid"],
        "--contact",
        contact,
        "--data",
        '{"coupon": "X"}',
        "--fake",
    )
    assert code == 0, err
    assert json.loads(out) == {"ok": True}


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (("contacts", "get", "no-such-uuid", "--fake"), "", "Piggy code 55031: Contact not found."),
        (("contacts", "get-many", "/no/such/file", "--fake"), "", "cannot read /no/such/file"),
        (
            (
                "automations",
                "run",
                "--automation",
                "a",
                "--contact",
                "c",
                "--data",
                "{oops",
                "--fake",
            ),
            "",
            "--data is not valid JSON",
        ),
        (
            (
                "automations",
                "run",
                "--automation",
                "a",
                "--contact",
                "c",
                "--data",
                "[1]",
                "--fake",
            ),
            "",
            "--data must be a JSON object",
        ),
        (("contacts", "find", "not-an-email", "--fake"), "", "email is not an email address"),
    ],
)
def test_errors_are_one_line_and_exit_1(argv: tuple[str, ...], stdin: str, message: str) -> None:
    code, out, err = run_cli(*argv, stdin=stdin)
    assert code == 1
    assert out == ""
    assert err.startswith("piggy: error: ")
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PIGGY_API_KEY", "PIGGY_CLIENT_ID", "PIGGY_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    code, _, err = run_cli("contacts", "get", "x")
    assert code == 1
    assert "no Piggy credentials: pass --api-key" in err
    assert "api_key" not in err


def test_bad_api_key(threaded_fake: FakePiggy) -> None:
    code, out, err = run_cli(
        "contacts", "get", "x", "--api-key", "wrong-key", "--base-url", threaded_fake.base_url
    )
    assert code == 1
    assert out == ""
    assert "HTTP 401" in err
    assert "wrong-key" not in err


def test_environment_credentials(threaded_fake: FakePiggy, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIGGY_API_KEY", threaded_fake.token)
    monkeypatch.setenv("PIGGY_BASE_URL", threaded_fake.base_url)
    uuid = next(iter(threaded_fake.store.contacts))
    code, out, _ = run_cli("contacts", "get", uuid)
    assert code == 0
    assert json.loads(out)["uuid"] == uuid


def test_usage_errors_exit_2() -> None:
    code, _, _ = run_cli("contacts")
    assert code == 2
    code, _, _ = run_cli("demo", "--contacts", "0")
    assert code == 2


def test_ctrl_c_exit_code() -> None:
    def interrupted(coro: Any) -> int:
        coro.close()
        raise KeyboardInterrupt

    err = io.StringIO()
    code = main(["demo"], stdout=io.StringIO(), stderr=err, runner=interrupted)
    assert code == 130
    assert err.getvalue() == "piggy: interrupted\n"


def _bare_loop(coro: Any) -> int:
    """Run like ``asyncio.run`` on Python 3.10: nothing of asyncio's own handles SIGINT."""
    loop = asyncio.new_event_loop()
    try:
        return int(loop.run_until_complete(coro))
    finally:
        loop.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigint_cancels_the_command_on_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C reaches the running command as a cancellation at an ``await``, never as a
    ``KeyboardInterrupt`` at whatever line runs (which aiohttp's ``data_received`` swallows as a
    broken response: the CI failure on 3.10 of 2026-12-01, a job that ran on after Ctrl-C); a
    second Ctrl-C gets Python's default handler back."""
    seen: list[str] = []

    async def command(*_: Any) -> int:
        os.kill(os.getpid(), signal.SIGINT)
        seen.append("after kill")  # a KeyboardInterrupt here would skip this line
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            seen.append("cancelled")
            try:
                os.kill(os.getpid(), signal.SIGINT)
                seen.append("second signal ignored")
            except KeyboardInterrupt:
                seen.append("second: KeyboardInterrupt")
            raise
        return 0

    monkeypatch.setattr(cli_module, "_dispatch", command)
    err = io.StringIO()
    code = main(["demo"], stdout=io.StringIO(), stderr=err, runner=_bare_loop)
    assert seen == ["after kill", "cancelled", "second: KeyboardInterrupt"]
    assert (code, err.getvalue()) == (130, "piggy: interrupted\n")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PIGGY_API_KEY", None)
    return env


def test_subprocess_module_entry_with_stdin(embedded: Any) -> None:
    uuids = list(embedded.contacts)[:3]
    done = subprocess.run(
        [sys.executable, "-m", "piggy_async", "contacts", "get-many", "-", "--fake"],
        input="\n".join([*uuids, UNKNOWN_1]),
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
    )
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["input"] for r in records] == [*uuids, UNKNOWN_1]
    assert [r["ok"] for r in records] == [True, True, True, False]


@contextlib.contextmanager
def _job_on_an_open_pipe(uuids: list[str]) -> Iterator[tuple[subprocess.Popen[str], list[Any]]]:
    """``piggy contacts get-many -`` given ``uuids`` as lines on a pipe that stays open;
    yields the process once it has written their records (and those records)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "piggy_async", "contacts", "get-many", "-", "--fake"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert proc.stdin is not None
    records: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [records.put(x) for x in proc.stdout or ()])
    reader.start()
    try:
        proc.stdin.write("\n".join(uuids) + "\n")
        proc.stdin.flush()
        yield proc, [json.loads(records.get(timeout=30)) for _ in uuids]  # (not held for 64)
    finally:
        proc.kill()
        proc.wait()
        reader.join(timeout=30)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_lines_from_a_pipe_that_stays_open_are_looked_up_as_they_come(embedded: Any) -> None:
    uuids = list(embedded.contacts)[:2]
    with _job_on_an_open_pipe(uuids) as (proc, got):
        assert [r["input"] for r in got] == uuids
        assert all(r["ok"] for r in got)
        assert proc.stdin is not None
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0


@pytest.mark.parametrize("size", [1, 3, 7, 1 << 16])
@pytest.mark.parametrize(
    "data",
    [b"", b"a\n", b"a", b"\n\n", b"ab\r\ncd\n\nef", b"one\ntwo\nthree\n", b"x" * 20 + b"\ny"],
)
def test_stdin_lines_read_from_the_descriptor_are_the_buffered_readers(
    data: bytes, size: int
) -> None:
    read, write = os.pipe()
    try:
        os.write(write, data)
        os.close(write)
        write = -1
        got = list(_input.fd_lines(read, size))
    finally:
        os.close(read)
        if write != -1:
            os.close(write)
    assert got == list(io.BytesIO(data))  # lines split across reads joined back


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
)
def test_a_signal_stops_a_job_whose_pipe_stays_open_and_idle(
    embedded: Any, signum: int, code: int, said: str
) -> None:
    # The input thread is in a read that no line will end: the job still stops now, its
    # records written, not when the next line (or EOF) comes, and without aborting at exit.
    uuids = list(embedded.contacts)[:2]
    with _job_on_an_open_pipe(uuids) as (proc, got):
        assert [r["input"] for r in got] == uuids
        proc.send_signal(signum)  # the pipe open, no line on its way
        assert proc.wait(timeout=15) == code
        assert proc.stderr is not None
        assert proc.stderr.read() == f"piggy: {said}\n"


def test_subprocess_console_script_error_line() -> None:
    piggy = Path(sys.executable).with_name("piggy")
    done = subprocess.run(
        [str(piggy), "contacts", "get", "missing", "--fake"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("piggy: error: HTTP 400, Piggy code 55031")
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_fake_server_stops_cleanly_on_sigint() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "piggy_async", "fake-server", "--port", "0", "--contacts", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert proc.stdout is not None
        banner = [proc.stdout.readline() for _ in range(6)]
        assert banner[0].startswith("fake Piggy listening: base_url http://127.0.0.1:")
        assert banner[-1] == "Ctrl-C stops it.\n"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert err == "piggy: interrupted\n"
    assert "  api key (token)  test-api-key\n" in banner


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal() -> None:
    terminal, pipe = _Terminal(), io.StringIO()
    out = io.StringIO()
    assert main(["demo", "--contacts", "60"], stdout=out, stderr=terminal) == 0
    assert "get_many" in terminal.getvalue()  # tqdm drew its bar
    assert "req" in terminal.getvalue()
    assert main(["demo", "--contacts", "60"], stdout=io.StringIO(), stderr=pipe) == 0
    assert "get_many" not in pipe.getvalue()
    assert "\r" not in pipe.getvalue()
    assert "contacts fetched   60" in out.getvalue()  # stdout carries only the summary
    assert "get_many" not in out.getvalue()


def test_sigterm_then_resume_redoes_at_most_concurrency_lookups(
    threaded_fake: FakePiggy, tmp_path: Path
) -> None:
    uuids = [threaded_fake.store.add_contact(f"r{i}@example.com")["uuid"] for i in range(300)]
    threaded_fake.faults.latency(0.02, times=100_000, path="/contacts/*")
    source, output = tmp_path / "in.txt", tmp_path / "out.jsonl"
    source.write_text("\n".join(uuids) + "\n")
    output.touch()
    argv = ["contacts", "get-many", str(source), "-o", str(output), "--concurrency", "4"]
    argv += ["--api-key", threaded_fake.token, "--base-url", threaded_fake.base_url]
    proc = subprocess.Popen(
        [sys.executable, "-m", "piggy_async", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and output.read_bytes().count(b"\n") < 50:
            time.sleep(0.05)  # wait until some records are written (bounded by the deadline)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 143, err
    assert err.endswith("piggy: terminated\n")
    first = {r.path.rsplit("/", 1)[1] for r in threaded_fake.requests}
    written = [json.loads(line) for line in output.read_text().splitlines()]
    assert 0 < len(written) < 300
    threaded_fake.requests.clear()
    code, _, err = run_cli(*argv, "--resume")
    assert code == 0, err
    second = {r.path.rsplit("/", 1)[1] for r in threaded_fake.requests}
    assert len(first & second) <= 4  # only the lookups in flight at SIGTERM were redone
    lines = sorted(json.loads(line)["line"] for line in output.read_text().splitlines())
    assert lines == list(range(1, 301))  # every line answered exactly once


def test_broken_pipe_exits_quietly(embedded: Any) -> None:
    uuids = list(embedded.contacts) * 20
    proc = subprocess.Popen(
        [sys.executable, "-m", "piggy_async", "contacts", "get-many", "--fake"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    try:
        assert proc.stdin is not None
        assert proc.stdout is not None
        proc.stdin.write("\n".join(uuids).encode() + b"\n")
        proc.stdin.close()
        assert proc.stdout.readline().startswith(b'{"line":1,')
        proc.stdout.close()  # like `| head -1`
        assert proc.wait(timeout=60) == 141
        assert proc.stderr is not None
        assert proc.stderr.read() == b""  # quietly
    finally:
        proc.kill()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_every_option_has_help() -> None:
    parser = build_parser()
    stack = [parser]
    while stack:
        current = stack.pop()
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                stack.extend(action.choices.values())
            elif action.dest != "help":
                assert action.help, f"{current.prog} {action.dest} has no help"
