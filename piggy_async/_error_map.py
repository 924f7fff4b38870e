"""Which error class a Piggy error code means: pure data built from ``_codes.CODES``.

A documented code picks its family's class whatever the HTTP status (Piggy sends them all as
400); a few codes keep the specific class users already catch. Two codes carry two meanings
in the docs (80300, 80531): for those the message decides, and an unknown message leaves the
choice to the HTTP status. ``docs/errors.md`` explains the families.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ._codes import CODES, ErrorCode
from .errors import (
    APIStatusError,
    ConflictError,
    ContactNotFoundError,
    ExpiredError,
    InactiveError,
    InsufficientBalanceError,
    InvalidInputError,
    LimitReachedError,
    ModelNotFoundError,
    NotFoundError,
    ShopNotFoundError,
)

__all__ = ["FAMILY_ERRORS", "SPECIFIC_ERRORS", "as_error_code", "code_error_class"]

#: Meaning family (``CodeRow.family``) -> the class every code of that family raises.
#: Family ``other`` is absent: the HTTP status decides.
FAMILY_ERRORS: Mapping[str, type[APIStatusError]] = MappingProxyType(
    {
        "not_found": NotFoundError,
        "conflict": ConflictError,
        "insufficient_balance": InsufficientBalanceError,
        "limit_reached": LimitReachedError,
        "expired": ExpiredError,
        "inactive": InactiveError,
        "invalid_input": InvalidInputError,
    }
)

#: Codes with their own class (a subclass of their family's class).
SPECIFIC_ERRORS: Mapping[int, type[APIStatusError]] = MappingProxyType(
    {
        ErrorCode.INVALID_INPUT: InvalidInputError,
        ErrorCode.SHOP_NOT_FOUND: ShopNotFoundError,
        ErrorCode.CONTACT_NOT_FOUND: ContactNotFoundError,
        ErrorCode.MODEL_NOT_FOUND: ModelNotFoundError,
    }
)


def _normalise(message: str) -> str:
    return message.strip().rstrip(".").casefold()


def _row_class(code: int, family: str) -> type[APIStatusError] | None:
    return SPECIFIC_ERRORS.get(code) or FAMILY_ERRORS.get(family)


def _build() -> tuple[dict[int, type[APIStatusError]], dict[tuple[int, str], type[APIStatusError]]]:
    by_row: dict[tuple[int, str], type[APIStatusError] | None] = {
        (row.code, _normalise(row.message)): _row_class(row.code, row.family) for row in CODES
    }
    by_code: dict[int, set[type[APIStatusError] | None]] = {}
    for (code, _), cls in by_row.items():
        by_code.setdefault(code, set()).add(cls)
    code_map: dict[int, type[APIStatusError]] = {}
    message_map: dict[tuple[int, str], type[APIStatusError]] = {}
    for (code, message), cls in by_row.items():
        if cls is None:
            continue
        if len(by_code[code]) == 1:  # every documented meaning of the code agrees
            code_map[code] = cls
        else:
            message_map[code, message] = cls
    return code_map, message_map


#: Code -> class, for every code whose documented meanings share one class.
CODE_CLASSES: Mapping[int, type[APIStatusError]]
#: (code, normalised message) -> class, for codes the docs give meanings of two families.
MESSAGE_CLASSES: Mapping[tuple[int, str], type[APIStatusError]]
_code_map, _message_map = _build()
CODE_CLASSES = MappingProxyType(_code_map)
MESSAGE_CLASSES = MappingProxyType(_message_map)


def code_error_class(code: int, message: str | None = None) -> type[APIStatusError] | None:
    """The class a Piggy error code (and, for ambiguous codes, its message) means, or None."""
    if message is not None:
        by_message = MESSAGE_CLASSES.get((code, _normalise(message)))
        if by_message is not None:
            return by_message
    return CODE_CLASSES.get(code)


def as_error_code(code: int | None) -> int | None:
    """``code`` as an :class:`ErrorCode` member when the docs list it, else unchanged."""
    if code is None:
        return None
    try:
        return ErrorCode(code)
    except ValueError:
        return code
