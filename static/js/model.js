// The client's copy of the stored summaries, newest first, and the filter over them.

export class Model {
  constructor() {
    this.byId = new Map();
    this.order = [];          // ids, newest first
    this.visible = [];        // ids passing the filter, newest first
    this.filter = parseFilter("");
    this.bodyMatches = null;  // ids whose body matched free text on the server, or null
    this.window = null;       // [startMs, endMs] from a timeline bar, or null
  }

  reset(summaries) {
    this.byId.clear();
    this.order = [];
    for (const summary of summaries) this.byId.set(summary.id, summary);
    this.order = summaries.map((s) => s.id).sort((a, b) => b - a);
    this.refilter();
  }

  add(summary) {
    const known = this.byId.has(summary.id);
    this.byId.set(summary.id, summary);
    if (known) return false;
    if (this.order.length === 0 || summary.id > this.order[0]) this.order.unshift(summary.id);
    else {
      this.order.push(summary.id);
      this.order.sort((a, b) => b - a);
    }
    if (this.matches(summary)) {
      if (this.visible.length === 0 || summary.id > this.visible[0]) this.visible.unshift(summary.id);
      else this.refilter();
    }
    return true;
  }

  // A page of older summaries (ascending), below everything held.
  addOlder(summaries) {
    for (const summary of summaries) this.byId.set(summary.id, summary);
    const older = summaries.map((s) => s.id).sort((a, b) => b - a);
    this.order.push(...older);
    this.visible.push(...older.filter((id) => this.matches(this.byId.get(id))));
  }

  get oldestId() {
    return this.order.length ? this.order[this.order.length - 1] : null;
  }

  update(summary) {
    if (!this.byId.has(summary.id)) return false;
    this.byId.set(summary.id, summary);
    return true;
  }

  remove(ids) {
    const gone = new Set(ids);
    for (const id of ids) this.byId.delete(id);
    this.order = this.order.filter((id) => !gone.has(id));
    this.visible = this.visible.filter((id) => !gone.has(id));
  }

  get lastId() {
    return this.order.length ? this.order[0] : 0;
  }

  setFilter(text) {
    this.filter = parseFilter(text);
    this.bodyMatches = null;
    this.refilter();
  }

  refilter() {
    this.visible = this.order.filter((id) => this.matches(this.byId.get(id)));
  }

  matches(summary) {
    const f = this.filter;
    if (this.window) {
      const t = Date.parse(summary.received_at);
      if (t < this.window[0] || t >= this.window[1]) return false;
    }
    for (const [key, value] of f.fields) {
      const actual = key === "status" ? summary.signature : summary[key];
      if (actual === null || actual === undefined) return false;
      if (!String(actual).toLowerCase().includes(value)) return false;
    }
    if (!f.words.length) return true;
    const haystack = [summary.method, summary.path, summary.query, summary.provider, summary.event,
      summary.delivery_id, summary.signature, summary.error, summary.response_status]
      .filter((v) => v !== null && v !== undefined).join(" ").toLowerCase();
    if (f.words.every((w) => haystack.includes(w))) return true;
    return this.bodyMatches !== null && this.bodyMatches.has(summary.id);
  }
}

const FIELD_NAMES = { method: "method", provider: "provider", event: "event", status: "status",
  path: "path", signature: "status", answer: "response_status" };

export function parseFilter(text) {
  const fields = [];
  const words = [];
  for (const token of text.trim().toLowerCase().split(/\s+/).filter(Boolean)) {
    const match = token.match(/^(\w+):(.+)$/);
    if (match && FIELD_NAMES[match[1]]) fields.push([FIELD_NAMES[match[1]], match[2]]);
    else words.push(token);
  }
  return { fields, words, text: words.join(" ") };
}
