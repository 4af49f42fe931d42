// The inspector page: wires the feed (the list's state), the live websocket, the list, the
// detail pane, the timeline, the search, the header's panels, keyboard and address together.

import { AnswersDialog } from "./js/answers.js";
import { ApiError, getJson, sendJson } from "./js/api.js";
import { BulkActions } from "./js/bulk.js";
import { ConfirmDialog } from "./js/confirm.js";
import { DetailPane } from "./js/detail.js";
import { apply, countLine, feedState, resumed } from "./js/feed.js";
import { HarMenu } from "./js/har.js";
import { watchHealth } from "./js/health.js";
import { RequestList } from "./js/list.js";
import { watchRoutes } from "./js/routes_panel.js";
import { Live } from "./js/live.js";
import { Model } from "./js/model.js";
import { idFromPath, onNavigate, pushRequest, rememberTab, showList, tabFromUrl } from "./js/routes.js";
import { SearchBox } from "./js/search.js";
import { SecretsDialog } from "./js/secrets.js";
import { SendDialog } from "./js/send.js";
import { Splitter } from "./js/splitter.js";
import { Timeline } from "./js/timeline.js";
import { Toast } from "./js/toast.js";

const INITIAL_LIMIT = 2000;
const OLDER_PAGE = 5000;
const FOLLOW_EVERY_MS = 150;
const $ = (id) => document.getElementById(id);

const model = new Model();
const app = $("app");
let feed = feedState({ held: model.byId });
let live = null;
let searchBox = null;
let loadingOlder = false;
let followTimer = null;

const toast = new Toast($("toast"));
const notice = (text) => toast.show(text);
const detail = new DetailPane($("detail"), {
  forwardUrl: app.dataset.forward, onDelete: remove, onNotice: notice,
  onSelect: (id) => select(id, true), onTab: rememberTab, tab: tabFromUrl(),
});
const list = new RequestList($("list"), $("list-spacer"), model, (id) => select(id, true), loadOlder);
const timeline = new Timeline($("timeline"), model, pickWindow, brushTime);
const confirmer = new ConfirmDialog($("confirm-dialog"));
const bulk = new BulkActions({ confirmer, notice, current: () => feed, reload: search });

// The header's panels: each a button and the dialog it opens. A new panel adds its line here.
const PANELS = {
  "secrets-button": new SecretsDialog($("secrets-dialog"), notice, () => list.selected),
  "answers-button": new AnswersDialog($("answers-dialog"), notice),
  "send-button": new SendDialog($("send-dialog"), $("hook-url").textContent.trim(), notice),
};

// A click's action; an API error is said in a toast, where the eye is.
function guarded(action) {
  return (...args) => Promise.resolve(action(...args)).catch((problem) => {
    if (problem instanceof ApiError) notice(problem.message);
    else throw problem;
  });
}

function setState(state) {
  const connection = $("connection");
  connection.dataset.state = state;
  connection.textContent = { live: "● live", connecting: "connecting…", reconnecting: "reconnecting…" }[state] || state;
}

function refreshCounts() {
  $("count").textContent = countLine(feed, { loaded: model.order.length, shown: model.visible.length });
  $("list-empty").hidden = feed.stored > 0;
  $("matches-actions").hidden = !feed.query;
}

// The server's count of everything stored, which a search's stream alone cannot know (the
// requests that do not match never come).
function storedNow(count) {
  if (!feed.query || count === feed.stored) return;
  feed = { ...feed, stored: count };
  refreshCounts();
}

function redraw() {
  refreshCounts();
  list.schedule();
  timeline.schedule();
}

function listingUrl(params) {
  const search = new URLSearchParams(params);
  if (feed.query) search.set("q", feed.query);
  return `/api/requests?${search}`;
}

// Older requests come a page at a time as the list nears its end, filtered or not.
async function loadOlder() {
  const oldest = model.oldestId;
  if (loadingOlder || oldest === null || model.order.length + feed.pending.length >= feed.total) return;
  loadingOlder = true;
  try {
    const page = await getJson(listingUrl({ limit: OLDER_PAGE, before: oldest }));
    if (model.oldestId !== oldest) return;  // cleared or reloaded meanwhile
    if (!page.requests.length) feed = { ...feed, total: model.order.length + feed.pending.length };
    model.addOlder(page.requests);
  } finally {
    loadingOlder = false;
  }
  redraw();
}

// The newest page of the list (of the matches, with a search); the API's error when the
// search does not parse (nothing changes then).
async function loadAll(text = feed.query) {
  const params = new URLSearchParams({ limit: INITIAL_LIMIT });
  if (text) {
    params.set("q", text);
    params.set("matches", "true");
  }
  let page;
  try {
    page = await getJson(`/api/requests?${params}`);
  } catch (problem) {
    if (problem instanceof ApiError) return { problem: { error: problem.message } };
    throw problem;
  }
  // Paused, what arrived since stays held back, whatever the listing brings.
  const waiting = (s) => feed.paused && s.id > feed.pauseMark;
  feed = { ...feed, query: text, stored: page.count, total: text ? page.matches : page.count,
    pending: page.requests.filter(waiting) };
  model.reset(page.requests.filter((s) => !waiting(s)));
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
  live.follow(feed.query, loaded.lastId);
  return null;
}

// A new history under the same address: ids start again, so nothing held or open is valid.
async function restarted() {
  $("restart-notice").hidden = false;
  feed = { ...feed, pending: [] };
  list.select(null);
  detail.clear("The server restarted: the request that was open here belonged to the old history.");
  if (idFromPath() !== null) showList(feed.query);
  live.lastId = (await loadAll()).lastId;
}

