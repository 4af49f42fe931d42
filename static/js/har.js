// HAR out and in: export everything, what the list shows (the search's matches, within the
// timeline bar picked) or the selected request (masked unless asked otherwise), and import a
// HAR file into the history.

import { ApiError, sendJson } from "./api.js";
import { plural } from "./format.js";
import { anchorUnder } from "./popover.js";
import { timeRange } from "./timeline.js";

export function exportUrl({ ids = null, query = "", masked = true }) {
  const params = new URLSearchParams();
  if (ids) params.set("ids", ids.join(","));
  if (query) params.set("q", query);
  if (masked) params.set("mask", "1");
  const search = params.toString();
  return `/api/export.har${search ? `?${search}` : ""}`;
}

// The search of what the list shows: the query, narrowed to the timeline bar's time range.
function viewQuery({ query, bar }) {
  if (!bar) return query;
  const range = timeRange(bar[0], bar[1]);
  return query ? `(${query}) ${range}` : range;
}

export class HarMenu {
  // `current()` gives what the page shows: { query, bar: [from, to] or null, selected }.
  constructor(menu, button, current, onNotice) {
    this.menu = menu;
    this.current = current;
    this.onNotice = onNotice;
    anchorUnder(menu, button);
    const find = (selector) => menu.querySelector(selector);
    this.mask = find("#har-mask");
    this.view = find("#export-view");
    this.one = find("#export-one");
    this.result = find("#import-result");
    this.file = find("#import-file");
    this.links = { "#export-all": () => ({}), "#export-view": () => ({ query: viewQuery(current()) }),
      "#export-one": () => ({ ids: [current().selected] }) };
    for (const [selector, what] of Object.entries(this.links)) {
      // The address is made at the click, from the search, the selection and the mask then.
      find(selector).addEventListener("click", (event) => {
        event.currentTarget.href = exportUrl({ ...what(), masked: this.mask.checked });
      });
    }
    menu.addEventListener("beforetoggle", () => this.refresh());
    this.file.addEventListener("change", () => this.importFile());
  }

  refresh() {
    const { query, bar, selected } = this.current();
    this.view.hidden = !query && !bar;
    this.one.hidden = selected === null;
  }

  async importFile() {
    const file = this.file.files[0];
    if (!file) return;
    this.result.className = "import-result";
    this.result.textContent = `Importing ${file.name}…`;
    let answer;
    try {
      answer = await sendJson("POST", "/api/import", file);
    } catch (problem) {
      if (!(problem instanceof ApiError)) throw problem;
      this.result.className = "import-result error";
      this.result.textContent = `Not imported: ${problem.message}`;
      return;
    } finally {
      this.file.value = "";
    }
    // Done: the menu closes, and the toast says what came in.
    this.result.textContent = `Imported ${plural(answer.imported, "request")} from ${file.name}`;
    this.menu.hidePopover();
    this.onNotice(this.result.textContent);
  }
}
