// Views of a body: pretty JSON (collapsible), form table (urlencoded) or multipart parts, raw
// text, hex; the body decoded per Content-Encoding beside the bytes received.
// All text goes into the DOM with textContent.

import { getBytes } from "./api.js";
import { el, table } from "./dom.js";
import { decodeBase64, size } from "./format.js";

const HEX_LIMIT = 64 * 1024;
const PART_PREVIEW_LIMIT = 256 * 1024;
const INLINE_PART_LIMIT = 4 * 1024;

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
  if (controlHeavy(text)) return [...views, "hex", "raw"];
  return [...views, "raw", "hex"];
}

// Text full of control characters reads better as hex.
function controlHeavy(text) {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x08\x0e-\x1f]/.test(text);
}

// The body to read: the decoded one when a Content-Encoding was undone, else the bytes received.
export function readableBody(detail) {
  const decoded = detail.decoded;
  if (!decoded || decoded.error) return detail;
  return { ...detail, body_text: decoded.body_text, body_base64: decoded.body_base64, body_size: decoded.size };
}

export function parseJson(detail) {
  return jsonValue(detail.body_text);
}

function jsonValue(text) {
  if (text === null || text === undefined) return undefined;
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

// A query or form value: JSON in it (TeleBotHost's `options`) as a tree, else the text.
export function valueView(text) {
  const value = jsonValue(text);
  return value === undefined ? text : el("div", { class: "value-json", title: text }, jsonTree(value, null, 0));
}

export function valueTable(pairs, label) {
  return table(pairs.map(([name, value]) => [name, valueView(value)]), ["Name", "Value"], label);
}

// The bytes as received, under the decoded body.
export function receivedBytes(detail) {
  const decoded = detail.decoded;
  const head = decoded.error
    ? `Content-Encoding ${decoded.encoding} could not be undone: ${decoded.error}`
    : `Decoded from ${decoded.encoding}: ${size(decoded.size)}${decoded.truncated ? " (cut at the limit)" : ""}, `
      + `${size(detail.body_size)} received`;
  return el("details", { class: "received", id: "received-bytes", open: Boolean(decoded.error) },
    el("summary", { text: head }), hexDump(bodyBytes(detail)));
}

export function renderBody(detail, view) {
  if (detail.body_size === 0) return el("p", { class: "empty", text: "(empty body)" });
  if (view === "json") return jsonTree(parseJson(detail), null, 0);
  if (view === "form") return formTable(detail);
  if (view === "raw") return el("pre", { class: "raw", text: detail.body_text });
  return hexDump(bodyBytes(detail));
}

// Each node carries its JSON Pointer (RFC 6901), so that a conformance finding can mark it.
function jsonTree(value, key, depth, pointer = "") {
  const label = key === null ? [] : [el("span", { class: "j-key", text: JSON.stringify(key) }), ": "];
  if (value === null || typeof value !== "object") {
    const kind = value === null ? "null" : typeof value;
    return el("div", { class: "j-line", dataset: { pointer } }, label, el("span", { class: `j-${kind}`, text: JSON.stringify(value) }));
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  const summary = el("summary", {}, label, `${open} `,
    el("span", { class: "j-count", text: count(entries.length, Array.isArray(value) ? "item" : "key") }), ` ${close}`);
  const children = entries.map(([k, v]) => jsonTree(v, Array.isArray(value) ? null : k, depth + 1,
    `${pointer}/${String(k).replaceAll("~", "~0").replaceAll("/", "~1")}`));
  return el("details", { class: "j-node", open: depth < 3, dataset: { pointer } }, summary, el("div", { class: "j-children" }, children));
}

// Marks the node at `pointer` in a JSON view (opening what folds it) and unmarks the others;
// false when the view has no such node (a required field absent, another view).
export function markPointer(view, pointer) {
  let found = null;
  for (const node of view.querySelectorAll("[data-pointer]")) {
    node.classList.remove("j-marked");
    if (found === null && node.dataset.pointer === pointer) found = node;
  }
  if (found === null) return false;
  found.classList.add("j-marked");
  for (let fold = found.parentElement?.closest("details.j-node"); fold && view.contains(fold);
    fold = fold.parentElement?.closest("details.j-node")) fold.open = true;
  found.scrollIntoView({ block: "nearest" });
  return true;
}

function formTable(detail) {
  if (detail.parts) return partsList(detail.parts);
  const params = new URLSearchParams(detail.body_text || "");
  return valueTable([...params.entries()], "Form fields");
}

// Each part of a multipart body: its headers, a download, and its content on opening.
function partsList(parts) {
  if (!parts.length) return el("p", { class: "empty", text: "A multipart body without parts." });
  return el("ul", { class: "parts", "aria-label": "Multipart parts" }, parts.map((part) => {
    const file = part.filename !== null && part.filename !== undefined;
    const what = [part.name ?? "(no name)", file ? `(file ${part.filename}, ${part.size} bytes)` : size(part.size),
      part.content_type].filter(Boolean).join(" · ");
    const content = el("div", { class: "part-content" });
    // Small fields are read at once; files open on demand.
    const shownAtOnce = !file && part.size <= INLINE_PART_LIMIT;
    const item = el("details", { class: "part", open: shownAtOnce, dataset: { index: part.index } },
      el("summary", {}, el("span", { text: what }), " ",
        el("a", { class: "button ghost", href: part.url, download: true, text: "Download" })),
      content);
    const load = () => showPart(part, content).catch((problem) => {
      content.replaceChildren(el("p", { class: "error", text: `Could not load the part: ${problem.message}` }));
    });
    if (shownAtOnce) load();
    item.addEventListener("toggle", () => {
      if (item.open && !content.childElementCount) load();
    });
    return el("li", {}, item);
  }));
}

async function showPart(part, content) {
  const type = (part.content_type || "text/plain").toLowerCase();
  if (type.startsWith("image/")) {
    // The page's policy allows same-origin images; the bytes come with the sandboxing headers.
    content.replaceChildren(el("img", { class: "part-image", src: part.url, alt: part.filename || part.name || "image part" }));
    return;
  }
  if (part.size > PART_PREVIEW_LIMIT) {
    content.replaceChildren(el("p", { class: "empty", text: `${size(part.size)}: too large to show here; download it.` }));
    return;
  }
  const bytes = await getBytes(part.url);
  let text = null;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = null;
  }
  const json = jsonValue(text);
  if (json !== undefined) content.replaceChildren(el("div", { class: "body-view" }, jsonTree(json, null, 0)));
  else if (text !== null && !controlHeavy(text)) content.replaceChildren(el("pre", { class: "raw", text }));
  else content.replaceChildren(hexDump(bytes));
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
