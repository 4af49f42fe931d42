// The client's copy of the stored summaries (all of them, or the matches of the search, which
// the server decides), newest first, and the timeline's window over them.

export class Model {
  constructor() {
    this.byId = new Map();
    this.order = [];          // ids, newest first
    this.visible = [];        // ids inside the timeline's window, newest first
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

  refilter() {
    this.visible = this.order.filter((id) => this.matches(this.byId.get(id)));
  }

  matches(summary) {
    if (!this.window) return true;
    const t = Date.parse(summary.received_at);
    return t >= this.window[0] && t < this.window[1];
  }
}
