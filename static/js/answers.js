// The hooks listener's answers: the default response and ordered rules, edited at run time.

import { el, table } from "./dom.js";

export class AnswersDialog {
  constructor(dialog, onNotice) {
    this.dialog = dialog;
    this.onNotice = onNotice;
    this.state = null;
    this.body = dialog.querySelector("#answers-body");
  }

  async open() {
    this.state = await (await fetch("/api/response")).json();
    this.routes = await fetchRoutes();
    this.render();
    this.dialog.showModal();
  }

  async save(state) {
    const response = await fetch("/api/response", {
      method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(state),
    });
    const answer = await response.json();
    if (!response.ok) {
      this.dialog.querySelector("#answers-error").textContent = answer.error;
      return;
    }
    this.state = answer;
    this.onNotice("Answers updated");
    this.render();
  }

  render() {
    const d = this.state.default;
    const status = el("input", { id: "default-status", type: "number", min: 100, max: 599, value: d.status });
    const type = el("input", { id: "default-type", value: d.content_type });
    const headers = el("textarea", { id: "default-headers", rows: 2, placeholder: "X-Handled-By: me (one per line)" });
    headers.value = headerText(d.headers).join("\n");
    const body = el("textarea", { id: "default-body", rows: 2, placeholder: '{"ok": true, "id": N} (the default)' });
    body.value = d.body ?? "";
    const delay = el("input", { id: "default-delay", type: "number", min: 0, value: d.delay_ms });
    const defaults = el("form", { class: "secret-form", id: "default-form", onsubmit: (e) => {
      e.preventDefault();
      const parsed = headerLines(headers.value);
      if (typeof parsed === "string") {
        this.dialog.querySelector("#answers-error").textContent = parsed;
        return;
      }
      this.save({ default: { status: Number(status.value), content_type: type.value, headers: parsed,
        body: body.value === "" ? null : body.value, delay_ms: Number(delay.value) }, rules: this.rulesForSave() });
    } },
    el("h3", { text: "Default answer" }),
    this.state.note ? el("p", { id: "default-note", class: "note", role: "note", text: this.state.note }) : null,
    el("label", {}, "Status", status), el("label", {}, "Content-Type", type),
    el("label", {}, "Headers", headers), el("label", {}, "Body", body), el("label", {}, "Delay (ms)", delay),
    el("button", { type: "submit", text: "Save default" }));
    const rows = this.state.rules.map((r, index) => [
      `${r.method || "any"} ${r.path || "*"}`, answerText(r),
      r.times === null ? "always" : `${r.remaining} of ${r.times} left`,
      el("button", { type: "button", class: "ghost danger", text: "Remove", onclick: () => {
        const rules = this.rulesForSave().filter((_, i) => i !== index);
        this.save({ default: this.state.default, rules });
      } })]);
    const rules = rows.length ? table(rows, ["Match", "Answer", "Times", ""], "Rules")
      : el("p", { class: "empty", text: "No rules: every request gets the default answer." });
    this.body.replaceChildren(defaults, el("h3", { text: "Rules (checked in order)" }), rules, this.ruleForm(),
      el("p", { id: "answers-error", class: "error", role: "alert" }), routesSection(this.routes));
  }

  rulesForSave() {
    return this.state.rules.map((r) => {
      const { remaining, ...rule } = r;
      if (rule.times !== null) rule.times = remaining > 0 ? remaining : rule.times;
      return Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== null));
    }).filter((rule, i) => this.state.rules[i].remaining !== 0);
  }

  ruleForm() {
    const method = el("input", { id: "rule-method", placeholder: "any", size: 6, list: "rule-methods" });
    const methods = el("datalist", { id: "rule-methods" },
      ["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => el("option", { value: m })));
    const path = el("input", { id: "rule-path", placeholder: "/webhooks/*" });
    const action = el("select", { id: "rule-action" },
      ["respond", "close", "hang"].map((a) => el("option", { value: a, text: a })));
    const status = el("input", { id: "rule-status", type: "number", value: 500, min: 100, max: 599 });
    const type = el("input", { id: "rule-type", placeholder: "text/plain; charset=utf-8 (the default)" });
    const headers = el("textarea", { id: "rule-headers", rows: 2, placeholder: "Retry-After: 30 (one per line)" });
    const body = el("input", { id: "rule-body", value: "simulated outage" });
    const delay = el("input", { id: "rule-delay", type: "number", min: 0, value: 0 });
    const times = el("input", { id: "rule-times", type: "number", min: 1, placeholder: "always" });
    // close and hang send no answer: its fields only apply to respond.
    const answer = el("fieldset", { class: "rule-answer", id: "rule-answer" }, el("legend", { text: "The answer" }),
      el("label", {}, "Status", status), el("label", {}, "Content-Type", type),
      el("label", {}, "Headers", headers), el("label", {}, "Body", body));
    action.addEventListener("change", () => { answer.hidden = action.value !== "respond"; });
    return el("form", { class: "secret-form", id: "rule-form", onsubmit: (e) => {
      e.preventDefault();
      const parsed = headerLines(headers.value);
      if (typeof parsed === "string") {
        this.dialog.querySelector("#answers-error").textContent = parsed;
        return;
      }
      const responds = action.value === "respond";
      const rule = { path: path.value || null, method: method.value || null, action: action.value,
        status: responds ? Number(status.value) : null, content_type: responds && type.value ? type.value : null,
        headers: responds && Object.keys(parsed).length ? parsed : null, body: responds ? body.value : null,
        delay_ms: Number(delay.value) || null, times: times.value ? Number(times.value) : null };
      const clean = Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== null));
      this.save({ default: this.state.default, rules: [...this.rulesForSave(), clean] });
    } },
    el("h3", { text: "Add a rule" }),
    el("label", {}, "Method", method, methods), el("label", {}, "Path glob", path),
    el("label", {}, "Action", action), answer,
    el("label", {}, "Delay (ms)", delay), el("label", {}, "Times", times),
    el("button", { type: "submit", text: "Add rule" }));
  }
}

// `Name: value` lines as an object, or the words for the first line that is not one.
function headerLines(text) {
  const headers = {};
  for (const [index, line] of text.split("\n").entries()) {
    if (!line.trim()) continue;
    const colon = line.indexOf(":");
    if (colon < 1) return `Headers, line ${index + 1}: expected "Name: value"`;
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

// An answer's headers as `Name: value` lines.
function headerText(headers) {
  return Object.entries(headers || {}).map(([name, value]) => `${name}: ${value}`);
}

function answerText(rule) {
  if (rule.action !== "respond") return rule.delay_ms ? `${rule.action} after ${rule.delay_ms} ms` : rule.action;
  return [`${rule.status} ${rule.content_type}`, ...headerText(rule.headers), rule.body,
    rule.delay_ms ? `after ${rule.delay_ms} ms` : ""].filter(Boolean).join(" · ");
}

// The routes (SPEC 14), read-only: set at start by [[routes]], --route and --forward.
async function fetchRoutes() {
  const response = await fetch("/api/routes");
  return response.ok ? (await response.json()).routes : [];
}

function routesSection(routes) {
  const rows = (routes || []).map((r) => [
    `#${r.index}`, r.match || "everything", r.to,
    r.also.length ? r.also.join(", ") : "—", r.hold ? "yes" : "no"]);
  return el("section", { id: "answers-routes" },
    el("h3", { text: "Routes (after the rules; the first match wins)" }),
    rows.length ? table(rows, ["", "Match", "To", "Mirrors", "Hold"], "Routes")
      : el("p", { class: "empty", text: "No routes: what no rule matches gets the default answer." }));
}
