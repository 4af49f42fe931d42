// The secrets dialog: list (label and fingerprint only), add any kind of secret with the
// options its provider takes, remove, and discover a generic HMAC construction on the selected
// request. A secret's value goes to the server and is never shown again.

import { ApiError, getJson, sendJson } from "./api.js";
import { el } from "./dom.js";

const OPTION_LABELS = {
  header: "Signature header", query: "Signature query parameter", algorithm: "Algorithm",
  encoding: "Signature encoding", prefix: "Prefix (e.g. sha256=)",
  payload: "Payload template ({body}, {timestamp}, {id}, {url}, {query}, {method}, {path})",
  timestamp_header: "Timestamp header", tolerance_s: "Timestamp tolerance (s)",
  secret_encoding: "Secret encoding", id_header: "Id header", verify_token: "Verify token",
};
const NUMERIC = new Set(["tolerance_s"]);
const HIDDEN_VALUES = new Set(["verify_token"]);

export class SecretsDialog {
  constructor(dialog, onNotice, selectedId) {
    this.dialog = dialog;
    this.onNotice = onNotice;
    this.selectedId = selectedId;
    this.providers = new Map();
    this.list = dialog.querySelector("#secrets-list");
    this.form = dialog.querySelector("#secret-form");
    this.error = dialog.querySelector("#secret-error");
    this.options = dialog.querySelector("#secret-options");
    this.results = dialog.querySelector("#discover-results");
    this.select = dialog.querySelector("#secret-provider");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.addFromForm();
    });
    this.select.addEventListener("change", () => this.renderOptions());
    dialog.querySelector("#secret-discover").addEventListener("click", () => this.discover());
  }

  async open() {
    if (!this.providers.size) {
      const providers = await getJson("/api/providers");
      const sorted = providers.toSorted((a, b) => a.name.localeCompare(b.name));  // as in the Send dialog
      for (const p of sorted) this.providers.set(p.name, p);
      this.select.append(...sorted.map((p) => el("option", { value: p.name, text: p.name })));
      this.renderOptions();
    }
    const selected = this.selectedId();
    this.dialog.querySelector("#secret-discover").disabled = selected === null;
    await this.refresh();
    this.dialog.showModal();
  }

  renderOptions() {
    const fields = this.providers.get(this.select.value)?.options ?? [];
    this.options.replaceChildren(el("legend", { text: `Options of ${this.select.value}` }),
      ...fields.map((field) => el("label", {}, OPTION_LABELS[field.name] ?? field.name, this.optionInput(field))));
    this.options.hidden = !fields.length;
  }

  optionInput(field) {
    const attrs = { name: `option-${field.name}`, "data-option": field.name, id: `secret-option-${field.name}` };
    if (field.choices.length) {
      return el("select", attrs, el("option", { value: "", text: "(default)" }),
        field.choices.map((choice) => el("option", { value: choice, text: choice })));
    }
    if (NUMERIC.has(field.name)) return el("input", { ...attrs, type: "number", min: 0, placeholder: "300" });
    if (HIDDEN_VALUES.has(field.name)) return el("input", { ...attrs, type: "password", autocomplete: "off" });
    return el("input", attrs);
  }

  async refresh() {
    const secrets = await getJson("/api/secrets");
    this.list.replaceChildren(...secrets.map((s) => el("li", {},
      el("strong", { text: s.label }), ` ${s.provider} `, el("code", { text: s.fingerprint }),
      s.paths.length ? ` on ${s.paths.join(", ")} ` : " ",
      el("button", { type: "button", class: "ghost danger", text: "Remove", "aria-label": `Remove ${s.label}`,
        onclick: () => this.remove(s.label) }))));
    if (!secrets.length) this.list.append(el("li", { class: "empty", text: "No secrets configured." }));
  }

  // The label, secret and paths typed in the form (shared by a discovered match).
  common() {
    const data = new FormData(this.form);
    const paths = String(data.get("paths") || "").split(",").map((p) => p.trim()).filter(Boolean);
    const label = String(data.get("label") || "").trim();
    return { secret: String(data.get("secret") || ""), paths, ...(label ? { label } : {}) };
  }

  async addFromForm() {
    const options = {};
    for (const input of this.options.querySelectorAll("[data-option]")) {
      if (input.value === "") continue;
      options[input.dataset.option] = NUMERIC.has(input.dataset.option) ? Number(input.value) : input.value;
    }
    await this.add({ provider: this.select.value, ...this.common(), ...options });
  }

  async add(entry) {
    let added;
    try {
      added = await sendJson("POST", "/api/secrets", entry);
    } catch (problem) {
      if (!(problem instanceof ApiError)) throw problem;
      this.error.textContent = problem.message;
      return false;
    }
    this.error.textContent = "";
    this.form.reset();
    this.renderOptions();
    this.onNotice(`Secret ${added.label} added: stored requests verified again`);
    await this.refresh();
    return true;
  }

  // Every generic HMAC construction that the typed secret reproduces on the selected request.
  async discover() {
    const id = this.selectedId();
    const typed = this.common();
    if (id === null) return this.problem("Select a request first.");
    if (!typed.secret) return this.problem("Type the secret to try.");
    let answer;
    try {
      const detail = await getJson(`/api/requests/${id}`);
      answer = await sendJson("POST", "/api/verify", {
        provider: "discover", secret: typed.secret, method: detail.method, headers: detail.headers,
        url: detail.url,
        ...(detail.body_text === null ? { body_base64: detail.body_base64 } : { body: detail.body_text }),
      });
    } catch (problem) {
      if (!(problem instanceof ApiError)) throw problem;
      return this.problem(problem.message);
    }
    this.error.textContent = "";
    this.results.hidden = false;
    if (!answer.matches.length) {
      // The API's summary says what was tried, or why nothing was (never "0 tried").
      const hint = answer.tried ? ": another secret, or a scheme the generic HMAC cannot express" : "";
      this.results.replaceChildren(el("li", { class: "empty",
        text: `No construction matched request #${id}: ${answer.summary}${hint}.` }));
      return;
    }
    this.results.replaceChildren(...answer.matches.map((match) => el("li", {},
      el("code", { text: describe(match.options) }), " ",
      el("button", { type: "button", text: "Add as secret", onclick: async (event) => {
        if (await this.add({ provider: match.provider, ...typed, ...match.options })) {
          event.target.disabled = true;
          event.target.textContent = "Added";
        }
      } }))));
  }

  problem(text) {
    this.error.textContent = text;
  }

  async remove(label) {
    await sendJson("DELETE", `/api/secrets/${encodeURIComponent(label)}`);
    await this.refresh();
  }
}

function describe(options) {
  return Object.entries(options).map(([name, value]) => `${name} = ${JSON.stringify(value)}`).join(", ");
}
