// The inspector page: wires the model, the live websocket, the list, the detail pane, the
// timeline, the filter, keyboard navigation and deep links together.

import { AnswersDialog } from "./js/answers.js";
import { ConfirmDialog, deletionNote, requests } from "./js/confirm.js";
import { DetailPane, TABS } from "./js/detail.js";
import { HarMenu } from "./js/har.js";
import { watchHealth } from "./js/health.js";
import { RequestList } from "./js/list.js";
import { watchRoutes } from "./js/routes_panel.js";
import { Live } from "./js/live.js";
import { Model } from "./js/model.js";
import { SearchBox, urlWithQuery } from "./js/search.js";
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
let pauseMark = 0;      // the newest id shown when the list was paused
let pending = [];
let total = 0;          // stored on the server (matching the search, when there is one)
let stored = 0;         // stored on the server in all, as of the last listing
let query = "";         // the search applied to the list, the live stream and the timeline
let loadingOlder = false;
let live = null;
let following = true;   // the newest request is shown as it arrives, until the user picks one
let followTimer = null;
let searchBox = null;

const detail = new DetailPane($("detail"), {
  forwardUrl: app.dataset.forward, onDelete: remove, onNotice: notice,
  onSelect: (id) => select(id, true), onTab: rememberTab, tab: tabFromUrl(),
});
const list = new RequestList($("list"), $("list-spacer"), model, (id) => select(id, true), loadOlder);
const timeline = new Timeline($("timeline"), model, pickWindow, brushTime);
const secrets = new SecretsDialog($("secrets-dialog"), notice, () => list.selected);
const answers = new AnswersDialog($("answers-dialog"), notice);
const sender = new SendDialog($("send-dialog"), hookUrl, notice);
const confirmer = new ConfirmDialog($("confirm-dialog"));

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
  const loaded = held < total ? ` (${model.order.length} loaded)` : "";
  const all = query ? stored : total;  // with a search, `total` counts its matches
  const noun = all === 1 ? "request" : "requests";
  const windowed = shown !== model.order.length;  // a timeline bar narrows what is held
  const counted = query || windowed ? `${windowed ? shown : total} of ${all} ${noun}` : `${all} ${noun}`;
  $("count").textContent = counted + loaded + waiting;
  $("list-empty").hidden = stored > 0;
  $("matches-actions").hidden = !query;
}

function listing(params) {
  const search = new URLSearchParams(params);
  if (query) search.set("q", query);
  return fetch(`/api/requests?${search}`);
}

