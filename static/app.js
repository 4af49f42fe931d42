// The inspector page: wires the model, the live websocket, the list, the detail pane, the
// timeline, the filter, keyboard navigation and deep links together.

import { AnswersDialog } from "./js/answers.js";
import { DetailPane } from "./js/detail.js";
import { watchHealth } from "./js/health.js";
import { RequestList } from "./js/list.js";
import { Live } from "./js/live.js";
import { Model } from "./js/model.js";
import { SecretsDialog } from "./js/secrets.js";
import { SendDialog } from "./js/send.js";
import { Timeline } from "./js/timeline.js";

const INITIAL_LIMIT = 2000;
const OLDER_PAGE = 5000;
const $ = (id) => document.getElementById(id);

const model = new Model();
const app = $("app");
const hookUrl = $("hook-url").textContent.trim();
let paused = false;
let pending = [];
let total = 0;          // stored on the server, whether held here or not
let loadingOlder = false;

const detail = new DetailPane($("detail"), {
  hookUrl, forwardUrl: app.dataset.forward, onDelete: remove, onNotice: notice,
});
const list = new RequestList($("list"), $("list-spacer"), model, (id) => select(id, true), loadOlder);
const timeline = new Timeline($("timeline"), model, pickWindow);
const secrets = new SecretsDialog($("secrets-dialog"), notice);
const answers = new AnswersDialog($("answers-dialog"), notice);
const sender = new SendDialog($("send-dialog"), hookUrl, notice);

function notice(text) {
  const connection = $("connection");
  connection.dataset.notice = text;
  connection.textContent = text;
  setTimeout(() => setState(connection.dataset.state), 2500);
}

function setState(state) {
  const connection = $("connection");
  connection.dataset.state = state;
  connection.textContent = { live: "● live", connecting: "connecting…", reconnecting: "reconnecting…" }[state] || state;
}

function refreshCounts() {
  const held = model.order.length + pending.length;
  const shown = model.visible.length;
  const waiting = pending.length ? ` · ${pending.length} new while paused` : "";
  const noun = total === 1 ? "request" : "requests";
  const loaded = held < total ? ` (${model.order.length} loaded)` : "";
  const counted = shown === model.order.length ? `${total} ${noun}` : `${shown} of ${total} ${noun}`;
  $("count").textContent = counted + loaded + waiting;
  $("list-empty").hidden = total > 0;
}

// Older requests come a page at a time as the list nears its end, filtered or not.
async function loadOlder() {
  const oldest = model.oldestId;
  if (loadingOlder || oldest === null || model.order.length + pending.length >= total) return;
  loadingOlder = true;
  try {
    const page = await (await fetch(`/api/requests?limit=${OLDER_PAGE}&before=${oldest}`)).json();
    if (model.oldestId !== oldest) return;  // cleared or reloaded meanwhile
    if (!page.requests.length) total = model.order.length + pending.length;
    model.addOlder(page.requests);
  } finally {
    loadingOlder = false;
  }
  redraw();
}

function redraw() {
  refreshCounts();
  list.schedule();
  timeline.schedule();
}

async function loadAll() {
  const response = await fetch(`/api/requests?limit=${INITIAL_LIMIT}`);
  const page = await response.json();
  total = page.count;
  model.reset(page.requests);
  list.invalidate([...list.rows.keys()]);  // the same id may now be another request
  redraw();
  return page.last_id;
}

// A new history under the same address: ids start again, so nothing held or open is valid.
async function restarted(live) {
  $("restart-notice").hidden = false;
  pending = [];
  list.select(null);
  detail.clear("The server restarted: the request that was open here belonged to the old history.");
  if (idFromPath() !== null) history.replaceState({}, "", "/");
  live.lastId = await loadAll();
}

