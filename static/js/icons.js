// Verdict icons: inline SVG built with DOM APIs, each with a text alternative, so that no
// glyph depends on an emoji font.

import { el } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";

// Shapes on a 16×16 grid, stroked in the badge's colour.
const SHAPES = {
  valid: [["polyline", { points: "3,8.5 6.5,12 13,4.5" }]],
  invalid: [["line", { x1: 4, y1: 4, x2: 12, y2: 12 }], ["line", { x1: 12, y1: 4, x2: 4, y2: 12 }]],
  stale: [["circle", { cx: 8, cy: 8, r: 6 }], ["polyline", { points: "8,4.5 8,8 10.5,9.5" }]],
  missing: [["circle", { cx: 8, cy: 8, r: 5.5 }], ["line", { x1: 3.5, y1: 12.5, x2: 12.5, y2: 3.5 }]],
  malformed: [["path", { d: "M5.5 6a2.5 2.5 0 1 1 3.6 2.2c-.7.4-1.1.9-1.1 1.7v.6" }],
    ["circle", { cx: 8, cy: 13, r: 0.6 }]],
  unverified: [["circle", { cx: 8, cy: 8, r: 5.5 }], ["line", { x1: 8, y1: 5, x2: 8, y2: 8.5 }],
    ["circle", { cx: 8, cy: 11, r: 0.6 }]],
};

function svg(shapes) {
  const root = document.createElementNS(SVG, "svg");
  for (const [name, value] of Object.entries({ viewBox: "0 0 16 16", width: 14, height: 14,
    fill: "none", stroke: "currentColor", "stroke-width": 2, "stroke-linecap": "round",
    "stroke-linejoin": "round", "aria-hidden": "true", focusable: "false" })) {
    root.setAttribute(name, String(value));
  }
  for (const [tag, attributes] of shapes) {
    const shape = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) shape.setAttribute(name, String(value));
    root.append(shape);
  }
  return root;
}

// The badge of a signature status (null for a request no signature was checked on).
export function verdictIcon(status) {
  const shapes = SHAPES[status];
  if (!shapes) return null;
  const label = `signature ${status}`;
  return el("span", { class: `badge v-${status}`, role: "img", "aria-label": label, title: label }, svg(shapes));
}
