"""Models of Piggy's ``loyalty-transactions`` docs page."""

from __future__ import annotations

from typing import Any, ClassVar

from ._base import _Model
from .contacts import CreditBalance
from .shops import Shop
from .units import Unit

__all__ = [
    "CreditReception",
    "DigitalRewardCode",
    "DigitalRewardReception",
    "LoyaltyTransaction",
    "OtherTransaction",
    "RewardReception",
    "RewardRef",
    "TransactionContact",
]


class TransactionContact(_Model):
    """The contact a loyalty transaction belongs to, as embedded in it."""

    uuid: str
    email: str | None = None
    credit_balance: CreditBalance | None = None


class _TransactionBase(_Model, tag_field="type"):
    """Fields every loyalty transaction has; ``type`` is the tag of the subclass."""

    uuid: str
    credits: int | None = None
    created_at: str | None = None
    channel: str | None = None
    contact_identifier: Any = None
    contact: TransactionContact | None = None
    shop: Shop | None = None

    @property
    def type(self) -> str:
        """Piggy's ``type`` of this transaction (``credit_reception``, ...)."""
        return str(self.__struct_config__.tag)


class CreditReception(_TransactionBase, tag="credit_reception"):
    """Credits a contact received (``type`` = ``credit_reception``), for a purchase of
    ``unit_value`` ``unit``. ``attributes`` holds the custom loyalty-transaction
    attributes sent with it, where Piggy echoes them."""

    unit_value: float | None = None
    unit: Unit | None = None
    pos_transaction_uuid: str | None = None
    #: the PHP SDK's name for the POS transaction's id
    pos_transaction_id: str | None = None
    attributes: dict[str, Any] = {}


class RewardRef(_Model):
    """The reward a reception is for; ``attributes`` holds the reward's custom attributes,
    sent beside its fields (docs: reward-receptions, "Create Reward Reception")."""

    __piggy_extras__: ClassVar[str] = "attributes"

    uuid: str | None = None
    reward_type: str | None = None
    title: str | None = None
    id: int | None = None
    description: str | None = None
    media: Any = None
    required_credits: int | None = None
    pre_redeemable: bool | None = None
    expiration_duration: int | None = None
    is_active: bool | None = None
    cost_price: Any = None
    stock: int | None = None
    attributes: dict[str, Any] = {}


class RewardReception(_TransactionBase, tag="reward_reception"):
    """A physical reward a contact spent credits on (``type`` = ``reward_reception``)."""

    title: str | None = None
    reward: RewardRef | None = None
    expires_at: str | None = None
    has_been_collected: bool | None = None


class DigitalRewardCode(_Model):
    """The code of a digital reward."""

    code: str | None = None


class DigitalRewardReception(_TransactionBase, tag="digital_reward_reception"):
    """A digital reward a contact received (``type`` = ``digital_reward_reception``)."""

    title: str | None = None
    digital_reward: RewardRef | None = None
    digital_reward_code: DigitalRewardCode | None = None


class OtherTransaction(_Model):
    """A loyalty transaction of a type this client does not know yet: kept, not dropped.

    ``type`` says what it is; ``data`` holds the whole JSON object.
    """

    type: str
    uuid: str | None = None
    credits: int | None = None
    created_at: str | None = None
    data: dict[str, Any] = {}


#: Any loyalty transaction; dispatch with ``isinstance`` or ``match`` on the class.
LoyaltyTransaction = CreditReception | RewardReception | DigitalRewardReception | OtherTransaction