function apply(message) {
  if (message.type === "request") {
    total += 1;
    if (paused) {
      pending.push(message.request);
      refreshCounts();
      return;
    }
    const before = model.visible.length;
    model.add(message.request);
    if (model.visible.length > before) list.anchor();
  } else if (message.type === "update") {
    if (model.update(message.request)) {
      list.invalidate([message.request.id]);
      detail.refresh(message.request);
    }
  } else if (message.type === "delete") {
    total = Math.max(0, total - message.ids.length);
    model.remove(message.ids);
    list.invalidate(message.ids);
  } else if (message.type === "clear") {
    total = 0;
    model.reset([]);
    pending = [];
  }
  redraw();
}

async function select(id, push) {
  list.select(id);
  if (push && location.pathname !== `/requests/${id}`) history.pushState({ id }, "", `/requests/${id}`);
  await detail.show(id);
}

async function remove(id) {
  await fetch(`/api/requests/${id}`, { method: "DELETE" });
  const next = list.neighbour(1);
  model.remove([id]);
  list.invalidate([id]);
  redraw();
  if (next && next !== id) select(next, true);
  else $("detail").replaceChildren();
}

function pickWindow(from, to, label) {
  model.window = [from, to];
  model.refilter();
  $("timeline-filter-text").textContent = `Showing ${label}`;
  $("timeline-filter").hidden = false;
  $("list").scrollTop = 0;
  list.invalidate([...list.rows.keys()]);
  redraw();
}

let searchTimer = null;
function onFilter() {
  model.setFilter($("filter").value);
  $("list").scrollTop = 0;
  list.invalidate([...list.rows.keys()]);
  redraw();
  clearTimeout(searchTimer);
  const words = model.filter.text;
  if (!words) return;
  // Bodies are not in the summaries: ask the server which requests' bodies match too.
  searchTimer = setTimeout(async () => {
    const page = await (await fetch(`/api/requests?limit=${INITIAL_LIMIT}&q=${encodeURIComponent(words)}`)).json();
    if (model.filter.text !== words) return;
    model.bodyMatches = new Set(page.requests.map((s) => s.id));
    model.refilter();
    list.invalidate([...list.rows.keys()]);
    redraw();
  }, 200);
}

function onKey(event) {
  if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
  if (event.metaKey || event.ctrlKey || event.altKey) return;
  const step = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1 }[event.key];
  if (step) {
    event.preventDefault();
    const next = list.neighbour(step);
    if (next !== null) select(next, true);
  } else if (event.key === "/") {
    event.preventDefault();
    $("filter").focus();
  }
}

function idFromPath() {
  const match = location.pathname.match(/^\/requests\/(\d+)$/);
  return match ? Number(match[1]) : null;
}

function wire() {
  $("filter").addEventListener("input", onFilter);
  $("pause").addEventListener("click", () => {
    paused = !paused;
    $("pause").setAttribute("aria-pressed", String(paused));
    $("pause").textContent = paused ? "Resume" : "Pause";
    if (!paused) {
      for (const summary of pending) model.add(summary);
      pending = [];
      redraw();
    }
  });
  $("clear").addEventListener("click", async () => {
    await fetch("/api/requests", { method: "DELETE" });
  });
  $("restart-dismiss").addEventListener("click", () => { $("restart-notice").hidden = true; });
  $("timeline-filter-clear").addEventListener("click", () => {
    model.window = null;
    model.refilter();
    $("timeline-filter").hidden = true;
    list.invalidate([...list.rows.keys()]);
    redraw();
  });
  $("secrets-button").addEventListener("click", () => secrets.open());
  $("answers-button").addEventListener("click", () => answers.open());
  $("send-button").addEventListener("click", () => sender.open());
  document.addEventListener("keydown", onKey);
  window.addEventListener("popstate", () => {
    const id = idFromPath();
    if (id !== null) select(id, false);
  });
}

async function start() {
  wire();
  const lastId = await loadAll();
  const deepLink = idFromPath();
  if (deepLink !== null) select(deepLink, false);
  const live = new Live({
    lastId, instance: app.dataset.instance, onMessage: apply, onState: setState,
    onRestart: () => restarted(live),
  });
  live.connect();
  watchHealth($("store-health"));
  document.body.dataset.ready = "true";
}

start();
