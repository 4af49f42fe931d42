// HAR out and in: export everything, what the list shows (the search's matches, within the
// timeline bar picked) or the selected request (masked unless asked otherwise), and import a
// HAR file into the history.

import { ApiError, sendJson } from "./api.js";
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
  constructor(menu, current) {
    this.menu = menu;
    this.current = current;
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
    this.result.textContent = `Imported ${answer.imported} request${answer.imported === 1 ? "" : "s"} from ${file.name}`;
  }
}
