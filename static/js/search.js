// The filter box speaks the search language of the API (SPEC 12). The query lives in the
// page's URL, so a filtered view is a link; the server checks it as you type and its 400
// (where, and what was expected there) shows under the box; recent queries are remembered
// in this browser; the help lists every field with an example.

import { anchorUnder } from "./popover.js";

const RECENT_KEY = "webhook-inspector:recent-queries";
const RECENT_MAX = 12;
const DEBOUNCE_MS = 60;  // fast typing (keys 40 ms apart) still asks once; the answer comes sooner

export function queryFromUrl() {
  return new URLSearchParams(location.search).get("q") || "";
}

// The current address with `q` set (or dropped when empty), the path kept.
export function urlWithQuery(text, path = location.pathname) {
  const params = new URLSearchParams(location.search);
  if (text) params.set("q", text);
  else params.delete("q");
  const search = params.toString();
  return path + (search ? `?${search}` : "");
}

export class SearchBox {
  // run(text) resolves to null when the query was applied, or the API's error object.
  // leave() takes the focus elsewhere when Escape leaves the box.
  constructor({ input, error, recent, help, run, leave }) {
    this.input = input;
    this.error = error;
    this.recent = recent;
    this.run = run;
    this.timer = null;
    this.sequence = 0;
    this.applied = null;
    input.value = queryFromUrl();
    input.addEventListener("input", () => this.schedule());
    input.addEventListener("change", () => this.remember());
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") this.now();
      if (event.key === "Escape") {
        event.preventDefault();  // a search box would clear itself: the query stays
        leave();
      }
    });
    anchorUnder(help, document.querySelector(`[popovertarget="${help.id}"]`));
    help.addEventListener("click", (event) => {
      const example = event.target.closest("[data-example]");
      if (!example) return;
      const text = this.input.value.trim();
      this.input.value = text ? `${text} ${example.dataset.example}` : example.dataset.example;
      this.input.focus();
      this.now();
    });
    this.showRecent();
  }

  get text() {
    return this.input.value.trim();
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.now(), DEBOUNCE_MS);
  }

  async now() {
    clearTimeout(this.timer);
    const text = this.text;
    if (text === this.applied) return;
    const mine = ++this.sequence;
    const problem = await this.run(text);
    if (mine !== this.sequence) return;  // a later keystroke's answer wins
    if (problem) {
      this.error.textContent = problem.error;
      this.error.hidden = false;
      this.input.setAttribute("aria-invalid", "true");
      return;
    }
    this.applied = text;
    this.error.hidden = true;
    this.error.textContent = "";
    this.input.removeAttribute("aria-invalid");
    history.replaceState(history.state, "", urlWithQuery(text));
  }

  recentQueries() {
    try {
      const stored = JSON.parse(localStorage.getItem(RECENT_KEY) || "[]");
      return Array.isArray(stored) ? stored.filter((q) => typeof q === "string") : [];
    } catch {
      return [];
    }
  }

  // A query is remembered once it is finished (Enter, or leaving the box) and valid.
  remember() {
    const text = this.text;
    if (!text || this.input.getAttribute("aria-invalid") === "true") return;
    const kept = [text, ...this.recentQueries().filter((q) => q !== text)].slice(0, RECENT_MAX);
    localStorage.setItem(RECENT_KEY, JSON.stringify(kept));
    this.showRecent();
  }

  showRecent() {
    const options = this.recentQueries().map((q) => {
      const option = document.createElement("option");
      option.value = q;
      return option;
    });
    this.recent.replaceChildren(...options);
  }
}
