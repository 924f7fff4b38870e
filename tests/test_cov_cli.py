"""The `piggy` command's edges: option values refused with exit 2, client settings named as
options, SIGTERM and a closed pipe, `fake-server` in-process, failure records and progress."""

from __future__ import annotations

import asyncio
import io
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from piggy_async.cli import FAKE_CONTACTS, Terminated, main
from piggy_async.cli._output import Progress
from piggy_async.testing import FakePiggy


def run_cli(*argv: str, stdin: str = "", runner: Any = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    extra = {} if runner is None else {"runner": runner}
    code = main(list(argv), stdin=io.StringIO(stdin), stdout=out, stderr=err, **extra)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def embedded() -> Any:
    return FakePiggy(contacts=FAKE_CONTACTS, transactions=5).store


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("contacts", "get-many", "--fake", "--max-rate", "fast"), "not a number: 'fast'"),
        (("contacts", "get-many", "--fake", "--max-rate", "0"), "must be more than 0: 0"),
        (("contacts", "get-many", "--fake", "--max-rate", "nan"), "must be more than 0: nan"),
        (("contacts", "get-many", "--fake", "--concurrency", "x"), "not a whole number: 'x'"),
        (("fake-server", "--port", "http"), "not a port number: 'http'"),
        (("fake-server", "--port", "65536"), "not a port number: 65536"),
        (("fake-server", "--port", "-1"), "not a port number: -1"),
    ],
)
def test_bad_option_values_exit_2_naming_the_value(
    argv: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(*argv)
    assert code == 2
    assert out == ""
    assert message in capsys.readouterr().err  # argparse writes its usage errors itself


def test_max_rate_is_accepted_and_used(embedded: Any) -> None:
    uuids = list(embedded.contacts)[:3]
    code, out, err = run_cli(
        "contacts", "get-many", "--fake", "--max-rate", "1000", stdin="\n".join(uuids) + "\n"
    )
    assert code == 0, err
    assert [json.loads(line)["contact"]["uuid"] for line in out.splitlines()] == uuids


def test_a_bad_base_url_is_named_as_the_option() -> None:
    code, out, err = run_cli("contacts", "get", "x", "--api-key", "k", "--base-url", "ftp://h")
    assert code == 1
    assert out == ""
    assert err.startswith("piggy: error: --base-url ")
    assert "base_url" not in err


def test_sigterm_stops_the_command_with_exit_143() -> None:
    if sys.platform == "win32":
        pytest.skip("POSIX signals")
    out, err = io.StringIO(), io.StringIO()

    def runner(coro: Any) -> int:
        async def main_task() -> int:
            task = asyncio.ensure_future(coro)
            loop = asyncio.get_running_loop()
            for _ in range(500):  # bounded: wait until the server listens
                await asyncio.sleep(0.01)
                if out.getvalue():
                    break
            handler = loop._signal_handlers[signal.SIGTERM]  # type: ignore[attr-defined]
            handler._run()  # what the loop does when SIGTERM arrives
            return await task

        return asyncio.run(main_task())

    code = main(
        ["fake-server", "--port", "0"], stdin=io.StringIO(), stdout=out, stderr=err, runner=runner
    )
    assert code == 143
    assert err.getvalue() == "piggy: terminated\n"
    assert "fake Piggy listening: base_url http://127.0.0.1:" in out.getvalue()


def test_fake_server_in_process_answers_with_the_printed_token() -> None:
    answers: list[tuple[int, bool]] = []

    def runner(coro: Any) -> int:
        async def drive() -> int:
            task = asyncio.ensure_future(coro)
            for _ in range(500):
                await asyncio.sleep(0.01)
                if out.getvalue():
                    break
            words = out.getvalue().split()
            base_url = words[words.index("base_url") + 1]
            token = words[words.index("(token)") + 1]
            uuid = words[words.index("(e.g.") + 1].rstrip(",")
            async with aiohttp.ClientSession() as session:
                headers = {"Authorization": f"Bearer {token}"}
                async with session.get(f"{base_url}/contacts/{uuid}", headers=headers) as resp:
                    answers.append((resp.status, (await resp.json())["data"]["uuid"] == uuid))
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            return 0

        return asyncio.run(drive())

    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["fake-server", "--port", "0", "--token", "secret-t"],
        stdin=io.StringIO(),
        stdout=out,
        stderr=err,
        runner=runner,
    )
    assert code == 0
    assert "secret-t" in out.getvalue()
    assert answers == [(200, True)]  # the printed key and sample contact work


def test_terminated_and_broken_pipe_exit_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    def raising(error: BaseException) -> Any:
        def runner(coro: Any) -> int:
            coro.close()
            raise error

        return runner

    code, _, err = run_cli("demo", runner=raising(Terminated()))
    assert (code, err) == (143, "piggy: terminated\n")

    monkeypatch.setattr(sys, "stdout", io.StringIO())  # no file descriptor to point elsewhere
    code, _, err = run_cli("demo", runner=raising(BrokenPipeError()))
    replaced = sys.stdout
    assert (code, err) == (141, "")  # quietly, like any tool after `| head`
    assert not isinstance(replaced, io.StringIO)  # stdout now goes nowhere, quietly
    replaced.close()


def test_main_entry_exits_with_mains_code(monkeypatch: pytest.MonkeyPatch) -> None:
    from piggy_async import cli

    monkeypatch.setattr(sys, "argv", ["piggy", "contacts"])
    with pytest.raises(SystemExit) as caught:
        cli.main_entry()
    assert caught.value.code == 2


