"""Extract every Piggy error code from Piggy's API docs into ``piggy_async/_codes.py``.

Reads ``error-handling.md`` (the full list) and the "Possible errors" list under every call
of every page in a copy of Piggy's docs (``/work/shared/piggy-docs`` by default), and writes:

- ``piggy_async/_codes.py``: one row per (code, message) with its meaning family and the
  pages that list it, and the ``ErrorCode`` enum (generated; do not edit by hand);
- the code table of ``docs/errors.md`` (between the ``BEGIN/END GENERATED`` markers).

    python tools/extract_error_codes.py [--docs DIR]          # print the table
    python tools/extract_error_codes.py [--docs DIR] --write  # rewrite both files

The docs are not in the repository, so CI does not rerun this; ``tests/test_error_codes.py``
checks that ``docs/errors.md`` still matches ``piggy_async/_codes.py``.

A family is what a code means to a caller, whatever HTTP status carries it. It is chosen by
the rules in ``FAMILY_RULES`` (first match on the English message), except where
``FAMILY_OVERRIDES`` says otherwise; ``NAME_OVERRIDES`` gives readable enum names where the
message makes a poor one. Every override is listed in ``docs/fidelity.md``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DOCS = Path("/work/shared/piggy-docs")
CODES_MODULE = ROOT / "piggy_async" / "_codes.py"
ERRORS_PAGE = ROOT / "docs" / "errors.md"
BEGIN = "<!-- BEGIN GENERATED CODE TABLE (tools/extract_error_codes.py) -->"
END = "<!-- END GENERATED CODE TABLE -->"

#: (family, pattern on the lower-cased English message); the first match wins.
FAMILY_RULES: tuple[tuple[str, str], ...] = (
    ("invalid_input", r"^invalid input"),
    ("not_found", r"not found|was not found|^no .* found"),
    ("conflict", r"already|in progress"),
    ("insufficient_balance", r"insufficient"),
    ("limit_reached", r"limit|stock .* empty|maximum|max amount|enough redemptions"),
    ("expired", r"expired"),
    ("inactive", r"inactive|not active|not activated|deactivated"),
)

#: (code, English message) -> family, where the rules above would choose wrongly.
FAMILY_OVERRIDES: dict[tuple[int, str], str] = {}

#: (code, English message) -> ErrorCode name, where the message makes a poor or clashing one.
NAME_OVERRIDES: dict[tuple[int, str], str] = {
    (1000, "Internal error."): "INTERNAL_ERROR",
    (1017, "Insufficient credits."): "INSUFFICIENT_CREDITS",
    (1018, "The stock on this reward is empty."): "REWARD_STOCK_EMPTY",
    (1019, "You have reached your claim limit on this reward."): "REWARD_CLAIM_LIMIT_REACHED",
    (1048, "This card was not found"): "CARD_NOT_FOUND",
    (1053, "Account secret is invalid"): "ACCOUNT_SECRET_INVALID",
    (1114, "Only non re-incrementable giftcards can be used in the OAuth Clients API."): (
        "GIFTCARD_RE_INCREMENTABLE_NOT_ALLOWED"
    ),
    (3000, "The token is expired"): "TOKEN_EXPIRED",
    (5002, "This giftcard has expired."): "GIFTCARD_EXPIRED",
    (5003, "Insufficient amount on giftcard."): "GIFTCARD_INSUFFICIENT_AMOUNT",
    (5006, "This giftcard cannot be incremented."): "GIFTCARD_CANNOT_BE_INCREMENTED",
    (5007, "Giftcard not linked to Giftcard Program."): "GIFTCARD_NOT_LINKED_TO_PROGRAM",
    (5008, "Max amount will be exceeded."): "GIFTCARD_MAX_AMOUNT_EXCEEDED",
    (6001, "The POS transaction is already linked to a credit reception."): (
        "POS_TRANSACTION_ALREADY_LINKED"
    ),
    (6007, "The linked template does not contain the right replacement variable."): (
        "TEMPLATE_REPLACEMENT_VARIABLE_MISSING"
    ),
    (7010, "That giftcard is not valid."): "GIFTCARD_NOT_VALID",
    (7011, "User has no access to this account."): "USER_HAS_NO_ACCESS_TO_ACCOUNT",
    (7015, "Shop does not have access to Giftcard Program."): "SHOP_NO_ACCESS_TO_GIFTCARD_PROGRAM",
    (1010, "Card is not activated."): "CARD_NOT_ACTIVATED",
    (1015, "Maximum amount of credits reached."): "MAX_CREDITS_REACHED",
    (55016, "The card is already linked to a member."): "CARD_ALREADY_LINKED_TO_MEMBER",
    (55021, "Only Digital giftcards can by created using the public API."): (
        "ONLY_DIGITAL_GIFTCARDS_ALLOWED"
    ),
    (55024, "This credit reception was not created by this shop."): (
        "CREDIT_RECEPTION_NOT_CREATED_BY_SHOP"
    ),
    (55025, "This is not the giftcards last transaction."): "NOT_LAST_GIFTCARD_TRANSACTION",
    (60011, "Contact identifier is not linked to a contact."): "CONTACT_IDENTIFIER_NOT_LINKED",
    (60014, "Contact identifier is already linked."): "CONTACT_IDENTIFIER_ALREADY_LINKED",
    (60018, "Please submit credits when using v1"): "CREDITS_REQUIRED_IN_V1",
    (60019, "Please submit units when using v2"): "UNITS_REQUIRED_IN_V2",
    (80005, "Voucher code as already been redeemed."): "VOUCHER_ALREADY_REDEEMED",
    (80017, "Voucher is already locked."): "VOUCHER_ALREADY_LOCKED",
    (80019, "Voucher doesn't have enough redemptions left."): "VOUCHER_NO_REDEMPTIONS_LEFT",
    (80300, "Reward not found."): "COLLECTABLE_REWARD_NOT_FOUND",
    (80300, "Reward is expired."): "COLLECTABLE_REWARD_EXPIRED",
    (80531, "Shift with external id already exists for this account."): (
        "SHIFT_EXTERNAL_ID_ALREADY_EXISTS"
    ),
}

#: Words left out of enum names made from messages ("Voucher is inactive." -> VOUCHER_INACTIVE).
_FILLER_WORDS = frozenset({"A", "AN", "THE", "IS", "HAS", "THIS", "THAT"})
_CODE_LINE = re.compile(r"^`(\d+)`$")


@dataclass
class Row:
    """One documented (code, message) pair."""

    code: int
    message: str
    pages: set[str] = field(default_factory=set)
    family: str = "other"
    name: str = ""


def english(message: str) -> str:
    """The English half of a bilingual ``Dutch | English`` message (or the message itself)."""
    return message.rsplit("|", 1)[-1].strip()


def family_of(code: int, message: str) -> str:
    """The meaning family of one documented code and message."""
    text = english(message)
    override = FAMILY_OVERRIDES.get((code, text))
    if override is not None:
        return override
    low = text.lower()
    for family, pattern in FAMILY_RULES:
        if re.search(pattern, low):
            return family
    return "other"


def name_of(code: int, message: str) -> str:
    """The ``ErrorCode`` member name of one documented code and message."""
    text = english(message)
    override = NAME_OVERRIDES.get((code, text))
    if override is not None:
        return override
    words = re.findall(r"[A-Z0-9]+", text.upper())
    return "_".join(word for word in words if word not in _FILLER_WORDS)


def errors_in(lines: list[str]) -> Iterable[tuple[int, str]]:
    """(code, message) pairs of every "Possible errors" list in one page's lines."""
    in_list = False
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if line == "Possible errors":
            in_list = True
        elif line.startswith("#"):
            in_list = False
        elif in_list and (match := _CODE_LINE.match(line)):
            index += 1
            while index < len(lines) and not lines[index].strip():
                index += 1
            yield int(match.group(1)), lines[index].strip().replace("\\|", "|")
        index += 1


