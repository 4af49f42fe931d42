from inspector.store.memory import MemoryStore

from .conftest import make_capture


def fill(store: MemoryStore, count: int, body: bytes = b"x") -> list[list[int]]:
    evictions = []
    for _ in range(count):
        request_id = store.next_id()
        evictions.append(store.add(make_capture(id=request_id, body=body)))
    return evictions


def test_count_cap_evicts_oldest_first() -> None:
    store = MemoryStore(max_requests=3, max_bytes=10**9)
    evictions = fill(store, 5)
    assert evictions == [[], [], [], [1], [2]]
    assert [r.id for r in store.after(0)] == [3, 4, 5]
    assert store.get(1) is None and store.get(5) is not None


def test_byte_cap_counts_bodies() -> None:
    store = MemoryStore(max_requests=100, max_bytes=25)
    fill(store, 4, body=b"0123456789")
    assert len(store) == 2
    assert store.body_bytes == 20


def test_a_single_oversized_body_is_still_kept() -> None:
    store = MemoryStore(max_requests=100, max_bytes=5)
    fill(store, 2, body=b"0123456789")
    assert [r.id for r in store.after(0)] == [2]


def test_after_and_newest_skip_deleted_and_evicted() -> None:
    store = MemoryStore(max_requests=4, max_bytes=10**9)
    fill(store, 6)
    assert store.delete(4)
    assert not store.delete(4)
    assert [r.id for r in store.after(0)] == [3, 5, 6]
    assert [r.id for r in store.after(3)] == [5, 6]
    assert [r.id for r in store.newest(2)] == [5, 6]
    assert [r.id for r in store.newest(10)] == [3, 5, 6]


def test_order_stays_correct_across_compaction() -> None:
    store = MemoryStore(max_requests=10, max_bytes=10**9)
    fill(store, 5000)
    assert [r.id for r in store.after(0)] == list(range(4991, 5001))
    assert [r.id for r in store.after(4995)] == list(range(4996, 5001))


def test_dedupe_index_follows_eviction() -> None:
    store = MemoryStore(max_requests=2, max_bytes=10**9)
    store.add(make_capture(id=store.next_id()), dedupe_key="k")
    assert store.original_of("k") == 1
    store.add(make_capture(id=store.next_id()), dedupe_key="k")
    assert store.original_of("k") == 1
    store.add(make_capture(id=store.next_id()))
    assert store.original_of("k") is None


def test_clear_keeps_ids_growing() -> None:
    store = MemoryStore(max_requests=10, max_bytes=10**9)
    fill(store, 3)
    store.clear()
    assert len(store) == 0 and store.body_bytes == 0
    assert store.next_id() == 4
