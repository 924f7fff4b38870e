"""Models out to plain data: ``to_dict()``/``to_json()``, and Pydantic/FastAPI support.

Every model (a msgspec ``Struct``) gets these through :class:`SerializableModel`, a mixin of
the models' base class. Pydantic is not a dependency: its ``pydantic_core`` is imported only
when Pydantic itself asks a model for its schema (``TypeAdapter(Contact)``, a FastAPI
``response_model=Contact`` or ``-> Contact`` route, a Pydantic model with a ``Contact`` field).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, get_origin

import msgspec

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic_core import CoreSchema

__all__ = ["SerializableModel", "json_schema", "to_builtins", "to_dict", "to_json"]

M = TypeVar("M", bound=msgspec.Struct)

_ENCODER = msgspec.json.Encoder()


def _builtins_hook(value: Any) -> Any:
    # Raw JSON kept undecoded on a model (a lazily decoded field) becomes builtins too.
    if isinstance(value, msgspec.Raw):
        return msgspec.json.decode(value)
    raise NotImplementedError(f"cannot convert {type(value).__name__} to builtins")


def to_builtins(value: Any) -> Any:
    """Any model, list of models or mapping of them as JSON-ready builtins."""
    return msgspec.to_builtins(value, enc_hook=_builtins_hook)


def to_dict(model: msgspec.Struct) -> dict[str, Any]:
    """The model as JSON-ready builtins (dicts, lists, str, int, float, bool, None), every
    field included, nested models converted too (``msgspec.to_builtins``)."""
    out: dict[str, Any] = to_builtins(model)
    return out


def to_json(model: msgspec.Struct) -> str:
    """The model as a JSON text, every field included."""
    return _ENCODER.encode(model).decode("utf-8")


def from_data(cls: type[M], value: Any, target: Any = None) -> M:
    """``value`` as a ``cls``: an instance as it is, a mapping (or JSON text) converted to
    ``target`` (``cls`` or a parametrised form of it, e.g. ``Page[Contact]``)."""
    if isinstance(value, cls):
        return value
    if isinstance(value, (str, bytes, bytearray)):
        decoded: M = msgspec.json.decode(value, type=target or cls)
        return decoded
    converted: M = msgspec.convert(value, target or cls)
    return converted


def json_schema(cls: type[msgspec.Struct]) -> dict[str, Any]:
    """The model's JSON Schema with every nested model inlined (no ``$ref``), so that a host
    schema (OpenAPI components, a Pydantic model) can embed it as it is."""
    (ref,), components = msgspec.json.schema_components([cls], ref_template="{name}")
    schema: dict[str, Any] = _inline(ref, components)
    return schema


def _inline(node: Any, components: dict[str, Any]) -> Any:
    """``node`` with each ``$ref`` replaced by its component (no model of Piggy's API is
    recursive: tests/test_cov_models.py checks that every model's schema inlines)."""
    if isinstance(node, list):
        return [_inline(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    name = node.get("$ref")
    if isinstance(name, str) and name in components:
        return _inline(components[name], components)
    return {key: _inline(value, components) for key, value in node.items()}


class SerializableModel:
    """Mixin of every model: ``to_dict()``, ``to_json()`` and the Pydantic schema hooks."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready builtins, every field included (for ``json.dumps``, a
        web framework's response, a log record you build yourself)."""
        return to_dict(self)  # type: ignore[arg-type]

    def to_json(self) -> str:
        """This model as a JSON text, every field included."""
        return to_json(self)  # type: ignore[arg-type]

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """Pydantic support: validates an instance, a mapping or JSON into this model and
        serialises it through :func:`to_dict`."""
        from pydantic_core import core_schema

        target = source if get_origin(source) is cls else cls

        def validate(value: Any) -> Any:
            try:
                return from_data(cls, value, target)  # type: ignore[type-var]
            except (msgspec.ValidationError, msgspec.DecodeError) as exc:
                raise ValueError(f"not a valid {cls.__name__}: {exc}") from None

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                to_builtins, when_used="always"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        """Pydantic support: the model's JSON Schema (for FastAPI's OpenAPI document)."""
        return json_schema(cls)  # type: ignore[arg-type]
