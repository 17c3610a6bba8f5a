"""The response store's byte budget: what it keeps, counts and lets go."""

from __future__ import annotations

from webapp.response_cache import ENTRY_OVERHEAD_BYTES, Entry, ResponseStore


def _entry(key: str, size: int) -> Entry:
    return Entry(key=key, body=b"x" * size, headers=[], expires=100.0, learner_used=False)


def test_the_oldest_entries_go_first_to_stay_within_the_budget():
    store = ResponseStore(max_bytes=8 * (1000 + ENTRY_OVERHEAD_BYTES))
    for index in range(10):
        store.put(f"k{index}", _entry(f"k{index}", 1000))
    assert len(store) == 8
    assert store.get("k0", now=0) is None and store.get("k1", now=0) is None
    assert store.get("k9", now=0) is not None
    assert store.bytes == 8 * (1000 + ENTRY_OVERHEAD_BYTES)


def test_a_compressed_body_counts_only_for_an_entry_that_is_kept():
    store = ResponseStore(max_bytes=80_000)
    kept, huge = _entry("kept", 1000), _entry("huge", 20_000)  # over an eighth: not kept
    store.put("kept", kept)
    store.put("huge", huge)
    assert len(store) == 1
    store.add_compressed(huge, "br", b"y" * 5000)
    assert store.bytes == kept.size
    store.add_compressed(kept, "br", b"y" * 300)
    assert store.bytes == 1300 + ENTRY_OVERHEAD_BYTES
    store.discard("kept")
    assert store.bytes == 0


def test_an_expired_entry_is_not_served_and_is_let_go():
    store = ResponseStore(max_bytes=80_000)
    store.put("k", _entry("k", 100))
    assert store.get("k", now=99.0) is not None
    assert store.get("k", now=100.0) is None
    assert store.bytes == 0
