// The selected request: overview, headers, query, body views, verdicts, response and replays.

import { ApiError, NO_ANSWER, getJson, getText, sendJson } from "./api.js";
import { el, table } from "./dom.js";
import { availableViews, markPointer, readableBody, receivedBytes, renderBody, valueTable } from "./bodyviews.js";
import { conformanceBlock, conformanceChip } from "./conformance.js";
import { clock, size, statusClass } from "./format.js";
import { verdictIcon } from "./icons.js";
import { replayForm, replayHistory } from "./replay.js";

const VIEW_NAMES = { json: "Pretty JSON", form: "Form", raw: "Raw", hex: "Hex" };

function header(detail, name) {
  const found = detail.headers.find(([key]) => key.toLowerCase() === name);
  return found ? found[1] : null;
}

// Who gave the recorded answer (response.source): a HAR's answer is what another server said.
const ANSWERED_BY = { forward: "the app", har: "the HAR's server", inspector: "the inspector", error: "the inspector" };

function answerFact(d) {
  const r = d.response;
  if (r) return `${r.status} from ${ANSWERED_BY[r.source] || r.source} in ${r.duration_ms} ms`;
  return d.imported ? "no answer in the HAR" : (d.error || "no answer yet");
}

function originFact(d) {
  if (d.imported) return "imported (HAR)";  // never received here: no remote address
  const forwardedFor = header(d, "x-forwarded-for");
  return `from ${d.remote}${forwardedFor ? ` (for ${forwardedFor})` : ""}`;
}

export const TABS = ["overview", "headers", "query", "body", "signature", "response", "replays"];

export class DetailPane {
  constructor(container, { forwardUrl, onDelete, onNotice, onSelect, onTab, tab }) {
    this.container = container;
    this.forwardUrl = forwardUrl;
    this.onDelete = onDelete;
    this.onNotice = onNotice;
    this.onSelect = onSelect;
    this.onTab = onTab;
    this.detail = null;
    this.tab = TABS.includes(tab) ? tab : "overview";
    this.view = null;
    this.pointer = null;  // the JSON Pointer a chosen conformance finding marks in the body
  }

  async show(id) {
    let detail;
    try {
      detail = await getJson(`/api/requests/${id}`);
    } catch (problem) {
      if (!(problem instanceof ApiError)) throw problem;
      this.clear(problem.status === NO_ANSWER ? `Request #${id} could not be loaded. ${problem.message}`
        : `Request #${id} is no longer stored.`);
      return;
    }
    if (!this.detail || this.detail.id !== detail.id) {
      this.view = null;
      this.pointer = null;
    }
    this.detail = detail;
    this.render();
  }

  clear(text) {
    this.detail = null;
    this.view = null;
    this.pointer = null;
    this.container.replaceChildren(el("p", { class: "empty", text }));
  }

  refresh(summary) {
    if (this.detail && this.detail.id === summary.id) this.show(summary.id);
  }

  render() {
    const d = this.detail;
    const views = availableViews(readableBody(d));
    if (!this.view || !views.includes(this.view)) this.view = views[0];
    const tabs = [
      ["overview", "Overview"], ["headers", `Headers ${d.headers.length}`],
      ["query", `Query ${d.query_params.length}`], ["body", "Body"],
      ["signature", `Signature ${d.signatures.length}`], ["response", "Response"],
      ["replays", `Replays ${d.replays.length}`],
    ];
    const tablist = el("div", { class: "tabs", role: "tablist", "aria-label": "Request details" },
      tabs.map(([key, label]) => el("button", {
        type: "button", role: "tab", id: `tab-${key}`, "aria-selected": String(key === this.tab),
        "aria-controls": "tab-panel", text: label, onclick: () => this.showTab(key),
      })));
    const panel = el("div", { class: "tab-panel", id: "tab-panel", role: "tabpanel", "aria-labelledby": `tab-${this.tab}` },
      this.panel(this.tab));
    this.container.replaceChildren(this.heading(), this.actions(), tablist, panel);
    const bodyView = this.container.querySelector("#body-view");
    if (this.pointer !== null && bodyView) markPointer(bodyView, this.pointer);
  }

