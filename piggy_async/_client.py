"""``AsyncPiggy``: configuration, lifecycle, ``with_options`` and the resource attributes."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

import aiohttp

from . import _config, _options, _rate
from ._auth import ApiKeyAuth, ClientCredentialsAuth
from ._config import Timeout
from ._hooks import Hook, Observer
from ._raw import NOT_GIVEN, NotGiven
from ._transport import Transport
from .errors import ConfigurationError
from .resources._base import ResourceSlot
from .resources.automations import Automations
from .resources.bookings import Bookings
from .resources.brand_kit import BrandKitResource
from .resources.collectable_rewards import CollectableRewards
from .resources.contact_identifiers import ContactIdentifiers
from .resources.contact_session_tokens import ContactSessionTokens
from .resources.contact_subscriptions import ContactSubscriptions
from .resources.contact_verification import ContactVerification
from .resources.contacts import Contacts
from .resources.contacts_portal import ContactsPortal
from .resources.credit_receptions import CreditReceptions, LoyaltyTokens
from .resources.custom_attributes import ContactAttributes, CustomAttributes
from .resources.forms import Forms
from .resources.giftcard_programs import GiftcardPrograms
from .resources.giftcard_transactions import GiftcardTransactions
from .resources.giftcards import Giftcards
from .resources.loyalty_program import LoyaltyProgramResource
from .resources.loyalty_transaction_attributes import LoyaltyTransactionAttributes
from .resources.loyalty_transactions import LoyaltyTransactions
from .resources.orders import Orders
from .resources.perks import Perks
from .resources.portal_sessions import PortalSessions
from .resources.prepaid_transactions import PrepaidTransactions
from .resources.promotions import PromotionAttributes, Promotions
from .resources.referrals import Referrals
from .resources.reward_receptions import RewardReceptions
from .resources.rewards import RewardAttributes, Rewards
from .resources.shift_teams import ShiftTeams
from .resources.shift_types import ShiftTypes
from .resources.shifts import Shifts
from .resources.shops import Shops
from .resources.subscription_types import SubscriptionTypes
from .resources.tiers import Tiers
from .resources.units import Units
from .resources.visits import Visits
from .resources.vouchers import Vouchers
from .resources.webhooks import WebhookSubscriptions

__all__ = ["AsyncPiggy"]


class AsyncPiggy:
    """The asyncio client of the Piggy REST API.

    ::

        async with AsyncPiggy(api_key="...") as piggy:
            contact = await piggy.contacts.get(uuid)

    Credentials: ``api_key`` (or env ``PIGGY_API_KEY``), or ``client_id`` + ``client_secret``
    for OAuth2 client credentials (or env ``PIGGY_CLIENT_ID`` / ``PIGGY_CLIENT_SECRET``).
    ``base_url`` defaults to env ``PIGGY_BASE_URL``, then ``https://api.piggy.eu/api/v3/oauth/clients``.
    ``timeout``: seconds that bound every phase a call waits for (a free connection, the
    connect, each read), or a :class:`Timeout` (default: connect 5 s, read 30 s, pool 30 s,
    no overall limit; ``Timeout(total=...)`` bounds the whole call, retries and OAuth token
    included). ``max_retries`` (default 2) for transient failures. ``max_connections``
    (default 100): the connection pool shared with ``with_options`` copies.
    ``partner_id``: sent as ``X-Partner-ID``; ``default_headers``: sent with every call.
    ``session``: your own ``aiohttp.ClientSession``, used as is and never closed by the client
    (create it in the loop that makes the calls). ``max_response_bytes`` (default 32 MiB):
    larger answers (counted decoded) fail with ``ResponseTooLargeError``.
    ``allow_insecure_http``: allow plain http to a host that is not loopback.
    ``close_grace`` (default 5 s): how long ``aclose()`` lets calls in flight finish.
    ``max_rate``: at most this many requests/s (every attempt; shared by all copies, bulk or not).
    ``hooks``: callables told of every request, response, retry and finished call (see
    :mod:`piggy_async.hooks`). ``telemetry=True``: OpenTelemetry spans and metrics (needs the
    ``piggy-client[otel]`` extra; see :mod:`piggy_async.otel` and docs/observability.md).
    Every bad setting raises :class:`ConfigurationError` naming it. See docs/timeouts.md.
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
    contact_session_tokens: ContactSessionTokens
    bookings: Bookings
    visits: Visits
    shifts: Shifts
    shift_teams: ShiftTeams
    shift_types: ShiftTypes
    orders: Orders

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
        close_grace: float = _config.DEFAULT_CLOSE_GRACE,
        hooks: Sequence[Hook] | None = None,
        telemetry: bool = False,
        max_rate: float | None = None,
    ) -> None:
        auth = _make_auth(api_key, client_id, client_secret)
        base = _config.check_base_url(base_url, allow_insecure_http)  # (None: env, default)
        _config.check_bool("telemetry", telemetry)
        _config.check_int("max_retries", max_retries, 0)
        _config.check_int("max_connections", max_connections, 1)
        _config.check_int("max_response_bytes", max_response_bytes, 1)
        grace = _config.check_seconds("close_grace", close_grace)
        headers = _config.check_headers(default_headers, partner_id)
        self._init(
            Transport(
                base_url=base,
                auth=auth,
                timeout=Timeout.coerce(timeout),
                max_retries=max_retries,
                pool=_options.pool_for(session, max_connections, grace, base),
                headers=headers,
                max_response_bytes=max_response_bytes,
                rate_limiter=_rate.client_limiter(max_rate),
            ),
            owns_pool=True,
        )
        if hooks is not None or telemetry:
            tracing = None
            if telemetry:
                from .otel import Telemetry

                tracing = Telemetry(base)
            self._transport.observer = Observer(
                () if hooks is None else hooks, tracing, _RESOURCE_NAMES
            )

    def _resource_names(self) -> dict[type, str]:
        """Each resource class and its attribute (``Contacts``: ``contacts``): operation names."""
        return _RESOURCE_NAMES

    def _init(self, transport: Transport, *, owns_pool: bool) -> None:
        self._transport = transport
        self._owns_pool = owns_pool
        self._copies: dict[Any, AsyncPiggy] | None = None  # with_options views, by arguments

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
        """A copy with other settings that shares this client's connection pool, credentials
        and telemetry. Closing the copy does not close the pool; closing this client does.

        Cheap enough to call per request (``piggy.with_options(timeout=2).contacts.get(...)``):
        a copy holds no state of its own, so the same timeout and retries give back the same
        copy. ``hooks`` replaces the list of hooks; ``partner_id`` sets (or with None
        removes) the ``X-Partner-ID`` header; ``extra_headers`` are added to every request
        (for one call's header, pass ``extra_headers=`` to the method instead: no copy),
        ``extra_query`` to every query string, ``extra_body`` to every JSON object body (and
        is the body of a POST/PUT/PATCH without one); each extra adds to the client's own.
        """
        if hooks is None and partner_id is NOT_GIVEN and extra_query is None and extra_body is None:
            if extra_headers is not None and timeout is NOT_GIVEN and max_retries is None:
                return self._with_headers(extra_headers)  # a per-request header, every call
            copies = self._copies
            if copies is None:
                copies = self._copies = {}
            # the arguments as given, and their types (True == 1 == 1.0 must not match)
            key = (timeout, type(timeout), max_retries, type(max_retries), self._transport.sleep)
            try:
                view = copies.get(key)  # a view, kept and reused
            except TypeError:  # unhashable: refused by the checks
                view = None
            if view is None:
                view = self._copy(_options.derived(self._transport, timeout, max_retries))
                if len(copies) < 32:
                    copies[key] = view
            return view if extra_headers is None else view._with_headers(extra_headers)
        transport = _options.customized(
            self._transport,
            _options.Settings(timeout, max_retries, hooks, partner_id),
            extra_headers,
            extra_query,
            extra_body,
            _RESOURCE_NAMES,
        )
        return self._copy(transport)

    def _with_headers(self, headers: Mapping[str, str]) -> AsyncPiggy:
        """A lean copy that sends ``headers`` too (a per-request ``X-Request-ID``, ...)."""
        clone = object.__new__(type(self))
        transport = self._transport.with_headers(headers)
        clone.__dict__ = {"_transport": transport, "_owns_pool": False, "_copies": None}
        return clone

    def _copy(self, transport: Transport) -> AsyncPiggy:
        clone = object.__new__(type(self))
        clone._init(transport, owns_pool=False)
        return clone

    async def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str | int | float | bool | None] | None = None,
        json: Any = None,
        cast_to: Any = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Call an endpoint this client has no method for yet (auth, retries, timeouts,
        hooks and typed errors as usual). ``path`` is relative to ``base_url``
        (``"/contacts/<uuid>/tier"``, percent-encode its values yourself); ``query`` values
        are encoded for you; ``extra_headers``: this call's own. Returns the answer's
        ``data`` decoded into ``cast_to`` (a model class, ``list[Model]``, ...), or as plain
        dicts and lists when ``cast_to`` is None."""
        verb, model = _options.checked_request(method, path, query, cast_to)
        send = self._transport.request
        return await send(verb, path, model, params=query, json=json, headers=extra_headers)

    @property
    def close_grace(self) -> float:
        """Seconds ``aclose()`` lets calls in flight finish before it cancels them."""
        return self._transport.pool.close_grace

    async def aclose(self) -> None:
        """Close the client: new calls fail at once with ``ClientClosedError``; calls in
        flight may finish within ``close_grace`` seconds, then are cancelled (they raise
        ``ClientClosedError``); nothing is retried after; then the pool closes (unless it is
        your session). Idempotent; a ``with_options`` copy's does nothing. The sync
        ``close()`` only refuses new calls (other threads' calls run to their end)."""
        if self._owns_pool:
            auth = self._transport.auth
            await self._transport.pool.aclose()
            if isinstance(auth, ClientCredentialsAuth):
                auth.cancel_flight()

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


_RESOURCES: dict[str, type[Any]] = {
    "contacts": Contacts,
    "contact_identifiers": ContactIdentifiers,
    "contact_attributes": ContactAttributes,
    "custom_attributes": CustomAttributes,
    "contact_verification": ContactVerification,
    "contacts_portal": ContactsPortal,
    "portal_sessions": PortalSessions,
    "subscription_types": SubscriptionTypes,
    "contact_subscriptions": ContactSubscriptions,
    "automations": Automations,
    "credit_receptions": CreditReceptions,
    "reward_receptions": RewardReceptions,
    "loyalty_transactions": LoyaltyTransactions,
    "loyalty_transaction_attributes": LoyaltyTransactionAttributes,
    "loyalty_program": LoyaltyProgramResource,
    "loyalty_tokens": LoyaltyTokens,
    "prepaid_transactions": PrepaidTransactions,
    "rewards": Rewards,
    "reward_attributes": RewardAttributes,
    "collectable_rewards": CollectableRewards,
    "giftcards": Giftcards,
    "giftcard_programs": GiftcardPrograms,
    "giftcard_transactions": GiftcardTransactions,
    "promotions": Promotions,
    "promotion_attributes": PromotionAttributes,
    "vouchers": Vouchers,
    "shops": Shops,
    "tiers": Tiers,
    "units": Units,
    "perks": Perks,
    "forms": Forms,
    "brand_kit": BrandKitResource,
    "referrals": Referrals,
    "webhook_subscriptions": WebhookSubscriptions,
    "contact_session_tokens": ContactSessionTokens,
    "bookings": Bookings,
    "visits": Visits,
    "shifts": Shifts,
    "shift_teams": ShiftTeams,
    "shift_types": ShiftTypes,
    "orders": Orders,
}

_RESOURCE_NAMES: dict[type, str] = {kind: name for name, kind in _RESOURCES.items()}


for _name, _kind in _RESOURCES.items():
    setattr(AsyncPiggy, _name, ResourceSlot(_name, _kind))


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
        _config.check_text("api_key", api_key)
        return ApiKeyAuth(api_key.strip())
    if client_id is not None or client_secret is not None:
        if not client_id or not client_secret:
            raise ConfigurationError("OAuth needs both client_id and client_secret")
        if not isinstance(client_id, str) or not isinstance(client_secret, str):
            raise ConfigurationError("client_id and client_secret must be strings")
        _config.check_text("client_id", client_id)
        _config.check_text("client_secret", client_secret)
        return ClientCredentialsAuth(client_id, client_secret)
    raise ConfigurationError(
        "no Piggy credentials: pass api_key=... (or set PIGGY_API_KEY), or client_id and "
        "client_secret for OAuth2 client credentials"
    )
