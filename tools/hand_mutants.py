"""Hand-written mutants of the 2026-12-02 changes, each run against the tests that cover it.

The second block covers the later changes of that day: the type-hint argument checks
(``_arguments``), the cut of long URL segments in messages, the whole-answer bound of the
watchdog, ``aclose()``'s wait, the sync loops' selector under partial patching and the
SIGINT handler set from C.

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
ARGS = "tests/test_arguments.py tests/test_cov_inputs.py"
CANCEL = "tests/test_cancel_points.py"
PYTEST = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly", "--timeout", "60"]

#: (file, text, replacement, tests): the text must occur once in the file.
MUTANTS: list[tuple[str, str, str, str]] = [
    ("piggy_async/_watchdog.py", "if not call.sent:  # still", "if False:  # still", WATCH),
    (
        "piggy_async/_watchdog.py",
        "    call.sent = True\n"
        "    call.quiet_since = call.began = asyncio.get_running_loop().time()",
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
    # -- the later changes ------------------------------------------------------------
    (
        "piggy_async/_arguments.py",
        "isinstance(value, int) and not isinstance(value, bool)",
        "isinstance(value, int)",
        ARGS,
    ),
    (
        "piggy_async/_arguments.py",
        "isinstance(value, (int, float)) and not isinstance(value, bool)",
        "isinstance(value, (int, float))",
        ARGS,
    ),
    ("piggy_async/_arguments.py", "type(value) is type(c) and value == c", "value == c", ARGS),
    ("piggy_async/_arguments.py", "(lambda v: isinstance(v, Mapping))", "(lambda v: True)", ARGS),
    ("piggy_async/_arguments.py", "and all(accepts(x) for x in value)", "", ARGS),
    ("piggy_async/_arguments.py", 'f"{name}[{index}] must be', 'f"{name} must be', ARGS),
    ("piggy_async/_arguments.py", "            if not_blank:\n", "            if False:\n", ARGS),
    (
        "piggy_async/_arguments.py",
        "                check_unicode(value, name)\n",
        "                pass\n",
        ARGS,
    ),
    (
        "piggy_async/_arguments.py",
        "elif isinstance(value, float) and not math.isfinite(value):",
        "elif False:",
        ARGS,
    ),
    (
        "piggy_async/_arguments.py",
        "required = param.default is inspect.Parameter.empty",
        "required = False",
        ARGS,
    ),
    (
        "piggy_async/_arguments.py",
        "positional = param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD",
        "positional = False",
        ARGS,
    ),
    ("piggy_async/_arguments.py", "position < len(args)", "position <= len(args)", ARGS),
    ("piggy_async/_arguments.py", '"str" if "@" in value else shown(value)', "shown(value)", ARGS),
    (
        "piggy_async/_arguments.py",
        "return None if any(a is None for a in arms) else arms",
        "return [a for a in arms if a] or None",
        ARGS,
    ),
    ("piggy_async/_arguments.py", "|^name|", "|", ARGS),
    ("piggy_async/resources/_base.py", " or name in cls._checks_itself", "", ARGS),
    (
        "piggy_async/errors.py",
        "if len(s) > _SEGMENT_SHOWN else s",
        "if len(s) >= _SEGMENT_SHOWN else s",
        "tests/test_error_texts.py",
    ),
    (
        "piggy_async/_watchdog.py",
        "return now - began >= WHOLE * read",
        "return now - began >= 100 * WHOLE * read",
        WATCH,
    ),
    (
        "piggy_async/_watchdog.py",
        "                if overdue(now, call.began, call.read_timeout):",
        "                if False:",
        WATCH,
    ),
    (
        "piggy_async/_watchdog.py",
        "call.quiet_since = call.began = asyncio",
        "call.quiet_since = asyncio",
        WATCH,
    ),
    (
        "piggy_async/_pool.py",
        "            await asyncio.wait({waiter}, timeout=seconds)",
        "            with contextlib.suppress(asyncio.TimeoutError):\n"
        "                await asyncio.wait_for(waiter, seconds)",
        CANCEL,
    ),
    (
        "piggy_sync/_loops.py",
        "asyncio.SelectorEventLoop(_green.selector())",
        "asyncio.SelectorEventLoop(None)",
        "tests/test_sync_gevent.py tests/test_sync_eventlet.py",
    ),
    (
        "piggy_sync/_loops.py",
        "_getsignal(SIGINT) is _DEFAULT_SIGINT and not set_from_c():",
        "_getsignal(SIGINT) is _DEFAULT_SIGINT:",
        "tests/test_sync_interrupt.py tests/test_facade_sigint.py",
    ),
    (
        "piggy_sync/_signals.py",
        "return bool(words[0] != python_handler)",
        "return bool(words[0] == python_handler)",
        "tests/test_sync_interrupt.py tests/test_facade_sigint.py",
    ),
    (
        "piggy_sync/_signals.py",
        "    sigaction(SIGINT, before, None)  # ...and the OS's",
        "    pass  # ...and the OS's",
        "tests/test_sync_interrupt.py tests/test_facade_sigint.py",
    ),
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
