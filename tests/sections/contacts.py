"""contacts.md: which method returns each documented example, and what each call sends."""

from __future__ import annotations

from . import EMAIL, UUID, Call, shape

EXAMPLES: dict[str, Call] = {
    "List Contacts": lambda p: p.contacts.list(page=1, limit=2),
    "Create Contact": lambda p: p.contacts.create(email=EMAIL),
    "Create Contact Async": lambda p: p.contacts.create_deferred(email=EMAIL),
    "Create Anonymous Contact": lambda p: p.contacts.create_anonymous(
        contact_identifier_value="ABCDE12356-90"
    ),
    "Find Contact": lambda p: p.contacts.find_one_by(email=EMAIL),
    "Find or Create Contact": lambda p: p.contacts.find_or_create(email=EMAIL),
    "Find or Create Contact Async": lambda p: p.contacts.find_or_create_deferred(email=EMAIL),
    "Get Contact": lambda p: p.contacts.get(UUID),
    "Update Contact": lambda p: p.contacts.update(UUID, attributes={"firstname": "John"}),
    "Delete Contact": lambda p: p.contacts.delete(UUID, type="DEFAULT"),
    "Claim Anonymous Contact": lambda p: p.contacts.claim_anonymous(UUID, email=EMAIL),
    "Get Credit Balance": lambda p: p.contacts.get_credit_balance(UUID),
    "Get Prepaid Balance": lambda p: p.contacts.get_prepaid_balance(UUID),
    "Get Tier": lambda p: p.contacts.get_tier(UUID),
    "Get Contact Identifiers": lambda p: p.contacts.list_contact_identifiers(UUID),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape(
        "Merge Contact",
        lambda p: p.contacts.merge(source_contact_uuid=UUID, destination_contact_uuid=UUID),
        "source_contact_uuid",
        "destination_contact_uuid",
    ),
    shape("Get Contact Identifiers", lambda p: p.contacts.list_contact_identifiers(UUID)),
    shape("List Contacts", lambda p: p.contacts.list(page=2, limit=10), "page", "limit"),
    shape("Create Contact", lambda p: p.contacts.create(email=EMAIL), "email"),
    shape(
        "Create Contact",
        lambda p: p.contacts.create(email=EMAIL, referral_code="FRIEND"),
        "email",
        "referral_code",
    ),
    shape("Create Contact Async", lambda p: p.contacts.create_deferred(email=EMAIL), "email"),
    shape("Create Anonymous Contact", lambda p: p.contacts.create_anonymous()),
    shape(
        "Create Anonymous Contact",
        lambda p: p.contacts.create_anonymous(contact_identifier_value="ABC"),
        "contact_identifier_value",
    ),
    shape("Find Contact", lambda p: p.contacts.find_one_by(email=EMAIL), "email"),
    shape("Find or Create Contact", lambda p: p.contacts.find_or_create(email=EMAIL), "email"),
    shape(
        "Find or Create Contact Async",
        lambda p: p.contacts.find_or_create_deferred(email=EMAIL),
        "email",
    ),
    shape("Get Contact", lambda p: p.contacts.get(UUID)),
    shape(
        "Update Contact",
        lambda p: p.contacts.update(UUID, attributes={"firstname": "John"}),
        "attributes",
    ),
    shape("Delete Contact", lambda p: p.contacts.delete(UUID, type="GDPR"), "type"),
    shape(
        "Claim Anonymous Contact", lambda p: p.contacts.claim_anonymous(UUID, email=EMAIL), "email"
    ),
    shape("Get Credit Balance", lambda p: p.contacts.get_credit_balance(UUID)),
    shape("Get Prepaid Balance", lambda p: p.contacts.get_prepaid_balance(UUID)),
    shape("Get Tier", lambda p: p.contacts.get_tier(UUID)),
]
