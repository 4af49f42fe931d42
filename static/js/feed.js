// The list's state as the server's messages change it: the search, what the server counts,
// what is held back while paused, whether the newest request is followed. `apply` is pure: a
// state and a websocket message in, the next state and the effects for the page out, so that
// every message's meaning can be tested without a page around it.

import { plural } from "./format.js";

// `held`: anything with has(id), the ids the list holds (the model's map; a Set in tests).
export function feedState({ query = "", total = 0, stored = 0, held = new Set() } = {}) {
  return { query, total, stored, held, paused: false, pauseMark: 0, pending: [], following: true };
}

// Effects, for the page to carry out in order: { do: "add" | "update", request },
// { do: "remove", ids }, { do: "reset" }, { do: "storeLost", reason }.
export function apply(state, message) {
  switch (message.type) {
    case "request":
      return arrived(state, message.request);
    case "update":
      // Under a search, an update to a request the list does not hold: it matches only now.
      if (state.query && !state.held.has(message.request.id)) return arrived(state, message.request);
      return { state, effects: [{ do: "update", request: message.request }] };
    case "delete":
      return removed(state, message.ids);
    case "clear":
      return {
        state: { ...state, total: 0, stored: 0, pending: [] },
        effects: [{ do: "reset" }, ...(message.reason ? [{ do: "storeLost", reason: message.reason }] : [])],
      };
    default:
      return { state, effects: [] };  // hello is the connection's business (live.js)
  }
}

// A stored request (matching the search, if any: the server sends nothing else) is one more
// match and one more stored; paused, it waits.
function arrived(state, request) {
  const counted = { ...state, total: state.total + 1, stored: state.stored + 1 };
  if (state.paused) return { state: { ...counted, pending: [...state.pending, request] }, effects: [] };
  return { state: counted, effects: [{ do: "add", request }] };
}

// Under a search a delete may only mean "matches no more" (SPEC 6): the stored count stays.
function removed(state, ids) {
  const gone = new Set(ids);
  const total = Math.max(0, state.total - ids.length);
  return {
    state: { ...state, total, stored: state.query ? state.stored : total,
      pending: state.pending.filter((s) => !gone.has(s.id)) },
    effects: [{ do: "remove", ids }],
  };
}

// Resuming: what waited is shown.
export function resumed(state) {
  return { state: { ...state, paused: false, pending: [] }, effects: state.pending.map((request) => ({ do: "add", request })) };
}

// "3 of 40 requests (2000 loaded) · 2 new while paused": `loaded` the ids the list holds,
// `shown` those inside the timeline's window.
export function countLine(state, { loaded, shown }) {
  const held = loaded + state.pending.length;
  const all = state.query ? state.stored : state.total;  // with a search, `total` counts its matches
  const windowed = shown !== loaded;  // a timeline bar narrows what is held
  const noun = plural(all, "request");
  const counted = state.query || windowed ? `${windowed ? shown : state.total} of ${noun}` : noun;
  const partly = held < state.total ? ` (${loaded} loaded)` : "";
  const waiting = state.pending.length ? ` · ${state.pending.length} new while paused` : "";
  return counted + partly + waiting;
}
