"""Look up every contact of a CSV file and write JSON Lines, one line per row, in order.

The CSV needs a ``uuid`` column. Each output line is the contact (``to_dict()``), or an
object with the row's ``uuid`` and Piggy's error (``status``, ``code``, ``message``) when
that row failed: a failed row never stops the run.

    PIGGY_API_KEY=... python examples/bulk_csv_to_jsonl.py contacts.csv out.jsonl
"""

from __future__ import annotations

import asyncio
import csv
import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from piggy_async import APIStatusError, AsyncPiggy


def uuids(rows: TextIO) -> Iterator[str]:
    """The ``uuid`` column, read lazily: the file is never held in memory whole."""
    for row in csv.DictReader(rows):
        yield (row.get("uuid") or "").strip()


def failure(uuid: str, error: Exception) -> dict[str, Any]:
    out: dict[str, Any] = {"uuid": uuid, "error": type(error).__name__, "message": str(error)}
    if isinstance(error, APIStatusError):
        out.update(status=error.status_code, code=error.code)
    return out


async def convert(source: TextIO, sink: TextIO, concurrency: int = 16) -> tuple[int, int]:
    """Write one JSON line per CSV row; return (found, failed)."""
    found = failed = 0
    async with AsyncPiggy() as piggy:
        async for result in piggy.contacts.get_many(uuids(source), concurrency=concurrency):
            if result.ok:
                line = result.unwrap().to_dict()
                found += 1
            else:
                assert result.error is not None
                line = failure(result.input, result.error)
                failed += 1
            sink.write(json.dumps(line) + "\n")
    return found, failed


def main(source_path: str, sink_path: str) -> None:
    with open(source_path, newline="") as source, open(sink_path, "w") as sink:
        found, failed = asyncio.run(convert(source, sink))
    print(f"{found} contacts written, {failed} rows failed", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
