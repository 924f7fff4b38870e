"""One module per Piggy API section (named after its docs page); each method states verb,
path, parameters and model. Shared pieces live in ``_base``."""

from __future__ import annotations

from ._base import Resource, compact, created_at_filters, iso

__all__ = ["Resource", "compact", "created_at_filters", "iso"]
