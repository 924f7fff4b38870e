"""Contacts: the calls of Piggy's ``contacts`` docs page."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterable, Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

from .._bulk import DEFAULT_CONCURRENCY, BulkRun, ProgressCallback
from .._paging import AsyncPager
from .._validate import check_choice, check_email, check_limit, check_page, check_text, segment
from ..errors import InvalidArgumentError
from ..types import (
    Contact,
    ContactIdentifier,
    ContactRef,
    CreditBalance,
    LoyaltyTransaction,
    Page,
    PrepaidBalance,
    Tier,
)
from ._base import Headers, Resource, compact, created_at_filters

__all__ = ["Contacts"]


DELETE_TYPES = ("DEFAULT", "GDPR")
SORTS = ("created_at", "-created_at")


class Contacts(Resource):
    """Contacts: the people in a Piggy loyalty program."""

    __slots__ = ()
    _checks_itself = frozenset({"get", "find_one_by", "get_credit_balance"})

    async def list(
        self,
        *,
        page: int | None = None,
        limit: int | None = None,
        sort: Literal["created_at", "-created_at"] | None = None,
        created_at_gt: str | datetime | None = None,
        created_at_gte: str | datetime | None = None,
        created_at_lt: str | datetime | None = None,
        created_at_lte: str | datetime | None = None,
        extra_headers: Headers | None = None,
    ) -> Page[Contact]:
        """One page of the account's contacts, optionally sorted and filtered by creation.

        ``GET /contacts?page=&limit=&sort=&created_at[gt|gte|lt|lte]=`` (docs: contacts,
        "List Contacts")."""
        params = {
            "page": check_page(page),
            "limit": check_limit(limit),
            "sort": None if sort is None else check_choice(sort, "sort", SORTS),
            **created_at_filters(created_at_gt, created_at_gte, created_at_lt, created_at_lte),
        }
        return await self._transport.request_page(
            "GET", "/contacts", Contact, params=params, headers=extra_headers
        )

    def iter_all(
        self,
        *,
        sort: Literal["created_at", "-created_at"] | None = None,
        created_at_gt: str | datetime | None = None,
        created_at_gte: str | datetime | None = None,
        created_at_lt: str | datetime | None = None,
        created_at_lte: str | datetime | None = None,
        page_size: int = 100,
    ) -> AsyncPager[Contact]:
        """Every contact of the account, fetching pages as iteration needs them.

        ``GET /contacts`` page after page (docs: contacts, "List Contacts")."""
        check_limit(page_size, "page_size")
        if sort is not None:
            check_choice(sort, "sort", SORTS)

        async def fetch(page: int) -> Page[Contact]:
            return await self.list(
                page=page,
                limit=page_size,
                sort=sort,
                created_at_gt=created_at_gt,
                created_at_gte=created_at_gte,
                created_at_lt=created_at_lt,
                created_at_lte=created_at_lte,
            )

        return AsyncPager(fetch)

    async def get(self, contact_uuid: str, *, extra_headers: Headers | None = None) -> Contact:
        """Get one contact with all its attributes and balances.

        ``GET /contacts/{contact_uuid}`` (docs: contacts, "Get Contact"); unknown UUID:
        ``ContactNotFoundError``."""
        path = f"/contacts/{segment(contact_uuid, 'contact_uuid')}"
        return await self._transport.request("GET", path, Contact, headers=extra_headers)

    async def find_one_by(self, *, email: str, extra_headers: Headers | None = None) -> Contact:
        """Find the contact with this email address.

        ``GET /contacts/find-one-by?email=`` (docs: contacts, "Find Contact"); none:
        ``ContactNotFoundError``."""
        params = {"email": check_email(email)}
        return await self._transport.request(
            "GET", "/contacts/find-one-by", Contact, params=params, headers=extra_headers
        )

    async def create(
        self,
        *,
        email: str,
        referral_code: str | None = None,
        extra_headers: Headers | None = None,
    ) -> ContactRef:
        """Create a contact and return its UUID. ``POST /contacts`` (docs: contacts,
        "Create Contact")."""
        body = {"email": check_email(email), "referral_code": referral_code}
        return await self._transport.request(
            "POST", "/contacts", ContactRef, json=compact(body), headers=extra_headers
        )

    async def create_deferred(
        self,
        *,
        email: str,
        referral_code: str | None = None,
        extra_headers: Headers | None = None,
    ) -> ContactRef:
        """Create a contact quickly; Piggy fills in its system values later.

        ``POST /contacts/async`` (docs: contacts, "Create Contact Async")."""
        body = {"email": check_email(email), "referral_code": referral_code}
        return await self._transport.request(
            "POST", "/contacts/async", ContactRef, json=compact(body), headers=extra_headers
        )

    async def find_or_create(self, *, email: str, extra_headers: Headers | None = None) -> Contact:
        """Get the contact with this email, creating it if there is none.

        ``GET /contacts/find-or-create?email=`` (docs: contacts, "Find or Create Contact")."""
        params = {"email": check_email(email)}
        return await self._transport.request(
            "GET", "/contacts/find-or-create", Contact, params=params, headers=extra_headers
        )

    async def find_or_create_deferred(
        self, *, email: str, extra_headers: Headers | None = None
    ) -> ContactRef:
        """Like :meth:`find_or_create`, faster, answering only the UUID.

        ``GET /contacts/find-or-create/async?email=`` (docs: contacts,
        "Find or Create Contact Async")."""
        params = {"email": check_email(email)}
        return await self._transport.request(
            "GET",
            "/contacts/find-or-create/async",
            ContactRef,
            params=params,
            headers=extra_headers,
        )

    async def create_anonymous(
        self,
        *,
        contact_identifier_value: str | None = None,
        extra_headers: Headers | None = None,
    ) -> ContactRef:
        """Create a contact without an email (for instance for a loyalty card).

        ``POST /contacts/anonymous`` (docs: contacts, "Create Anonymous Contact")."""
        if contact_identifier_value is not None:
            check_text(contact_identifier_value, "contact_identifier_value")
        body = compact({"contact_identifier_value": contact_identifier_value})
        return await self._transport.request(
            "POST", "/contacts/anonymous", ContactRef, json=body, headers=extra_headers
        )

    async def claim_anonymous(
        self,
        anonymous_contact_uuid: str,
        *,
        email: str,
        extra_headers: Headers | None = None,
    ) -> Contact:
        """Give an anonymous contact an email; merged into the existing contact if the email
        is known. ``PUT /contacts/{anonymous_contact_uuid}/claim`` (docs: contacts,
        "Claim Anonymous Contact")."""
        path = f"/contacts/{segment(anonymous_contact_uuid, 'anonymous_contact_uuid')}/claim"
        return await self._transport.request(
            "PUT", path, Contact, json={"email": check_email(email)}, headers=extra_headers
        )

    async def update(
        self,
        contact_uuid: str,
        *,
        attributes: Mapping[str, Any],
        extra_headers: Headers | None = None,
    ) -> Contact:
        """Set contact attributes (``{"firstname": "John"}``); read-only ones are refused.

        ``PUT /contacts/{contact_uuid}`` (docs: contacts, "Update Contact")."""
        path = f"/contacts/{segment(contact_uuid, 'contact_uuid')}"
        if not isinstance(attributes, Mapping) or not attributes:
            raise InvalidArgumentError(
                "attributes must be a non-empty mapping of attribute name to value",
                argument="attributes",
            )
        return await self._transport.request(
            "PUT", path, Contact, json={"attributes": dict(attributes)}, headers=extra_headers
        )

    async def delete(
        self,
        contact_uuid: str,
        *,
        type: Literal["DEFAULT", "GDPR"],
        extra_headers: Headers | None = None,
    ) -> None:
        """Schedule a contact's irreversible removal: ``DEFAULT`` keeps a detailed log,
        ``GDPR`` removes all personal data. ``POST /contacts/{contact_uuid}/delete`` (docs:
        contacts, "Delete Contact")."""
        path = f"/contacts/{segment(contact_uuid, 'contact_uuid')}/delete"
        body = {"type": check_choice(type, "type", DELETE_TYPES)}
        await self._transport.request("POST", path, Any, json=body, headers=extra_headers)

    async def merge(
        self,
        *,
        source_contact_uuid: str,
        destination_contact_uuid: str,
        extra_headers: Headers | None = None,
    ) -> None:
        """Merge the source contact into the destination contact (Piggy schedules it; the
        source ceases to exist; this cannot be undone).

        ``POST /contacts/merge`` (docs: contacts, "Merge Contact").
        """
        body = {
            "source_contact_uuid": check_text(source_contact_uuid, "source_contact_uuid"),
            "destination_contact_uuid": check_text(
                destination_contact_uuid, "destination_contact_uuid"
            ),
        }
        await self._transport.request(
            "POST", "/contacts/merge", Any, json=body, headers=extra_headers
        )

    async def list_contact_identifiers(
        self, contact_uuid: str, *, extra_headers: Headers | None = None
    ) -> builtins.list[ContactIdentifier]:
        """A contact's identifiers (cards, barcodes).

        ``GET /contacts/{contact_uuid}/contact-identifiers`` (docs: contacts, "Get Contact
        Identifiers").
        """
        path = f"/contacts/{segment(contact_uuid, 'contact_uuid')}/contact-identifiers"
        return await self._transport.request(
            "GET", path, builtins.list[ContactIdentifier], headers=extra_headers
        )

    async def get_tier(
        self, contact_uuid: str, *, extra_headers: Headers | None = None
    ) -> Tier | None:
        """The contact's loyalty tier, or None. ``GET /contacts/{contact_uuid}/tier`` (docs:
        contacts, "Get Tier")."""
        path = f"/contacts/{segment(contact_uuid, 'contact_uuid')}/tier"
        result: Tier | None = await self._transport.request(
            "GET", path, Tier | None, headers=extra_headers
        )
        return result

    async def get_credit_balance(
        self, contact_uuid: str, *, extra_headers: Headers | None = None
    ) -> CreditBalance:
        """A contact's loyalty credit balance. ``GET /contacts/{contact_uuid}/credit-balance``
        (docs: contacts, "Get Credit Balance")."""
        path = f"/contacts/{segment(contact_uuid, 'contact_uuid')}/credit-balance"
        return await self._transport.request("GET", path, CreditBalance, headers=extra_headers)

    async def get_prepaid_balance(
        self, contact_uuid: str, *, extra_headers: Headers | None = None
    ) -> PrepaidBalance:
        """A contact's prepaid balance. ``GET /contacts/{contact_uuid}/prepaid-balance``
        (docs: contacts, "Get Prepaid Balance")."""
        # Docs and PHP SDK: /prepaid-balance; the seed page: /prepaid/balance (docs/fidelity.md).
        path = f"/contacts/{segment(contact_uuid, 'contact_uuid')}/prepaid-balance"
        return await self._transport.request("GET", path, PrepaidBalance, headers=extra_headers)

    async def list_loyalty_transactions(
        self,
        contact_uuid: str,
        *,
        page: int | None = None,
        limit: int | None = None,
        type: str | None = None,
        extra_headers: Headers | None = None,
    ) -> Page[LoyaltyTransaction]:
        """One page of a contact's loyalty transactions, newest first (Piggy's default: 10).

        ``GET /contacts/{contact_uuid}/loyalty-transactions?page=&limit=&type=`` (not in
        Piggy's docs: the seeds' contacts page, "List Loyalty Transactions")."""
        path = f"/contacts/{segment(contact_uuid, 'contact_uuid')}/loyalty-transactions"
        params = {"page": check_page(page), "limit": check_limit(limit), "type": type}
        result: Page[LoyaltyTransaction] = await self._transport.request_page(
            "GET", path, LoyaltyTransaction, params=params, headers=extra_headers
        )
        return result

    def iter_loyalty_transactions(
        self, contact_uuid: str, *, type: str | None = None, page_size: int = 100
    ) -> AsyncPager[LoyaltyTransaction]:
        """Every loyalty transaction of a contact, fetching pages as iteration needs them.

        ``GET /contacts/{contact_uuid}/loyalty-transactions`` page after page (not in Piggy's
        docs: see :meth:`list_loyalty_transactions`)."""
        segment(contact_uuid, "contact_uuid")
        check_limit(page_size, "page_size")

        async def fetch(page: int) -> Page[LoyaltyTransaction]:
            return await self.list_loyalty_transactions(
                contact_uuid, page=page, limit=page_size, type=type
            )

        return AsyncPager(fetch)

    def get_many(
        self,
        contact_uuids: Iterable[str] | AsyncIterable[str],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        on_progress: ProgressCallback | None = None,
        ordered: bool = True,
        window: int | None = None,
    ) -> BulkRun[str, Contact]:
        """Get many contacts concurrently: one result per UUID, in input order, each holding
        the ``Contact`` or the item's error (``ContactNotFoundError``, ...).

        ``GET /contacts/{contact_uuid}`` for each; at most ``concurrency`` at once, paced to
        the rate Piggy admits once it answers 429 (see the Bulk docs). ``ordered=False``
        hands results out as they finish; ``window`` bounds how far ahead of the oldest
        undelivered result the run may go. ``async for r in ...`` or ``await ....collect()``
        (docs: contacts, "Get Contact")."""
        return self._bulk(
            self.get,
            contact_uuids,
            concurrency,
            on_progress,
            ordered=ordered,
            window=window,
            decode_at_delivery=True,
        )

    def find_many(
        self,
        emails: Iterable[str] | AsyncIterable[str],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        on_progress: ProgressCallback | None = None,
        ordered: bool = True,
        window: int | None = None,
    ) -> BulkRun[str, Contact]:
        """Find many contacts by email concurrently, one result per email, in input order.

        ``GET /contacts/find-one-by?email=`` for each (docs: contacts, "Find Contact"; see
        :meth:`get_many`)."""

        async def find(email: str) -> Contact:
            return await self.find_one_by(email=email)

        return self._bulk(
            find,
            emails,
            concurrency,
            on_progress,
            name="emails",
            ordered=ordered,
            window=window,
            decode_at_delivery=True,
        )

    def get_many_credit_balances(
        self,
        contact_uuids: Iterable[str] | AsyncIterable[str],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        on_progress: ProgressCallback | None = None,
        ordered: bool = True,
        window: int | None = None,
    ) -> BulkRun[str, CreditBalance]:
        """Credit balances of many contacts concurrently, in input order (``ordered=False``:
        as they finish). ``GET /contacts/{contact_uuid}/credit-balance`` for each (docs:
        contacts, "Get Credit Balance"; see :meth:`get_many`)."""
        get, options = self.get_credit_balance, {"ordered": ordered, "window": window}
        return self._bulk(get, contact_uuids, concurrency, on_progress, **options)