def test_failure_records_name_the_status_code_and_field_errors(threaded_fake: FakePiggy) -> None:
    uuids = list(threaded_fake.store.contacts)[:2]
    body = json.dumps(
        {"code": 1, "message": "The data is invalid.", "errors": {"uuid": ["is odd"]}}
    ).encode()
    threaded_fake.faults.status(400, body=body, path=f"/contacts/{uuids[1]}")
    argv = ["contacts", "get-many", "--api-key", threaded_fake.token]
    code, out, err = run_cli(
        *argv, "--base-url", threaded_fake.base_url, stdin="\n".join(uuids) + "\n"
    )
    assert code == 3, err  # EXIT_SOME_FAILED
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["ok"] is True
    assert second["ok"] is False
    assert second["error"]["status"] == 400
    assert second["error"]["errors"] == {"uuid": ["is odd"]}
    assert second["error"]["retryable"] is False
    assert "1 found, 0 not found, 1 failed" in err
    assert "--retry-failed" not in err  # no --output FILE to resume from


@pytest.mark.parametrize(
    ("setup", "options", "message"),
    [
        ("dir", ("--output", "{out}"), "cannot write {out}"),
        ("dir", ("--output", "{out}", "--resume"), "cannot resume from {out}"),
        ("garbage", ("--output", "{out}", "--resume"), "{out} line 1 is not a record"),
        ("none", ("--retry-failed",), "--retry-failed needs --output FILE"),
    ],
)
def test_output_file_problems_are_one_line_errors(
    tmp_path: Path, setup: str, options: tuple[str, ...], message: str
) -> None:
    out_path = tmp_path / "out.jsonl"
    if setup == "dir":
        out_path.mkdir()
    elif setup == "garbage":
        out_path.write_text('{"something": "else"}\n')
    argv = [o.format(out=out_path) for o in options]
    code, out, err = run_cli("contacts", "get-many", "--fake", *argv, stdin="x\n")
    assert code == 1
    assert out == ""
    assert err.startswith("piggy: error: ")
    assert message.format(out=out_path) in err


def test_an_empty_csv_input_looks_up_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    code, out, err = run_cli("contacts", "find-many", str(path), "--column", "email", "--fake")
    assert code == 0, err
    assert out == ""


@pytest.mark.parametrize(
    ("total", "done", "elapsed", "expected"),
    [
        (10_000, 1, 2.0, "piggy: 1/10000 done, 0 failed, 0/s, ETA 5h33m"),
        (100, 50, 10.0, "piggy: 50/100 done, 0 failed, 5/s, ETA 10s"),
        (100, 0, 10.0, "piggy: 0/100 done, 0 failed, 0/s"),  # no rate yet: no ETA
        (None, 7, 1.0, "piggy: 7 done, 0 failed, 7/s"),
    ],
)
def test_plain_progress_line(total: int | None, done: int, elapsed: float, expected: str) -> None:
    progress = Progress(io.StringIO(), total, "contacts")
    progress.done = done
    assert progress.line(progress._started + elapsed) == expected


def test_progress_bar_on_a_terminal_shows_the_errors() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = Progress(stream, 3, "contacts")
    try:
        progress(1, 3, 0)
        progress(3, 3, 1)
        assert progress._bar.n == 3
        assert progress._bar.postfix == "errors=1"
    finally:
        progress.close()


def test_sigterm_mid_run_keeps_every_finished_record_then_resume_completes(
    threaded_fake: FakePiggy, tmp_path: Path
) -> None:
    if sys.platform == "win32":
        pytest.skip("POSIX signals")
    uuids = [threaded_fake.store.add_contact(f"t{i}@example.com")["uuid"] for i in range(300)]
    threaded_fake.faults.latency(0.02, times=100_000, path="/contacts/*")
    source, output = tmp_path / "in.txt", tmp_path / "out.jsonl"
    source.write_text("\n".join(uuids) + "\n")
    argv = ["contacts", "get-many", str(source), "-o", str(output), "--concurrency", "4"]
    argv += ["--api-key", threaded_fake.token, "--base-url", threaded_fake.base_url]

    def runner(coro: Any) -> int:
        async def main_task() -> int:
            task = asyncio.ensure_future(coro)
            loop = asyncio.get_running_loop()
            for _ in range(3000):  # bounded: until some records are written
                await asyncio.sleep(0.01)
                if output.exists() and output.read_bytes().count(b"\n") >= 10:
                    break
            loop._signal_handlers[signal.SIGTERM]._run()  # type: ignore[attr-defined]
            return await task

        return asyncio.run(main_task())

    code, _, err = run_cli(*argv, runner=runner)
    assert code == 143, err
    assert err.endswith("piggy: terminated\n")
    written = [json.loads(line) for line in output.read_text().splitlines()]
    assert 10 <= len(written) < 300
    assert all(record["ok"] for record in written)
    assert len({record["line"] for record in written}) == len(written)
    threaded_fake.faults.clear()
    code, _, err = run_cli(*argv, "--resume")
    assert code == 0, err
    lines = sorted(json.loads(line)["line"] for line in output.read_text().splitlines())
    assert lines == list(range(1, 301))  # every line answered exactly once


def test_the_command_runs_from_a_worker_thread(embedded: Any) -> None:
    uuid = next(iter(embedded.contacts))
    results: list[tuple[int, str, str]] = []
    worker = threading.Thread(
        target=lambda: results.append(run_cli("contacts", "get", uuid, "--fake"))
    )
    worker.start()
    worker.join(timeout=20)  # no SIGTERM handler off the main thread: it runs all the same
    assert not worker.is_alive()
    [(code, out, err)] = results
    assert code == 0, err
    assert json.loads(out)["uuid"] == uuid
