// The routes (SPEC 14) and their queues: how many wait, the next attempt, the last error,
// with "Deliver now" and "Drop". Shown only when routes are configured; read every 2 s.

import { getJson, sendJson } from "./api.js";
import { el } from "./dom.js";

const EVERY_MS = 2000;
const SHOWN_IDS = 20;  // the queue's first ones get a Drop button each

export function watchRoutes(panel, onNotice, onSelect) {
  async function refresh() {
    try {
      render(panel, (await getJson("/api/routes", { cache: "no-store" })).routes, act, onSelect);
    } catch {
      // The server itself is away (the connection indicator says so), or answered an error:
      // the next read tries again.
    }
  }
  async function act(method, url, done) {
    try {
      await sendJson(method, url);
      onNotice(done);
    } catch (error) {
      onNotice(error.message);
    }
    refresh();
  }
  async function loop() {
    await refresh();
    setTimeout(loop, EVERY_MS);
  }
  loop();
}

function render(panel, routes, act, onSelect) {
  panel.hidden = routes.length === 0;
  panel.replaceChildren(el("h2", { text: "Routes" }),
    el("ol", { class: "routes" }, routes.map((route) => routeItem(route, act, onSelect))));
}

function routeItem(route, act, onSelect) {
  const mirrors = route.also.length ? ` (+ ${route.also.join(", ")})` : "";
  return el("li", { class: "route", dataset: { index: route.index } },
    el("code", { text: route.match || "everything" }), " → ", el("code", { text: route.to + mirrors }),
    route.queue ? queueLine(route.index, route.queue, act, onSelect) : null);
}

function queueLine(index, queue, act, onSelect) {
  const next = queue.next_attempt ? ` · next attempt ${new Date(queue.next_attempt).toLocaleTimeString()}` : "";
  const words = `${queue.waiting} held${next}`;
  return el("div", { class: "queue", dataset: { waiting: queue.waiting } },
    el("span", { class: "queue-state", text: words }),
    queue.last_error ? el("span", { class: "error-tag", text: queue.last_error, title: queue.last_error }) : null,
    queue.waiting ? el("button", { type: "button", class: "ghost deliver-now", text: "Deliver now",
      onclick: () => act("POST", `/api/routes/${index}/deliver`, `Route #${index}: delivering`) }) : null,
    queue.ids.slice(0, SHOWN_IDS).map((id) => el("span", { class: "held-id" },
      el("button", { type: "button", class: "ghost", text: `#${id}`, onclick: () => onSelect(id) }),
      el("button", { type: "button", class: "ghost danger drop-held", text: "Drop", "aria-label": `Drop #${id}`,
        onclick: () => act("DELETE", `/api/routes/${index}/held/${id}`, `#${id} dropped from route #${index}`) }))));
}
