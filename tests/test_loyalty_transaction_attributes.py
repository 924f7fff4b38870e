"""Loyalty transaction attributes (docs page ``loyalty-transaction-attributes``)."""

from __future__ import annotations

import msgspec

from piggy_async import AttributeDefinition


def test_options_given_as_a_map_decode_as_a_list_of_options() -> None:
    # The docs' "Create Loyalty Transaction Attribute" example sends options as a map.
    body = (
        b'{"name": "favorite_color", "type": "select", "options": {"blue": "Blue", "red": "Red"}}'
    )
    attribute = msgspec.json.decode(body, type=AttributeDefinition)
    assert [(o.value, o.label) for o in attribute.options] == [("blue", "Blue"), ("red", "Red")]
    as_list = b'{"name": "c", "options": [{"value": "blue", "label": "Blue"}]}'
    assert [
        (o.value, o.label) for o in msgspec.json.decode(as_list, type=AttributeDefinition).options
    ] == [("blue", "Blue")]
    assert (
        msgspec.json.decode(b'{"name": "c", "options": {}}', type=AttributeDefinition).options == []
    )
