"""contact-identifiers.md: which method returns each documented example, and what each call
sends. (The page prints its URLs as ``/api//contact-identifiers``: the client keeps the
``/api/v3/oauth/clients`` prefix, docs/fidelity.md row 10.)"""

from __future__ import annotations

from . import UUID, Call, shape

VALUE = "ABCDE12356-90"

EXAMPLES: dict[str, Call] = {
    "Find Contact Identifier": lambda p: p.contact_identifiers.find_one_by(
        contact_identifier_value=VALUE
    ),
    "Create Contact Identifier": lambda p: p.contact_identifiers.create(
        contact_identifier_value=VALUE, contact_uuid=UUID
    ),
    "Link Contact Identifier": lambda p: p.contact_identifiers.link(
        contact_identifier_value=VALUE, contact_uuid=UUID
    ),
    "Unlink Contact Identifier": lambda p: p.contact_identifiers.unlink(
        contact_identifier_value=VALUE
    ),
    "Update Contact Identifier": lambda p: p.contact_identifiers.update(
        contact_identifier_value=VALUE, contact_identifier_name="Loyalty Card"
    ),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape(
        "Find Contact Identifier",
        lambda p: p.contact_identifiers.find_one_by(contact_identifier_value=VALUE),
        "contact_identifier_value",
    ),
    shape(
        "Create Contact Identifier",
        lambda p: p.contact_identifiers.create(contact_identifier_value=VALUE),
        "contact_identifier_value",
    ),
    shape(
        "Create Contact Identifier",
        lambda p: p.contact_identifiers.create(
            contact_identifier_value=VALUE, contact_uuid=UUID, contact_identifier_name="Card"
        ),
        "contact_identifier_value",
        "contact_uuid",
        "contact_identifier_name",
    ),
    shape(
        "Link Contact Identifier",
        lambda p: p.contact_identifiers.link(contact_identifier_value=VALUE, contact_uuid=UUID),
        "contact_identifier_value",
        "contact_uuid",
    ),
    shape(
        "Unlink Contact Identifier",
        lambda p: p.contact_identifiers.unlink(contact_identifier_value=VALUE),
        "contact_identifier_value",
    ),
    shape(
        "Update Contact Identifier",
        lambda p: p.contact_identifiers.update(contact_identifier_value=VALUE),
        "contact_identifier_value",
    ),
    shape(
        "Update Contact Identifier",
        lambda p: p.contact_identifiers.update(
            contact_identifier_value=VALUE,
            contact_identifier_name="Card",
            contact_identifier_active=False,
        ),
        "contact_identifier_value",
        "contact_identifier_name",
        "contact_identifier_active",
    ),
    shape(
        "Delete Contact Identifier",
        lambda p: p.contact_identifiers.delete(contact_identifier_value=VALUE),
        "contact_identifier_value",
    ),
]
