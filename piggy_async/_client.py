"""``AsyncPiggy``: configuration, lifecycle, ``with_options`` and the resource attributes."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from . import _config
from ._auth import ApiKeyAuth, ClientCredentialsAuth
from ._config import Timeout
from ._hooks import Hook, Observer
from ._raw import NOT_GIVEN, NotGiven
from ._transport import Pool, Transport
from .errors import ConfigurationError, InvalidArgumentError
from .resources import Resource
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

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
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
    ``hooks``: callables told of every request, response, retry and finished call (see
    :mod:`piggy_async.hooks`). ``telemetry=True``: OpenTelemetry spans and metrics (needs the
    ``piggy-client[otel]`` extra; see :mod:`piggy_async.otel`).
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
        hooks: Sequence[Hook] | None = None,
        telemetry: bool = False,
    ) -> None:
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
        _no_credentials_in(headers, "default_headers")
        self._init(
            Transport(
                base_url=base,
                auth=auth,
                timeout=Timeout.coerce(timeout),
                max_retries=max_retries,
                pool=Pool(session, max_connections),
                headers=headers,
                max_response_bytes=max_response_bytes,
            ),
            owns_pool=True,
        )
        if hooks or telemetry:
            tracing = None
            if telemetry:
                from .otel import Telemetry

                tracing = Telemetry(base)
            self._transport.observer = Observer(hooks or (), tracing, self._resource_names())

    def _resource_names(self) -> dict[type, str]:
        """Each resource class and its attribute (``Contacts``: ``contacts``): operation names."""
        return {type(v): k for k, v in vars(self).items() if isinstance(v, Resource)}

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
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        hooks: Sequence[Hook] | None = None,
        partner_id: str | NotGiven | None = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str | int | float | bool | None] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncPiggy:
        """A copy with other timeouts, retries or hooks (``hooks`` replaces the list) that
        shares this client's connection pool, credentials and telemetry. Closing the copy
        does not close the pool; closing this client does.

        ``partner_id`` sets (or with None removes) the ``X-Partner-ID`` header;
        ``extra_headers`` are added to every request, ``extra_query`` to every query string,
        ``extra_body`` to every JSON object body (and is the body of a POST/PUT/PATCH
        without one); each adds to what this client already has.
        """
        old = self._transport
        retries = old.max_retries if max_retries is None else max_retries
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise ValueError(f"max_retries must be an integer >= 0, not {retries!r}")
        new_timeout = old.timeout if isinstance(timeout, NotGiven) else Timeout.coerce(timeout)
        headers = dict(old.extra_headers)
        if not isinstance(partner_id, NotGiven):
            headers.pop("X-Partner-ID", None)
            if partner_id is not None:
                headers["X-Partner-ID"] = partner_id
        headers.update(extra_headers or {})
        _no_credentials_in(headers, "extra_headers")
        query, body = old.extras or ({}, {})
        transport = Transport(
            base_url=old.base_url,
            auth=old.auth,
            timeout=new_timeout,
            max_retries=retries,
            pool=old.pool,
            headers=headers,
            max_response_bytes=old.max_response_bytes,
            extra_query={**query, **(extra_query or {})},
            extra_body={**body, **(extra_body or {})},
        )
        transport.sleep = old.sleep
        clone = object.__new__(type(self))
        clone._init(transport, owns_pool=False)
        if old.observer is not None:
            observer = old.observer.copy(hooks)
            transport.observer = observer if observer.hooks or observer.tracing else None
        elif hooks:
            transport.observer = Observer(hooks, None, clone._resource_names())
        return clone

    async def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str | int | float | bool | None] | None = None,
        json: Any = None,
        cast_to: Any = None,
    ) -> Any:
        """Call an endpoint this client has no method for yet, with its auth, retries,
        timeouts, hooks and typed errors.

        ``path`` is relative to ``base_url`` (``"/contacts/<uuid>/tier"``, percent-encode
        its values yourself); ``query`` values are encoded for you. Returns the answer's
        ``data`` decoded into ``cast_to`` (a model class, ``list[Model]``, ...), or as plain
        dicts and lists when ``cast_to`` is None.
        """
        verb = method.upper() if isinstance(method, str) else method
        if verb not in _METHODS:
            raise InvalidArgumentError(
                f"method must be one of {', '.join(_METHODS)}, not {method!r}", argument="method"
            )
        if (
            not isinstance(path, str)
            or not path.startswith("/")
            or any(c in path for c in "?#\\ \r\n")
            or any(part in (".", "..") for part in path.split("/"))
        ):
            raise InvalidArgumentError(
                "path must start with / and hold no query, fragment, spaces or . segments "
                "(pass query values as query=)",
                argument="path",
            )
        model = Any if cast_to is None else cast_to
        return await self._transport.request(verb, path, model, params=query, json=json)

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


def _no_credentials_in(headers: Mapping[str, str], argument: str) -> None:
    for name in headers:
        if name.lower() == "authorization":
            raise ConfigurationError(f"pass credentials as api_key, not in {argument}")


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
