"""Models of Piggy's ``rewards`` docs page."""

from __future__ import annotations

from typing import Any, ClassVar

from ._base import _Model

__all__ = ["Reward"]


class Reward(_Model):
    """A reward contacts can spend credits on (``reward_type`` PHYSICAL or DIGITAL).

    ``attributes`` holds the reward's custom attributes, which Piggy sends as top-level keys
    beside the fields below (docs: rewards, "Get Reward").
    """

    __piggy_extras__: ClassVar[str] = "attributes"

    uuid: str
    title: str | None = None
    description: str | None = None
    media: Any = None
    active: bool | None = None
    reward_type: str | None = None
    required_credits: int | None = None
    cost_price: Any = None
    is_active: bool | None = None
    stock: int | None = None
    attributes: dict[str, Any] = {}
    id: int | None = None
    #: ``reward_type`` again, in List Rewards (docs: rewards, "List Rewards")
    type: str | None = None
    #: in collectable-rewards and reward-receptions examples
    pre_redeemable: bool | None = None
    expiration_duration: int | None = None