// Older requests come a page at a time as the list nears its end, filtered or not.
async function loadOlder() {
  const oldest = model.oldestId;
  if (loadingOlder || oldest === null || model.order.length + pending.length >= total) return;
  loadingOlder = true;
  try {
    const page = await (await listing({ limit: OLDER_PAGE, before: oldest })).json();
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

// The newest page of the list (of the matches, with a search); the API's error when the
// search does not parse (nothing changes then).
async function loadAll(text = query) {
  const params = new URLSearchParams({ limit: INITIAL_LIMIT });
  if (text) {
    params.set("q", text);
    params.set("matches", "true");
  }
  const response = await fetch(`/api/requests?${params}`);
  const page = await response.json();
  if (!response.ok) return { problem: page };
  query = text;
  stored = page.count;
  total = text ? page.matches : page.count;
  // Paused, what arrived since stays held back, whatever the listing brings.
  pending = paused ? page.requests.filter((s) => s.id > pauseMark) : [];
  model.reset(paused ? page.requests.filter((s) => s.id <= pauseMark) : page.requests);
  list.invalidate([...list.rows.keys()]);  // the same id may now be another request
  redraw();
  return { lastId: page.last_id };
}

// A new search: the list, the count, the timeline and the live stream follow it.
async function search(text) {
  const loaded = await loadAll(text);
  if (loaded.problem) return loaded.problem;
  $("list").scrollTop = 0;
  list.invalidate([...list.rows.keys()]);
  live.follow(query, loaded.lastId);
  return null;
}

// A new history under the same address: ids start again, so nothing held or open is valid.
async function restarted(live) {
  $("restart-notice").hidden = false;
  pending = [];
  list.select(null);
  detail.clear("The server restarted: the request that was open here belonged to the old history.");
  if (idFromPath() !== null) history.replaceState({}, "", urlWithQuery(query, "/"));
  live.lastId = (await loadAll()).lastId;
}

function apply(message) {
  if (message.type === "update" && query && !model.byId.has(message.request.id)) {
    message = { type: "request", request: message.request };  // it matches only now
  }
  if (message.type === "request") {
    total += 1;
    if (!query) stored += 1;
    if (paused) {
      pending.push(message.request);
      refreshCounts();
      return;
    }
    const before = model.visible.length;
    model.add(message.request);
    if (model.visible.length > before) {
      if (following) followNewest();
      else list.anchor();
    }
  } else if (message.type === "update") {
    if (model.update(message.request)) {
      list.invalidate([message.request.id]);
      detail.refresh(message.request);
    }
  } else if (message.type === "delete") {
    total = Math.max(0, total - message.ids.length);
    if (!query) stored = total;
    model.remove(message.ids);
    list.invalidate(message.ids);
  } else if (message.type === "clear") {
    total = 0;
    stored = 0;
    model.reset([]);
    pending = [];
    if (message.reason) storeLostData(message.reason);
  }
  redraw();
}

// The store lost data (Redis came back empty, from an older copy, or was flushed) and the
// server read the history again: say so, and show what the store holds now.
async function storeLostData(reason) {
  $("store-notice-text").textContent = `History store: ${reason}`;
  $("store-notice").hidden = false;
  const loaded = await loadAll();
  if (loaded.problem) return;
  live.follow(query, loaded.lastId);
  if (list.selected !== null && !model.byId.has(list.selected)) {
    list.select(null);
    detail.clear("The request that was open here is gone: the history store lost it.");
  }
}

// `auto`: chosen by follow-newest, not by the user (whose choice ends following).
async function select(id, push, auto = false) {
  if (!auto) setFollowing(false);
  list.select(id);
  if (push && location.pathname !== `/requests/${id}`) {
    history.pushState({ id }, "", urlWithQuery(query, `/requests/${id}`) + tabHash(detail.tab));
  }
  await detail.show(id);
}

function setFollowing(on) {
  following = on;
  $("follow").setAttribute("aria-pressed", String(on));
}

// Coalesced, so that a burst fetches the newest detail a few times a second, not per request.
function followNewest() {
  if (followTimer !== null) return;
  followTimer = setTimeout(() => {
    followTimer = null;
    const newest = model.visible[0];
    // Unreachable server: the connection status says so; following resumes with the next arrival.
    if (following && newest !== undefined && newest !== list.selected) select(newest, false, true).catch(() => {});
  }, 150);
}

function tabFromUrl() {
  const tab = location.hash.slice(1);
  return TABS.includes(tab) ? tab : "overview";
}

function tabHash(tab) {
  return tab === "overview" ? "" : `#${tab}`;
}

function rememberTab(tab) {
  history.replaceState(history.state, "", location.pathname + location.search + tabHash(tab));
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

// A range brushed on the timeline becomes the search's time term (replacing any other one).
function brushTime(term) {
  const others = searchBox.text.replace(/(^|\s)-?time:\S+/g, "").trim();
  searchBox.input.value = others ? `${others} ${term}` : term;
  searchBox.now();
  searchBox.remember();
}

async function replayMatches() {
  if (total > 10 && !await confirmer.ask({ title: "Replay the matches?",
    message: `Replay all ${requests(total)} that match ${query}?`, action: `Replay ${requests(total)}` })) return;
  // With --forward the server replays there, with the credentials the page never sees.
  const target = app.dataset.forward ? null : prompt("Replay to which base URL?", "http://localhost:3000");
  if (!app.dataset.forward && !target) return;
  const response = await fetch("/api/requests/replay", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify(target ? { q: query, target } : { q: query }),
  });
  const answer = await response.json();
  if (!response.ok) return notice(answer.error);
  const answered = answer.replays.filter((r) => r.replay && r.replay.status >= 200 && r.replay.status < 300);
  notice(`Replayed ${answer.replays.length}: ${answered.length} answered 2xx`);
}

// Asked with the server's own count; only what was counted is deleted (a match that arrives
// while the dialog is open is kept).
async function deleteMatches() {
  const [page, note] = await Promise.all([listing({ matches: "true", limit: 1 }).then((r) => r.json()), deletionNote()]);
  if (!page.matches) return notice("Nothing matches");
  const counted = requests(page.matches);
  if (!await confirmer.ask({ title: "Delete the matches?", message: `Delete the ${counted} that match ${query}?`,
    note, action: `Delete ${counted}` })) return;
  const bounded = `(${query}) id:<=${page.last_id}`;
  await fetch(`/api/requests?q=${encodeURIComponent(bounded)}`, { method: "DELETE" });
  await search(query);  // the count of everything stored changed too
}

// Everything, whatever the search: asked with the number the server stores now.
async function clearAll() {
  const [page, note] = await Promise.all([fetch("/api/requests?limit=1").then((r) => r.json()), deletionNote()]);
  if (!page.count) return notice("Nothing to clear");
  const counted = requests(page.count);
  if (!await confirmer.ask({ title: "Clear the history?",
    message: `Delete all ${counted} stored? Requests that arrive before you confirm are deleted too.`,
    note, action: `Delete ${counted}` })) return;
  await fetch("/api/requests", { method: "DELETE" });
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
  searchBox = new SearchBox({ input: $("filter"), error: $("filter-error"), recent: $("recent-queries"),
    help: $("query-help"), run: search });
  $("replay-matches").addEventListener("click", replayMatches);
  $("delete-matches").addEventListener("click", deleteMatches);
  new HarMenu($("har-menu"), () => ({ query, bar: model.window, selected: list.selected }));
  $("follow").addEventListener("click", () => {
    setFollowing(!following);
    if (!following) return;
    history.replaceState({}, "", urlWithQuery(query, "/") + tabHash(detail.tab));
    if (model.visible.length) select(model.visible[0], false, true);
  });
  $("pause").addEventListener("click", () => {
    paused = !paused;
    pauseMark = model.lastId;
    $("pause").setAttribute("aria-pressed", String(paused));
    $("pause").textContent = paused ? "Resume" : "Pause";
    if (!paused) {
      for (const summary of pending) model.add(summary);
      pending = [];
      redraw();
    }
  });
  $("clear").addEventListener("click", clearAll);
  $("restart-dismiss").addEventListener("click", () => { $("restart-notice").hidden = true; });
  $("store-notice-dismiss").addEventListener("click", () => { $("store-notice").hidden = true; });
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
    detail.tab = tabFromUrl();
    if (id !== null) select(id, false);
  });
}

async function start() {
  const box = $("filter");
  const wanted = new URLSearchParams(location.search).get("q") || "";
  let loaded = await loadAll(wanted);
  if (loaded.problem) {
    $("filter-error").textContent = loaded.problem.error;
    $("filter-error").hidden = false;
    loaded = await loadAll("");
  }
  wire();
  box.value = wanted;
  const deepLink = idFromPath();
  if (deepLink !== null) select(deepLink, false);
  live = new Live({
    lastId: loaded.lastId, query, instance: app.dataset.instance, onMessage: apply,
    onState: setState, onRestart: () => restarted(live),
  });
  live.connect();
  watchHealth($("store-health"));
  watchRoutes($("routes-panel"), notice, (id) => select(id, true));
  document.body.dataset.ready = "true";
}

start();
