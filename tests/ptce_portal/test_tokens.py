import re

from events.models import Registration
from ptce_portal.tokens import could_be_token, new_token
from referential.models import Invitation


def test_tokens_are_url_safe_256_bit_and_never_repeat():
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{43}", token) for token in tokens)


def test_personal_links_use_the_shared_generator():
    for model in (Registration, Invitation):
        field = model._meta.get_field("token")
        assert field.default is new_token and field.max_length >= 43


def test_values_that_cannot_be_tokens_are_recognised_without_a_query():
    assert could_be_token(new_token())
    for value in (None, "", "a\x00b", "é" * 10, "x" * 65, "a/b", "a b"):
        assert not could_be_token(value)
