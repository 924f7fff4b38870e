"""The ``piggy`` commands other than the bulk job: demo, single lookups, automations,
the fake server."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import time
from collections.abc import AsyncIterator
from typing import IO, Any

import msgspec

from .. import _config
from .._client import AsyncPiggy
from ..testing import FakePiggy
from ._bulkjob import run_bulk_job
from ._input import CLIError
from ._output import Progress, json_line
from ._parser import FAKE_CONTACTS

__all__ = ["cmd_automations", "cmd_contacts", "cmd_demo", "cmd_fake_server"]


@contextlib.asynccontextmanager
async def _client(args: argparse.Namespace) -> AsyncIterator[AsyncPiggy]:
    options: dict[str, Any] = {}
    if getattr(args, "max_rate", None) is not None:
        options["max_rate"] = args.max_rate
    if args.fake:
        fake = FakePiggy(contacts=FAKE_CONTACTS, transactions=5)
        async with fake, fake.client(**options) as piggy:
            yield piggy
        return
    api_key = args.api_key or os.environ.get(_config.ENV_API_KEY)
    has_oauth = os.environ.get(_config.ENV_CLIENT_ID) and os.environ.get(_config.ENV_CLIENT_SECRET)
    if not api_key and not has_oauth:
        raise CLIError(
            "no Piggy credentials: pass --api-key (or set PIGGY_API_KEY, or PIGGY_CLIENT_ID and "
            "PIGGY_CLIENT_SECRET), or use --fake to try the embedded fake server"
        )
    options["base_url"] = args.base_url or os.environ.get(_config.ENV_BASE_URL)
    if api_key:
        options["api_key"] = api_key
    async with AsyncPiggy(**options) as piggy:
        yield piggy


async def cmd_demo(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    started = time.perf_counter()
    async with FakePiggy(contacts=args.contacts, seed=1) as fake:
        uuids = list(fake.store.contacts)
        # A few unknown UUIDs show how per-item errors come back without stopping the run.
        for i in range(0, len(uuids), 500):
            uuids.insert(i, f"unknown-contact-{i}")
        body_bytes = sum(len(fake.store.encoded_contact(u)) for u in fake.store.contacts)
        ready = time.perf_counter()
        err.write(
            f"fake Piggy at {fake.base_url} with {args.contacts} contacts "
            f"(ready in {ready - started:.2f}s)\n"
        )
        progress = Progress(err, len(uuids), "get_many")
        fetched = errors = attributes = 0
        t0 = time.perf_counter()
        async with fake.client() as piggy:
            async for result in piggy.contacts.get_many(
                uuids, concurrency=args.concurrency, on_progress=progress
            ):
                if result.value is not None:
                    fetched += 1
                    attributes += len(result.value.attributes)
                else:
                    errors += 1
        elapsed = time.perf_counter() - t0
        progress.close()
    rate = len(uuids) / elapsed if elapsed else 0.0
    out.write(
        "piggy demo: bulk lookup through piggy-client against the embedded fake server\n"
        f"  contacts fetched   {fetched}\n"
        f"  errors             {errors} (unknown UUIDs, as ContactNotFoundError results)\n"
        f"  attributes decoded {attributes}\n"
        f"  wall time          {elapsed:.2f} s\n"
        f"  requests/second    {rate:,.0f}\n"
        f"  MB decoded         {body_bytes / 1e6:.1f}\n"
        f"  concurrency        {args.concurrency}\n"
        f"  (client and server share one process and one event loop:"
        f" {platform.python_implementation()} {platform.python_version()})\n"
    )
    return 0


async def cmd_contacts(args: argparse.Namespace, out: IO[str], err: IO[str], stdin: IO[str]) -> int:
    async with _client(args) as piggy:
        action = args.action
        if action == "get":
            out.write(json_line(await piggy.contacts.get(args.uuid)) + "\n")
        elif action == "find":
            out.write(json_line(await piggy.contacts.find_one_by(email=args.email)) + "\n")
        elif action == "balance":
            credit = await piggy.contacts.get_credit_balance(args.uuid)
            prepaid = await piggy.contacts.get_prepaid_balance(args.uuid)
            out.write(json_line({"credit": credit, "prepaid": prepaid}) + "\n")
        else:
            return await run_bulk_job(args, piggy, stdin, out, err)
    return 0


async def cmd_automations(
    args: argparse.Namespace, out: IO[str], err: IO[str], stdin: IO[str]
) -> int:
    data: Any = None
    if args.action == "run" and args.data is not None:
        try:
            data = msgspec.json.decode(args.data)
        except msgspec.DecodeError as exc:
            raise CLIError(f"--data is not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise CLIError("--data must be a JSON object")
    async with _client(args) as piggy:
        if args.action == "list":
            for automation in await piggy.automations.list():
                out.write(json_line(automation) + "\n")
        else:
            await piggy.automations.create_run(
                automation_uuid=args.automation, contact_uuid=args.contact, data=data
            )
            out.write(json_line({"ok": True}) + "\n")
    return 0


async def cmd_fake_server(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    fake = FakePiggy(contacts=args.contacts, transactions=5, port=args.port, token=args.token)
    async with fake:
        sample = list(fake.store.contacts)[:3]
        out.write(
            f"fake Piggy listening: base_url {fake.base_url}\n"
            f"  api key (token)  {fake.token}\n"
            f"  OAuth client     {fake.client_id} / {fake.client_secret}\n"
            f"  contacts         {len(fake.store.contacts)} (e.g. {', '.join(sample)})\n"
            f"  try: PIGGY_BASE_URL={fake.base_url} PIGGY_API_KEY={fake.token} "
            f"piggy contacts get {sample[0] if sample else 'UUID'}\n"
            "Ctrl-C stops it.\n"
        )
        out.flush()
        await asyncio.Event().wait()
    return 0  # pragma: no cover - only left through Ctrl-C
