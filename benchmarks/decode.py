"""Decode of a Contact from bytes, in one process: ``python -m benchmarks.decode [--quick]``.

Every decoder decodes every payload in short interleaved batches (the order rotates each
round), timed in process CPU time. Prints ``{"samples": {payload: {decoder: [µs per decode, one per round]}},
"retained": {payload: {decoder: KiB}}}``. Exits 3 if a decoder reads a payload differently.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import msgspec
import orjson

from benchmarks.payloads import decode_payloads
from benchmarks.peers import PContactEnvelope
from piggy_async import Contact
from piggy_async._decode import _Envelope, decode_data

OURS = "ours"
OURS_READ = "ours, attributes read"
OURS_EAGER = "ours, eager"


class WrongResult(Exception):
    """A contender decoded something different: the benchmark is void."""


def _ours_read(raw: bytes) -> Any:
    contact = decode_data(Contact, raw)
    contact.attributes  # noqa: B018 - the deprecated list is decoded on this first read
    return contact


def decoders() -> dict[str, Callable[[bytes], Any]]:
    untyped = msgspec.json.Decoder()
    eager = msgspec.json.Decoder(_Envelope[Contact])  # attributes typed upfront, as before
    return {
        OURS: lambda raw: decode_data(Contact, raw),
        OURS_READ: _ours_read,
        OURS_EAGER: eager.decode,
        "json.loads": json.loads,
        "orjson.loads": orjson.loads,
        "msgspec untyped": untyped.decode,
        "pydantic": PContactEnvelope.model_validate_json,
    }


def _agrees(ours: Any, expected: Any, path: str = "$") -> None:
    """Everything ours kept equals the JSON; what the JSON lacks is an empty default."""
    if isinstance(ours, dict) and isinstance(expected, dict):
        for key, value in ours.items():
            if key in expected:
                _agrees(value, expected[key], f"{path}.{key}")
            elif value not in (None, [], {}, False):
                raise WrongResult(f"ours invented {path}.{key} = {value!r}")
    elif isinstance(ours, list) and isinstance(expected, list) and len(ours) == len(expected):
        for i, (a, b) in enumerate(zip(ours, expected, strict=True)):
            _agrees(a, b, f"{path}[{i}]")
    elif ours != expected:
        raise WrongResult(f"ours decoded {path} as {ours!r}, the JSON says {expected!r}")


def check_decoders(raw: bytes) -> None:
    """Every decoder reads ``raw`` alike (ours: once its attributes are read)."""
    contact = decode_data(Contact, raw)
    if len(contact.attributes) != len(json.loads(raw)["data"].get("attributes", [])):
        raise WrongResult("ours read another number of attributes")
    ours = msgspec.to_builtins(contact)
    expected = json.loads(raw)
    _agrees(ours, expected["data"], "$.data")
    pyd = PContactEnvelope.model_validate_json(raw).data.model_dump()
    if pyd != ours:
        raise WrongResult("pydantic decoded the Contact differently from ours")
    if orjson.loads(raw) != expected or msgspec.json.decode(raw) != expected:
        raise WrongResult("orjson or msgspec untyped parse differs from json.loads")


def _calibrate(fn: Callable[[bytes], Any], raw: bytes, budget: float) -> int:
    """How many calls take about ``budget`` seconds."""
    number = 1
    while True:
        started = time.perf_counter()
        for _ in range(number):
            fn(raw)
        elapsed = time.perf_counter() - started
        if elapsed >= budget / 4 or number >= 1 << 20:
            return max(1, int(number * budget / max(elapsed, 1e-9)))
        number *= 4


def _timed(fn: Callable[[bytes], Any], raw: bytes, number: int) -> float:
    """µs of CPU per call: CPU time, not wall, so that other processes taking the core
    away (a shared machine) do not count."""
    gc.collect()
    started = time.process_time()
    for _ in range(number):
        fn(raw)
    return (time.process_time() - started) / number * 1e6


def retained_kib(fn: Callable[[bytes], Any], raw: bytes, copies: int = 100) -> float:
    """Traced memory kept per decoded object (100 kept alive at once), each decoded from
    its own copy of the body, as each response has its own: a decoder that keeps a
    reference into its body keeps the body."""
    gc.collect()
    tracemalloc.start()
    start, _ = tracemalloc.get_traced_memory()
    kept = [fn(bytes(bytearray(raw))) for _ in range(copies)]
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return (current - start) / copies / 1024


def run(quick: bool, rounds: int, budget: float) -> dict[str, Any]:
    payloads = decode_payloads(quick)
    fns = decoders()
    samples: dict[str, dict[str, list[float]]] = {}
    retained: dict[str, dict[str, float]] = {}
    for label, raw in payloads.items():
        check_decoders(raw)
        numbers = {name: _calibrate(fn, raw, budget) for name, fn in fns.items()}
        series: dict[str, list[float]] = {name: [] for name in fns}
        names = list(fns)
        for r in range(rounds):
            k = r % len(names)
            for name in names[k:] + names[:k]:
                series[name].append(_timed(fns[name], raw, numbers[name]))
        samples[label] = series
        if label in ("seed pretty", "large"):
            retained[label] = {
                name: retained_kib(fns[name], raw)
                for name in (OURS, OURS_READ, "json.loads", "pydantic")
            }
    return {"samples": samples, "retained": retained}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--budget", type=float, default=0.03, help="seconds per batch")
    args = parser.parse_args(argv)
    try:
        out = run(args.quick, args.rounds, args.budget)
    except WrongResult as exc:
        print(f"wrong result: {exc}", file=sys.stderr)
        return 3
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