  showConformance() {
    if (this.tab !== "overview" && this.tab !== "signature") this.showTab("overview");
    this.container.querySelector("#conformance").scrollIntoView({ block: "start" });
  }

  // A conformance finding chosen: its path marked in the JSON view (shown for it).
  showFinding(pointer) {
    this.pointer = pointer;
    if (availableViews(readableBody(this.detail)).includes("json")) this.view = "json";
    if (this.tab !== "overview" && this.tab !== "body") this.showTab("body");
    else this.render();
  }

  showTab(key) {
    this.tab = key;
    this.onTab(key);
    this.render();
  }

  heading() {
    const d = this.detail;
    const facts = [
      // The media type alone: a multipart boundary is long enough to wrap the line.
      answerFact(d), originFact(d), size(d.body_size), (d.content_type || "no content type").split(";")[0], clock(d.received_at),
    ];
    return el("header", { class: "detail-head" },
      el("h2", {}, el("span", { class: `method m-${d.method.toLowerCase()}`, text: d.method }), " ",
        el("span", { class: "url", text: d.url })),
      this.verdictLine(),
      el("p", { class: "facts", text: `#${d.id} · ${facts.join(" · ")}` }));
  }

  // The verdicts in one line under the URL, so that they are seen first even in a narrow window.
  verdictLine() {
    const verdicts = this.detail.signatures;
    const payload = conformanceChip(this.detail.conformance, () => this.showConformance());
    if (!verdicts.length && !payload) return null;
    return el("p", { class: "verdict-line", id: "verdict-line" }, verdicts.map((v) => el("span", {
      class: `verdict-chip v-${v.status}`, title: v.reason,
    }, verdictIcon(v.status), el("strong", { text: `${v.provider} ${v.status}` }), el("span", { class: "chip-reason", text: v.reason }))),
    payload);
  }

  actions() {
    const d = this.detail;
    // An SNS subscription is confirmed only on this call (the server checks the URL's host).
    const confirm = d.event === "SubscriptionConfirmation"
      ? el("button", { type: "button", id: "confirm-subscription", text: "Confirm subscription", onclick: () => this.confirmSubscription() })
      : null;
    return el("div", { class: "actions" }, confirm,
      el("button", { type: "button", id: "replay-button", text: "Replay…", onclick: () => this.showTab("replays") }),
      el("button", { type: "button", id: "copy-curl", text: "Copy as cURL", onclick: () => this.copyCurl() }),
      // No name here: the server's names the file after its type (request-12.json).
      el("a", { class: "button", id: "download-raw", href: `/api/requests/${d.id}/raw`, download: true, text: "Download raw" }),
      el("button", { type: "button", id: "delete-request", class: "danger", text: "Delete", onclick: () => this.onDelete(d.id) }));
  }

  async confirmSubscription() {
    try {
      const answer = await sendJson("POST", `/api/requests/${this.detail.id}/confirm`);
      this.onNotice(`Subscription ${answer.confirmed ? "confirmed" : "not confirmed"} (${answer.status})`);
    } catch (problem) {
      if (!(problem instanceof ApiError)) throw problem;
      this.onNotice(problem.message);
    }
  }

  async copyCurl() {
    const text = await getText(`/api/requests/${this.detail.id}/curl`);
    this.lastCurl = text;
    try {
      await navigator.clipboard.writeText(text);
      this.onNotice("cURL command copied");
    } catch {
      this.onNotice("Clipboard unavailable: the command is shown below");
      this.container.append(el("pre", { class: "raw", id: "curl-text", text }));
    }
  }

  panel(tab) {
    const d = this.detail;
    if (tab === "headers") return table(d.headers, ["Name", "Value"], "Request headers");
    if (tab === "query") {
      return d.query_params.length ? valueTable(d.query_params, "Query parameters")
        : el("p", { class: "empty", text: "No query string." });
    }
    if (tab === "body") return this.bodyPanel();
    if (tab === "signature") return el("div", {}, this.verdicts(), this.conformance());
    if (tab === "response") return this.response();
    if (tab === "replays") return this.replays();
    return this.overview();
  }

