// A self-check of the smallest edits for the tests (tests/browser_form.rs):
// every row of every table moved, deleted and each cell set to awkward
// values; every point's text set, every point made a sub-point; each edit
// applied and the text read back with the yaml package. Returns the edits
// that did not read back as meant (empty when all did) and how many were made.
import * as E from "./yamledit.mjs";
import { isMap, isSeq, isScalar } from "yaml";

const VALUES = ["простой текст", "a, b: c # d", "две\nстроки", "123", "да", "'кавычки' и \"двойные\"", "[не список]", "{приложение:план} ссылка", "Руководителям:", "слово ".repeat(30).trim()];

function apply(text, changes) {
  let out = text;
  for (const c of [...changes].sort((a, b) => b.from - a.from)) out = out.slice(0, c.from) + c.insert + out.slice(c.to);
  return out;
}
const js = (n) => JSON.stringify(n && n.toJSON ? n.toJSON() : n);

export function exercise(text) {
  const doc = E.parse(text);
  const bad = [];
  let n = 0;
  if (doc.errors.length || !isMap(doc.contents)) return { bad, n };
  const check = (what, changes, ok) => {
    n++;
    if (!changes) return bad.push(what + ": no edit");
    const d = E.parse(apply(text, changes));
    if (d.errors.length) return bad.push(what + ": " + d.errors[0].message);
    if (!ok(d)) bad.push(what);
  };
  const apps = E.get(doc.contents, "приложения");
  (isSeq(apps) ? apps.items : []).forEach((a, i) => {
    const content = E.get(a, "содержание");
    (isSeq(content) ? content.items : []).forEach((c, j) => {
      const table = E.get(c, "таблица");
      const rows = isMap(table) && E.get(table, "строки");
      if (!isSeq(rows) || rows.flow) return;
      const tp = ["приложения", i, "содержание", j, "таблица"];
      const rp = tp.concat(["строки"]);
      const shown = E.tableRows(table);
      const all = rows.items.map(js);
      rows.items.forEach((r, ri) => {
        if (ri + 1 < rows.items.length) {
          const want = all.slice();
          [want[ri], want[ri + 1]] = [want[ri + 1], want[ri]];
          check(tp.join("/") + " swap " + ri, E.swapItems(text, rows, ri), (d) => E.getIn(d, rp).items.map(js).join() === want.join());
        }
        if (rows.items.length > 1) {
          const want = all.filter((_, k) => k !== ri);
          check(tp.join("/") + " delete " + ri, E.deleteItem(text, rows, ri), (d) => E.getIn(d, rp).items.map(js).join() === want.join());
        }
        const cells = shown[ri].section !== undefined ? [shown[ri].section] : shown[ri].cells;
        cells.forEach((v0, k) => {
          if (v0 === null) return;
          for (const v of VALUES) {
            const path = E.cellPath(table, tp, ri, k);
            check(path.join("/") + " = " + JSON.stringify(v), E.setValue(text, doc, path, v), (d) => E.str(E.getIn(d, path)) === v);
          }
        });
      });
      const cols = E.columns(table);
      const data = cols.filter((c) => !c.numbering);
      const style = E.rowStyle(rows);
      for (const v of VALUES) {
        const lines = E.rowLines(style, cols, data.map(() => v)) + E.rowLines("section", cols, [v]);
        check(tp.join("/") + " insert " + JSON.stringify(v), E.insertItems(text, rows, rows.items.length - 1, lines), (d) => {
          const got = E.tableRows(E.getIn(d, tp));
          const [row, sec] = got.slice(-2);
          return row.cells.every((x) => x === v) && sec.section === v;
        });
      }
    });
  });
  const points = (path) => {
    const seq = E.getIn(doc, path);
    if (!isSeq(seq) || seq.flow) return;
    seq.items.forEach((p, i) => {
      const tp = isScalar(p) ? path.concat([i]) : path.concat([i, "текст"]);
      if (E.pointText(p) !== null) {
        for (const v of VALUES) check(tp.join("/") + " = " + JSON.stringify(v), E.setValue(text, doc, tp, v), (d) => E.str(E.getIn(d, tp)) === v);
      }
      if (i > 0 && !(isMap(seq.items[i - 1]) && E.subList(seq.items[i - 1]) && E.subList(seq.items[i - 1]).seq.flow)) {
        const prevText = E.pointText(seq.items[i - 1]);
        check(path.join("/") + " indent " + i, E.indentPoint(text, seq, i, "пункты"), (d) => {
          const prev = E.getIn(d, path.concat([i - 1]));
          const sub = E.subList(prev);
          return sub && js(sub.seq.items[sub.seq.items.length - 1]) === js(p) && E.pointText(prev) === prevText;
        });
      }
      const sub = E.subList(p);
      if (sub && !sub.seq.flow) {
        sub.seq.items.forEach((q, k) => {
          check(path.join("/") + " lift " + i + "." + k, E.liftPoint(text, seq, i, k), (d) => js(E.getIn(d, path.concat([i + 1]))) === js(q));
        });
        points(path.concat([i, sub.key]));
      }
    });
  };
  points(["пункты"]);
  return { bad, n };
}
