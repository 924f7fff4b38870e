"""Hand-written mutants of the 2026-12-02 changes, each run against the tests that cover it.

    python tools/hand_mutants.py        # every mutant; exits 1 if one survives

Each mutant is one deliberate bug written as a text replacement (mutmut cannot reach code
that runs in a CLI subprocess or in a thread the test does not own). The file is patched,
the named tests run (``pytest -x``, 60 s per test), the file restored; a mutant is caught
when the tests fail. Run it on a clean tree: the files are rewritten in place.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WATCH = "tests/test_watchdog.py"
BULK = "tests/test_bulk_behaviour.py tests/test_facade_iterators.py"
CLI = "tests/test_cli.py"
PYTEST = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly", "--timeout", "60"]

#: (file, text, replacement, tests): the text must occur once in the file.
MUTANTS: list[tuple[str, str, str, str]] = [
    ("piggy_async/_watchdog.py", "if not call.sent:  # still", "if False:  # still", WATCH),
    (
        "piggy_async/_watchdog.py",
        "    call.sent = True\n    call.quiet_since = asyncio.get_running_loop().time()",
        "    call.sent = True",
        WATCH,
    ),
    (
        "piggy_async/_watchdog.py",
        "    call.sent = True\n    call.quiet_since",
        "    call.sent = False\n    call.quiet_since",
        WATCH,
    ),
    (
        "piggy_async/_watchdog.py",
        "dog._loop is not task.get_loop()",
        "dog._loop is task.get_loop()",
        WATCH,
    ),
    ("piggy_async/_watchdog.py", "    return dog._reading.get(task)\n", "    return None\n", WATCH),
    (
        "piggy_async/_session.py",
        "        call.sent = False\n        proto = await _TCP_CREATE",
        "        proto = await _TCP_CREATE",
        WATCH,
    ),
    ("piggy_async/_session.py", "        _watchdog.connection_opened(call)\n", "", WATCH),
    (
        "piggy_async/_attempt.py",
        "sent = call.sent and (",
        "sent = (",
        "tests/test_mut_transport.py " + WATCH,
    ),
    (
        "piggy_async/_bulk_inputs.py",
        "            if self._closed:  # read after",
        "            if False:  # read after",
        BULK,
    ),
    (
        "piggy_async/_bulk_inputs.py",
        "            if self._closed:\n                break\n            try:",
        "            if False:\n                break\n            try:",
        BULK + " tests/test_mut_bulk_inputs.py",
    ),
    (
        "piggy_async/_bulk_inputs.py",
        "        self._closed = True\n        closer",
        "        closer",
        BULK,
    ),
    (
        "piggy_async/cli/_input.py",
        "        pending = [lines[-1]] if lines[-1] else []",
        "        pending = [lines[-1]]",
        CLI,
    ),
    ("piggy_async/cli/_input.py", "if len(lines) == 1:", "if len(lines) <= 0:", CLI),
    ("piggy_async/cli/_input.py", 'if pending:\n        yield b"".join(pending)', "pass", CLI),
    ("piggy_async/cli/_input.py", "for line in lines[1:-1]:", "for line in lines[1:-2]:", CLI),
    (
        "piggy_async/cli/__init__.py",
        "    loop.set_default_executor(DaemonThreads())",
        "    pass",
        CLI,
    ),
    (
        "piggy_async/cli/_input.py",
        "            return fd_lines(stdin.fileno()), None",
        "            raise ValueError",
        CLI,
    ),
    ("piggy_async/cli/_input.py", "daemon=True).start()", "daemon=False).start()", CLI),
]


def run(path: str, text: str, replacement: str, tests: str) -> bool:
    """Whether the tests catch the mutant (the file is restored either way)."""
    target = ROOT / path
    source = target.read_text()
    if source.count(text) != 1:
        raise SystemExit(f"{path}: the mutant's text is not there exactly once: {text!r}")
    target.write_text(source.replace(text, replacement))
    try:
        done = subprocess.run(
            [*PYTEST, *tests.split()],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        target.write_text(source)
    lines = done.stdout.strip().splitlines()
    print(
        "caught  " if done.returncode else "SURVIVED",
        path,
        repr(text[:48]),
        "|",
        lines[-1] if lines else "",
        flush=True,
    )
    return done.returncode != 0


def main() -> int:
    caught = sum(run(*mutant) for mutant in MUTANTS)
    print(f"{len(MUTANTS)} mutants, {caught} caught")
    return 0 if caught == len(MUTANTS) else 1


if __name__ == "__main__":
    raise SystemExit(main())
