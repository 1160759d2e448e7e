// Smallest edits of an act's YAML text: each function reads the text with the
// `yaml` package (node source ranges) and returns the changes
// [{from, to, insert}] (positions in the original text, UTF-16 units as in
// CodeMirror) that make the edit, touching only the lines concerned. The
// text is never regenerated from the document (no `doc.toString()`), so
// comments, key order and formatting of the rest stay byte for byte.
import { parseDocument, isMap, isSeq, isScalar, isCollection } from "yaml";

export function parse(text) {
  return parseDocument(text, { keepSourceTokens: true, prettyErrors: false, uniqueKeys: false });
}

// ---- Lines and columns ----

export function lineStart(text, pos) {
  return text.lastIndexOf("\n", pos - 1) + 1;
}
/** The position after the end of the line holding `pos`, past its newline. */
export function lineEndIncl(text, pos) {
  const n = text.indexOf("\n", pos);
  return n < 0 ? text.length : n + 1;
}
export function col(text, pos) {
  return pos - lineStart(text, pos);
}
const spaces = (n) => " ".repeat(Math.max(0, n));

// ---- Nodes ----

export function keyOf(pair) {
  return pair && pair.key && isScalar(pair.key) ? String(pair.key.value) : null;
}
export function pairOf(map, key) {
  if (!isMap(map)) return null;
  return map.items.find((p) => keyOf(p) === key) || null;
}
export function get(node, key) {
  if (isMap(node)) {
    const p = pairOf(node, key);
    return p ? p.value : null;
  }
  if (isSeq(node) && typeof key === "number") return node.items[key] || null;
  return null;
}
export function getIn(doc, path) {
  let n = doc.contents;
  for (const k of path) {
    n = get(n, k);
    if (!n) return null;
  }
  return n;
}
/** A scalar's text ("" for null); null for a collection. */
export function str(node) {
  if (!node) return "";
  if (isScalar(node)) return node.value === null || node.value === undefined ? "" : String(node.value);
  return null;
}

/** The position of the «-» of a block sequence's item. */
function dashOf(text, item) {
  let p = item.range[0] - 1;
  while (p >= 0 && (text[p] === " " || text[p] === "\t")) p--;
  return text[p] === "-" ? p : item.range[0];
}

/** The end of a node's own text (no trailing blank lines or newline). */
function contentEnd(text, node, from) {
  let e = node.range[1];
  while (e > from && /\s/.test(text[e - 1])) e--;
  return e;
}

/**
 * The lines of each item of a block sequence: {from, to, dash (column)};
 * an item runs from the line of its «-» to the next item's line (the last
 * one to the end of its own last line).
 */
export function itemBlocks(text, seq) {
  if (!isSeq(seq) || seq.flow) return null;
  const dashes = seq.items.map((it) => (it ? dashOf(text, it) : null));
  if (dashes.some((d) => d === null)) return null;
  return seq.items.map((it, i) => {
    const from = lineStart(text, dashes[i]);
    const to = i + 1 < dashes.length ? lineStart(text, dashes[i + 1]) : lineEndIncl(text, contentEnd(text, it, dashes[i]) - 1);
    return { from, to, dash: dashes[i] - from };
  });
}

function withNewline(s) {
  return s.endsWith("\n") ? s : s + "\n";
}

/** Lines of `block` moved by `by` columns (blank lines stay empty). */
export function reindent(block, by) {
  if (by === 0) return block;
  return block
    .split("\n")
    .map((l) => {
      if (!l.trim()) return l;
      if (by > 0) return spaces(by) + l;
      const lead = l.length - l.trimStart().length;
      return l.slice(Math.min(lead, -by));
    })
    .join("\n");
}

// ---- Scalars ----

function loadsAs(src, inFlow) {
  const d = parseDocument(inFlow ? "[" + src + "]" : "k: " + src);
  if (d.errors.length || d.warnings.length) return undefined;
  const n = inFlow ? d.contents && d.contents.items : d.contents && d.contents.items[0] && d.contents.items[0].value;
  if (inFlow) return n && n.length === 1 && isScalar(n[0]) ? n[0].value : undefined;
  return isScalar(n) ? n.value : undefined;
}

