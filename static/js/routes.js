// Where the page is, in its address: /requests/ID opens a request, #TAB its tab (none for the
// overview), ?q= the search (search.js keeps that part). Back and forward walk the requests.

import { TABS } from "./detail.js";
import { urlWithQuery } from "./search.js";

export function idFromPath() {
  const match = location.pathname.match(/^\/requests\/(\d+)$/);
  return match ? Number(match[1]) : null;
}

export function tabFromUrl() {
  const tab = location.hash.slice(1);
  return TABS.includes(tab) ? tab : "overview";
}

function tabHash(tab) {
  return tab === "overview" ? "" : `#${tab}`;
}

export function rememberTab(tab) {
  history.replaceState(history.state, "", location.pathname + location.search + tabHash(tab));
}

// A request picked by the reader: a new history entry, so that Back returns to the last one.
export function pushRequest(id, query, tab) {
  if (location.pathname === `/requests/${id}`) return;
  history.pushState({ id }, "", urlWithQuery(query, `/requests/${id}`) + tabHash(tab));
}

// No request in the address (following the newest, or the open one is gone).
export function showList(query, tab = "overview") {
  history.replaceState({}, "", urlWithQuery(query, "/") + tabHash(tab));
}

// Back or forward: onChange(id or null, tab).
export function onNavigate(onChange) {
  window.addEventListener("popstate", () => onChange(idFromPath(), tabFromUrl()));
}
