// The secrets dialog: list (label and fingerprint only), add, remove.

import { el } from "./dom.js";

export class SecretsDialog {
  constructor(dialog, onNotice) {
    this.dialog = dialog;
    this.onNotice = onNotice;
    this.list = dialog.querySelector("#secrets-list");
    this.form = dialog.querySelector("#secret-form");
    this.error = dialog.querySelector("#secret-error");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.add();
    });
  }

  async open() {
    const providers = await (await fetch("/api/providers")).json();
    const select = this.dialog.querySelector("#secret-provider");
    if (!select.options.length) {
      select.append(...providers.map((p) => el("option", { value: p.name, text: p.name })));
    }
    await this.refresh();
    this.dialog.showModal();
  }

  async refresh() {
    const secrets = await (await fetch("/api/secrets")).json();
    this.list.replaceChildren(...secrets.map((s) => el("li", {},
      el("strong", { text: s.label }), ` ${s.provider} `, el("code", { text: s.fingerprint }),
      s.paths.length ? ` on ${s.paths.join(", ")} ` : " ",
      el("button", { type: "button", class: "ghost danger", text: "Remove", "aria-label": `Remove ${s.label}`,
        onclick: () => this.remove(s.label) }))));
    if (!secrets.length) this.list.append(el("li", { class: "empty", text: "No secrets configured." }));
  }

  async add() {
    const data = new FormData(this.form);
    const paths = String(data.get("paths") || "").split(",").map((p) => p.trim()).filter(Boolean);
    const response = await fetch("/api/secrets", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ provider: data.get("provider"), secret: data.get("secret"), paths }),
    });
    if (!response.ok) {
      this.error.textContent = (await response.json()).error;
      return;
    }
    this.error.textContent = "";
    this.form.reset();
    this.onNotice("Secret added: stored requests verified again");
    await this.refresh();
  }

  async remove(label) {
    await fetch(`/api/secrets/${encodeURIComponent(label)}`, { method: "DELETE" });
    await this.refresh();
  }
}