/** May `v` be written without quotes? (`was`: the plain value it replaces.) */
function plainOk(v, inFlow, was) {
  if (!v || v !== v.trim() || /[\n\t]/.test(v)) return false;
  const got = loadsAs(v, inFlow);
  if (got === v) return true;
  // A number replacing a number («номер: 596» → 597) stays a number.
  return got !== undefined && was !== undefined && typeof got === typeof was && typeof got !== "string" && String(got) === v;
}

export function quoted(v) {
  return JSON.stringify(v);
}

/** A new scalar's source for `v`: plain when it reads back the same. */
export function emit(v, { inFlow = false, indent = 2, block = true } = {}) {
  if (plainOk(v, inFlow)) return v;
  if (!inFlow && block && v.includes("\n") && !/^\s/.test(v) && !/\s$/.test(v) && !v.includes("\t")) {
    return "|-\n" + v.split("\n").map((l) => (l ? spaces(indent) + l : "")).join("\n");
  }
  return quoted(v);
}

/** Words of `v` in lines at most `width` long (a folded scalar's body). */
function wrap(v, width) {
  const out = [];
  let line = "";
  // Break only at single spaces with a word after, as folding reads back.
  for (const w of v.split(/ (?=\S)/)) {
    if (line && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else line = line ? line + " " + w : w;
  }
  out.push(line);
  return out;
}

/**
 * The change that makes scalar `node` hold `v`, in the style it was written
 * in where that can hold `v`; `owner` is the column of its key or «-».
 */
export function scalarChange(text, node, v, owner, inFlow, prefer) {
  if (str(node) === v) return [];
  const [r0, r1] = node.range;
  const orig = text.slice(r0, r1);
  const indent = owner + 2;
  // The style the field had when the clerk began typing in it (a value on
  // the way, «О », may have needed quotes that the whole one does not).
  const type = prefer && !inFlow ? prefer : node.type;
  const isBlock = (x) => x === "BLOCK_FOLDED" || x === "BLOCK_LITERAL";
  const blockOk = v && !/^\s/.test(v) && !/\s$/.test(v) && !v.includes("\t");
  if (isBlock(type) && !isBlock(node.type) && blockOk && !text.slice(r1, lineEndIncl(text, r1)).trim()) {
    const lines = type === "BLOCK_FOLDED" && !v.includes("\n") ? wrap(v, Math.max(40, 78 - indent)) : v.split("\n");
    const header = type === "BLOCK_FOLDED" && !v.includes("\n") ? ">-\n" : "|-\n";
    const at = r0 === r1 && text[r0 - 1] === ":" ? " " : "";
    return [{ from: r0, to: r1, insert: at + header + lines.map((l) => (l ? spaces(indent) + l : "")).join("\n") }];
  }
  // A block text without «-» in its header keeps one final newline (clip):
  // the form shows it, and the clerk's value without it gets the «-».
  const nl0 = orig.indexOf("\n");
  const clip = isBlock(node.type) && !/^[>|][0-9]*[-+]|^[>|][-+]?[0-9]/.test(orig);
  let core = v;
  let chomp = null;
  if (clip && v.endsWith("\n") && !v.endsWith("\n\n")) core = v.slice(0, -1);
  else if (clip) chomp = "-";
  const coreOk = core && !/^\s/.test(core) && !/\s$/.test(core) && !core.includes("\t");
  if (isBlock(node.type) && isBlock(type) && coreOk && nl0 > 0) {
    v = core;
    const nl = nl0;
    let header = orig.slice(0, nl + 1);
    if (chomp) header = header.replace(/^([>|])/, "$1" + chomp);
    const body = orig.slice(nl + 1);
    const tail = body.slice(body.trimEnd().length);
    const lines = body.trimEnd().split("\n");
    const first = lines.find((l) => l.trim()) || "";
    const ind = first ? first.length - first.trimStart().length : indent;
    let out;
    if (type === "BLOCK_FOLDED" && !v.includes("\n")) {
      const width = Math.max(40, ...lines.map((l) => l.trimEnd().length - ind));
      out = wrap(v, width);
    } else {
      if (type === "BLOCK_FOLDED") header = header.replace(">", "|");
      out = v.split("\n");
    }
    const insert = header + out.map((l) => (l ? spaces(ind) + l : "")).join("\n") + (tail.includes("\n") ? tail : "\n");
    return [{ from: r0, to: r1, insert }];
  }
  let insert;
  const restOfLine = text.slice(r1, lineEndIncl(text, r1)).trim();
  if (v.includes("\n")) {
    insert = !inFlow && !restOfLine ? emit(v, { indent }) : quoted(v);
    if (insert.startsWith("|") && text[r1] !== "\n" && r1 < text.length) insert += "\n";
  } else if (type === "QUOTE_SINGLE") insert = "'" + v.replace(/'/g, "''") + "'";
  else if (type === "QUOTE_DOUBLE") insert = quoted(v);
  else if (plainOk(v, inFlow, node.value === null ? undefined : node.value)) insert = v;
  else insert = quoted(v);
  if (isBlock(node.type)) {
    // A block scalar ends with its newline; the replacement keeps one.
    if (!insert.startsWith("|")) insert += "\n";
    else if (!insert.endsWith("\n")) insert += "\n";
  }
  // An empty value right after its colon («номер:»): a space first.
  if (r0 === r1 && text[r0 - 1] === ":") insert = " " + insert;
  return [{ from: r0, to: r1, insert }];
}

/** The column of the key of `pair` or of the «-» of a sequence's item. */
function ownerCol(text, parent, keyOrIndex) {
  if (isMap(parent)) {
    const p = pairOf(parent, keyOrIndex);
    return col(text, p.key.range[0]);
  }
  const it = parent.items[keyOrIndex];
  return col(text, dashOf(text, it));
}

/**
 * The change that adds a pair to block mapping `map`, on its own lines after
 * the first of the keys `after` it has (else after its last pair); `pair(c)`
 * writes it from its key on, `c` being the column of the mapping's keys.
 */
function insertPair(text, map, after, pair) {
  let anchor = null;
  for (const k of after || []) {
    const q = pairOf(map, k);
    if (q) {
      anchor = q;
      break;
    }
  }
  anchor = anchor || map.items[map.items.length - 1];
  if (!anchor) return null;
  const c = col(text, anchor.key.range[0]);
  const end = anchor.value ? contentEnd(text, anchor.value, anchor.key.range[0]) : anchor.key.range[1];
  const at = lineEndIncl(text, Math.max(end - 1, anchor.key.range[0]));
  const nl = at === text.length && !text.endsWith("\n") ? "\n" : "";
  return [{ from: at, to: at, insert: nl + spaces(c) + pair(c) + "\n" }];
}

/**
 * The change that adds mapping `name` holding `key: v` to the document's
 * top mapping (which has no `name` yet), after the first of `after` it has.
 */
export function addMapping(text, doc, name, key, v, after) {
  const top = doc.contents;
  if (!isMap(top) || top.flow || pairOf(top, name)) return null;
  if (v === "") return [];
  return insertPair(text, top, after, (c) => name + ":\n" + spaces(c + 2) + key + ": " + emit(v, { indent: c + 4 }));
}

/**
 * Set the scalar at `path` to `v`. A missing key of a block mapping is
 * written as a new line after its last field (or after `after`, a key list
 * tried in order); a missing item of a flow list is appended to it.
 */
export function setValue(text, doc, path, v, after, prefer) {
  const parent = getIn(doc, path.slice(0, -1));
  const key = path[path.length - 1];
  if (!parent) return null;
  let node = get(parent, key);
  if (isMap(parent)) {
    const p = pairOf(parent, key);
    if (!p) {
      if (v === "") return [];
      if (parent.flow) {
        const end = parent.range[1] - 1;
        const close = text.lastIndexOf("}", end);
        const sep = parent.items.length ? ", " : "";
        return [{ from: close, to: close, insert: sep + key + ": " + emit(v, { inFlow: true }) }];
      }
      return insertPair(text, parent, after, (c) => key + ": " + emit(v, { indent: c + 2 }));
    }
    if (!node || (isScalar(node) && node.range[0] === node.range[1] && node.value === null)) {
      // «ключ:» with nothing after it.
      const at = node ? node.range[0] : p.key.range[1] + 1;
      const colon = text.indexOf(":", p.key.range[1]);
      const from = colon >= 0 && colon < at + 2 ? colon + 1 : at;
      const c = col(text, p.key.range[0]);
      return [{ from, to: from, insert: " " + emit(v, { indent: c + 2, inFlow: parent.flow }) }];
    }
  } else if (isSeq(parent) && !node) {
    // Cells missing at the end of a row: empty ones up to this one.
    if (typeof key !== "number" || key < parent.items.length) return null;
    if (v === "") return [];
    const pad = key - parent.items.length;
    if (parent.flow) {
      const close = text.lastIndexOf("]", parent.range[1] - 1);
      const cells = Array(pad).fill('""').concat([emit(v, { inFlow: true })]);
      const sep = parent.items.length ? ", " : "";
      return [{ from: close, to: close, insert: sep + cells.join(", ") }];
    }
    if (parent.items.length) {
      const b = itemBlocks(text, parent);
      const last = b[b.length - 1];
      const nl = last.to === text.length && !text.endsWith("\n") ? "\n" : "";
      const cells = Array(pad).fill('""').concat([emit(v, { indent: last.dash + 2 })]);
      return [{ from: last.to, to: last.to, insert: nl + cells.map((c) => spaces(last.dash) + "- " + c + "\n").join("") }];
    }
    return null;
  }
  if (!node) return null;
  const owner = ownerCol(text, parent, key);
  if (isScalar(node)) return scalarChange(text, node, v, owner, parent.flow, prefer);
  // A list or mapping replaced by one value («подписант: {…}» → «ио»).
  if (isMap(parent)) {
    const p = pairOf(parent, key);
    const colon = text.indexOf(":", p.key.range[1]);
    const end = node.flow ? node.range[1] : contentEnd(text, node, colon);
    return [{ from: colon + 1, to: end, insert: " " + emit(v, { indent: owner + 2 }) }];
  }
  return null;
}

// ---- Lists: delete, move, insert ----

export function deleteItem(text, seq, i) {
  const b = itemBlocks(text, seq);
  if (!b || !b[i]) return null;
  let { from, to } = b[i];
  if (i === b.length - 1 && i > 0 && to === text.length && !text.endsWith("\n")) {
    // The last line of the file: the newline before it goes instead.
    from = b[i - 1].to - 1;
  }
  return [{ from, to, insert: "" }];
}

/** Swap items `i` and `i + 1`. */
export function swapItems(text, seq, i) {
  const b = itemBlocks(text, seq);
  if (!b || !b[i] || !b[i + 1]) return null;
  const a = text.slice(b[i].from, b[i].to);
  const c = text.slice(b[i + 1].from, b[i + 1].to);
  let insert = withNewline(c) + withNewline(a);
  if (!c.endsWith("\n")) insert = insert.slice(0, -1);
  return [{ from: b[i].from, to: b[i + 1].to, insert }];
}

/** Insert `lines` (items at column 0, each starting with «- ») after item `i` (-1: first). */
export function insertItems(text, seq, i, lines) {
  const b = itemBlocks(text, seq);
  if (!b || !b.length) return null;
  const dash = b[0].dash;
  const body = withNewline(reindent(lines, dash));
  if (i < 0) return [{ from: b[0].from, to: b[0].from, insert: body }];
  const at = b[Math.min(i, b.length - 1)].to;
  const nl = at === text.length && !text.endsWith("\n") ? "\n" : "";
  return [{ from: at, to: at, insert: nl + body }];
}

// ---- Points (пункты) and their sub-points ----

export const SUBKEYS = ["пункты", "подпункты"];

export function subList(point) {
  if (!isMap(point)) return null;
  for (const k of SUBKEYS) {
    const v = get(point, k);
    if (isSeq(v)) return { key: k, seq: v };
  }
  return null;
}

/** The text of a point: the item itself or its «текст». */
export function pointText(point) {
  if (isScalar(point)) return str(point);
  if (isMap(point)) return str(get(point, "текст"));
  return null;
}

/** Point `i` of `seq` becomes the last sub-point of point `i - 1`. */
export function indentPoint(text, seq, i, subKey) {
  const b = itemBlocks(text, seq);
  if (!b || i < 1 || !b[i]) return null;
  const prev = seq.items[i - 1];
  const block = text.slice(b[i].from, b[i].to);
  const dash = b[i].dash;
  const sub = subList(prev);
  if (sub && !sub.seq.flow) {
    const sb = itemBlocks(text, sub.seq);
    return [{ from: b[i].from, to: b[i].to, insert: withNewline(reindent(block, sb[0].dash - dash)) }];
  }
  if (sub) return null;
  const moved = withNewline(reindent(block, 4));
  if (isMap(prev)) {
    return [{ from: b[i].from, to: b[i].to, insert: spaces(dash + 2) + (subKey || "пункты") + ":\n" + moved }];
  }
  if (!isScalar(prev)) return null;
  // A plain point becomes «- текст: …» with the sub-list under it.
  const pb = b[i - 1];
  const src = text.slice(prev.range[0], contentEnd(text, prev, prev.range[0]));
  let head;
  if (!src.includes("\n")) head = spaces(dash) + "- текст: " + src + "\n";
  else if (prev.type === "BLOCK_FOLDED" || prev.type === "BLOCK_LITERAL") {
    // Its lines are already deeper than «текст:» needs to be? Keep them so.
    const lines = src.split("\n");
    const ind = Math.min(...lines.slice(1).filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
    head = spaces(dash) + "- текст: " + (ind > dash + 2 ? src : lines[0] + "\n" + reindent(lines.slice(1).join("\n"), dash + 4 - ind)) + "\n";
  } else head = spaces(dash) + "- текст: " + emit(str(prev), { indent: dash + 4 }) + "\n";
  const between = text.slice(lineEndIncl(text, contentEnd(text, prev, prev.range[0]) - 1), pb.to);
  return [{ from: pb.from, to: b[i].to, insert: head + between + spaces(dash + 2) + (subKey || "пункты") + ":\n" + moved }];
}

/** Sub-point `j` of point `i` comes out to stand right after point `i`. */
export function liftPoint(text, seq, i, j) {
  const b = itemBlocks(text, seq);
  const point = seq.items[i];
  const sub = subList(point);
  if (!b || !sub || sub.seq.flow) return null;
  const sb = itemBlocks(text, sub.seq);
  if (!sb[j]) return null;
  const block = withNewline(text.slice(sb[j].from, sb[j].to));
  const moved = withNewline(reindent(block, b[i].dash - sb[j].dash));
  const end = b[i].to;
  const changes = [];
  // «- текст: X» with its only sub-point lifted becomes «- X» again (what
  // indentPoint made of a plain point), when nothing else stands between.
  const tp = point.items[0];
  if (sub.seq.items.length === 1 && point.items.length === 2 && keyOf(tp) === "текст" && isScalar(tp.value) && sb[j].to === end) {
    const v = tp.value;
    const lineEnd = lineEndIncl(text, v.range[0]);
    const keyLine = lineStart(text, pairOf(point, sub.key).key.range[0]);
    const src = text.slice(v.range[0], lineEnd);
    if (lineEnd === keyLine && !src.trimEnd().endsWith(":") && !/^[>|]/.test(src)) {
      const nl = end === text.length && !text.endsWith("\n") ? "\n" : "";
      return [{ from: b[i].from, to: end, insert: spaces(b[i].dash) + "- " + withNewline(src) + nl + moved }];
    }
  }
  if (sub.seq.items.length === 1) {
    // The sub-list goes with its key line.
    const keyPair = pairOf(point, sub.key);
    const kFrom = lineStart(text, keyPair.key.range[0]);
    changes.push({ from: kFrom, to: sb[j].to, insert: "" });
  } else {
    changes.push({ from: sb[j].from, to: sb[j].to, insert: "" });
  }
  const nl = end === text.length && !text.endsWith("\n") ? "\n" : "";
  if (sb[j].to === end) {
    // The sub-point is the last lines of the point: they are replaced in one.
    const c = changes[0];
    return [{ from: c.from, to: c.to, insert: nl + moved }];
  }
  changes.push({ from: end, to: end, insert: nl + moved });
  return changes;
}

// ---- Tables ----

/** «№ п/п» and its spellings (as src/read/input.rs is_number_title). */
export function isNumberTitle(t) {
  let s = String(t).trim().toLowerCase().replace(/[ \u00a0./\\\-_:]/g, "");
  let pre = false;
  for (const p of ["№№", "№", "no", "nn", "n", "номер"]) {
    if (s.startsWith(p)) {
      s = s.slice(p.length);
      pre = true;
      break;
    }
  }
  return pre ? ["", "пп", "строки", "пункта"].includes(s) : s === "пп";
}

export function columns(table) {
  const cols = get(table, "колонки");
  if (!isSeq(cols)) return [];
  return cols.items.map((c) => {
    if (isScalar(c)) return { title: str(c), key: str(c), numbering: isNumberTitle(str(c)), width: 1 };
    const title = str(get(c, "заголовок")) || "";
    const w = Number(str(get(c, "ширина")));
    const key = str(get(c, "ключ")) || title;
    const n = get(c, "нумерация");
    const numbering = n && isScalar(n) ? n.value === true || n.value === "да" : isNumberTitle(title);
    return { title, key, numbering, width: w > 0 ? w : 1 };
  });
}

/** How the rows of a table are written: "flow" ([a, b]), "block" (- - a),
 * "map" (named fields, a line each), "flowmap" ({ключ: a, …}). */
export function rowStyle(rows) {
  for (const r of (rows && rows.items) || []) {
    if (isMap(r) && !pairOf(r, "раздел")) return r.flow ? "flowmap" : "map";
    if (isSeq(r)) return r.flow ? "flow" : "block";
  }
  return "flow";
}

/** A new row as YAML lines at column 0: «- …». */
export function rowLines(style, cols, cells) {
  const data = cols.filter((c) => !c.numbering);
  if (style === "section") return "- раздел: " + emit(cells[0] || "", { indent: 4 }) + "\n";
  if (style === "map") {
    return (
      data
        .map((c, k) => (k ? "  " : "- ") + c.key + ": " + emit(cells[k] || "", { indent: 4 }))
        .join("\n") + "\n"
    );
  }
  if (style === "flowmap") {
    return "- {" + data.map((c, k) => emit(c.key, { inFlow: true }) + ": " + emit(cells[k] || "", { inFlow: true })).join(", ") + "}\n";
  }
  if (style === "block") {
    return data.map((c, k) => (k ? "  - " : "- - ") + emit(cells[k] || "", { indent: 4 })).join("\n") + "\n";
  }
  return "- [" + data.map((c, k) => emit(cells[k] || "", { inFlow: true })).join(", ") + "]\n";
}

/** The shown rows: {section: text} or {cells: [text per data column]}. */
export function tableRows(table) {
  const cols = columns(table);
  const data = cols.filter((c) => !c.numbering);
  const rows = get(table, "строки");
  if (!isSeq(rows)) return null;
  return rows.items.map((r) => {
    if (isMap(r) && pairOf(r, "раздел")) return { section: str(get(r, "раздел")), number: str(get(r, "№")) };
    if (isMap(r)) return { cells: data.map((c) => str(get(r, c.key))), number: str(get(r, "№")) };
    if (isSeq(r)) return { cells: data.map((c, k) => str(r.items[k])) };
    return { cells: data.map(() => null), odd: isScalar(r) ? str(r) : "" };
  });
}

/** The path of a cell of row `r` (under the table's path `tp`). */
export function cellPath(table, tp, r, k) {
  const cols = columns(table).filter((c) => !c.numbering);
  const row = get(get(table, "строки"), r);
  if (isMap(row) && pairOf(row, "раздел")) return tp.concat(["строки", r, "раздел"]);
  if (isMap(row)) return tp.concat(["строки", r, cols[k].key]);
  return tp.concat(["строки", r, k]);
}

// ---- Clipboard of spreadsheets ----

/** Tab-separated text as Excel and LibreOffice Calc copy it: a cell with a
 * tab, newline or quote is in quotes, its quotes doubled. */
export function parseTsv(s) {
  s = s.replace(/\r\n?/g, "\n");
  const rows = [];
  let row = [];
  let cell = "";
  let i = 0;
  let quoted = false;
  while (i < s.length) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') {
        quoted = false;
        i++;
        continue;
      }
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && cell === "") {
      quoted = true;
      i++;
    } else if (ch === "\t") {
      row.push(cell);
      cell = "";
      i++;
    } else if (ch === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else {
      cell += ch;
      i++;
    }
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.map((r) => r.map((c) => c.trim()));
}