def extract(docs: Path) -> list[Row]:
    """Every documented (code, message) row, sorted by code then message."""
    rows: dict[tuple[int, str], Row] = {}
    for page in sorted(docs.glob("*.md")):
        if page.name == "README.md":
            continue
        for code, message in errors_in(page.read_text(encoding="utf-8").splitlines()):
            row = rows.setdefault((code, message), Row(code, message))
            row.pages.add(page.stem)
    for row in rows.values():
        row.family = family_of(row.code, row.message)
        row.name = name_of(row.code, row.message)
    names = [row.name for row in rows.values()]
    clashes = sorted({name for name in names if names.count(name) > 1})
    if clashes:
        raise SystemExit(f"ErrorCode names clash, add NAME_OVERRIDES: {clashes}")
    return sorted(rows.values(), key=lambda row: (row.code, row.message))


def render_module(rows: list[Row]) -> str:
    """The source of ``piggy_async/_codes.py``."""
    out = [
        '"""Every error code in Piggy\'s API docs: code, message, meaning family, pages.',
        "",
        "GENERATED by ``python tools/extract_error_codes.py --write`` from Piggy's docs pages",
        '(error-handling.md and every page\'s "Possible errors"); do not edit by hand.',
        '"""',
        "",
        "# ruff: noqa: E501",
        "",
        "from __future__ import annotations",
        "",
        "import enum",
        "from typing import NamedTuple",
        "",
        '__all__ = ["CODES", "CodeRow", "ErrorCode"]',
        "",
        "",
        "class CodeRow(NamedTuple):",
        '    """One documented code and message, its family and the docs pages that list it."""',
        "",
        "    code: int",
        "    name: str",
        "    message: str",
        "    family: str",
        "    pages: tuple[str, ...]",
        "",
        "",
        "class ErrorCode(enum.IntEnum):",
        '    """Every Piggy error code in the API docs, by name (``err.code == ErrorCode.X``).',
        "",
        "    A code the docs give two meanings has two names (the second an alias).",
        '    """',
        "",
    ]
    out += [f"    {row.name} = {row.code}" for row in rows]
    out += ["", "", "# fmt: off", "CODES: tuple[CodeRow, ...] = ("]
    for row in rows:
        pages = ", ".join(repr(page) for page in sorted(row.pages))
        out.append(
            f"    CodeRow({row.code}, {row.name!r}, {row.message!r}, {row.family!r}, ({pages},)),"
        )
    out += [")", "# fmt: on"]
    return "\n".join(out) + "\n"


