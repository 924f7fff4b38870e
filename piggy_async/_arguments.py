"""A resource method's type hints, held as the check of its arguments before any I/O.

``Resource.__init_subclass__`` wraps each public method with :func:`checked`: on a call, every
argument the caller passed is held to the method's type hint (``str | None``: text or None;
``int``: an integer, not a bool; ``float``: a finite number; ``Literal[...]``: one of its
values; ``Sequence[X]``: a list or tuple of X; ``datetime``, ``bool``, mappings). Text that
names something (a UUID, a code, a key, a name, a URL: :data:`IDENTIFIES`), and any required
text, must not be blank. A value that does not fit raises ``InvalidArgumentError`` naming the
parameter, before anything is sent: the body and query builders then see only values of
the types the method promises. A method whose body checks every argument itself (the
per-item calls of bulk runs) is left unwrapped, listed in its class's ``_checks_itself``.

A method's plan is made from its hints on its first call, not at import.
"""

from __future__ import annotations

import functools
import inspect
import math
import re
import types
import typing
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, TypeVar

from ._validate import check_text, check_unicode, shown
from .errors import InvalidArgumentError

__all__ = ["IDENTIFIES", "checked", "plan_of"]

F = TypeVar("F", bound=Callable[..., Any])

#: Parameter names whose text identifies something, so blank text is never meant.
IDENTIFIES = re.compile(r"(uuid|_id|^id|email|code|hash|token|key|identifier_value|^name|url)$")

#: ``(accepts, what, items)``: whether a value fits one arm of a hint, how to say what fits,
#: and for a list the arm of its items (to name the first bad one), else None.
Arm = tuple[Callable[[object], bool], str, "Arm | None"]

#: ``(parameter, position or None, check)``: one checked parameter of a method.
Step = tuple[str, "int | None", Callable[[object, str], None]]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_SIMPLE: dict[object, Arm] = {
    str: (lambda v: isinstance(v, str), "text", None),
    int: (_is_int, "an integer", None),
    float: (_is_number, "a number", None),
    bool: (lambda v: isinstance(v, bool), "True or False", None),
    datetime: (lambda v: isinstance(v, datetime), "a datetime", None),
    type(None): (lambda v: v is None, "None", None),
}


def _literal(choices: tuple[object, ...]) -> Arm:
    def accepts(value: object) -> bool:
        return any(type(value) is type(c) and value == c for c in choices)

    return accepts, "one of " + ", ".join(repr(c) for c in choices), None


def _arm(hint: object) -> Arm | None:
    """How to check one arm of a union; None: a hint this module does not check."""
    if hint in _SIMPLE:
        return _SIMPLE[hint]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Literal:
        return _literal(args)
    if origin in (Mapping, dict) or hint in (Mapping, dict):
        return (lambda v: isinstance(v, Mapping)), "a mapping", None
    if origin in (Sequence, list) and len(args) == 1:
        item = _arm(args[0])
        if item is None:
            return None
        accepts, what, _ = item
        of = what.removeprefix("a ").removeprefix("an ")

        def listed(value: object) -> bool:
            return isinstance(value, (list, tuple)) and all(accepts(x) for x in value)

        return listed, f"a list of {of if of == 'text' else of + 's'}", item
    return None


def _arms(hint: object) -> list[Arm] | None:
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    arms = [_arm(h) for h in (typing.get_args(hint) if union else (hint,))]
    return None if any(a is None for a in arms) else arms  # type: ignore[return-value]


def _kind(value: object) -> str:
    """How a message names a value of the wrong type: by its type (``None`` as itself)."""
    return "None" if value is None else type(value).__name__


def _quoted(value: str) -> str:
    """Text that is not one of the choices, as a message may show it: cut short; text with
    an ``@`` (perhaps an e-mail address, personal data) only as ``str``."""
    return "str" if "@" in value else shown(value)


def _misfit(value: object, name: str, arms: list[Arm]) -> InvalidArgumentError:
    """The error for a value no arm accepts: a list names its first item that does not fit
    (``line_items[1] must be a mapping, not str``)."""
    for _, _, item in arms:
        if item is not None and isinstance(value, (list, tuple)):
            index = next(i for i, x in enumerate(value) if not item[0](x))
            return InvalidArgumentError(
                f"{name}[{index}] must be {item[1]}, not {_kind(value[index])}", argument=name
            )
    wanted = " or ".join(what for _, what, _ in arms)
    # (text, not among the choices: shown, so that a typo can be seen)
    shown_value = _quoted(value) if isinstance(value, str) and "one of" in wanted else _kind(value)
    return InvalidArgumentError(f"{name} must be {wanted}, not {shown_value}", argument=name)


def check_for(hint: object, not_blank: bool) -> Callable[[object, str], None] | None:
    """The check of one parameter with type hint ``hint``; None: nothing to check."""
    arms = _arms(hint)
    if arms is None:
        return None

    def check(value: object, name: str) -> None:
        if not any(accepts(value) for accepts, _, _ in arms):
            raise _misfit(value, name, arms)
        if isinstance(value, str):
            if not_blank:
                check_text(value, name)  # (non-blank, valid Unicode)
            else:
                check_unicode(value, name)
        elif isinstance(value, float) and not math.isfinite(value):
            raise InvalidArgumentError(
                f"{name} must be a finite number, not {value}", argument=name
            )

    return check


def plan_of(func: Callable[..., Any]) -> tuple[Step, ...]:
    """The checked parameters of ``func`` (a method: its first parameter is skipped)."""
    hints = typing.get_type_hints(func, localns={"Awaitable": Awaitable, "Any": Any})
    params = list(inspect.signature(func).parameters.values())[1:]
    steps: list[Step] = []
    for index, param in enumerate(params):
        required = param.default is inspect.Parameter.empty
        check = check_for(
            hints.get(param.name, Any), required or bool(IDENTIFIES.search(param.name))
        )
        if check is not None:
            positional = param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
            steps.append((param.name, index if positional else None, check))
    return tuple(steps)


def checked(func: F) -> F:
    """``func`` with its arguments checked against its type hints first (see the module).
    The wrapper's code is named with a leading ``_``, so the hooks' search for the resource
    method that made a call (``_hooks._operation``) passes over its frame."""
    plan: tuple[Step, ...] | None = None

    def check(args: tuple[object, ...], kwargs: dict[str, object]) -> None:
        nonlocal plan
        if plan is None:
            plan = plan_of(func)
        for name, position, step in plan:
            if name in kwargs:
                step(kwargs[name], name)
            elif position is not None and position < len(args):
                step(args[position], name)

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def _checked(self: object, *args: object, **kwargs: object) -> object:
            check(args, kwargs)
            return await func(self, *args, **kwargs)

        return typing.cast(F, _checked)

    @functools.wraps(func)
    def _checked_call(self: object, *args: object, **kwargs: object) -> object:
        check(args, kwargs)
        return func(self, *args, **kwargs)

    return typing.cast(F, _checked_call)
