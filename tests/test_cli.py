"""The `piggy` command, in-process and as a subprocess, against the fake server."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from piggy_async.cli import FAKE_CONTACTS, main
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


def test_get_many_from_stdin_in_order(embedded: Any) -> None:
    uuids = list(embedded.contacts)[:6]
    lines = [uuids[0], "nope-1", *uuids[1:], "", "nope-2"]
    code, out, err = run_cli("contacts", "get-many", "--fake", stdin="\n".join(lines) + "\n")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["input"] for r in records] == [line for line in lines if line]
    assert records[0]["ok"] is True
    assert records[0]["contact"]["uuid"] == uuids[0]
    assert records[1] == {
        "input": "nope-1",
        "ok": False,
        "error": {
            "type": "ContactNotFoundError",
            "message": "Contact not found.",
            "status": 400,
            "code": 55031,
        },
    }
    assert "2 of 8 lookups failed" in err


def test_find_many_from_a_file(embedded: Any, tmp_path: Path) -> None:
    emails = [c["email"] for c in list(embedded.contacts.values())[:3]] + ["not-an-email"]
    path = tmp_path / "emails.txt"
    path.write_text("\n".join(emails))
    code, out, _ = run_cli("contacts", "find-many", str(path), "--fake", "--concurrency", "2")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["ok"] for r in records] == [True, True, True, False]
    assert records[3]["error"]["type"] == "InvalidArgumentError"


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
    assert "no Piggy credentials" in err


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


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PIGGY_API_KEY", None)
    return env


def test_subprocess_module_entry_with_stdin(embedded: Any) -> None:
    uuids = list(embedded.contacts)[:3]
    done = subprocess.run(
        [sys.executable, "-m", "piggy_async", "contacts", "get-many", "-", "--fake"],
        input="\n".join([*uuids, "missing"]),
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
    )
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["input"] for r in records] == [*uuids, "missing"]
    assert [r["ok"] for r in records] == [True, True, True, False]


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
