// Diffs for showing an edited replay against the original: lines (longest common subsequence),
// and JSON bodies by structure, so that layout and commas never mark an unchanged field.

const MAX_LINES = 2000;
const MAX_JSON_CHARS = 1024 * 1024;  // larger bodies are diffed as lines
const INDENT = "  ";

// Lines compared as they are, or by `key` (a JSON line without its trailing comma).
export function diffLines(before, after, key = (line) => line) {
  const a = before.split("\n").slice(0, MAX_LINES);
  const b = after.split("\n").slice(0, MAX_LINES);
  const ka = a.map(key);
  const kb = b.map(key);
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lengths[i][j] = ka[i] === kb[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (ka[i] === kb[j]) {
      out.push([" ", b[j]]);
      i += 1;
      j += 1;
    } else if (lengths[i + 1][j] >= lengths[i][j + 1]) {
      out.push(["-", a[i]]);
      i += 1;
    } else {
      out.push(["+", b[j]]);
      j += 1;
    }
  }
  while (i < a.length) out.push(["-", a[i++]]);
  while (j < b.length) out.push(["+", b[j++]]);
  return out;
}

export function headerLines(headers) {
  return headers.map(([name, value]) => `${name}: ${value}`).join("\n");
}

function parsed(text) {
  if (text.length > MAX_JSON_CHARS) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function pretty(text) {
  const value = parsed(text);
  return value === undefined ? text : JSON.stringify(value, null, 2);
}

// The body sent against the original: by structure when both are JSON (a field is changed
// only when its value is), else by lines, a JSON line's trailing comma aside.
export function bodyDiff(before, after) {
  const a = parsed(before);
  const b = parsed(after);
  if (a === undefined || b === undefined) {
    return diffLines(pretty(before), pretty(after), (line) => line.replace(/,\s*$/, ""));
  }
  const out = [];
  structureDiff(a, b, "", 0, out);
  return out.length > MAX_LINES ? [...out.slice(0, MAX_LINES), [" ", `… ${out.length - MAX_LINES} more lines`]] : out;
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function deepEqual(a, b) {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}

// A value pretty-printed at `depth`, its first line after `prefix` (a key), each line marked.
function valueLines(mark, prefix, value, depth) {
  const pad = INDENT.repeat(depth);
  return JSON.stringify(value, null, 2).split("\n").map((line, i) => [mark, `${pad}${i === 0 ? prefix : ""}${line}`]);
}

function structureDiff(before, after, prefix, depth, out) {
  const arrays = Array.isArray(before) && Array.isArray(after);
  if (deepEqual(before, after) || !(arrays || (isObject(before) && isObject(after)))) {
    if (deepEqual(before, after)) out.push(...valueLines(" ", prefix, after, depth));
    else out.push(...valueLines("-", prefix, before, depth), ...valueLines("+", prefix, after, depth));
    return;
  }
  const pad = INDENT.repeat(depth);
  out.push([" ", `${pad}${prefix}${arrays ? "[" : "{"}`]);
  if (arrays) {
    for (let i = 0; i < Math.max(before.length, after.length); i += 1) {
      if (i >= after.length) out.push(...valueLines("-", "", before[i], depth + 1));
      else if (i >= before.length) out.push(...valueLines("+", "", after[i], depth + 1));
      else structureDiff(before[i], after[i], "", depth + 1, out);
    }
  } else {
    for (const key of Object.keys(before)) {
      const named = `${JSON.stringify(key)}: `;
      if (Object.hasOwn(after, key)) structureDiff(before[key], after[key], named, depth + 1, out);
      else out.push(...valueLines("-", named, before[key], depth + 1));
    }
    for (const key of Object.keys(after).filter((k) => !Object.hasOwn(before, k))) {
      out.push(...valueLines("+", `${JSON.stringify(key)}: `, after[key], depth + 1));
    }
  }
  out.push([" ", `${pad}${arrays ? "]" : "}"}`]);
}
