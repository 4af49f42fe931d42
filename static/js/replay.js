// Replaying the selected request: as captured or edited, optionally re-signed; the history with
// each answer and a diff of what was sent against the original.

import { sendJson } from "./api.js";
import { el } from "./dom.js";
import { bodyDiff, diffLines, headerLines } from "./diff.js";
import { clock, statusClass } from "./format.js";

const HOP_BY_HOP = new Set(["host", "content-length", "connection", "transfer-encoding", "keep-alive"]);

function parseHeaders(text) {
  return text.split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
    const at = line.indexOf(":");
    return at < 0 ? [line, ""] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
  });
}

const LAST_TARGET = "replay-target";  // localStorage: the target last replayed to

// The target as the server takes it: an http(s) base URL; `host:port` means http://host:port,
// as `replay --to` and `tail --ui` take it. An error to show instead, when it is none.
export function checkedTarget(text) {
  const given = text.trim();
  if (!given) return { error: "Give a target: the base URL of your app, e.g. http://localhost:3000" };
  const url = given.includes("://") ? given : `http://${given}`;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return { error: `Not a URL: ${given}` };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return { error: `Not an http(s) URL: ${given}` };
  return { url };
}

function lastTarget() {
  try {
    return localStorage.getItem(LAST_TARGET) || "";
  } catch {
    return "";
  }
}

function rememberTarget(url) {
  try {
    localStorage.setItem(LAST_TARGET, url);
  } catch {
    // storage refused (private mode): the next form starts empty
  }
}

export function replayForm(detail, forwardUrl, onReplayed) {
  const sendable = detail.headers.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()));
  const target = el("input", {
    id: "replay-target", value: forwardUrl || lastTarget(), required: true,
    placeholder: "your app's base URL", "aria-describedby": "replay-message",
  });
  const method = el("input", { id: "replay-method", value: detail.method, size: 8 });
  const path = el("input", { id: "replay-path", value: detail.path + (detail.query ? `?${detail.query}` : "") });
  const headers = el("textarea", { id: "replay-headers", rows: 5, spellcheck: "false" });
  headers.value = headerLines(sendable);
  const body = el("textarea", { id: "replay-body", rows: 8, spellcheck: "false", disabled: detail.body_text === null });
  body.value = detail.body_text ?? "(binary body: replayed as captured)";
  const resign = el("input", { id: "replay-resign", type: "checkbox" });
  // Beside the buttons, where the eye is when one is pressed.
  const message = el("span", { class: "error", id: "replay-message", role: "alert" });

  async function send(edited) {
    // The --forward URL is shown without its password: left as shown, the server uses its own.
    const chosen = target.value.trim();
    const checked = forwardUrl && chosen === forwardUrl ? { url: chosen } : checkedTarget(chosen);
    if (checked.error) {
      message.textContent = checked.error;
      target.focus();
      return;
    }
    const payload = chosen !== forwardUrl ? { target: checked.url } : {};
    if (edited) {
      payload.method = method.value.trim();
      payload.path = path.value.trim();
      payload.headers = parseHeaders(headers.value);
      if (detail.body_text !== null) payload.body = body.value;
      payload.resign = resign.checked;
    }
    let answer;
    try {
      answer = await sendJson("POST", `/api/requests/${detail.id}/replay`, payload);
    } catch (error) {
      message.textContent = error.message;
      return;
    }
    message.textContent = "";
    if (chosen !== forwardUrl) rememberTarget(checked.url);
    onReplayed(answer.replay);
  }

  return el("form", { class: "replay-form", id: "replay-form", onsubmit: (e) => { e.preventDefault(); send(true); } },
    el("label", {}, "Target (base URL; the path follows)", target),
    el("div", { class: "replay-row" }, el("label", {}, "Method", method), el("label", { class: "grow" }, "Path and query", path)),
    el("label", {}, "Headers", headers),
    el("label", {}, "Body", body),
    el("label", { class: "check" }, resign, " Re-sign with the configured secret (fresh timestamp)"),
    el("div", { class: "actions" },
      el("button", { type: "button", id: "replay-as-captured", text: "Replay as captured", onclick: () => send(false) }),
      el("button", { type: "submit", id: "replay-edited", text: "Replay edited" }),
      message));
}

function diffView(lines, label) {
  if (lines.every(([mark]) => mark === " ")) return el("p", { class: "hint", text: `${label}: unchanged` });
  return el("div", {}, el("h4", { text: label }),
    el("pre", { class: "diff", "aria-label": `${label} diff` },
      lines.map(([mark, text]) => el("span", { class: `d${mark === " " ? "same" : mark === "+" ? "add" : "del"}`, text: `${mark} ${text}` }))));
}

export function replayHistory(detail) {
  if (!detail.replays.length) return el("p", { class: "empty", text: "Not replayed yet." });
  const originalBody = detail.body_text ?? "";
  const originalHeaders = headerLines(detail.headers.filter(([n]) => !HOP_BY_HOP.has(n.toLowerCase())));
  // Newest first, each numbered in the order it was made (1 is the first replay).
  const count = detail.replays.length;
  return el("ol", { class: "replays" }, [...detail.replays].reverse().map((r, index) => {
    const answer = r.status === null ? r.error : String(r.status);
    const kind = [r.edited ? "edited" : "as captured", r.resigned ? "re-signed" : null].filter(Boolean).join(", ");
    const sentBody = r.request.body_text ?? "(binary)";
    const responseBody = r.body_text ?? `(binary, base64) ${r.body_base64}`;
    return el("li", { class: "replay", value: count - index },
      el("details", {},
        el("summary", {},
          el("span", { class: "replay-number", text: `#${count - index} ` }),
          el("span", { class: `answer ${statusClass(r.status)}`, text: answer }),
          ` ${r.method} ${r.target} · `, el("span", { class: "replay-kind", text: kind }),
          ` · ${r.duration_ms} ms · ${clock(r.at)}`),
        diffView(diffLines(originalHeaders, headerLines(r.request.headers)), "Headers sent"),
        diffView(bodyDiff(originalBody, sentBody), "Body sent"),
        el("h4", { text: "Answer" }),
        el("pre", { class: "raw", text: responseBody })));
  }));
}
