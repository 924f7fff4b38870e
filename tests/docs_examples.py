"""Parse Piggy's API docs pages (``piggy-docs/*.md``) into one record per documented call.

Each ``### Heading`` of a page is a call: its verb and path, its documented parameters
(``Params`` and ``Body``, each ``REQUIRED`` or ``OPTIONAL``), the JSON after
"Response Example" and the "Possible errors". The copy of the docs lost its code blocks'
line breaks: a run of old line numbers (``1 2 3 ...``) precedes each JSON body, long bodies
end their lines with a Markdown ``\\``, and the JSON has the docs' usual trailing commas
(and sometimes ``...`` placeholders); :func:`repair_json` undoes all of that.

Used by ``tests/test_docs_examples.py`` and ``tests/test_request_shapes.py``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

#: Every documented URL starts with this; paths are kept relative to it.
API_PREFIX = "https://api.piggy.eu/api/"
_CLIENTS_PREFIX = "v3/oauth/clients"
VERBS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
_PARAM_LINE = re.compile(r"^`([A-Za-z0-9_\[\].*-]+)`\s*(?:`([^`]*)`)?$")
_CODE_LINE = re.compile(r"^`(\d+)`$")
#: How the docs flag a parameter; only a bare ``REQUIRED`` counts as required (webhooks
#: "Update Webhook Subscription" has ``REQUIRED | OPTIONAL``, visits ``UNIQUE | OPTIONAL``).
_FLAGS = frozenset(
    {
        "`REQUIRED`",
        "`OPTIONAL`",
        "`REQUIRED_IF`",
        "`REQUIRED_WITHOUT`",
        "`REQUIRED | OPTIONAL`",
        "`UNIQUE | OPTIONAL`",
    }
)
_LINE_NUMBERS = re.compile(r"^`?\d+$")
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


@dataclass(frozen=True)
class Param:
    """One documented parameter: where the docs list it (``params`` or ``body``)."""

    name: str
    type: str
    required: bool
    block: str


@dataclass
class DocCall:
    """One documented call (one ``###`` section of a page)."""

    page: str
    heading: str
    verb: str | None = None
    url: str | None = None
    params: list[Param] = field(default_factory=list)
    example_text: str | None = None
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def where(self) -> str:
        """``page.md`` > ``heading``: how a failure names this call."""
        return f"{self.page}.md > {self.heading}"

    @property
    def path(self) -> str | None:
        """The path relative to ``/api/v3/oauth/clients`` with ``{name}`` placeholders."""
        if self.url is None:
            return None
        rest = self.url.removeprefix(API_PREFIX).lstrip("/")
        rest = rest.removeprefix(_CLIENTS_PREFIX)
        # contact-identifiers "Find Contact Identifier" prints its query in the URL
        rest = rest.split("?", 1)[0]
        rest = re.sub(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}", r"{\1}", rest)
        return "/" + rest.strip("/")

    @property
    def path_params(self) -> list[str]:
        """The ``{name}`` placeholders of the path, in order."""
        return re.findall(r"\{([A-Za-z0-9_]+)\}", self.path or "")

    def path_regex(self) -> re.Pattern[str]:
        """A regex matching a concrete request path of this call."""
        parts = re.split(r"(\{[A-Za-z0-9_]+\})", self.path or "")
        pattern = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
        return re.compile(f"^{pattern}$")

    @property
    def example(self) -> Any:
        """The documented response, repaired and parsed (``None`` when there is none)."""
        return None if self.example_text is None else parse_json(self.example_text)

    def documented_keys(self) -> set[str]:
        """Names of every documented parameter that is not in the path."""
        in_path = set(self.path_params)
        return {p.name.split("[")[0].split(".")[0] for p in self.params} - in_path

    def required_keys(self) -> set[str]:
        in_path = set(self.path_params)
        return {p.name for p in self.params if p.required and "." not in p.name} - in_path


def repair_json(text: str) -> str:
    """Undo the copy's damage: Markdown line breaks, placeholders, trailing commas.

    Also the docs' own slips, each seen in at least one example: a string or key missing its
    closing quote (``"email": "john@doe.com``), a missing comma between two members,
    single-quoted keys, and PHP-style ``[ "key": value ]`` objects.
    """
    lines = [line[:-1] if line.endswith("\\") else line for line in text.splitlines()]
    lines = [line for line in lines if line.strip().rstrip(",") not in ("...", "…")]
    lines = [_close_quote(re.sub(r"'([A-Za-z0-9_]+)':", r'"\1":', line)) for line in lines]
    lines = _bracket_objects(lines)
    for i in range(len(lines) - 1):
        if re.search(r'["}\]\d]$|true$|false$|null$', lines[i].rstrip()) and re.match(
            r'\s*"[^"]*"\s*:', lines[i + 1]
        ):
            lines[i] = lines[i].rstrip() + ","
    body = "\n".join(lines)
    body = re.sub(r"\[\s*(\.\.\.|…)\s*\]", "[]", body)
    body = re.sub(r"\{\s*(\.\.\.|…)\s*\}", "{}", body)
    return _TRAILING_COMMA.sub(r"\1", body)


def _close_quote(line: str) -> str:
    if line.count('"') % 2 == 0:
        return line
    key = re.match(r'^(\s*)"([A-Za-z0-9_]+): ([{\[])$', line.rstrip())
    if key is not None:
        return f'{key.group(1)}"{key.group(2)}": {key.group(3)}'
    return line.rstrip().rstrip(",") + '"'


def _bracket_objects(lines: list[str]) -> list[str]:
    """``[`` opening ``"key": value`` members is an object, ``{`` opening ``{``/``[`` members
    a list: swap such brackets (and their closing ones)."""
    out = list(lines)
    stack: list[str | None] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(("]", "}")) and stack:
            closer = stack.pop()
            if closer is not None:
                out[i] = line.replace(stripped[0], closer, 1)
        if stripped.endswith(("[", "{")):
            following = lines[i + 1].strip() if i + 1 < len(lines) else ""
            opener = stripped[-1]
            swap = None
            if opener == "[" and re.match(r'"[^"]*"\s*:', following):
                swap = "{"
            elif opener == "{" and following in ("{", "["):
                swap = "["
            if swap is not None:
                out[i] = line[: line.rstrip().rfind(opener)] + swap
            stack.append(None if swap is None else ("}" if swap == "{" else "]"))
    return out


def parse_json(text: str) -> Any:
    """Parse a repaired example; a stray closing bracket after the value is ignored."""
    repaired = repair_json(text)
    try:
        return json.loads(repaired)
    except json.JSONDecodeError as exc:
        if not exc.msg.startswith("Extra data"):
            raise
        value, end = json.JSONDecoder().raw_decode(repaired.strip())
        if repaired.strip()[end:].strip(" \n}]"):
            raise
        return value


def _example_at(lines: list[str], start: int) -> tuple[str | None, int]:
    """The JSON text of the code sample that follows ``lines[start]``, and the next index."""
    index = start
    while index < len(lines) and not lines[index].startswith("` `"):
        stripped = lines[index].strip()
        if stripped and stripped != "Show more" and not _LINE_NUMBERS.match(stripped):
            return None, index
        index += 1
    if index >= len(lines):
        return None, index
    body = [lines[index][3:]]
    while not body[-1].rstrip().endswith("`"):
        index += 1
        if index >= len(lines):
            return None, index
        body.append(lines[index])
    body[-1] = body[-1].rstrip()[:-1]
    return "\n".join(body), index + 1


def _param_at(lines: list[str], index: int, block: str) -> tuple[Param | None, int]:
    match = _PARAM_LINE.match(lines[index].strip())
    if match is None:
        return None, index + 1
    flag = index + 1
    while flag < len(lines) and not lines[flag].strip():
        flag += 1
    if flag >= len(lines) or lines[flag].strip() not in _FLAGS:
        return None, index + 1
    # REQUIRED_IF / REQUIRED_WITHOUT (one of several) count as optional here.
    required = lines[flag].strip() == "`REQUIRED`"
    return Param(match.group(1), match.group(2) or "", required, block), flag + 1


def parse_page(path: Path) -> list[DocCall]:
    """Every documented call of one docs page, in page order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    calls: list[DocCall] = []
    block = ""
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if line.startswith("### "):
            calls.append(DocCall(page=path.stem, heading=line[4:].strip()))
            block = ""
        elif not calls:
            pass
        elif line in VERBS and calls[-1].verb is None:
            calls[-1].verb = line
            after = index + 1
            while after < len(lines) and not lines[after].strip():
                after += 1
            url_line = lines[after].strip().strip("`") if after < len(lines) else ""
            if url_line.startswith(API_PREFIX):
                calls[-1].url = url_line
                index = after
        elif line in ("Headers", "Params", "Body", "Possible errors"):
            block = line
        elif line == "Response Example":
            block = ""
            text, index = _example_at(lines, index + 1)
            if calls[-1].example_text is None:
                calls[-1].example_text = text
            continue
        elif block in ("Params", "Body"):
            param, index = _param_at(lines, index, block.lower())
            if param is not None:
                calls[-1].params.append(param)
            continue
        elif block == "Possible errors" and (match := _CODE_LINE.match(line)):
            index += 1
            while index < len(lines) and not lines[index].strip():
                index += 1
            calls[-1].errors.append((int(match.group(1)), lines[index].strip()))
        index += 1
    return [call for call in calls if call.verb is not None]


@cache
def parse_docs(docs: Path) -> tuple[DocCall, ...]:
    """Every documented call of every page under ``docs`` (pages in name order)."""
    out: list[DocCall] = []
    for page in sorted(docs.glob("*.md")):
        if page.name not in ("README.md", "error-handling.md"):
            out.extend(parse_page(page))
    return tuple(out)


def section_name(page: str) -> str:
    """A docs page's stem as the project's section name (``giftcard-programs`` ->
    ``giftcard_programs``): one name for module, models, fake routes, tests and docs page."""
    return page.replace("-", "_")
