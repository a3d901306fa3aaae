"""This process's copies of version-keyed entries (ptce_portal.cached_documents.LocalCopies):
bounded in bytes, least recently used out first, and in time."""

import time

from ptce_portal.cached_documents import LocalCopies


def test_bounded_in_bytes_least_recently_used_out_first():
    copies = LocalCopies(max_bytes=100)
    copies.set("a", "A", 20, 60)
    copies.set("b", "B", 20, 60)
    assert copies.get("a") == "A"  # "b" is now the least recently used
    copies.set("c", "C", 20, 60)
    copies.set("d", "D", 20, 60)
    copies.set("e", "E", 20, 60)  # 100 bytes: all fit
    copies.set("f", "F", 20, 60)  # one too many: "b" goes
    assert copies.get("b") is None
    assert [copies.get(k) for k in "acdef"] == ["A", "C", "D", "E", "F"]


def test_an_entry_too_large_is_not_kept_and_an_expired_one_is_gone():
    copies = LocalCopies(max_bytes=100)
    copies.set("big", "X", 26, 60)  # more than a quarter of the room
    assert copies.get("big") is None
    copies.set("short", "S", 1, 0.01)
    time.sleep(0.02)
    assert copies.get("short") is None
