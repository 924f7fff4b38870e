"""``AsyncPiggy``: configuration, lifecycle, ``with_options`` and the resource attributes."""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import TracebackType
from urllib.parse import urlsplit

import aiohttp

from . import _config
from ._auth import ApiKeyAuth, ClientCredentialsAuth
from ._config import Timeout
from ._rate import RateLimiter, check_rate
from ._transport import Pool, Transport
from .errors import ConfigurationError
from .resources.account import BrandKitResource, Perks, Referrals, Shops, Tiers, Units
from .resources.attributes import (
    ContactAttributes,
    CustomAttributes,
    LoyaltyTransactionAttributes,
    PromotionAttributes,
    RewardAttributes,
)
from .resources.automations import Automations
from .resources.contacts import Contacts
from .resources.engagement import (
    ContactSubscriptions,
    ContactVerification,
    SubscriptionTypes,
    WebhookSubscriptions,
)
from .resources.forms import Forms
from .resources.giftcards import GiftcardPrograms, Giftcards, GiftcardTransactions
from .resources.identifiers import ContactIdentifiers
from .resources.loyalty import (
    CreditReceptions,
    LoyaltyProgramResource,
    LoyaltyTokens,
    LoyaltyTransactions,
    PrepaidTransactions,
    RewardReceptions,
)
from .resources.portal import ContactsPortal, PortalSessions
from .resources.promotions import Promotions, Vouchers
from .resources.rewards import CollectableRewards, Rewards

__all__ = ["AsyncPiggy"]

_NOT_GIVEN: object = object()
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def _check_base_url(base_url: str, allow_insecure: bool) -> str:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"base_url must be an http(s) URL, not {base_url!r}")
    if parts.username or parts.password:
        raise ConfigurationError("base_url must not carry credentials; use api_key")
    host = parts.hostname
    if (
        parts.scheme == "http"
        and not allow_insecure
        and host not in _LOOPBACK
        and not host.startswith("127.")
    ):
        raise ConfigurationError(
            f"base_url {base_url!r} is plain http to a non-loopback host: the API key would "
            "travel in clear text; use https, or pass allow_insecure_http=True"
        )
    return base_url.rstrip("/")


