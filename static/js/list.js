// The request list: a virtual list that renders only the rows in view, so it stays fluent
// with tens of thousands of requests.

import { el } from "./dom.js";
import { ago, size, statusClass, target } from "./format.js";
import { verdictIcon } from "./icons.js";

const MIN_ROW_HEIGHT = 24;  // one line a request: 25+ rows at 1280×800
const OVERSCAN = 8;
// What a row must hold: underscores, descenders and a capital's height, in whatever fonts
// this machine has (a font's ascent and descent decide the line's height, not 1em).
const PROBE = { id: 0, method: "POST", path: "/Wg_qy", query: "", provider: "gjpq_y", event: "Éy_g",
  body_size: 0, response_status: 200, received_at: new Date(0).toISOString(), signature: null };

export class RequestList {
  constructor(container, spacer, model, onSelect, onNearEnd) {
    this.container = container;
    this.spacer = spacer;
    this.model = model;
    this.onSelect = onSelect;
    this.onNearEnd = onNearEnd;
    this.selected = null;
    this.rows = new Map();  // id -> rendered row element
    this.scheduled = false;
    this.rowHeight = this.measureRow();
    container.addEventListener("scroll", () => this.schedule());
    window.addEventListener("resize", () => this.schedule());
    container.addEventListener("click", (event) => {
      const row = event.target.closest(".row");
      if (row) this.onSelect(Number(row.dataset.id));
    });
  }

  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  // The height a row needs with the fonts in use, never less than the dense default.
  measureRow() {
    const probe = this.row(PROBE, Date.now());
    probe.style.height = "auto";
    probe.style.visibility = "hidden";
    this.container.append(probe);
    const needed = Math.ceil(probe.getBoundingClientRect().height);
    probe.remove();
    const height = Math.max(MIN_ROW_HEIGHT, needed);
    this.container.style.setProperty("--row-h", `${height}px`);
    return height;
  }

  invalidate(ids) {
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row) {
        row.remove();
        this.rows.delete(id);
      }
    }
    this.schedule();
  }

  render() {
    const ids = this.model.visible;
    this.spacer.style.height = `${ids.length * this.rowHeight}px`;
    const top = this.container.scrollTop;
    const first = Math.max(0, Math.floor(top / this.rowHeight) - OVERSCAN);
    const last = Math.min(ids.length, Math.ceil((top + this.container.clientHeight) / this.rowHeight) + OVERSCAN);
    if (last >= ids.length - OVERSCAN) this.onNearEnd();  // older requests may wait on the server
    const wanted = new Map();
    for (let index = first; index < last; index += 1) wanted.set(ids[index], index);
    for (const [id, row] of this.rows) {
      if (!wanted.has(id)) {
        row.remove();
        this.rows.delete(id);
      }
    }
    const now = Date.now();
    for (const [id, index] of wanted) {
      let row = this.rows.get(id);
      if (!row) {
        row = this.row(this.model.byId.get(id), now);
        this.rows.set(id, row);
        this.container.append(row);
      }
      row.style.transform = `translateY(${index * this.rowHeight}px)`;
      row.setAttribute("aria-selected", String(id === this.selected));
      row.setAttribute("aria-posinset", String(index + 1));
      row.setAttribute("aria-setsize", String(ids.length));
    }
  }

  row(summary, now) {
    const where = [summary.provider, summary.event].filter(Boolean).join(" ");
    return el("div", {
      class: "row", role: "option", id: `row-${summary.id}`, dataset: { id: summary.id },
    },
    el("span", { class: "badge-slot" }, verdictIcon(summary.signature)),
    el("span", { class: `method m-${summary.method.toLowerCase()}`, text: summary.method }),
    el("span", { class: "path", text: target(summary), title: target(summary) }),
    el("span", { class: "where", text: where || summary.content_type || "" }),
    summary.conformance === "deviates"
      ? el("span", { class: "conf-mark", role: "img", "aria-label": "payload deviates from its documented schema",
        title: "payload deviates from its documented schema" }, "≠", el("span", { class: "conf-word", text: "schema" })) : null,
    summary.duplicate_of ? el("span", { class: "dup", title: `duplicate of #${summary.duplicate_of}`, text: "dup" }) : null,
    summary.imported ? el("span", { class: "imported", title: "imported from a HAR file", text: "har" }) : null,
    summary.held === "waiting" ? el("span", { class: "held", title: `held by route #${summary.route?.index}: its app is down`, text: "held" }) : null,
    summary.error ? el("span", { class: "error-tag", title: summary.error, text: summary.error }) : null,
    el("span", { class: "size", text: size(summary.body_size) }),
    el("span", { class: `answer ${statusClass(summary.response_status)}`, text: summary.response_status ?? (summary.imported ? "—" : "…") }),
    el("time", { class: "ago", datetime: summary.received_at, text: ago(summary.received_at, now) }));
  }

  // A row was added above: keep what the reader looks at in place, unless they watch the top.
  anchor() {
    if (this.selected === null && this.container.scrollTop === 0) return;
    this.spacer.style.height = `${this.model.visible.length * this.rowHeight}px`;
    this.container.scrollTop += this.rowHeight;
  }

  select(id) {
    this.selected = id;
    const index = this.model.visible.indexOf(id);
    if (index >= 0) {
      this.spacer.style.height = `${this.model.visible.length * this.rowHeight}px`;  // room to scroll to it
      const top = index * this.rowHeight;
      if (top < this.container.scrollTop) this.container.scrollTop = top;
      else if (top + this.rowHeight > this.container.scrollTop + this.container.clientHeight) {
        this.container.scrollTop = top + this.rowHeight - this.container.clientHeight;
      }
      this.container.setAttribute("aria-activedescendant", `row-${id}`);
    }
    for (const [rowId, row] of this.rows) row.setAttribute("aria-selected", String(rowId === id));
    this.schedule();
  }

  neighbour(step) {
    const ids = this.model.visible;
    if (!ids.length) return null;
    const index = ids.indexOf(this.selected);
    if (index < 0) return ids[0];
    return ids[Math.min(ids.length - 1, Math.max(0, index + step))];
  }
}