function onMessage(message) {
  const next = apply(feed, message);
  feed = next.state;
  for (const effect of next.effects) carryOut(effect);
  redraw();
}

function carryOut(effect) {
  if (effect.do === "add") {
    const before = model.visible.length;
    model.add(effect.request);
    if (model.visible.length === before) return;
    if (feed.following) followNewest();
    else list.anchor();
  } else if (effect.do === "update" && model.update(effect.request)) {
    list.invalidate([effect.request.id]);
    detail.refresh(effect.request);
  } else if (effect.do === "remove") {
    model.remove(effect.ids);
    list.invalidate(effect.ids);
  } else if (effect.do === "reset") {
    model.reset([]);
  } else if (effect.do === "storeLost") {
    storeLostData(effect.reason);
  }
}

// The store lost data (Redis came back empty, from an older copy, or was flushed) and the
// server read the history again: say so, and show what the store holds now.
async function storeLostData(reason) {
  $("store-notice-text").textContent = `History store: ${reason}`;
  $("store-notice").hidden = false;
  const loaded = await loadAll();
  if (loaded.problem) return;
  live.follow(feed.query, loaded.lastId);
  if (list.selected !== null && !model.byId.has(list.selected)) {
    list.select(null);
    detail.clear("The request that was open here is gone: the history store lost it.");
  }
}

// `auto`: chosen by follow-newest, not by the user (whose choice ends following).
async function select(id, push, auto = false) {
  if (!auto) setFollowing(false);
  list.select(id);
  if (push) pushRequest(id, feed.query, detail.tab);
  await detail.show(id);
}

function setFollowing(on) {
  feed = { ...feed, following: on };
  $("follow").setAttribute("aria-pressed", String(on));
}

function selectNewest() {
  const newest = model.visible[0];
  // Unreachable server: the connection status says so; following resumes with the next arrival.
  if (feed.following && newest !== undefined && newest !== list.selected) select(newest, false, true).catch(() => {});
}

// Coalesced, so that a burst fetches the newest detail a few times a second, not per request.
function followNewest() {
  if (followTimer !== null) return;
  followTimer = setTimeout(() => {
    followTimer = null;
    selectNewest();
  }, FOLLOW_EVERY_MS);
}

async function remove(id) {
  await sendJson("DELETE", `/api/requests/${id}`);
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

function togglePause() {
  const pause = $("pause");
  if (feed.paused) {
    const next = resumed(feed);
    feed = next.state;
    for (const effect of next.effects) model.add(effect.request);
    redraw();
  } else {
    feed = { ...feed, paused: true, pauseMark: model.lastId };
  }
  pause.setAttribute("aria-pressed", String(feed.paused));
  pause.textContent = feed.paused ? "Resume" : "Pause";
}

function onKey(event) {
  if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement
      || event.target instanceof HTMLTextAreaElement) return;
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

function clearWindow() {
  model.window = null;
  model.refilter();
  $("timeline-filter").hidden = true;
  list.invalidate([...list.rows.keys()]);
  redraw();
}

function wire() {
  searchBox = new SearchBox({ input: $("filter"), error: $("filter-error"), recent: $("recent-queries"),
    help: $("query-help"), run: search, leave: () => $("list").focus() });
  $("replay-matches").addEventListener("click", guarded(() => bulk.replayMatches(Boolean(app.dataset.forward))));
  $("delete-matches").addEventListener("click", guarded(() => bulk.deleteMatches()));
  $("clear").addEventListener("click", guarded(() => bulk.clearAll()));
  new HarMenu($("har-menu"), $("har-button"), () => ({ query: feed.query, bar: model.window, selected: list.selected }), notice);
  new Splitter($("splitter"), app);
  $("follow").addEventListener("click", () => {
    setFollowing(!feed.following);
    if (!feed.following) return;
    showList(feed.query, detail.tab);
    selectNewest();
  });
  $("pause").addEventListener("click", togglePause);
  $("restart-dismiss").addEventListener("click", () => { $("restart-notice").hidden = true; });
  $("store-notice-dismiss").addEventListener("click", () => { $("store-notice").hidden = true; });
  $("timeline-filter-clear").addEventListener("click", clearWindow);
  for (const [button, panel] of Object.entries(PANELS)) $(button).addEventListener("click", guarded(() => panel.open()));
  document.addEventListener("keydown", onKey);
  onNavigate((id, tab) => {
    detail.tab = tab;
    if (id !== null) select(id, false);
  });
}

async function start() {
  const wanted = new URLSearchParams(location.search).get("q") || "";
  let loaded = await loadAll(wanted);
  if (loaded.problem) {
    $("filter-error").textContent = loaded.problem.error;
    $("filter-error").hidden = false;
    loaded = await loadAll("");
  }
  wire();
  $("filter").value = wanted;
  const deepLink = idFromPath();
  if (deepLink !== null) select(deepLink, false);
  else selectNewest();  // following from the start: the newest is shown at once
  live = new Live({
    lastId: loaded.lastId, query: feed.query, instance: app.dataset.instance, onMessage,
    onState: setState, onRestart: () => restarted(),
  });
  live.connect();
  watchHealth($("store-health"), storedNow);
  watchRoutes($("routes-panel"), notice, (id) => select(id, true));
  document.body.dataset.ready = "true";
}

start();
