"""The sync facade's connection pools are made like the async client's: a proxy from
HTTPS_PROXY/HTTP_PROXY (NO_PROXY honoured) and bodies inflated by the client itself, with
its bound on the output (a gzip bomb is refused at ``max_response_bytes``)."""

from __future__ import annotations

import asyncio
import gzip
import http.server
import json
import threading
from collections.abc import Iterator

import aiohttp
import pytest

import piggy_sync
from piggy_async import ConfigurationError, ResponseTooLargeError
from piggy_async.testing import FakePiggy


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: list[str]
    body: bytes
    encoding: str | None

    def do_GET(self) -> None:
        self.seen.append(self.path)  # a proxy is asked for the absolute URL
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if self.encoding:
            self.send_header("Content-Encoding", self.encoding)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[type[_Handler], str]]:
    handler = type("Handler", (_Handler,), {"seen": [], "body": b"", "encoding": None})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield handler, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def test_the_sync_client_uses_the_proxy_from_the_environment(
    server: tuple[type[_Handler], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    handler, url = server
    handler.body = json.dumps({"data": []}).encode()
    monkeypatch.setenv("HTTP_PROXY", url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with piggy_sync.Piggy(
        api_key="k", base_url="http://piggy.invalid/api", allow_insecure_http=True, timeout=10
    ) as piggy:
        assert piggy.shops.list() == []
    assert handler.seen == ["http://piggy.invalid/api/shops"]
    monkeypatch.delenv("HTTP_PROXY")  # a client made now, on the same loop, goes direct
    with piggy_sync.Piggy(api_key="k", base_url=f"{url}/api", timeout=10) as direct:
        assert direct.shops.list() == []
    assert handler.seen == ["http://piggy.invalid/api/shops", "/api/shops"]


def test_the_sync_client_inflates_gzip_itself_within_the_cap(
    server: tuple[type[_Handler], str],
) -> None:
    handler, url = server
    handler.encoding = "gzip"
    handler.body = gzip.compress(json.dumps({"data": []}).encode())
    with piggy_sync.Piggy(api_key="k", base_url=url, timeout=10) as piggy:
        assert piggy.shops.list() == []
    handler.body = gzip.compress(b"[" + b" " * 5_000_000 + b"]")  # 5 MB from ~5 KB
    with (
        piggy_sync.Piggy(
            api_key="k", base_url=url, timeout=10, max_response_bytes=100_000, max_retries=0
        ) as piggy,
        pytest.raises(ResponseTooLargeError, match="max_response_bytes=100000"),
    ):
        piggy.shops.list()


def test_each_pool_size_gets_its_own_pool_on_a_loop(threaded_fake: FakePiggy) -> None:
    uuids = list(threaded_fake.store.contacts) * 3
    threaded_fake.faults.latency(0.1, times=len(uuids) * 2, path="/contacts/*")
    with piggy_sync.Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url) as wide:
        assert all(r.ok for r in wide.contacts.get_many(uuids, concurrency=8))
    assert threaded_fake.max_in_flight > 2
    threaded_fake.max_in_flight = 0
    with piggy_sync.Piggy(
        api_key=threaded_fake.token, base_url=threaded_fake.base_url, max_connections=2
    ) as narrow:  # the same thread's loop, which already has the wider pool
        assert all(r.ok for r in narrow.contacts.get_many(uuids, concurrency=8))
    assert threaded_fake.max_in_flight == 2


def test_a_sync_clients_core_refuses_a_loop_of_its_own(threaded_fake: FakePiggy) -> None:
    uuid = next(iter(threaded_fake.store.contacts))
    with piggy_sync.Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url) as piggy:
        with pytest.raises(ConfigurationError) as caught:
            asyncio.run(piggy._async.contacts.get(uuid))
        assert str(caught.value) == "a piggy_sync client runs only through piggy_sync's calls"
        assert piggy.contacts.get(uuid).uuid == uuid


def test_clients_of_one_pool_size_share_that_loops_limit(threaded_fake: FakePiggy) -> None:
    """Two clients of two connections each on one thread's loop, their bulk runs under way at
    once: one pool of that size serves both, so no more than two requests are in flight."""
    uuids = list(threaded_fake.store.contacts) * 3
    threaded_fake.faults.latency(0.05, times=len(uuids) * 2, path="/contacts/*")
    key, url = threaded_fake.token, threaded_fake.base_url
    with (
        piggy_sync.Piggy(api_key=key, base_url=url, max_connections=2) as one,
        piggy_sync.Piggy(api_key=key, base_url=url, max_connections=2) as other,
    ):
        runs = [one.contacts.get_many(uuids, concurrency=2), other.contacts.get_many(uuids)]
        results = [[next(run)] for run in runs]  # both started: their workers run together
        for run, got in zip(runs, results, strict=True):
            got.extend(run)
    assert [len(got) for got in results] == [len(uuids)] * 2
    assert all(r.ok for got in results for r in got)
    assert threaded_fake.max_in_flight == 2


def test_a_sync_client_given_a_session_keeps_it() -> None:
    """A session the user passes is used as it is: not replaced by the loops' own pools."""
    from piggy_sync._runtime import LoopPool

    async def make() -> aiohttp.ClientSession:
        return aiohttp.ClientSession()

    loop = asyncio.new_event_loop()
    session = loop.run_until_complete(make())
    try:
        client = piggy_sync.Piggy(api_key="k", base_url="http://127.0.0.1:9", session=session)
        pool = client._async._transport.pool
        assert not isinstance(pool, LoopPool)
        assert pool.get() is session
        plain = piggy_sync.Piggy(api_key="k", base_url="http://127.0.0.1:9")
        assert isinstance(plain._async._transport.pool, LoopPool)  # the default: the loops'
        plain.close()
    finally:
        loop.run_until_complete(session.close())
        loop.close()
