// Requests per interval over the recent minutes, coloured by outcome, on a square-root scale
// (a trickle beside a burst stays visible). A click on a bar narrows the list to it; a drag
// across bars (the brush) selects their time range as a search (`time:A..B`, or
// `time:>=A` when it takes in the last bar). Bars are kept
// and updated in place, so the one under the pointer stays the same element while requests
// arrive.

import { el } from "./dom.js";
import { clock, plural } from "./format.js";

const BUCKETS = 30;
const BUCKET_MS = 30 * 1000;
const LABEL_EVERY = 10;  // buckets between two time labels: 5 minutes
const STACK = ["bad", "warn", "ok"];
const BAD_SIGNATURES = new Set(["invalid", "stale", "malformed", "missing"]);

export function outcome(summary) {
  if (BAD_SIGNATURES.has(summary.signature) || summary.error || (summary.response_status ?? 0) >= 400) return "bad";
  if (summary.signature === "unverified") return "warn";
  return "ok";
}

// `time:A..B` for [from, to): whole seconds in UTC, both ends included by the search.
export function timeRange(from, to) {
  const second = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  // the last bar's window is open-ended (it counts what came later than the page's now)
  return to === Infinity ? `time:>=${second(from)}` : `time:${second(from)}..${second(to - 1000)}`;
}

export class Timeline {
  constructor(container, model, onPick, onBrush) {
    this.container = container;
    this.model = model;
    this.onPick = onPick;
    this.onBrush = onBrush;
    this.scheduled = false;
    this.bars = new Map();  // bucket start (ms) → its bar, oldest first
    this.plot = el("div", { class: "timeline-bars" });
    this.band = el("div", { class: "timeline-brush", hidden: true });
    this.peakLabel = el("span", { class: "timeline-peak" });
    this.times = el("div", { class: "timeline-x", "aria-hidden": "true" });
    container.replaceChildren(
      el("div", { class: "timeline-y", "aria-hidden": "true", title: "requests per 30 s, square-root scale" },
        this.peakLabel, el("span", { text: "0" })),
      el("div", { class: "timeline-plot" }, this.plot, this.band, this.times));
    this.drag = null;
    this.plot.addEventListener("pointerdown", (event) => this.brushStart(event));
    this.plot.addEventListener("pointermove", (event) => this.brushMove(event));
    window.addEventListener("pointerup", (event) => this.brushEnd(event));
    setInterval(() => this.schedule(), 5000);
  }

  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.render();
    }, 250);
  }

  render() {
    const end = Math.ceil(Date.now() / BUCKET_MS) * BUCKET_MS;
    const start = end - BUCKETS * BUCKET_MS;
    const counts = Array.from({ length: BUCKETS }, () => ({ ok: 0, warn: 0, bad: 0 }));
    for (const id of this.model.order) {
      const summary = this.model.byId.get(id);
      const t = Date.parse(summary.received_at);
      // Ids do not follow times: an imported request is new here but old in time.
      if (t < start) continue;
      counts[Math.min(BUCKETS - 1, Math.floor((t - start) / BUCKET_MS))][outcome(summary)] += 1;
    }
    this.keepBuckets(start);
    this.lastFrom = start + (BUCKETS - 1) * BUCKET_MS;
    const peak = Math.max(1, ...counts.map((c) => c.ok + c.warn + c.bad));
    counts.forEach((c, index) => this.update(this.bars.get(start + index * BUCKET_MS), c, peak));
    this.peakLabel.textContent = String(peak);
    this.labelTimes(start);
  }

  // Drop the buckets that left the window and add the new ones, touching no other bar.
  keepBuckets(start) {
    for (const [from, bar] of this.bars) {
      if (from >= start) break;
      bar.remove();
      this.bars.delete(from);
    }
    for (let index = 0; index < BUCKETS; index += 1) {
      const from = start + index * BUCKET_MS;
      if (this.bars.has(from)) continue;
      const bar = el("button", { type: "button", class: "bar", dataset: { from, total: 0 },
        onclick: () => {
          if (this.brushed) return;  // the end of a drag, not a click
          this.onPick(from, this.endOf(from), bar.getAttribute("aria-label"));
        } });
      this.bars.set(from, bar);
      this.plot.append(bar);
    }
  }

  update(bar, c, peak) {
    const from = Number(bar.dataset.from);
    const total = c.ok + c.warn + c.bad;
    const label = `${clock(new Date(from).toISOString())}: ${plural(total, "request")}, ${c.bad} failing`;
    if (bar.getAttribute("aria-label") !== label) {
      bar.setAttribute("aria-label", label);
      bar.title = label;
    }
    bar.dataset.total = String(total);
    const height = Math.sqrt(total / peak) * 100;  // of the bar's full height
    let added = false;
    for (const kind of STACK) {
      let segment = bar.querySelector(`.seg.${kind}`);
      if (!c[kind]) {
        segment?.remove();
        continue;
      }
      if (!segment) {
        segment = el("span", { class: `seg ${kind}` });
        bar.append(segment);
        added = true;
      }
      segment.style.height = `${(c[kind] / total) * height}%`;
    }
    if (!added) return;
    for (const kind of STACK) {  // from the bottom (the bar stacks in reverse)
      const segment = bar.querySelector(`.seg.${kind}`);
      if (segment) bar.append(segment);
    }
  }

  labelTimes(start) {
    const labels = [];
    for (let index = 0; index < BUCKETS; index += LABEL_EVERY) {
      const at = start + index * BUCKET_MS;
      labels.push([`${(index / BUCKETS) * 100}%`, clock(new Date(at).toISOString())]);
    }
    labels.push(["100%", "now"]);
    while (this.times.children.length < labels.length) this.times.append(el("span"));
    labels.forEach(([left, text], index) => {
      const label = this.times.children[index];
      label.style.left = left;
      label.textContent = text;
    });
  }

  // The bucket under a horizontal position, clamped to the window.
  // The last bar also counts what came later than the page's now (a server's clock ahead of
  // the browser's): its window is open-ended, so a click or a brush shows all it counts.
  endOf(from) {
    return from === this.lastFrom ? Infinity : from + BUCKET_MS;
  }

  fromAt(clientX) {
    const starts = [...this.bars.keys()];
    const box = this.plot.getBoundingClientRect();
    const index = Math.floor(((clientX - box.left) / box.width) * starts.length);
    return starts[Math.max(0, Math.min(starts.length - 1, index))];
  }

  brushStart(event) {
    if (event.button !== 0) return;
    this.brushed = false;
    this.drag = { first: this.fromAt(event.clientX), last: this.fromAt(event.clientX) };
  }

  brushMove(event) {
    if (!this.drag) return;
    this.drag.last = this.fromAt(event.clientX);
    if (this.drag.last === this.drag.first) return;
    const [low, high] = [this.drag.first, this.drag.last].sort((a, b) => a - b);
    const left = this.bars.get(low).offsetLeft;
    const right = this.bars.get(high).offsetLeft + this.bars.get(high).offsetWidth;
    this.band.style.left = `${left}px`;
    this.band.style.width = `${right - left}px`;
    this.band.hidden = false;
  }

  brushEnd() {
    if (!this.drag) return;
    const { first, last } = this.drag;
    this.drag = null;
    this.band.hidden = true;
    if (first === last) return;  // a click: the bar's own handler narrows the list
    this.brushed = true;
    const [low, high] = [first, last].sort((a, b) => a - b);
    this.onBrush(timeRange(low, this.endOf(high)));
  }
}
