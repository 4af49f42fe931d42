// Requests per interval over the recent minutes, coloured by outcome; a bar filters the list.

import { el } from "./dom.js";
import { clock } from "./format.js";

const BUCKETS = 30;
const BUCKET_MS = 30 * 1000;
const BAD_SIGNATURES = new Set(["invalid", "stale", "malformed", "missing"]);

export function outcome(summary) {
  if (BAD_SIGNATURES.has(summary.signature) || summary.error || (summary.response_status ?? 0) >= 400) return "bad";
  if (summary.signature === "unverified") return "warn";
  return "ok";
}

export class Timeline {
  constructor(container, model, onPick) {
    this.container = container;
    this.model = model;
    this.onPick = onPick;
    this.scheduled = false;
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
      if (t < start) break;  // order is newest first
      counts[Math.min(BUCKETS - 1, Math.floor((t - start) / BUCKET_MS))][outcome(summary)] += 1;
    }
    const peak = Math.max(1, ...counts.map((c) => c.ok + c.warn + c.bad));
    const bars = counts.map((c, index) => {
      const from = start + index * BUCKET_MS;
      const total = c.ok + c.warn + c.bad;
      const label = `${clock(new Date(from).toISOString())}: ${total} requests, ${c.bad} failing`;
      const bar = el("button", {
        type: "button", class: "bar", title: label, "aria-label": label, dataset: { from, total },
        onclick: () => this.onPick(from, from + BUCKET_MS, label),
      });
      for (const kind of ["bad", "warn", "ok"]) {
        if (!c[kind]) continue;
        const segment = el("span", { class: `seg ${kind}` });
        segment.style.height = `${(c[kind] / peak) * 100}%`;
        bar.append(segment);
      }
      return bar;
    });
    this.container.replaceChildren(...bars);
  }
}