def render_table(rows: Iterable[tuple[int, str, str, str, tuple[str, ...]]]) -> str:
    """The Markdown code table of ``docs/errors.md`` (from ``_codes.CODES`` rows)."""
    out = ["| Code | `ErrorCode` | Message | Family | Pages |", "|---|---|---|---|---|"]
    for code, name, message, family, pages in rows:
        text = message.replace("|", "\\|")
        out.append(f"| {code} | `{name}` | {text} | {family} | {', '.join(pages)} |")
    return "\n".join(out) + "\n"


def _format(path: Path) -> None:
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", str(path)], check=True)


def write(rows: list[Row]) -> None:
    """Rewrite ``piggy_async/_codes.py`` and the table in ``docs/errors.md``."""
    CODES_MODULE.write_text(render_module(rows), encoding="utf-8")
    _format(CODES_MODULE)
    table = render_table(
        (row.code, row.name, row.message, row.family, tuple(sorted(row.pages))) for row in rows
    )
    page = ERRORS_PAGE.read_text(encoding="utf-8")
    head, _, rest = page.partition(BEGIN)
    _, _, tail = rest.partition(END)
    ERRORS_PAGE.write_text(f"{head}{BEGIN}\n{table}{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help="Piggy docs pages")
    parser.add_argument("--write", action="store_true", help="rewrite _codes.py and errors.md")
    args = parser.parse_args(argv)
    rows = extract(args.docs)
    if args.write:
        write(rows)
    families = sorted({row.family for row in rows})
    for row in rows:
        print(f"{row.code:>6}  {row.family:<20} {row.name:<40} {row.message}")
    print(f"{len({row.code for row in rows})} codes, {len(rows)} rows, families: {families}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
