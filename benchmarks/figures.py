"""The figures of each suite, from the samples its measuring processes printed."""

from __future__ import annotations

import os
from typing import Any

from benchmarks.stats import Figure, difference, paired, pooled, ratio


def decode_figures(runs: list[dict[str, Any]]) -> list[Figure]:
    figures = []
    for label in runs[0]["samples"]:
        per_payload = [run["samples"][label] for run in runs]
        for peer, goal in (("json.loads", 3.0), ("pydantic", 5.0)):
            figures.append(
                Figure(
                    f"decode {label} vs {peer}",
                    f"decode {label}: {peer} time / ours",
                    samples=paired(per_payload, peer, "ours", ratio),
                    goal=goal,
                    higher_is_better=True,
                )
            )
        figures.append(
            Figure(
                f"decode {label} read vs json.loads",
                f"decode {label}, attributes then read: json.loads time / ours",
                samples=paired(per_payload, "json.loads", "ours, attributes read", ratio),
                higher_is_better=True,
                note="ours keeps `attributes` raw until read; this row decodes and then reads them"
                if label == "seed pretty"
                else "",
            )
        )
        figures.append(
            Figure(
                f"decode {label} read vs eager",
                f"decode {label}: ours, attributes then read / all decoded upfront",
                samples=paired(per_payload, "ours, attributes read", "ours, eager", ratio),
                note="the price of laziness when the attributes are read: decode then read, "
                "against the eager decode this replaced"
                if label == "seed pretty"
                else "",
            )
        )
    return figures


#: Per-call options, each alternated call by call with the same call on settings held
#: beforehand (``clients.per_call_options``): (figure key, sample name, what is measured,
#: note, goal in µs or None: shown, not judged).
PER_CALL: list[tuple[str, str, str, str, float | None]] = [
    (
        "options",
        "options",
        "with_options(timeout=5.0, max_retries=1) per call",
        "against the same view held in a variable",
        5.0,
    ),
    (
        "call headers",
        "call_headers",
        "contacts.get(uuid, extra_headers={X-Request-ID}): a header of this call only",
        "against the same call without it; the per-call way to send a header",
        5.0,
    ),
    (
        "headers",
        "headers",
        "with_options(timeout=5.0, max_retries=1, extra_headers={X-Request-ID}) per call",
        "against the same view held in a variable; a new header every call: a new copy of "
        "the client's settings each time (shown: the per-call way is extra_headers= above)",
        None,
    ),
    (
        "scoped headers",
        "scoped",
        "with request_headers({X-Request-ID}) around each call",
        "against the same call without the block; the request-scoped header a web service "
        "sets once per request in middleware (shown: a block per call is its worst case)",
        None,
    ),
    (
        "timeout value",
        "value",
        "a 5 s timeout view held in a variable",
        "against the client's 30 s default: what the value costs, not the option (the read "
        "timeout is one watchdog per loop, whatever its value)",
        None,
    ),
]


