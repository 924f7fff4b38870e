"""Rewards (docs page ``rewards``): custom attributes at the top level of a reward."""

from __future__ import annotations

import pytest

from piggy_async import Page, ResponseDecodeError, Reward
from piggy_async._decode import decode_data, decode_page

# The docs' "Get Reward" example, trimmed: a custom attribute beside the reward's fields.
REWARD = (
    b'{"uuid": "539483d0", "title": "Cup of coffee", "required_credits": 2,'
    b' "is_active": true, "active": true, "reward_type": "PHYSICAL", "stock": null,'
    b' "example_attribute": "custom attributes for rewards are included like this"}'
)


def test_a_rewards_top_level_custom_attributes_are_kept() -> None:
    reward = decode_data(Reward, b'{"data": ' + REWARD + b', "meta": {}}')
    assert isinstance(reward, Reward)
    assert (reward.title, reward.required_credits, reward.stock) == ("Cup of coffee", 2, None)
    assert reward.attributes == {
        "example_attribute": "custom attributes for rewards are included like this"
    }


def test_lists_and_pages_of_rewards_keep_them_too() -> None:
    rewards = decode_data(list[Reward], b'{"data": [' + REWARD + b", " + REWARD + b"]}")
    assert [r.attributes["example_attribute"][:6] for r in rewards] == ["custom", "custom"]
    page = decode_page(Reward, b'{"data": [' + REWARD + b'], "meta": {"page": 1}}')
    assert isinstance(page, Page)
    assert page.items[0].attributes == rewards[0].attributes


def test_a_bad_reward_is_a_decode_error_with_its_path() -> None:
    with pytest.raises(ResponseDecodeError) as info:
        decode_data(list[Reward], b'{"data": [' + REWARD + b', {"uuid": 5}]}')
    assert info.value.path == "$.data[1].uuid"
