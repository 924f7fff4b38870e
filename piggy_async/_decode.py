"""Decoding of Piggy's ``{"data": ..., "meta": ...}`` envelope straight from bytes.

One msgspec ``Decoder`` per response type, built once and cached. ``meta`` is skipped
unless the response is a page. PHP's ``[]``/``null`` for an empty map is accepted where a
map is expected (``JSONMap`` fields, page meta).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Generic, TypeVar

import msgspec

from .errors import ResponseDecodeError
from .types import JSONMap, Page, PageMeta

T = TypeVar("T")

__all__ = ["decode_data", "decode_page", "decoder_for", "page_decoder_for"]


class _Envelope(msgspec.Struct, Generic[T], gc=False):
    data: T


class _PageEnvelope(msgspec.Struct, Generic[T], gc=False):
    data: list[T]
    # PHP sends an empty meta as [] (or {} / null).
    meta: PageMeta | list[Any] | None = None


def _dec_hook(tp: type[Any], obj: Any) -> Any:
    if tp is JSONMap:
        if isinstance(obj, dict):
            return JSONMap(obj)
        if obj is None or obj == []:
            return JSONMap()
        raise TypeError(f"Expected `object`, got `{type(obj).__name__}`")
    raise NotImplementedError(f"no decoder for {tp!r}")


@cache
def decoder_for(model: Any) -> msgspec.json.Decoder[Any]:
    """The cached decoder of ``{"data": <model>}``."""
    return msgspec.json.Decoder(_Envelope[model], dec_hook=_dec_hook)


@cache
def page_decoder_for(model: Any) -> msgspec.json.Decoder[Any]:
    """The cached decoder of ``{"data": [<model>...], "meta": {...}}``."""
    return msgspec.json.Decoder(_PageEnvelope[model], dec_hook=_dec_hook)


_PATH = re.compile(r" - at `([^`]*)`$")


def _decode_error(
    exc: Exception, body: bytes, *, endpoint: str, method: str | None, url: str | None
) -> ResponseDecodeError:
    text = str(exc)
    match = _PATH.search(text)
    path = match.group(1) if match else None
    if isinstance(exc, msgspec.ValidationError):
        # msgspec paths start at the envelope: `$.data...` is exactly the body's JSON path.
        reason = _PATH.sub("", text)
        if path is None and "missing required field `data`" in text:
            path = "$"
        message = f"unexpected response from {endpoint}: {reason}" + (f" at {path}" if path else "")
    else:
        message = f"response from {endpoint} is not valid JSON: {text}"
    return ResponseDecodeError(message, method=method, url=url, path=path, body=body)


def decode_data(
    model: Any,
    body: bytes,
    *,
    endpoint: str = "Piggy",
    method: str | None = None,
    url: str | None = None,
) -> Any:
    """Decode the ``data`` of an envelope into ``model``; ``ResponseDecodeError`` if it isn't."""
    try:
        return decoder_for(model).decode(body).data
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise _decode_error(exc, body, endpoint=endpoint, method=method, url=url) from None


def decode_page(
    model: Any,
    body: bytes,
    *,
    endpoint: str = "Piggy",
    method: str | None = None,
    url: str | None = None,
) -> Page[Any]:
    """Decode a list envelope into a :class:`Page` of ``model``."""
    try:
        env = page_decoder_for(model).decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise _decode_error(exc, body, endpoint=endpoint, method=method, url=url) from None
    meta = env.meta if isinstance(env.meta, PageMeta) else PageMeta()
    return Page(items=env.data, meta=meta)
