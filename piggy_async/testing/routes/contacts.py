"""The fake server's routes of Piggy's ``contacts`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..._codes import ErrorCode
from ..server_base import contact_not_found, invalid, is_email, ok, piggy_error
from ._base import Routes, definition, paged, required, route

__all__ = ["ContactsRoutes"]


class ContactsRoutes(Routes):
    """Contacts: the fake's answers to the ``contacts`` calls."""

    def email_query(self, request: web.Request) -> str:
        email = request.query.get("email", "")
        if not email:
            raise invalid("email", "The email field is required.")
        if not is_email(email):
            raise invalid("email", "The email must be a valid email address.")
        return email

    def contact_answer(self, contact_uuid: str) -> web.Response:
        return web.Response(
            body=self.store.encoded_contact(contact_uuid), content_type="application/json"
        )

    @route("GET", "/contacts/{uuid}")
    async def get_contact(self, request: web.Request) -> web.Response:
        return self.contact_answer(self.contact_uuid_of(request))

    @route("GET", "/contacts/find-one-by")
    async def find_one_by(self, request: web.Request) -> web.Response:
        email = self.email_query(request)
        contact_uuid = self.store.by_email.get(email.lower())
        if contact_uuid is None:
            raise contact_not_found()
        return self.contact_answer(contact_uuid)

    def find_or_add(self, email: str) -> str:
        contact_uuid = self.store.by_email.get(email.lower())
        if contact_uuid is None:
            contact_uuid = self.store.add_contact(email)["uuid"]
        return contact_uuid

    @route("GET", "/contacts/find-or-create")
    async def find_or_create(self, request: web.Request) -> web.Response:
        return self.contact_answer(self.find_or_add(self.email_query(request)))

    @route("GET", "/contacts/find-or-create/async")
    async def find_or_create_async(self, request: web.Request) -> web.Response:
        return ok({"uuid": self.find_or_add(self.email_query(request))})

    @route("POST", "/contacts/async")
    @route("POST", "/contacts")
    async def create_contact(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        email = body.get("email")
        if not email:
            raise invalid("email", "The email field is required.")
        if not is_email(email):
            raise invalid("email", "The email must be a valid email address.")
        if email.lower() in self.store.by_email:
            raise piggy_error(ErrorCode.CONTACT_ALREADY_EXISTS)
        return ok({"uuid": self.store.add_contact(email)["uuid"]})

    @route("POST", "/contacts/anonymous")
    async def create_anonymous(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        contact = self.store.add_contact(anonymous=True)
        identifier = body.get("contact_identifier_value")
        if identifier is not None:
            contact["current_values"]["default_contact_identifier"] = str(identifier)
            self.store.changed(contact["uuid"])
        return ok({"uuid": contact["uuid"]})

    @route("PUT", "/contacts/{uuid}/claim")
    async def claim_contact(self, request: web.Request) -> web.Response:
        contact_uuid = self.contact_uuid_of(request)
        email = self.body_of(request).get("email")
        if not is_email(email):
            raise invalid("email", "The email must be a valid email address.")
        assert isinstance(email, str)
        existing = self.store.by_email.get(email.lower())
        if existing is not None and existing != contact_uuid:
            # Piggy merges the anonymous contact into the one that has this email.
            anon_balance = self.store.contacts[contact_uuid]["credit_balance"]["balance"]
            target = self.store.contacts[existing]
            target["credit_balance"]["balance"] += anon_balance
            target["current_values"]["loyalty_balance"] = target["credit_balance"]["balance"]
            self.store.transactions[existing][:0] = self.store.transactions.get(contact_uuid, [])
            self.store.remove_contact(contact_uuid, "MERGED")
            self.store.changed(existing)
            return self.contact_answer(existing)
        self.store.set_email(contact_uuid, email)
        return self.contact_answer(contact_uuid)

    @route("PUT", "/contacts/{uuid}")
    async def update_contact(self, request: web.Request) -> web.Response:
        contact_uuid = self.contact_uuid_of(request)
        attributes = self.body_of(request).get("attributes")
        if not isinstance(attributes, dict) or not attributes:
            raise invalid("attributes", "The attributes field is required.")
        known = self.store.attribute_by_name
        values = self.store.contacts[contact_uuid]["current_values"]
        for name in attributes:
            definition = known.get(name)
            if definition is None and name not in values:
                raise invalid(f"attributes.{name}", f"The attribute {name} does not exist.")
            if definition is not None and (
                definition["is_hard_read_only"] or definition["is_soft_read_only"]
            ):
                raise invalid(f"attributes.{name}", f"The attribute {name} is read-only.")
        values.update(attributes)
        self.store.changed(contact_uuid)
        return self.contact_answer(contact_uuid)

    @route("POST", "/contacts/{uuid}/delete")
    async def delete_contact(self, request: web.Request) -> web.Response:
        contact_uuid = self.contact_uuid_of(request)
        how = self.body_of(request).get("type")
        if how not in ("DEFAULT", "GDPR"):
            raise invalid("type", "The selected type is invalid.")
        self.store.remove_contact(contact_uuid, how)
        return ok(None, {})

    @route("POST", "/contacts/merge")
    async def merge_contacts(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "source_contact_uuid", "destination_contact_uuid")
        source = self.contact_of(body["source_contact_uuid"])["uuid"]
        destination = self.contact_of(body["destination_contact_uuid"])["uuid"]
        if source == destination:
            raise invalid("source_contact_uuid", "The source and destination must differ.")
        self.store.merge_contacts(source, destination)
        return ok(None)

    @route("GET", "/contacts/{uuid}/contact-identifiers")
    async def contact_identifiers(self, request: web.Request) -> web.Response:
        contact_uuid = self.contact_uuid_of(request)
        return ok(
            [
                {
                    "name": ident["name"],
                    "value": value,
                    "active": ident["active"],
                    "default": False,
                    "contact": {"uuid": contact_uuid},
                }
                for value, ident in self.store.identifiers.items()
                if ident["contact_uuid"] == contact_uuid
            ]
        )

    @route("GET", "/contacts/{uuid}/credit-balance")
    async def credit_balance(self, request: web.Request) -> web.Response:
        contact = self.store.contacts[self.contact_uuid_of(request)]
        return ok({"balance": contact["credit_balance"]["balance"]})

    @route("GET", "/contacts/{uuid}/prepaid-balance")
    async def prepaid_balance(self, request: web.Request) -> web.Response:
        contact = self.store.contacts[self.contact_uuid_of(request)]
        cents = contact["prepaid_balance"]["balance_in_cents"]
        return ok({"balance_in_cents": cents, "balance": f"€{cents / 100:.2f}"})

    @route("GET", "/contacts")
    async def list_contacts(self, request: web.Request) -> web.Response:
        items = list(self.store.contacts.values())
        sort = request.query.get("sort")
        if sort not in (None, "created_at", "-created_at"):
            raise invalid("sort", "The selected sort is invalid.")
        if sort:
            items.sort(key=lambda c: c["current_values"]["created_at"], reverse=sort[0] == "-")
        for op in ("gt", "gte", "lt", "lte"):
            bound = request.query.get(f"created_at[{op}]")
            if bound:
                items = [c for c in items if _compare(c["current_values"]["created_at"], op, bound)]
        return paged(items, request, 30)

    @route("GET", "/contacts/{uuid}/tier")
    async def contact_tier(self, request: web.Request) -> web.Response:
        return ok(self.contact_of(request.match_info["uuid"])["tier"])

    @route("GET", "/contact-attributes")
    async def list_contact_attributes(self, request: web.Request) -> web.Response:
        return ok(self.store.attributes)

    @route("POST", "/contact-attributes")
    async def create_contact_attribute(self, request: web.Request) -> web.Response:
        attribute = definition(self.body_of(request))
        if attribute["name"] in self.store.attribute_by_name:
            raise invalid("name", "The name has already been taken.")
        self.store.attributes.append(attribute)
        self.store.attribute_by_name[attribute["name"]] = attribute
        return ok(attribute)


def _compare(value: str, op: str, bound: str) -> bool:
    return {"gt": value > bound, "gte": value >= bound, "lt": value < bound, "lte": value <= bound}[
        op
    ]
