"""What a message may quote of a URL (``_validate.shown_url``): no query or fragment (all of
it, whatever it holds), no credentials wherever the path goes, every path segment holding an
e-mail address redacted and the host kept as it is, and a secret blanked out in each of its
forms (percent-encoded with ``/`` too, longest form first)."""

from __future__ import annotations

import pytest

from piggy_async._validate import secret_forms, shown_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://h.example/p/q#top", "https://h.example/p/q"),
        ("https://h.example/p#a#b", "https://h.example/p"),  # a second '#' in the fragment
        ("https://h.example/p?a=1?b=2", "https://h.example/p"),  # a second '?' in the query
    ],
)
def test_no_part_of_a_query_or_fragment_is_shown(url: str, shown: str) -> None:
    assert shown_url(url) == shown


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:pw@h.example", "https://h.example"),  # no path at all
        ("https://user:pw@h.example/a//b", "https://h.example/a//b"),  # '//' in the path
    ],
)
def test_credentials_are_dropped_whatever_the_path(url: str, shown: str) -> None:
    assert shown_url(url) == shown


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://h.example/contacts/jane@example.com/tier",
            "https://h.example/contacts/<redacted>/tier",
        ),
        ("https://h.example/a//jane@example.com", "https://h.example/a//<redacted>"),
        ("/contacts/jane@example.com/tier?x=1", "/contacts/<redacted>/tier"),  # a relative one
        ("https://h%40x.example/p", "https://h%40x.example/p"),  # the host stays as it is
    ],
)
def test_each_segment_with_an_address_is_redacted_and_only_it(url: str, shown: str) -> None:
    assert shown_url(url) == shown


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("https://h.example/sessions/tok123/use", "tok123"),
        ("https://h.example/sessions/a%2Fb%20c/use", "a/b c"),  # '/' percent-encoded too
        ("https://h.example/sessions/ab%25/use", "ab%"),  # the secret begins its encoded form
        ("https://h.example/sessions/%2F%25/use", "/%"),  # a shorter form across a '/'
    ],
)
def test_a_secret_is_blanked_out_whole_in_the_form_it_takes(url: str, secret: str) -> None:
    assert shown_url(url, secret) == "https://h.example/sessions/<redacted>/use"


def test_the_forms_of_a_secret_longest_first() -> None:
    assert secret_forms("a/b c") == ("a%2Fb%20c", "a%2Fb+c", "a\\/b c", "a/b c")