class AsyncPiggy:
    """The asyncio client of the Piggy REST API.

    ::

        async with AsyncPiggy(api_key="...") as piggy:
            contact = await piggy.contacts.get(uuid)

    Credentials: ``api_key`` (or env ``PIGGY_API_KEY``), or ``client_id`` + ``client_secret``
    for OAuth2 client credentials (or env ``PIGGY_CLIENT_ID`` / ``PIGGY_CLIENT_SECRET``).
    ``base_url`` defaults to env ``PIGGY_BASE_URL``, then ``https://api.piggy.eu/api/v3/oauth/clients``.
    ``timeout``: seconds for connect and read, or a :class:`Timeout` (default: connect 5 s,
    read 30 s, no overall limit). ``max_retries`` (default 2) for transient failures.
    ``session``: your own ``aiohttp.ClientSession``, used as is and never closed by the client.
    ``max_rate``: at most this many requests per second (every attempt, retries included),
    shared by every call of this client and its ``with_options`` copies, bulk or not.
    """

    contacts: Contacts
    contact_identifiers: ContactIdentifiers
    contact_attributes: ContactAttributes
    custom_attributes: CustomAttributes
    contact_verification: ContactVerification
    contacts_portal: ContactsPortal
    portal_sessions: PortalSessions
    subscription_types: SubscriptionTypes
    contact_subscriptions: ContactSubscriptions
    automations: Automations
    credit_receptions: CreditReceptions
    reward_receptions: RewardReceptions
    loyalty_transactions: LoyaltyTransactions
    loyalty_transaction_attributes: LoyaltyTransactionAttributes
    loyalty_program: LoyaltyProgramResource
    loyalty_tokens: LoyaltyTokens
    prepaid_transactions: PrepaidTransactions
    rewards: Rewards
    reward_attributes: RewardAttributes
    collectable_rewards: CollectableRewards
    giftcards: Giftcards
    giftcard_programs: GiftcardPrograms
    giftcard_transactions: GiftcardTransactions
    promotions: Promotions
    promotion_attributes: PromotionAttributes
    vouchers: Vouchers
    shops: Shops
    tiers: Tiers
    units: Units
    perks: Perks
    forms: Forms
    brand_kit: BrandKitResource
    referrals: Referrals
    webhook_subscriptions: WebhookSubscriptions

    def __init__(
        self,
        *,
        api_key: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        base_url: str | None = None,
        timeout: float | Timeout | None = _config.DEFAULT_TIMEOUT,
        max_retries: int = _config.DEFAULT_MAX_RETRIES,
        max_connections: int = _config.DEFAULT_MAX_CONNECTIONS,
        partner_id: str | None = None,
        default_headers: Mapping[str, str] | None = None,
        session: aiohttp.ClientSession | None = None,
        max_response_bytes: int = _config.DEFAULT_MAX_RESPONSE_BYTES,
        allow_insecure_http: bool = False,
        max_rate: float | None = None,
    ) -> None:
        rate = check_rate(max_rate)
        auth = _make_auth(api_key, client_id, client_secret)
        base = _check_base_url(
            base_url or os.environ.get(_config.ENV_BASE_URL) or _config.DEFAULT_BASE_URL,
            allow_insecure_http,
        )
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be an integer >= 0, not {max_retries!r}")
        if isinstance(max_connections, bool) or not isinstance(max_connections, int):
            raise TypeError("max_connections must be an integer")
        if max_connections < 1:
            raise ValueError(f"max_connections must be >= 1, not {max_connections}")
        if max_response_bytes < 1:
            raise ValueError("max_response_bytes must be >= 1")
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise TypeError("session must be an aiohttp.ClientSession")
        headers = dict(default_headers or {})
        if partner_id is not None:
            headers["X-Partner-ID"] = partner_id
        for name in headers:
            if name.lower() == "authorization":
                raise ConfigurationError("pass credentials as api_key, not in default_headers")
        self._init(
            Transport(
                base_url=base,
                auth=auth,
                timeout=Timeout.coerce(timeout),
                max_retries=max_retries,
                pool=Pool(session, max_connections),
                headers=headers,
                max_response_bytes=max_response_bytes,
                rate_limiter=None if rate is None else RateLimiter(rate),
            ),
            owns_pool=True,
        )

    def _init(self, transport: Transport, *, owns_pool: bool) -> None:
        self._transport = transport
        self._owns_pool = owns_pool
        self.contacts = Contacts(transport)
        self.contact_identifiers = ContactIdentifiers(transport)
        self.contact_attributes = ContactAttributes(transport)
        self.custom_attributes = CustomAttributes(transport)
        self.contact_verification = ContactVerification(transport)
        self.contacts_portal = ContactsPortal(transport)
        self.portal_sessions = PortalSessions(transport)
        self.subscription_types = SubscriptionTypes(transport)
        self.contact_subscriptions = ContactSubscriptions(transport)
        self.automations = Automations(transport)
        self.credit_receptions = CreditReceptions(transport)
        self.reward_receptions = RewardReceptions(transport)
        self.loyalty_transactions = LoyaltyTransactions(transport)
        self.loyalty_transaction_attributes = LoyaltyTransactionAttributes(transport)
        self.loyalty_program = LoyaltyProgramResource(transport)
        self.loyalty_tokens = LoyaltyTokens(transport)
        self.prepaid_transactions = PrepaidTransactions(transport)
        self.rewards = Rewards(transport)
        self.reward_attributes = RewardAttributes(transport)
        self.collectable_rewards = CollectableRewards(transport)
        self.giftcards = Giftcards(transport)
        self.giftcard_programs = GiftcardPrograms(transport)
        self.giftcard_transactions = GiftcardTransactions(transport)
        self.promotions = Promotions(transport)
        self.promotion_attributes = PromotionAttributes(transport)
        self.vouchers = Vouchers(transport)
        self.shops = Shops(transport)
        self.tiers = Tiers(transport)
        self.units = Units(transport)
        self.perks = Perks(transport)
        self.forms = Forms(transport)
        self.brand_kit = BrandKitResource(transport)
        self.referrals = Referrals(transport)
        self.webhook_subscriptions = WebhookSubscriptions(transport)

    @property
    def base_url(self) -> str:
        """The API root every path is relative to."""
        return self._transport.base_url

    @property
    def timeout(self) -> Timeout:
        """This client's timeouts."""
        return self._transport.timeout

    @property
    def max_retries(self) -> int:
        """How many times a transient failure is retried."""
        return self._transport.max_retries

    def with_options(
        self,
        *,
        timeout: float | Timeout | object | None = _NOT_GIVEN,
        max_retries: int | None = None,
    ) -> AsyncPiggy:
        """A copy with other timeouts or retries that shares this client's connection pool
        and credentials. Closing the copy does not close the pool; closing this client does."""
        old = self._transport
        retries = old.max_retries if max_retries is None else max_retries
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise ValueError(f"max_retries must be an integer >= 0, not {retries!r}")
        new_timeout = old.timeout if timeout is _NOT_GIVEN else Timeout.coerce(timeout)  # type: ignore[arg-type]
        transport = Transport(
            base_url=old.base_url,
            auth=old.auth,
            timeout=new_timeout,
            max_retries=retries,
            pool=old.pool,
            headers=old.extra_headers,
            max_response_bytes=old.max_response_bytes,
            rate_limiter=old.rate_limiter,
        )
        transport.sleep = old.sleep
        clone = object.__new__(type(self))
        clone._init(transport, owns_pool=False)
        return clone

    async def aclose(self) -> None:
        """Close the connection pool (unless it is a session you passed in). Idempotent."""
        if self._owns_pool:
            await self._transport.pool.aclose()

    async def __aenter__(self) -> AsyncPiggy:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, "
            f"auth={self._transport.auth.kind!r}, max_retries={self.max_retries})"
        )


def _make_auth(
    api_key: str | None, client_id: str | None, client_secret: str | None
) -> ApiKeyAuth | ClientCredentialsAuth:
    if api_key is None and client_id is None and client_secret is None:
        api_key = os.environ.get(_config.ENV_API_KEY) or None
        if api_key is None:
            client_id = os.environ.get(_config.ENV_CLIENT_ID) or None
            client_secret = os.environ.get(_config.ENV_CLIENT_SECRET) or None
    if api_key is not None:
        if client_id is not None or client_secret is not None:
            raise ConfigurationError("pass either api_key or client_id + client_secret, not both")
        if not isinstance(api_key, str) or not api_key.strip():
            raise ConfigurationError("api_key must be a non-empty string")
        if any(c in api_key for c in "\r\n"):
            raise ConfigurationError("api_key must not contain line breaks")
        return ApiKeyAuth(api_key.strip())
    if client_id is not None or client_secret is not None:
        if not client_id or not client_secret:
            raise ConfigurationError("OAuth needs both client_id and client_secret")
        return ClientCredentialsAuth(str(client_id), str(client_secret))
    raise ConfigurationError(
        "no Piggy credentials: pass api_key=... (or set PIGGY_API_KEY), or client_id and "
        "client_secret for OAuth2 client credentials"
    )
