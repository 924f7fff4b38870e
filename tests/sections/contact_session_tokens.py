"""contact-session-tokens.md: which method returns each documented example, and what each
call sends. (The one-time use is tested in ``tests/test_contact_session_tokens.py``.)"""

from __future__ import annotations

from . import Call, shape

TOKEN = "12345abcdefg"

EXAMPLES: dict[str, Call] = {
    "Find Contact Session Token": lambda p: p.contact_session_tokens.get(TOKEN),
    "Use Contact Session Token": lambda p: p.contact_session_tokens.use(TOKEN),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("Find Contact Session Token", lambda p: p.contact_session_tokens.get(TOKEN)),
    shape("Use Contact Session Token", lambda p: p.contact_session_tokens.use(TOKEN)),
]
