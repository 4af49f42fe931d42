"""static/js/feed.js's `apply` as the pure function it is: the module imported in the page
(real Chromium, served by the real server), each websocket message applied to a state."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Server, open_inspector

# Runs in the page: apply(state, message) for each case, with the state given as plain data
# (`held` a list, made a Set), and whether the state passed in was left as it was.
APPLY = """async ([state, message]) => {
  const { apply } = await import("/static/js/feed.js");
  const given = { ...state, held: new Set(state.held) };
  const before = JSON.stringify({ ...given, held: [...given.held] });
  const { state: next, effects } = apply(given, message);
  const after = JSON.stringify({ ...given, held: [...given.held] });
  return { next: { ...next, held: [...next.held] }, effects, untouched: before === after };
}"""

COUNT = """async ([state, sizes]) => {
  const { countLine } = await import("/static/js/feed.js");
  return countLine(state, sizes);
}"""


def state(**fields: Any) -> dict[str, Any]:
    base = {"query": "", "total": 3, "stored": 3, "held": [1, 2, 3], "paused": False,
            "pauseMark": 0, "pending": [], "following": True}
    return base | fields


def summary(request_id: int) -> dict[str, Any]:
    return {"id": request_id, "path": f"/p/{request_id}"}


@pytest.fixture
def feed_page(page: Any, server: Server) -> Any:
    open_inspector(page, server)
    return page


def applied(page: Any, given: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(APPLY, [given, message])
    assert result["untouched"], "apply changed the state it was given"
    return result


def test_a_request_is_one_more_match_and_one_more_stored(feed_page: Any) -> None:
    plain = applied(feed_page, state(), {"type": "request", "request": summary(4)})
    assert (plain["next"]["total"], plain["next"]["stored"]) == (4, 4)
    assert plain["effects"] == [{"do": "add", "request": summary(4)}]
    # Under a search the stream sends only matches, each stored too: "of N" grows with it.
    searched = applied(feed_page, state(query="path:p", total=1, stored=9),
                       {"type": "request", "request": summary(10)})
    assert (searched["next"]["total"], searched["next"]["stored"]) == (2, 10)


def test_paused_requests_wait_and_are_counted(feed_page: Any) -> None:
    paused = applied(feed_page, state(paused=True), {"type": "request", "request": summary(4)})
    assert paused["effects"] == []
    assert paused["next"]["pending"] == [summary(4)]
    assert paused["next"]["total"] == 4


def test_an_update_under_a_search_to_a_request_not_held_is_an_arrival(feed_page: Any) -> None:
    update = {"type": "update", "request": summary(7)}
    arrival = applied(feed_page, state(query="status:5xx"), update)
    assert arrival["effects"] == [{"do": "add", "request": summary(7)}]
    assert arrival["next"]["total"] == 4
    held = applied(feed_page, state(query="status:5xx", held=[7]), update)
    assert held["effects"] == [{"do": "update", "request": summary(7)}]
    assert held["next"]["total"] == 3
    unsearched = applied(feed_page, state(), update)  # not held, no search: nothing to add
    assert unsearched["effects"] == [{"do": "update", "request": summary(7)}]


def test_deletes_and_clears(feed_page: Any) -> None:
    gone = applied(feed_page, state(pending=[summary(3)]), {"type": "delete", "ids": [2, 3]})
    assert (gone["next"]["total"], gone["next"]["stored"]) == (1, 1)
    assert gone["next"]["pending"] == []
    assert gone["effects"] == [{"do": "remove", "ids": [2, 3]}]
    # Under a search a delete may mean "matches no more": the stored count stays.
    unmatched = applied(feed_page, state(query="x", total=2, stored=8),
                        {"type": "delete", "ids": [2]})
    assert (unmatched["next"]["total"], unmatched["next"]["stored"]) == (1, 8)
    cleared = applied(feed_page, state(), {"type": "clear", "reason": "Redis came back empty"})
    assert (cleared["next"]["total"], cleared["next"]["stored"]) == (0, 0)
    assert cleared["effects"] == [{"do": "reset"},
                                  {"do": "storeLost", "reason": "Redis came back empty"}]
    assert applied(feed_page, state(), {"type": "clear"})["effects"] == [{"do": "reset"}]


def test_hello_and_unknown_messages_change_nothing(feed_page: Any) -> None:
    for message in ({"type": "hello", "version": 1, "instance": "a", "last_id": 3},
                    {"type": "later-kind"}):
        result = applied(feed_page, state(), message)
        assert result["effects"] == [] and result["next"] == state()


def test_the_count_line(feed_page: Any) -> None:
    def line(given: dict[str, Any], loaded: int, shown: int) -> str:
        return str(feed_page.evaluate(COUNT, [given, {"loaded": loaded, "shown": shown}]))

    assert line(state(total=1, stored=1), 1, 1) == "1 request"
    assert line(state(), 3, 3) == "3 requests"
    assert line(state(query="x", total=2, stored=5), 2, 2) == "2 of 5 requests"
    assert line(state(), 3, 1) == "1 of 3 requests"  # a timeline bar narrows the list
    assert line(state(total=9, stored=9), 3, 3) == "9 requests (3 loaded)"
    assert line(state(pending=[summary(4)], total=4), 3, 3) == "4 requests · 1 new while paused"
