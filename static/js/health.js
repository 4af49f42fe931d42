// The store's health (/healthz), said in the header while it is not ok: Redis away, requests
// waiting to be written, a SQLite file that cannot be written (with the cause: a full disk,
// the file deleted). Each answer's count of stored requests goes to onCount.

import { ApiError, getJson } from "./api.js";

const EVERY_MS = 2000;

// The health document, whatever the status (503 while the store is not ok).
export async function readHealth() {
  try {
    return await getJson("/healthz", { cache: "no-store" });
  } catch (problem) {
    if (problem instanceof ApiError && problem.body?.store) return problem.body;
    throw problem;
  }
}

export function watchHealth(element, onCount) {
  async function check() {
    try {
      const health = await readHealth();
      show(element, health.store);
      onCount(health.requests);
    } catch {
      // The server itself is away: the connection indicator says so.
    }
    setTimeout(check, EVERY_MS);
  }
  check();
}

function show(element, store) {
  const ok = !store || store.state === "ok";
  element.hidden = ok;
  element.dataset.state = ok ? "ok" : store.state;
  if (ok) return;
  const waiting = store.queued ? `, ${store.queued} request${store.queued === 1 ? "" : "s"} waiting to be written` : "";
  const cause = store.cause ? `: ${store.cause}` : "";
  element.textContent = `History store (${store.engine}) ${store.state}${cause}${waiting}`;
}
