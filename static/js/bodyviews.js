// Views of a body: pretty JSON (collapsible), form table (urlencoded, multipart), raw text, hex.
// All text goes into the DOM with textContent.

import { el, table } from "./dom.js";
import { decodeBase64 } from "./format.js";

const HEX_LIMIT = 64 * 1024;

export function bodyBytes(detail) {
  if (detail.body_text !== null && detail.body_text !== undefined) {
    return new TextEncoder().encode(detail.body_text);
  }
  return detail.body_base64 ? decodeBase64(detail.body_base64) : new Uint8Array();
}

export function availableViews(detail) {
  const type = (detail.content_type || "").toLowerCase();
  const views = [];
  if (parseJson(detail) !== undefined) views.push("json");
  if (type.includes("x-www-form-urlencoded") || type.includes("multipart/form-data")) views.push("form");
  const text = detail.body_text;
  if (text === null || text === undefined) return [...views, "hex"];
  // Text full of control characters reads better as hex.
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0e-\x1f]/.test(text)) return [...views, "hex", "raw"];
  return [...views, "raw", "hex"];
}

export function parseJson(detail) {
  if (detail.body_text === null || detail.body_text === undefined) return undefined;
  const text = detail.body_text.trim();
  if (!text.startsWith("{") && !text.startsWith("[")) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function renderBody(detail, view) {
  if (detail.body_size === 0) return el("p", { class: "empty", text: "(empty body)" });
  if (view === "json") return jsonTree(parseJson(detail), null, 0);
  if (view === "form") return formTable(detail);
  if (view === "raw") return el("pre", { class: "raw", text: detail.body_text });
  return hexDump(bodyBytes(detail));
}

function jsonTree(value, key, depth) {
  const label = key === null ? [] : [el("span", { class: "j-key", text: JSON.stringify(key) }), ": "];
  if (value === null || typeof value !== "object") {
    const kind = value === null ? "null" : typeof value;
    return el("div", { class: "j-line" }, label, el("span", { class: `j-${kind}`, text: JSON.stringify(value) }));
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  const summary = el("summary", {}, label, `${open} `,
    el("span", { class: "j-count", text: count(entries.length, Array.isArray(value) ? "item" : "key") }), ` ${close}`);
  const children = entries.map(([k, v]) => jsonTree(v, Array.isArray(value) ? null : k, depth + 1));
  return el("details", { class: "j-node", open: depth < 3 }, summary, el("div", { class: "j-children" }, children));
}

function formTable(detail) {
  const type = detail.content_type || "";
  if (type.toLowerCase().includes("multipart/form-data")) return multipartTable(detail, type);
  const params = new URLSearchParams(detail.body_text || "");
  return table([...params.entries()].map(([k, v]) => [k, v]), ["Name", "Value"], "Form fields");
}

function multipartTable(detail, type) {
  const boundary = (type.match(/boundary="?([^";]+)"?/i) || [])[1];
  if (!boundary) return el("p", { class: "error", text: "multipart body without a boundary" });
  const text = new TextDecoder("latin1").decode(bodyBytes(detail));
  const rows = [];
  for (const chunk of text.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith("--")) break;
    const split = chunk.indexOf("\r\n\r\n");
    if (split < 0) continue;
    const head = chunk.slice(0, split);
    const content = chunk.slice(split + 4).replace(/\r\n$/, "");
    const name = (head.match(/name="([^"]*)"/i) || [])[1] || "";
    const file = (head.match(/filename="([^"]*)"/i) || [])[1];
    const value = file !== undefined ? `(file ${file}, ${content.length} bytes)` : content;
    rows.push([name, value]);
  }
  return table(rows, ["Name", "Value"], "Multipart fields");
}

function hexDump(bytes) {
  const lines = [];
  const shown = bytes.subarray(0, HEX_LIMIT);
  for (let offset = 0; offset < shown.length; offset += 16) {
    const slice = shown.subarray(offset, offset + 16);
    const hex = [...slice].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    const ascii = [...slice].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    lines.push(`${offset.toString(16).padStart(8, "0")}  ${hex.padEnd(47)}  ${ascii}`);
  }
  const note = bytes.length > HEX_LIMIT ? `\n… ${bytes.length - HEX_LIMIT} more bytes (download raw)` : "";
  return el("pre", { class: "hex", text: lines.join("\n") + note });
}

function count(n, noun) {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
