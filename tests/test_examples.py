"""Every example of examples/ runs against the fake server: web apps in-process, scripts as
subprocesses, each bounded in time."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from aiohttp.test_utils import TestClient, TestServer

from piggy_async import PiggyError
from piggy_async.testing import FakePiggy

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TIMEOUT = 90


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def fake_env(fake: FakePiggy, monkeypatch: pytest.MonkeyPatch) -> FakePiggy:
    """The examples read their credentials from the environment: point it at the fake."""
    monkeypatch.setenv("PIGGY_BASE_URL", fake.base_url)
    monkeypatch.setenv("PIGGY_API_KEY", fake.token)
    return fake


@pytest.fixture
def threaded_env(threaded_fake: FakePiggy, monkeypatch: pytest.MonkeyPatch) -> FakePiggy:
    monkeypatch.setenv("PIGGY_BASE_URL", threaded_fake.base_url)
    monkeypatch.setenv("PIGGY_API_KEY", threaded_fake.token)
    return threaded_fake


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )


async def test_aiohttp_service_shares_one_client(fake_env: FakePiggy, contact_uuid: str) -> None:
    example = load("aiohttp_service")
    app = example.make_app()
    async with TestClient(TestServer(app)) as http:
        piggy = app[example.PIGGY]
        response = await http.get(f"/contacts/{contact_uuid}")
        assert response.status == 200
        assert (await response.json())["email"] == fake_env.store.contacts[contact_uuid]["email"]
        balance = await (await http.get(f"/contacts/{contact_uuid}/balance")).json()
        expected = fake_env.store.contacts[contact_uuid]["credit_balance"]["balance"]
        assert balance == {"credits": expected}
        assert (await http.get("/contacts/nobody")).status == 404
        assert app[example.PIGGY] is piggy  # one client for every request
    with pytest.raises(PiggyError, match="closed"):  # closed on cleanup
        await piggy.contacts.get(contact_uuid)


async def test_fastapi_app_with_lifespan(fake_env: FakePiggy, contact_uuid: str) -> None:
    httpx = pytest.importorskip("httpx")
    pytest.importorskip("fastapi")
    app = load("fastapi_app").app
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as http:
            contact = (await http.get(f"/contacts/{contact_uuid}")).json()
            balance = (await http.get(f"/contacts/{contact_uuid}/balance")).json()
            missing = await http.get("/contacts/nobody")
        piggy = app.state.piggy
    assert contact["uuid"] == contact_uuid
    assert contact["email"] == fake_env.store.contacts[contact_uuid]["email"]
    assert balance["balance"] == fake_env.store.contacts[contact_uuid]["credit_balance"]["balance"]
    assert missing.status_code == 404
    with pytest.raises(PiggyError, match="closed"):  # closed at shutdown
        await piggy.contacts.get(contact_uuid)


@pytest.fixture
def flask_example(threaded_env: FakePiggy) -> Iterator[ModuleType]:
    pytest.importorskip("flask")
    example = load("flask_app")
    try:
        yield example
    finally:
        if example._client is not None:
            example._client.close()


def test_flask_view_through_the_sync_client(
    flask_example: ModuleType, threaded_env: FakePiggy
) -> None:
    uuid = next(iter(threaded_env.store.contacts))
    http = flask_example.app.test_client()
    response = http.get(f"/contacts/{uuid}")
    assert response.status_code == 200
    assert response.get_json()["email"] == threaded_env.store.contacts[uuid]["email"]
    expected = threaded_env.store.contacts[uuid]["credit_balance"]["balance"]
    assert http.get(f"/contacts/{uuid}/balance").get_json() == {"credits": expected}
    assert http.get("/contacts/nobody").status_code == 404


def test_multiprocessing_worker(threaded_env: FakePiggy) -> None:
    uuids = list(threaded_env.store.contacts)
    done = run_script(str(EXAMPLES / "worker.py"), *uuids, "nobody")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    expected = [
        f"{u}\t{threaded_env.store.contacts[u]['credit_balance']['balance']}" for u in uuids
    ]
    assert lines == [*expected, "nobody\terror: ContactNotFoundError"]


def test_bulk_csv_to_jsonl(threaded_env: FakePiggy, tmp_path: Path) -> None:
    uuids = list(threaded_env.store.contacts)
    rows = [uuids[0], "nobody", *uuids[1:], ""]
    source, sink = tmp_path / "contacts.csv", tmp_path / "out.jsonl"
    source.write_text("uuid,note\n" + "".join(f"{u},x\n" for u in rows))
    done = run_script(str(EXAMPLES / "bulk_csv_to_jsonl.py"), str(source), str(sink))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in sink.read_text().splitlines()]
    assert len(lines) == len(rows)  # one line per row, in order
    assert [line.get("uuid") for line in lines][:2] == [uuids[0], "nobody"]
    assert lines[0]["email"] == threaded_env.store.contacts[uuids[0]]["email"]
    assert lines[1]["error"] == "ContactNotFoundError"
    assert lines[1]["code"] == 55031
    assert lines[-1]["error"]  # the blank row is an error line, not a dropped one
    assert f"{len(uuids)} contacts written, 2 rows failed" in done.stderr


def test_every_example_is_tested() -> None:
    tested = {"aiohttp_service", "fastapi_app", "flask_app", "worker", "bulk_csv_to_jsonl"}
    assert {p.stem for p in EXAMPLES.glob("*.py")} == tested