def request_figures(runs: list[dict[str, Any]]) -> list[Figure]:
    samples = [run["samples"] for run in runs]
    figures = [
        Figure(
            "seq cpu",
            "sequential contacts.get: CPU per call / floor",
            samples=paired(samples, "ours_cpu", "floor_cpu", ratio),
            goal=1.10,
            note="tracing off: the line issue 15 asks tracing-off to hold",
        ),
        Figure(
            "sync cpu",
            "sync sequential: CPU per call / async",
            samples=paired(samples, "sync_cpu", "ours_cpu", ratio),
            goal=1.15,
        ),
        Figure(
            "sync cpu diff",
            "sync sequential: CPU per call - async",
            "µs",
            samples=paired(samples, "sync_cpu", "ours_cpu", difference),
            signed=True,
            goal=40.0,
        ),
        *(
            Figure(
                f"{key} diff",
                f"{how}: CPU - its baseline",
                "µs",
                samples=paired(samples, f"pair_{pair}_cpu", f"pair_{pair}_base_cpu", difference),
                signed=True,
                goal=goal,
                note=note,
            )
            for key, pair, how, note, goal in PER_CALL
        ),
    ]
    skipped = runs[0].get("tracing_skipped", "")
    figures.append(
        Figure(
            "tracing diff",
            "tracing on: CPU per call - tracing off",
            "µs",
            samples=paired(samples, "tracing_cpu", "ours_cpu", difference),
            signed=True,
            skipped=skipped,
            note=""
            if skipped
            else "OpenTelemetry SDK providers without processors or readers: "
            "the cost of making spans and metrics, not of exporting them",
        )
    )
    figures.append(
        Figure(
            "seq wall",
            "sequential contacts.get: wall per call / floor",
            samples=paired(samples, "ours_wall", "floor_wall", ratio),
        )
    )
    if "httpx_cpu" in samples[0]:
        figures.append(
            Figure(
                "httpx cpu",
                "httpx + pydantic: CPU per call / ours",
                samples=paired(samples, "httpx_cpu", "ours_cpu", ratio),
                higher_is_better=True,
            )
        )
    return figures


def bulk_figures(runs: list[dict[str, Any]]) -> list[Figure]:
    samples = [run["samples"] for run in runs]
    figures = [
        Figure(
            "bulk cpu",
            "get_many (c=64): CPU per request / 64-worker lean aiohttp floor",
            samples=paired(samples, "ours_cpu", "floor_cpu", ratio),
            goal=1.10,
            note="the floor decodes with our cached Contact decoder (attributes lazy for both)",
        ),
        Figure(
            "bulk rate",
            "get_many: requests/s / floor",
            samples=paired(samples, "ours_rate", "floor_rate", ratio),
            goal=0.90,
            higher_is_better=True,
        ),
        Figure(
            "sync bulk rate",
            "sync get_many: requests/s / async get_many",
            samples=paired(samples, "sync_rate", "ours_rate", ratio),
            goal=0.95,
            higher_is_better=True,
        ),
    ]
    if "floor_ordered_cpu" in samples[0]:
        figures.append(
            Figure(
                "bulk ordered cpu",
                "the floor's requests through BulkRun: CPU per request / floor",
                samples=paired(samples, "floor_ordered_cpu", "floor_cpu", ratio),
            )
        )
    small, big = runs[0]["mem_sizes"]
    for name, label in (("ours", "get_many"), ("sync", "sync get_many")):
        for size in (small, big):
            figures.append(
                Figure(
                    f"mem {name} {size}",
                    f"{label}: traced memory peak during N = {size:,}",
                    "MiB",
                    pooled(samples, f"{name}_mem_{size}"),
                )
            )
        figures.append(
            Figure(
                f"mem {name} growth",
                f"{label}: memory peak at N = {big:,} / at N = {small:,}",
                samples=paired(samples, f"{name}_mem_{big}", f"{name}_mem_{small}", ratio),
                goal=1.25,
            )
        )
    return figures


def import_figures(times: dict[str, list[float]], uncached: dict[str, list[float]]) -> list[Figure]:
    runs = [times]
    setting = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "not set"
    return [
        Figure(
            "import sync",
            "import piggy_sync / import aiohttp (fresh interpreters)",
            samples=paired(runs, "piggy_sync", "aiohttp", ratio),
            goal=1.25,
        ),
        Figure(
            "import async",
            "import piggy_async / import aiohttp (fresh interpreters)",
            samples=paired(runs, "piggy_async", "aiohttp", ratio),
        ),
        Figure(
            "import sync uncached",
            f"import piggy_sync / import aiohttp as this environment runs it "
            f"(PYTHONDONTWRITEBYTECODE {setting})",
            samples=paired([uncached], "piggy_sync", "aiohttp", ratio),
            note="with the variable set, an editable install compiles piggy_async from source "
            "on every import while aiohttp's site-packages bytecode is cached",
        ),
        Figure("import aiohttp ms", "import aiohttp", "ms", times["aiohttp"]),
        Figure("import sync ms", "import piggy_sync", "ms", times["piggy_sync"]),
    ]


