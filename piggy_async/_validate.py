"""Argument checks that resources run before any I/O: a bad argument is a ValueError."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import quote

__all__ = ["check_choice", "check_email", "check_limit", "check_page", "check_text", "segment"]


def check_text(value: object, name: str) -> str:
    """A required, non-blank string argument."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def check_email(value: object, name: str = "email") -> str:
    """An email address: text with one ``@`` that has something on both sides."""
    text = check_text(value, name)
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain or any(c.isspace() for c in text):
        raise ValueError(f"{name} is not an email address: {text!r}")
    return text


def check_choice(value: object, name: str, choices: Collection[str]) -> str:
    """One of a closed set of strings."""
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {allowed}, not {value!r}")
    return str(value)


def check_limit(value: int | None, name: str = "limit", maximum: int = 100) -> int | None:
    """A page size in 1..maximum, or None for Piggy's default."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, not {type(value).__name__}")
    if not 1 <= value <= maximum:
        raise ValueError(f"{name} must be between 1 and {maximum}, not {value}")
    return value


def check_page(value: int | None, name: str = "page") -> int | None:
    """A 1-based page number, or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, not {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be 1 or more, not {value}")
    return value


def segment(value: object, name: str) -> str:
    """A dynamic path segment (a UUID, a name): checked, then percent-encoded whole.

    ``/``, ``?``, ``#``, spaces and unicode are encoded, and ``.``/``..`` too, so that the
    value reaches Piggy as one segment and can never change the path.
    """
    quoted = quote(check_text(value, name), safe="")
    if quoted in (".", ".."):
        quoted = quoted.replace(".", "%2E")
    return quoted
