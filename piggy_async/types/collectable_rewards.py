"""Models of Piggy's ``collectable-rewards`` docs page."""

from __future__ import annotations

from ._base import _Model
from .loyalty_transactions import TransactionContact
from .rewards import Reward

__all__ = ["CollectableReward"]


class CollectableReward(_Model):
    """A physical reward reception waiting to be collected by the contact."""

    uuid: str
    title: str | None = None
    contact: TransactionContact | None = None
    reward: Reward | None = None
    created_at: str | None = None
    expires_at: str | None = None
    has_been_collected: bool | None = None
