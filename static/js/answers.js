// The hooks listener's answers: the default response and ordered rules, edited at run time:
// a rule is added, edited in the rule form, moved up or down, or removed (each a PUT of the
// whole list, which the API takes as the new order).

import { ApiError, getJson, sendJson } from "./api.js";
import { el, table } from "./dom.js";

export class AnswersDialog {
  constructor(dialog, onNotice) {
    this.dialog = dialog;
    this.onNotice = onNotice;
    this.state = null;
    this.editing = null;  // the index of the rule in the form, or null for a new one
    this.body = dialog.querySelector("#answers-body");
  }

  async open() {
    this.state = await getJson("/api/response");
    this.editing = null;
    this.routes = await fetchRoutes();
    this.render();
    this.dialog.showModal();
  }

  async save(state) {
    try {
      this.state = await sendJson("PUT", "/api/response", state);
    } catch (problem) {
      if (!(problem instanceof ApiError)) throw problem;
      this.dialog.querySelector("#answers-error").textContent = problem.message;
      return;
    }
    this.editing = null;
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
        body: body.value === "" ? null : body.value, delay_ms: Number(delay.value) }, rules: this.rulesForSave().filter(Boolean) });
    } },
    el("h3", { text: "Default answer" }),
    this.state.note ? el("p", { id: "default-note", class: "note", role: "note", text: this.state.note }) : null,
    el("label", {}, "Status", status), el("label", {}, "Content-Type", type),
    el("label", {}, "Headers", headers), el("label", {}, "Body", body), el("label", {}, "Delay (ms)", delay),
    el("button", { type: "submit", text: "Save default" }));
    const rows = this.state.rules.map((r, index) => [
      `${r.method || "any"} ${r.path || "*"}`, answerText(r),
      r.times === null ? "always" : `${r.remaining} of ${r.times} left`, this.ruleButtons(index)]);
    const rules = rows.length ? ruleTable(rows)
      : el("p", { class: "empty", text: "No rules: every request gets the default answer." });
    this.body.replaceChildren(defaults, el("h3", { text: "Rules (checked in order)" }), rules, this.ruleForm(),
      el("p", { id: "answers-error", class: "error", role: "alert" }), routesSection(this.routes));
  }

  ruleButtons(index) {
    const last = this.state.rules.length - 1;
    const button = (text, label, action, disabled = false) => el("button", {
      type: "button", class: "ghost", text, "aria-label": `${label} rule ${index + 1}`, disabled,
      onclick: action });
    return el("span", { class: "rule-buttons" },
      button("↑", "Move up", () => this.move(index, -1), index === 0),
      button("↓", "Move down", () => this.move(index, 1), index === last),
      button("Edit", "Edit", () => {
        this.editing = index;
        this.render();
        this.dialog.querySelector("#rule-path").focus();
      }),
      el("button", { type: "button", class: "ghost danger", text: "Remove", "aria-label": `Remove rule ${index + 1}`,
        onclick: () => this.saveRules(this.rulesForSave().filter((_, i) => i !== index)) }));
  }

  move(index, step) {
    const rules = this.rulesForSave();
    [rules[index], rules[index + step]] = [rules[index + step], rules[index]];
    this.saveRules(rules);
  }

  saveRules(rules) {
    this.save({ default: this.state.default, rules: rules.filter(Boolean) });
  }

  // The rules as the API takes them back, in the dialog's order; null for a used-up one (dropped
  // when saved), so that places stay those of the table.
  rulesForSave() {
    return this.state.rules.map((r) => {
      const { remaining, ...rule } = r;
      if (remaining === 0) return null;
      if (rule.times !== null) rule.times = remaining;
      return Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== null));
    });
  }

  // The rule form's inputs, filled with the rule being edited (or a new rule's defaults).
  ruleFields() {
    const editing = this.editing === null ? null : this.state.rules[this.editing];
    const was = editing ?? {};
    const headers = el("textarea", { id: "rule-headers", rows: 2, placeholder: "Retry-After: 30 (one per line)" });
    headers.value = headerText(was.headers).join("\n");
    return {
      editing, headers,
      method: el("input", { id: "rule-method", placeholder: "any", size: 6, list: "rule-methods", value: was.method ?? "" }),
      path: el("input", { id: "rule-path", placeholder: "/webhooks/*", value: was.path ?? "" }),
      action: el("select", { id: "rule-action" }, ["respond", "close", "hang"].map((a) => el("option", {
        value: a, text: a, selected: a === (was.action ?? "respond") }))),
      status: el("input", { id: "rule-status", type: "number", value: was.status ?? 500, min: 100, max: 599 }),
      type: el("input", { id: "rule-type", placeholder: "from the body: application/json or text/plain",
        value: editing ? was.content_type : "" }),
      body: el("input", { id: "rule-body", value: was.body ?? "simulated outage" }),
      delay: el("input", { id: "rule-delay", type: "number", min: 0, value: was.delay_ms ?? 0 }),
      times: el("input", { id: "rule-times", type: "number", min: 1, placeholder: "always",
        value: editing && editing.times !== null ? editing.remaining || editing.times : "" }),
    };
  }

  // The rule the form describes, or the words for what is wrong in it.
  ruleOf(f) {
    const parsed = headerLines(f.headers.value);
    if (typeof parsed === "string") return parsed;
    const responds = f.action.value === "respond";
    const rule = { path: f.path.value || null, method: f.method.value || null, action: f.action.value,
      status: responds ? Number(f.status.value) : null, content_type: responds ? f.type.value || typeOf(f.body.value) : null,
      headers: responds && Object.keys(parsed).length ? parsed : null, body: responds ? f.body.value : null,
      delay_ms: Number(f.delay.value) || null, times: f.times.value ? Number(f.times.value) : null };
    return Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== null));
  }

  ruleForm() {
    const f = this.ruleFields();
    const methods = el("datalist", { id: "rule-methods" },
      ["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => el("option", { value: m })));
    // close and hang send no answer: its fields only apply to respond.
    const answer = el("fieldset", { class: "rule-answer", id: "rule-answer" }, el("legend", { text: "The answer" }),
      el("label", {}, "Status", f.status), el("label", {}, "Content-Type", f.type),
      el("label", {}, "Headers", f.headers), el("label", {}, "Body", f.body));
    const showAnswer = () => { answer.hidden = f.action.value !== "respond"; };
    f.action.addEventListener("change", showAnswer);
    showAnswer();
    return el("form", { class: "secret-form", id: "rule-form", onsubmit: (e) => {
      e.preventDefault();
      const rule = this.ruleOf(f);
      if (typeof rule === "string") {
        this.dialog.querySelector("#answers-error").textContent = rule;
        return;
      }
      const rules = this.rulesForSave();
      if (this.editing === null) rules.push(rule);
      else rules[this.editing] = rule;
      this.saveRules(rules);
    } },
    el("h3", { text: f.editing ? `Edit rule ${this.editing + 1}` : "Add a rule" }),
    el("label", {}, "Method", f.method, methods), el("label", {}, "Path glob", f.path),
    el("label", {}, "Action", f.action), answer,
    el("label", {}, "Delay (ms)", f.delay), el("label", {}, "Times", f.times),
    el("div", { class: "secret-actions" },
      el("button", { type: "submit", text: f.editing ? "Save rule" : "Add rule" }),
      f.editing ? el("button", { type: "button", class: "ghost", text: "Cancel", onclick: () => {
        this.editing = null;
        this.render();
      } }) : null));
  }
}

// Words never break here: on a phone each rule's cells stack instead (app.css).
function ruleTable(rows) {
  const rules = table(rows, ["Match", "Answer", "Times", ""], "Rules");
  rules.classList.add("stacks");
  return rules;
}

// A rule's answer without a Content-Type says what its body is.
function typeOf(body) {
  try {
    JSON.parse(body);
    return "application/json";
  } catch {
    return "text/plain; charset=utf-8";
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
  return (await getJson("/api/routes")).routes;
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