  overview() {
    const d = this.detail;
    const rows = [
      ["Provider", d.provider || "unknown"], ["Event", d.event || "—"],
      ["Delivery id", d.delivery_id || "—"],
      d.dedupe_key ? ["Dedupe key", d.dedupe_key] : null,
      ["Duplicate of", d.duplicate_of ? this.requestLink(d.duplicate_of) : "—"],
      d.imported ? ["Imported", "from a HAR file"] : null,
      ["HTTP", d.http_version], ["Error", d.error || "—"],
    ];
    return el("div", {}, table(rows.filter(Boolean), ["Field", "Value"], "Overview"), this.verdicts(),
      this.conformance(), this.bodyPanel());
  }

  conformance() {
    return conformanceBlock(this.detail, this.pointer, (pointer) => this.showFinding(pointer));
  }

  requestLink(id) {
    return el("a", { href: `/requests/${id}`, class: "request-link", text: `#${id}`, onclick: (event) => {
      event.preventDefault();
      this.onSelect(id);
    } });
  }

  bodyPanel() {
    const body = readableBody(this.detail);
    const views = availableViews(body);
    const switcher = el("div", { class: "views", role: "group", "aria-label": "Body view" },
      views.map((view) => el("button", {
        type: "button", class: "ghost", "aria-pressed": String(view === this.view), dataset: { view },
        text: VIEW_NAMES[view], onclick: () => { this.view = view; this.render(); },
      })));
    return el("section", { class: "body", "aria-label": "Body" }, switcher,
      el("div", { class: "body-view", id: "body-view" }, renderBody(body, this.view)),
      this.detail.decoded ? receivedBytes(this.detail) : null);
  }

  verdicts() {
    const verdicts = this.detail.signatures;
    if (!verdicts.length) {
      return el("p", { class: "empty", text: "No signature checked: no known provider detected and no secret applies." });
    }
    return el("ul", { class: "verdicts", "aria-label": "Signature verdicts" }, verdicts.map((v) => {
      const facts = [
        v.header && `header ${v.header}`, v.received && `received ${v.received}`,
        v.expected && `expected ${v.expected}`,
        v.timestamp_age_s !== null && v.timestamp_age_s !== undefined && `signed ${v.timestamp_age_s} s before arrival`,
      ].filter(Boolean);
      return el("li", { class: `verdict v-${v.status}` },
        verdictIcon(v.status),
        el("strong", { text: ` ${v.provider} ${v.status}` }),
        el("p", { class: "reason", text: v.reason }),
        facts.length ? el("p", { class: "verdict-facts", text: facts.join(" · ") }) : null);
    }));
  }

  response() {
    const r = this.detail.response;
    if (!r) {
      const none = this.detail.imported ? "The HAR file holds no answer to this request." : "No answer recorded.";
      return el("p", { class: "empty", text: this.detail.error || none });
    }
    const body = r.body_text !== null && r.body_text !== undefined ? r.body_text : `(binary, base64) ${r.body_base64}`;
    return el("div", {},
      el("p", {}, el("span", { class: `answer ${statusClass(r.status)}`, text: r.status }),
        ` from ${ANSWERED_BY[r.source] || r.source} in ${r.duration_ms} ms`,
        r.source === "har" ? " (recorded in the HAR file, not answered here)" : ""),
      table(r.headers, ["Name", "Value"], "Response headers"),
      el("pre", { class: "raw", text: body }));
  }

  replays() {
    const onReplayed = (replay) => {
      this.onNotice(`Replayed: ${replay.status ?? replay.error}`);
      this.show(this.detail.id);
    };
    // Keep the form (and what was typed into it) while the same request re-renders.
    if (!this.form || this.formFor !== this.detail.id) {
      this.form = replayForm(this.detail, this.forwardUrl, onReplayed);
      this.formFor = this.detail.id;
    }
    return el("div", {}, this.form, el("h3", { text: "History" }), replayHistory(this.detail));
  }
}
