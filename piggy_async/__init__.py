"""piggy-client: the asyncio client of the Piggy loyalty platform's REST API.

::

    from piggy_async import AsyncPiggy

    async with AsyncPiggy(api_key="...") as piggy:
        contact = await piggy.contacts.get("a1b2...")

The synchronous twin is :mod:`piggy_sync`. Test against :mod:`piggy_async.testing`.
"""

from ._bulk import BulkResult, BulkRun
from ._client import AsyncPiggy
from ._config import DEFAULT_BASE_URL, Timeout
from ._paging import AsyncPager
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    ContactNotFoundError,
    InternalServerError,
    InvalidArgumentError,
    InvalidInputError,
    MaintenanceError,
    ModelNotFoundError,
    NotFoundError,
    PermissionDeniedError,
    PiggyError,
    RateLimitError,
    ResponseDecodeError,
    ResponseTooLargeError,
    ShopNotFoundError,
    UnprocessableEntityError,
)
from .types import (
    Address,
    AttributeDefinition,
    AttributeOption,
    Automation,
    Contact,
    ContactAttribute,
    ContactRef,
    CreditBalance,
    Form,
    JSONMap,
    LoyaltyTransaction,
    Page,
    PageMeta,
    PortalSession,
    PrepaidBalance,
    Shop,
    Subscription,
    SubscriptionType,
    Tier,
    TransactionContact,
    Unit,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "Address",
    "AsyncPager",
    "AsyncPiggy",
    "AttributeDefinition",
    "AttributeOption",
    "AuthenticationError",
    "Automation",
    "BadRequestError",
    "BulkResult",
    "BulkRun",
    "ConfigurationError",
    "ConflictError",
    "Contact",
    "ContactAttribute",
    "ContactNotFoundError",
    "ContactRef",
    "CreditBalance",
    "Form",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidInputError",
    "JSONMap",
    "LoyaltyTransaction",
    "MaintenanceError",
    "ModelNotFoundError",
    "NotFoundError",
    "Page",
    "PageMeta",
    "PermissionDeniedError",
    "PiggyError",
    "PortalSession",
    "PrepaidBalance",
    "RateLimitError",
    "ResponseDecodeError",
    "ResponseTooLargeError",
    "Shop",
    "ShopNotFoundError",
    "Subscription",
    "SubscriptionType",
    "Tier",
    "Timeout",
    "TransactionContact",
    "Unit",
    "UnprocessableEntityError",
    "__version__",
]
