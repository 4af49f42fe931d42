// The store's health (/healthz), said in the header while it is not ok: Redis away, requests
// waiting to be written, a SQLite file that cannot be written (with the cause: a full disk,
// the file deleted).

const EVERY_MS = 2000;

export function watchHealth(element) {
  async function check() {
    try {
      const answer = await fetch("/healthz", { cache: "no-store" });
      show(element, (await answer.json()).store);
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
