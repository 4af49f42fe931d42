// The Conformance block (SPEC 13): whether the payload is what its provider documents, the
// schema it was checked against, and the findings by severity; choosing a finding marks its
// path in the JSON body view. Every string here comes from the request: textContent only.

import { el } from "./dom.js";
import { plural } from "./format.js";

const SEVERITIES = [["error", "Errors"], ["warning", "Warnings"], ["info", "Infos"]];
const INFOS_SHOWN_OPEN = 3;  // more infos than this (undocumented fields, mostly) start folded

// The status in words; `unknown_event` names the closest documented event its finding gives.
export function statusWords(conformance) {
  const { status, event, findings } = conformance;
  if (status === "conforms") return "conforms to its documented schema";
  if (status === "deviates") return "deviates from its documented schema";
  if (status === "not_json") return "not JSON: nothing to check against the schema";
  if (status === "no_schema") return "no schema for this provider";
  if (status === "unknown_event") {
    const closest = /closest: ([^)]*)\)/.exec(findings[0]?.expected || "");
    const named = event ? `unknown event ${event}` : "unknown event (none named)";
    return closest ? `${named}: the closest documented event is ${closest[1]}` : named;
  }
  return status;
}

// The source's address when it is an http(s) URL (a user's schema may cite anything).
export function sourceUrl(source) {
  const first = String(source || "").trim().split(/\s+/)[0];
  try {
    const url = new URL(first);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

// `detail` is DETAIL; `selected` the pointer marked now; `onFinding(pointer)` marks another.
export function conformanceBlock(detail, selected, onFinding) {
  const conformance = detail.conformance;
  const heading = el("h3", { text: "Conformance" });
  if (!conformance) {
    const why = detail.provider ? "not checked (the body is past the size judged, or checking is off)"
      : "no schema: no provider recognised";
    return el("section", { class: "conformance c-none", id: "conformance", "aria-label": "Conformance" },
      heading, el("p", { class: "c-status", text: why }));
  }
  return el("section", { class: `conformance c-${conformance.status}`, id: "conformance", "aria-label": "Conformance" },
    heading,
    el("p", { class: "c-status", dataset: { status: conformance.status } },
      el("strong", { text: statusWords(conformance) })),
    conformance.schema ? schemaLine(conformance.schema) : null,
    SEVERITIES.map(([severity, title]) => group(conformance.findings.filter((f) => f.severity === severity),
      severity, title, selected, onFinding)));
}

// The payload's verdict beside the signature's in the line under the URL, when it says more
// than "nothing known": a narrow window shows that line first. `onOpen` shows the block.
export function conformanceChip(conformance, onOpen) {
  if (!conformance || conformance.status === "no_schema") return null;
  const errors = conformance.findings.filter((f) => f.severity === "error").length;
  const words = conformance.status === "deviates" ? `payload deviates (${plural(errors, "error")})`
    : conformance.status === "conforms" ? "payload conforms" : `payload: ${statusWords(conformance)}`;
  return el("button", { type: "button", class: `ghost conformance-chip c-${conformance.status}`, text: words, onclick: onOpen });
}

function schemaLine(schema) {
  const url = sourceUrl(schema.source);
  const source = url
    ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: schema.source })
    : el("span", { text: schema.source });
  return el("p", { class: "c-schema" }, "Schema ", el("code", { text: schema.name }),
    schema.version ? ` (version ${schema.version})` : null, " · ", source);
}

function group(findings, severity, title, selected, onFinding) {
  if (!findings.length) return null;
  const folded = severity === "info" && findings.length > INFOS_SHOWN_OPEN
    && !findings.some((f) => f.path === selected);
  return el("details", { class: `c-group c-${severity}`, open: !folded, dataset: { severity } },
    el("summary", { text: `${title} (${findings.length})` }),
    el("ul", { class: "c-findings", "aria-label": plural(findings.length, severity) },
      findings.map((f) => el("li", {}, finding(f, selected, onFinding)))));
}

function finding(f, selected, onFinding) {
  return el("button", {
    type: "button", class: "c-finding", "aria-pressed": String(f.path === selected),
    title: "Show this path in the body", dataset: { path: f.path }, onclick: () => onFinding(f.path),
  },
  el("span", { class: "c-where" }, el("code", { class: "c-path", text: f.path || "(the whole body)" }), " ",
    el("span", { class: "c-keyword", text: f.keyword })),
  el("span", { class: "c-facts" }, "expected ", el("code", { text: f.expected }), ", got ", el("code", { text: f.got })),
  f.note ? el("span", { class: "c-note", text: f.note }) : null);
}