def absolute_figures(
    decode: list[dict[str, Any]], requests: list[dict[str, Any]], bulk: list[dict[str, Any]]
) -> list[Figure]:
    """Each contender's own samples (these drift with the machine; the ratios hold)."""
    out = []
    for label in decode[0]["samples"]:
        per_payload = [run["samples"][label] for run in decode]
        for name in per_payload[0]:
            values = pooled(per_payload, name)
            out.append(
                Figure(f"abs decode {label} {name}", f"decode {label}: {name}", "µs", values)
            )
    req = [run["samples"] for run in requests]
    for key in req[0]:
        name, kind = key.rsplit("_", 1)
        what = "CPU" if kind == "cpu" else "wall"
        out.append(
            Figure(f"abs {key}", f"sequential {name}: {what} per call", "µs", pooled(req, key))
        )
    blk = [run["samples"] for run in bulk]
    for key in blk[0]:
        name, kind = key.rsplit("_", 1)
        if kind == "cpu":
            out.append(
                Figure(f"abs bulk {key}", f"bulk {name}: CPU per request", "µs", pooled(blk, key))
            )
        elif kind == "rate":
            out.append(
                Figure(f"abs bulk {key}", f"bulk {name}: requests/s", "req/s", pooled(blk, key))
            )
    return out


def retained_figures(decode: list[dict[str, Any]]) -> list[Figure]:
    out = []
    for label, per_decoder in decode[0]["retained"].items():
        for name in per_decoder:
            values = [run["retained"][label][name] for run in decode]
            out.append(Figure(f"kept {label} {name}", f"{label}: {name}", "KiB", values))
    return out


RATE_NAMES = {
    "get_many": "get_many, defaults",
    "get_many+max_rate": "get_many, max_rate=200",
    "naive": "naive gather + Semaphore(16)",
    "aiolimiter": "naive + aiolimiter(200/s)",
}


def rate_figures(runs: list[dict[str, Any]]) -> list[Figure]:
    """Wall ÷ ideal and 429s of each contender against the 200 req/s token bucket."""
    samples = [run["samples"] for run in runs]
    items = runs[0]["items"]
    share = [
        {n: [100.0 * r / q for r, q in zip(s[f"{n}_429"], s[f"{n}_requests"], strict=True)]}
        for s in samples
        for n in ("get_many+max_rate",)
        if f"{n}_429" in s
    ]
    figures = [
        Figure(
            "rate get_many ideal",
            f"get_many (defaults), {items:,} lookups: wall / ideal",
            samples=pooled(samples, "get_many_ratio"),
            goal=1.10,
            note="ideal = (N - burst) / rate, the least time the 200 req/s bucket allows",
        ),
        Figure(
            "rate get_many vs naive",
            "get_many (defaults): wall / naive script's wall, same round",
            samples=paired(samples, "get_many_ratio", "naive_ratio", ratio),
            goal=1.0,
            note="goal: no slower than the naive script (1.0x, within round-to-round noise)",
        ),
        Figure(
            "rate max_rate 429 share",
            "get_many, max_rate=200: 429s / requests",
            "%",
            pooled(share, "get_many+max_rate"),
            goal=1.0,
        ),
    ]
    for name, label in RATE_NAMES.items():
        if f"{name}_ratio" not in samples[0] or name == "get_many":
            continue
        figures.append(
            Figure(
                f"rate {name} ideal",
                f"{label}: wall / ideal",
                samples=pooled(samples, f"{name}_ratio"),
            )
        )
    for name, label in RATE_NAMES.items():
        if f"{name}_429" in samples[0]:
            figures.append(
                Figure(
                    f"rate {name} 429",
                    f"{label}: 429s received per run",
                    "429s",
                    pooled(samples, f"{name}_429"),
                )
            )
    return figures
