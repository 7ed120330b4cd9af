"""The server-wide result cache of the app (ui/server_cache.py): most recently used kept."""

from __future__ import annotations

import pytest

from ui.server_cache import ServerCache


def test_the_least_recently_used_result_goes_first() -> None:
    cache: ServerCache[str] = ServerCache(2)
    cache.put("a", "plan a")
    cache.put("b", "plan b")
    assert cache.get("a") == "plan a"  # a is now the most recently used
    cache.put("c", "plan c")
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c"), len(cache)) == ("plan a", "plan c", 2)


def test_putting_a_key_again_replaces_its_result() -> None:
    cache: ServerCache[str] = ServerCache(2)
    cache.put(("data", 1.0), "old")
    cache.put(("data", 1.0), "new")
    assert cache.get(("data", 1.0)) == "new" and len(cache) == 1


def test_a_cache_without_room_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one result"):
        ServerCache(0)
