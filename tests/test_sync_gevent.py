"""The sync facade under gevent's monkey-patching: patched before and after ``import
piggy_sync``, and a Django ORM call (in-memory SQLite) after a piggy call."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync_standin import THREADS_UNPATCHED, run_script, standin

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("gevent") is None,
    reason="gevent is not installed (pip install gevent): the gevent cases cannot run",
)

# gevent's own warning about modules imported before patching is not ours to judge.
QUIET_GEVENT = """
import warnings
warnings.filterwarnings("ignore", module="gevent")
warnings.filterwarnings("ignore", message=".*monkey.patch.*|.*Monkey-patching.*")
"""


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with standin() as url:
        yield url


def test_patched_first_no_greenlet_sees_a_running_loop(base_url: str, tmp_path: Path) -> None:
    done = run_script(
        """
        from gevent import monkey
        monkey.patch_all()
        import asyncio, gevent
        from piggy_sync import Piggy

        piggy = Piggy(api_key="k", base_url=BASE_URL)
        seen = []

        def work(n):
            seen.append(piggy.contacts.get(f"g{n}").uuid)
            try:
                asyncio.get_running_loop()
                seen.append("a running loop is visible")
            except RuntimeError:
                pass

        jobs = [gevent.spawn(work, n) for n in range(20)]
        gevent.joinall(jobs, timeout=20, raise_error=True)
        print("calls", sorted(seen) == sorted(f"g{n}" for n in range(20)))

        async def main():
            return 42

        print("asyncio.run", asyncio.run(main()))   # no loop leaks into this thread
        by_name = Piggy(api_key="k", base_url=BASE_URL.replace("127.0.0.1", "localhost"))
        print("by name", by_name.contacts.get("dns").uuid)   # getaddrinfo off the hub
        piggy.close()
        """,
        base_url,
        tmp_path,
        prelude=QUIET_GEVENT,
    )
    assert done.returncode == 0, done.stderr
    assert "calls True" in done.stdout
    assert "asyncio.run 42" in done.stdout
    assert "by name dns" in done.stdout
    assert done.stderr == ""


def test_imported_before_patching_concurrent_first_calls(base_url: str, tmp_path: Path) -> None:
    # gunicorn -k gevent --preload: the app (and piggy_sync) is imported, then patched.
    done = run_script(
        """
        from piggy_sync import Piggy
        piggy = Piggy(api_key="k", base_url=BASE_URL)

        from gevent import monkey
        monkey.patch_all()
        import gevent

        jobs = [gevent.spawn(piggy.contacts.get, f"first{n}") for n in range(30)]
        gevent.joinall(jobs, timeout=20)
        print("done", sum(1 for j in jobs if j.successful()), "of", len(jobs))
        print("uuids", sorted(j.value.uuid for j in jobs) == sorted(f"first{n}" for n in range(30)))
        """,
        base_url,
        tmp_path,
        prelude=QUIET_GEVENT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "done 30 of 30" in done.stdout
    assert "uuids True" in done.stdout
    assert done.stderr == ""


@pytest.mark.skipif(importlib.util.find_spec("django") is None, reason="Django not installed")
def test_django_orm_after_a_piggy_call(base_url: str, tmp_path: Path) -> None:
    done = run_script(
        """
        from gevent import monkey
        monkey.patch_all()
        import gevent
        import django
        # Django keeps in-memory SQLite connections open by design (3.13 warns about them).
        warnings.filterwarnings("ignore", "unclosed database", ResourceWarning)
        from django.conf import settings

        settings.configure(
            DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "file:piggy?mode=memory&cache=shared"}},
            INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
            USE_TZ=True,
        )
        django.setup()
        from django.core.management import call_command
        from django.contrib.auth.models import Group
        call_command("migrate", verbosity=0)

        from piggy_sync import Piggy
        piggy = Piggy(api_key="k", base_url=BASE_URL)

        def view(n):                       # a request handler under gunicorn -k gevent
            contact = piggy.contacts.get(f"c{n}")
            Group.objects.create(name=contact.uuid)
            return Group.objects.filter(name=contact.uuid).count()

        jobs = [gevent.spawn(view, n) for n in range(5)]
        gevent.joinall(jobs, timeout=20, raise_error=True)
        print("orm", [j.value for j in jobs])
        """,
        base_url,
        tmp_path,
        prelude=QUIET_GEVENT,
    )
    assert done.returncode == 0, done.stderr
    assert "orm [1, 1, 1, 1, 1]" in done.stdout
    assert done.stderr == ""


def test_a_killed_greenlet_cancels_its_call(base_url: str, tmp_path: Path) -> None:
    done = run_script(
        """
        from gevent import monkey
        monkey.patch_all()
        import gevent
        from piggy_sync import Piggy

        piggy = Piggy(api_key="k", base_url=BASE_URL, timeout=120)
        slow = gevent.spawn(piggy.contacts.get, "slow")     # answered after 60 s
        others = [gevent.spawn(piggy.contacts.get, f"o{n}") for n in range(5)]
        gevent.joinall(others, timeout=20, raise_error=True)
        print("others", [g.value.uuid for g in others])     # not held up by the slow one
        slow.kill(timeout=10)
        print("killed", slow.dead)
        print("next", piggy.contacts.get("after").uuid)
        """,
        base_url,
        tmp_path,
        prelude=QUIET_GEVENT,
        timeout=50,
    )
    assert done.returncode == 0, done.stderr
    assert "others ['o0', 'o1', 'o2', 'o3', 'o4']" in done.stdout
    assert "killed True" in done.stdout
    assert "next after" in done.stdout
    assert done.stderr == ""


def test_sockets_patched_threads_not(base_url: str, tmp_path: Path) -> None:
    # patch_all(thread=False): real threads, gevent's socket and select. Each thread's loop
    # must use the platform's selector (gevent's waits on a hub of that thread's own: calls
    # from several threads timed out connecting).
    script = "from gevent import monkey\nmonkey.patch_all(thread=False)\n" + THREADS_UNPATCHED
    done = run_script(script, base_url, tmp_path, prelude=QUIET_GEVENT)
    assert done.returncode == 0, done.stderr
    assert "main m\ncalls True []" in done.stdout
    assert done.stderr == ""
