"""The request calls of the JSON API and /healthz, through the real inspector listener."""

from __future__ import annotations

from .conftest import Apps, AppsFactory, make_capture


async def send(apps: Apps, count: int, path: str = "/hook", body: bytes = b"{}") -> None:
    for _ in range(count):
        assert (await apps.hooks.post(path, data=body)).status == 200


async def listing(apps: Apps, query: str = "") -> dict:
    response = await apps.ui.get("/api/requests" + query)
    assert response.status == 200
    return await response.json()


async def test_list_newest_limit_after_and_search(apps: Apps) -> None:
    await send(apps, 5)
    await send(apps, 2, path="/webhooks/stripe", body=b'{"type": "payment_intent.succeeded"}')
    page = await listing(apps, "?limit=3")
    assert [r["id"] for r in page["requests"]] == [5, 6, 7]
    assert page["last_id"] == 7
    page = await listing(apps, "?after=2&limit=2")
    assert [r["id"] for r in page["requests"]] == [3, 4]
    assert [r["id"] for r in (await listing(apps, "?q=stripe"))["requests"]] == [6, 7]
    assert [r["id"] for r in (await listing(apps, "?q=payment_intent"))["requests"]] == [6, 7]
    assert [r["id"] for r in (await listing(apps, "?q=STRIPE&after=6"))["requests"]] == [7]


async def test_bad_parameters_are_400_json(apps: Apps) -> None:
    for query in ("?after=x", "?limit=-1", "?after=-5"):
        response = await apps.ui.get("/api/requests" + query)
        assert response.status == 400
        assert "error" in await response.json()


async def test_unknown_and_evicted_ids_answer_404_json(make_apps: AppsFactory) -> None:
    apps = await make_apps(max_requests=3)
    await send(apps, 5)
    for path in ("/api/requests/1", "/api/requests/1/raw", "/api/requests/99"):
        response = await apps.ui.get(path)
        assert response.status == 404
        assert "not stored" in (await response.json())["error"]
    assert (await apps.ui.get("/api/nothing-here")).status == 404


async def test_delete_one_and_all(apps: Apps) -> None:
    await send(apps, 3)
    assert (await apps.ui.delete("/api/requests/2")).status == 204
    assert (await apps.ui.delete("/api/requests/2")).status == 404
    assert [r["id"] for r in (await listing(apps))["requests"]] == [1, 3]
    assert (await apps.ui.delete("/api/requests")).status == 204
    assert (await listing(apps))["requests"] == []
    health = await (await apps.ui.get("/healthz")).json()
    assert health == {"ok": True, "requests": 0,
                      "store": {"engine": "memory", "state": "ok", "queued": 0}}


async def test_healthz_counts_requests(apps: Apps) -> None:
    await send(apps, 4)
    health = await (await apps.ui.get("/healthz")).json()
    assert (health["ok"], health["requests"], health["store"]["engine"]) == (True, 4, "memory")


async def test_raw_cannot_run_as_a_page(apps: Apps) -> None:
    await apps.hooks.post("/x", data=b"<script>alert(1)</script>",
                          headers={"Content-Type": "text/html"})
    raw = await apps.ui.get("/api/requests/1/raw")
    assert raw.headers["Content-Type"].startswith("text/html")
    assert "sandbox" in raw.headers["Content-Security-Policy"]
    assert raw.headers["Content-Disposition"].startswith("attachment")


async def test_the_list_tells_the_true_count_and_pages_back(make_apps: AppsFactory) -> None:
    apps = await make_apps(max_requests=2000)
    for number in range(1, 1201):
        apps.inspector.store.add(make_capture(id=apps.inspector.store.next_id(),
                                              body=b"needle" if number in (3, 1100) else b"{}"))
    page = await (await apps.ui.get("/api/requests?limit=100")).json()
    assert page["count"] == 1200 and page["requests"][0]["id"] == 1101
    older = await (await apps.ui.get("/api/requests?limit=100&before=1101")).json()
    assert [r["id"] for r in older["requests"]] == list(range(1001, 1101))
    found = await (await apps.ui.get("/api/requests?q=needle&limit=10")).json()
    assert [r["id"] for r in found["requests"]] == [3, 1100]  # past many pages of history
    assert (await apps.ui.get("/api/requests?before=x")).status == 400
