// "Send a test event": a signed sample delivery through this inspector's hooks listener, so
// it is listed, verified and (with --forward) forwarded like any other.

import { ApiError, getJson, sendJson } from "./api.js";
import { el } from "./dom.js";

export class SendDialog {
  constructor(dialog, hookUrl, onNotice) {
    this.dialog = dialog;
    this.hookUrl = hookUrl;
    this.onNotice = onNotice;
    this.events = null;
    this.cannotSign = null; // provider → why POST /api/send refuses it (the API says which)
    this.body = dialog.querySelector("#send-body");
  }

  async open() {
    if (!this.events) {
      const [events, sending] = await Promise.all([getJson("/api/events"), getJson("/api/send")]);
      this.events = events;
      this.cannotSign = sending.cannot_sign;
    }
    this.render();
    this.dialog.showModal();
  }

  render() {
    const provider = el("select", { id: "send-provider" },
      Object.keys(this.events).filter((p) => !(p in this.cannotSign)).sort((a, b) => a.localeCompare(b))
        .map((p) => el("option", { value: p, text: p })));
    const refused = Object.entries(this.cannotSign).sort(([a], [b]) => a.localeCompare(b));
    const notOffered = refused.length === 0 ? null : el("p", { id: "send-not-offered", class: "hint",
      text: `Not offered: ${refused.map(([name, why]) => `${name}: ${why}`).join("; ")}.` });
    const event = el("select", { id: "send-event" });
    const fillEvents = () => event.replaceChildren(
      ...this.events[provider.value].map((e) => el("option", { value: e, text: e })));
    provider.addEventListener("change", fillEvents);
    fillEvents();
    const target = el("input", { id: "send-target", value: this.hookUrl });
    const result = el("p", { id: "send-result", role: "status" });
    const form = el("form", { class: "secret-form", id: "send-form", onsubmit: async (e) => {
      e.preventDefault();
      result.textContent = "sending…";
      let answer;
      try {
        answer = await sendJson("POST", "/api/send", { provider: provider.value, event: event.value, target: target.value });
      } catch (problem) {
        if (!(problem instanceof ApiError)) throw problem;
        result.textContent = problem.message;
        return;
      }
      const outcome = answer.status ?? answer.error;
      result.textContent = `${answer.event} → ${outcome} in ${answer.duration_ms.toFixed(1)} ms (signed with ${answer.signed_with})`;
      this.onNotice(`Sent ${answer.provider} ${answer.event}: ${outcome}`);
    } },
    el("label", {}, "Provider", provider), el("label", {}, "Event", event),
    el("label", {}, "Target (base URL)", target),
    el("button", { type: "submit", text: "Send" }), result, notOffered);
    this.body.replaceChildren(form);
  }
}
