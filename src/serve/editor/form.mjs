// The form view of `prikaz serve` («Текст | Форма»): the act's requisites,
// points and appendix tables as fields, read from the editor's text after
// every change and written back into it as the smallest edits (yamledit.mjs),
// each one CodeMirror transaction, so undo and redo span both views.
import * as E from "./yamledit.mjs";
import { isMap, isSeq, isScalar } from "yaml";
import { undo, redo, isolateHistory } from "@codemirror/commands";
import { Annotation, Transaction } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { CSS } from "./form.css.mjs";
import { exercise } from "./exercise.mjs";

/** The appendices «Добавить приложение» offers: the starters' texts
 * (templates/starters/with/*.yaml, all embedded by the bundler's glob; those of
 * these names that the folder holds at build time are offered). */
const APPENDICES = [
  ["план", "План (таблица мероприятий)"],
  ["график", "График (таблица сроков)"],
  ["положение", "Положение (разделы и текст)"],
  ["список", "Список (таблица людей)"],
  ["состав", "Состав рабочей группы (две колонки)"],
].flatMap(([name, label]) => {
  try {
    // eslint-disable-next-line no-undef
    return [{ name, label, text: require(`../../../templates/starters/with/${name}.yaml`) }];
  } catch (e) {
    return [];
  }
});
const KINDS = ["приказ", "распоряжение", "постановление", "положение"];
/** Local acts that stand alone: no number of their own; the date is the
 * approval's, in the «УТВЕРЖДАЮ». */
const LOCAL = ["положение", "правила", "инструкция", "порядок", "регламент"];

/** Marks the transactions the form makes (the form needs no re-reading). */
const fromForm = Annotation.define();

let ui = null; // {bar, panel, editorEl, shown, timer}

function view() {
  return window.prikaz && window.prikaz.editor && window.prikaz.editor.view;
}
function text() {
  return view().state.doc.toString();
}

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined) e.append(k);
  return e;
}

function say(msg, bad) {
  const s = ui && ui.panel.querySelector(".pf-say");
  if (!s) return;
  s.textContent = msg || "";
  s.classList.toggle("pf-bad", !!bad);
}

/**
 * Apply `make(text, doc)` → changes as one transaction. A structural edit
 * (rows, points added, moved, deleted) is its own undo step, and the form is
 * drawn again at once with the focus on `focus` (a data-focus key).
 */
function edit(make, { structural = false, focus = null, select = false } = {}) {
  const t = text();
  const doc = E.parse(t);
  if (doc.errors.length) {
    say("В тексте ошибка YAML — исправьте её на вкладке «Текст».", true);
    return false;
  }
  const changes = make(t, doc);
  if (!changes) {
    say("Это место акта записано не так, как его умеет менять форма; измените его на вкладке «Текст».", true);
    return false;
  }
  if (!changes.length) return true;
  // «input.type…»: typing in a field joins into one undo step, as in the text.
  const annotations = [fromForm.of(true), Transaction.userEvent.of(structural ? "form.structure" : "input.type.form")];
  if (structural) annotations.push(isolateHistory.of("full"));
  // The text's cursor follows to the place edited, for when the clerk
  // switches back to «Текст».
  const v = view();
  const set = v.state.changes(changes);
  const first = Math.min(...changes.map((c) => c.from));
  v.dispatch({ changes: set, annotations, selection: { anchor: set.mapPos(first, 1) } });
  say("");
  if (structural) draw(focus, true, select);
  return true;
}

function setAt(path, value, after, prefer) {
  return edit((t, doc) => E.setValue(t, doc, path, value, after, prefer));
}

/** How the scalar at `path` under `root` is written now (see scalarChange). */
function styleAt(root, path) {
  const n = E.getIn({ contents: root }, path);
  return n && isScalar(n) ? n.type : undefined;
}

// ---- Drawing ----

function draw(focus, structural, select) {
  if (!ui || !ui.shown) return;
  const panel = ui.panel;
  const active = document.activeElement;
  // After rows or points moved, the field the focus was in may hold another
  // one now: the focus goes only where the edit says.
  const keep = focus || (!structural && active && panel.contains(active) && active.dataset.focus) || null;
  const sel = active && active.selectionStart !== undefined && !focus ? [active.selectionStart, active.selectionEnd] : null;
  const scroll = panel.scrollTop;
  panel.textContent = "";
  panel.append(el("div", { class: "pf-say", role: "status", "aria-live": "polite" }));
  const t = text();
  const doc = E.parse(t);
  if (doc.errors.length) {
    panel.append(
      el("p", {
        class: "pf-note pf-bad",
        text: "В тексте акта ошибка YAML, и форма не может его прочитать. Исправьте её на вкладке «Текст» — форма вернётся.",
      }),
      button("Перейти к тексту", "Открыть текст акта, чтобы исправить ошибку (она подчёркнута, а внизу — её описание)", () => show(false), "pf-wide"),
    );
    return;
  }
  const root = doc.contents;
  if (!isMap(root)) {
    panel.append(el("p", { class: "pf-note", text: "Это не акт: в тексте нет полей акта (вид, дата, номер, заголовок …)." }));
    return;
  }
  panel.append(requisites(root));
  panel.append(points(root));
  panel.append(appendices(root));
  if (scroll) panel.scrollTop = scroll;
  if (keep) {
    const f = panel.querySelector('[data-focus="' + CSS_escape(keep) + '"]');
    if (f) {
      f.focus();
      if (sel && f.setSelectionRange) {
        try {
          f.setSelectionRange(sel[0], sel[1]);
        } catch (e) {
          /* inputs of type date have no selection */
        }
      } else if (select && f.select) f.select();
    }
  }
}

function CSS_escape(s) {
  return s.replace(/["\\]/g, "\\$&");
}

/** A text field that grows with its text; `onInput(value)` on each change. */
function area(value, focus, onInput, attrs) {
  const a = el("textarea", { rows: 1, "data-focus": focus, spellcheck: "true", ...(attrs || {}) });
  a.value = value;
  a.addEventListener("input", () => {
    fit([a]);
    onInput(a.value);
  });
  toFit.push(a);
  if (toFit.length === 1) requestAnimationFrame(() => fit(toFit.splice(0)));
  return a;
}

/** Fields waiting for their height. */
const toFit = [];

/** Heights to the text: all read after all are written, one layout for all. */
function fit(list) {
  const live = list.filter((a) => a.isConnected);
  for (const a of live) a.style.height = "auto";
  const h = live.map((a) => a.scrollHeight);
  live.forEach((a, i) => {
    a.style.height = h[i] + 2 + "px";
  });
}

function field(label, input, hint) {
  return el("label", { class: "pf-field" }, el("span", { class: "pf-label", text: label }), input, hint ? el("span", { class: "pf-hint", text: hint }) : null);
}

// ---- Requisites ----

const REQ_AFTER = {
  вид: ["профиль"],
  дата: ["вид", "профиль"],
  номер: ["дата", "вид"],
  заголовок: ["номер", "дата", "вид"],
  подписант: ["контроль", "пункты", "заголовок"],
  введено_приказом: ["заголовок", "дата"],
};

/** «15.01.2024» or «2024-01-15» → «2024-01-15» (what <input type=date> holds). */
export function isoDate(s) {
  let m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s.trim());
  if (m) return m[3] + "-" + m[2].padStart(2, "0") + "-" + m[1].padStart(2, "0");
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  return m ? s.trim() : "";
}

/** A calendar field for the date `node` holds; `set` gets it as ДД.ММ.ГГГГ. */
function dateField(label, node, focus, what, set) {
  const written = E.str(node);
  const date = el("input", { type: "date", "data-focus": focus, title: what + ": выберите в календаре или введите; в текст пишется как ДД.ММ.ГГГГ" });
  date.value = written === null ? "" : isoDate(written);
  date.addEventListener("change", () => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.value);
    if (m) set(m[3] + "." + m[2] + "." + m[1]);
  });
  return field(label, date, written && !date.value ? "в тексте: «" + written + "» — выберите дату в календаре" : null);
}

/**
 * A local act's «Введено в действие приказом от … № …»: the order's date and
 * number, written into `введено_приказом` (the mapping made when the act has
 * none yet).
 */
function introducedBy(root) {
  const by = E.get(root, "введено_приказом");
  if (by && !isMap(by)) {
    return [field("Введено приказом", el("span", { class: "pf-note", text: "записано в тексте иначе — измените на вкладке «Текст»" }))];
  }
  const set = (key, v, style) =>
    edit((t, doc) =>
      isMap(E.get(doc.contents, "введено_приказом"))
        ? E.setValue(t, doc, ["введено_приказом", key], v, key === "номер" ? ["дата"] : [], style)
        : E.addMapping(t, doc, "введено_приказом", key, v, REQ_AFTER.введено_приказом),
    );
  const number = by ? E.str(E.get(by, "номер")) : "";
  return [
    dateField("Введено приказом от", by && E.get(by, "дата"), "req:введено:дата", "Дата приказа, которым акт введён в действие", (d) => set("дата", d)),
    field(
      "№ приказа",
      area(number === null ? "" : number, "req:введено:номер", (x) => set("номер", x, (by && styleAt(by, ["номер"])) || "PLAIN"), {
        "aria-label": "№ приказа",
        placeholder: "например 126-од",
      }),
    ),
  ];
}

function requisites(root) {
  const box = el("fieldset", { class: "pf-box" }, el("legend", { text: "Реквизиты" }));
  const kind = E.str(E.get(root, "вид")) || "";
  const sel = el("select", { "data-focus": "req:вид", title: "Вид акта" });
  for (const k of KINDS.includes(kind) || !kind ? KINDS : KINDS.concat([kind])) {
    sel.append(el("option", { value: k, text: k }));
  }
  if (!kind) sel.prepend(el("option", { value: "", text: "— не указан —" }));
  sel.value = kind;
  sel.addEventListener("change", () => setAt(["вид"], sel.value, REQ_AFTER.вид));
  box.append(field("Вид", sel));

  const local = LOCAL.includes(kind);
  box.append(dateField(local ? "Дата утверждения" : "Дата", E.get(root, "дата"), "req:дата", "Дата акта", (d) => setAt(["дата"], d, REQ_AFTER.дата)));

  for (const [key, label, hint] of local
    ? [["заголовок", "Заголовок", "«о …» — после слова ПОЛОЖЕНИЕ"]]
    : [
        ["номер", "Номер", "как в журнале регистрации, например 12-од"],
        ["заголовок", "Заголовок", "«О …» — о чём акт"],
      ]) {
    const v = E.str(E.get(root, key));
    if (v === null) {
      box.append(field(label, el("span", { class: "pf-note", text: "записан в тексте не одной строкой — измените его на вкладке «Текст»" })));
      continue;
    }
    const style = styleAt(root, [key]);
    box.append(field(label, area(v, "req:" + key, (x) => setAt([key], x, REQ_AFTER[key], style), { "aria-label": label, placeholder: hint })));
  }
  if (local) box.append(...introducedBy(root));

  // The signatory: a key of the profile's signatories, or as written.
  const sigs = (window.prikaz && window.prikaz.file && window.prikaz.file.signatories) || [];
  const signer = E.get(root, "подписант");
  const sv = E.str(signer);
  const list = el("datalist", { id: "pf-signatories" });
  for (const s of sigs) list.append(el("option", { value: s["ключ"], label: [s["должность"], s["имя"]].filter(Boolean).join(" — ") }));
  const inp = el("input", {
    type: "text",
    list: "pf-signatories",
    "data-focus": "req:подписант",
    placeholder: sigs.length ? "выберите из профиля: " + sigs.map((s) => s["ключ"]).join(", ") : "ключ подписанта из профиля",
    title: "Подписант: ключ подписанта из профиля (список — по стрелке) или свой",
  });
  inp.value = sv === null ? "" : sv;
  const sstyle = styleAt(root, ["подписант"]);
  inp.addEventListener("input", () => {
    if (sv === null && !inp.value) return;
    setAt(["подписант"], inp.value, REQ_AFTER.подписант, sstyle);
  });
  let hint = null;
  if (sv === null && isMap(signer)) {
    const who = [E.get(signer, "должность"), E.get(signer, "имя")].map((n) => (isSeq(n) ? n.items.map(E.str).join(" ") : E.str(n) || "")).join(" ");
    hint = "в тексте: " + who.trim() + "; выбор из профиля заменит его";
  }
  const s = sigs.find((x) => x["ключ"] === sv);
  if (s) hint = [s["должность"], s["имя"]].filter(Boolean).join(" — ");
  box.append(field("Подписант", el("span", {}, inp, list), hint));
  return box;
}

// ---- Points ----

function button(label, title, onclick, cls) {
  return el("button", { type: "button", class: "pf-btn " + (cls || ""), title, "aria-label": title, onclick, text: label });
}

/** Keys of the row tools (with Alt), so that Tab goes from field to field. */
const KEYS = { up: "ArrowUp", down: "ArrowDown", in: "ArrowRight", out: "ArrowLeft", add: "Insert", del: "Delete" };
const KEY_NAMES = { up: "Alt+↑", down: "Alt+↓", in: "Alt+→", out: "Alt+←", add: "Alt+Insert", del: "Alt+Delete" };

/** A tool of a point or a row: `act` one of KEYS. */
function tool(act, label, title, onclick, cls) {
  const b = button(label, title + " (" + KEY_NAMES[act] + ")", onclick, cls);
  b.dataset.act = act;
  b.tabIndex = -1;
  return b;
}

/** The column of the focused cell, when it is in row element `tr`. */
function activeCol(tr) {
  const a = document.activeElement;
  return a && tr.contains(a) && a.dataset.col ? a.dataset.col : "0";
}

function points(root) {
  const box = el("fieldset", { class: "pf-box" }, el("legend", { text: "Пункты" }));
  const seq = E.get(root, "пункты");
  if (!seq) {
    box.append(el("p", { class: "pf-note", text: "Пунктов нет. Добавьте «пункты:» на вкладке «Текст»." }));
    return box;
  }
  if (!isSeq(seq) || seq.flow) {
    box.append(el("p", { class: "pf-note", text: "Пункты записаны одной строкой — измените их на вкладке «Текст»." }));
    return box;
  }
  box.append(pointList(seq, ["пункты"], ""));
  return box;
}

/** The key of sub-points: as this list is named, or as the act names them elsewhere. */
function subKey(t, path) {
  if (path.length > 1) return path[path.length - 1];
  return /^\s+подпункты:/m.test(t) ? "подпункты" : "пункты";
}

function pointList(seq, path, prefix) {
  const ol = el("ol", { class: "pf-points" });
  seq.items.forEach((p, i) => {
    const num = prefix + (i + 1) + ".";
    const key = path.concat([i]).join("/");
    const v = E.pointText(p);
    const li = el("li", { class: "pf-point" });
    const row = el("div", { class: "pf-row" }, el("span", { class: "pf-num", text: num }));
    const textPath = isScalar(p) ? path.concat([i]) : path.concat([i, "текст"]);
    const style = isScalar(p) ? p.type : styleAt(p, ["текст"]);
    if (v === null) row.append(el("span", { class: "pf-note", text: "пункт записан иначе — измените его на вкладке «Текст»" }));
    else row.append(area(v, "pt:" + key, (x) => setAt(textPath, x, null, style), {
        "aria-label": "Пункт " + num,
        title: "Alt+↑ и Alt+↓ — переместить пункт, Alt+→ — сделать подпунктом предыдущего, Alt+← — вынести выше, Alt+Insert — новый пункт, Alt+Delete — удалить",
      }));
    const at = (t, doc) => E.getIn(doc, path);
    const tools = el(
      "span",
      { class: "pf-tools" },
      tool("up", "↑", "Поднять пункт выше", () => edit((t, d) => (i ? E.swapItems(t, at(t, d), i - 1) : []), { structural: true, focus: "pt:" + path.concat([i - 1]).join("/") }), i ? "" : "pf-off"),
      tool("down", "↓", "Опустить пункт ниже", () => edit((t, d) => (i + 1 < seq.items.length ? E.swapItems(t, at(t, d), i) : []), { structural: true, focus: "pt:" + path.concat([i + 1]).join("/") }), i + 1 < seq.items.length ? "" : "pf-off"),
      tool("in", "→", "Сделать подпунктом предыдущего пункта", () =>
        edit((t, d) => (i ? E.indentPoint(t, at(t, d), i, subKey(t, path)) : []), { structural: true }),
      i ? "" : "pf-off"),
      path.length > 1
        ? tool("out", "←", "Вынести на уровень выше (после пункта, в котором он стоит)", () =>
            edit((t, d) => E.liftPoint(t, E.getIn(d, path.slice(0, -2)), path[path.length - 2], i), { structural: true }),
          )
        : tool("out", "←", "Вынести на уровень выше", () => {}, "pf-off"), // keeps the columns of tools in line
      tool("add", "+", "Добавить пункт после этого", () =>
        edit((t, d) => E.insertItems(t, at(t, d), i, "- " + E.emit("Текст пункта.") + "\n"), { structural: true, select: true, focus: "pt:" + path.concat([i + 1]).join("/") }),
      ),
      tool("del", "✕", "Удалить пункт", () => {
        if (v && v.trim() && !confirm("Удалить пункт " + num + " «" + v.slice(0, 60) + "»?")) return;
        edit((t, d) => E.deleteItem(t, at(t, d), i), { structural: true });
      }, "pf-del"),
    );
    row.append(tools);
    li.append(row);
    const sub = E.subList(p);
    if (sub && !sub.seq.flow) li.append(pointList(sub.seq, path.concat([i, sub.key]), num));
    ol.append(li);
  });
  return ol;
}

// ---- Appendices and their tables ----

function appendices(root) {
  const box = el("fieldset", { class: "pf-box" }, el("legend", { text: "Приложения" }));

  const seq = E.get(root, "приложения");
  if (isSeq(seq)) {
    seq.items.forEach((a, i) => {
      const title = E.get(a, "заголовок");
      const t = isSeq(title) ? title.items.map(E.str).join(" ") : E.str(title) || "";
      const sec = el("section", { class: "pf-app" }, el("h3", { text: "Приложение " + (i + 1) + (t ? ": " + t : "") }));
      const content = E.get(a, "содержание");
      let tables = 0;
      if (isSeq(content)) {
        content.items.forEach((c, j) => {
          const table = E.get(c, "таблица");
          if (isMap(table)) {
            tables++;
            sec.append(grid(table, ["приложения", i, "содержание", j, "таблица"]));
          }
        });
      }
      if (!tables) sec.append(el("p", { class: "pf-note", text: "Таблиц нет; текст приложения — на вкладке «Текст»." }));
      box.append(sec);
    });
  }
  if (LOCAL.includes(E.str(E.get(root, "вид")) || "")) {
    // The starters' appendices come with an order's point «Утвердить …».
    box.append(el("p", { class: "pf-note", text: "Образцы приложений — для приказа. Приложение к положению (форму, перечень) пишите на вкладке «Текст», в поле «приложения»." }));
    return box;
  }
  const pick = el("select", { "aria-label": "Какое приложение добавить" });
  for (const a of APPENDICES) pick.append(el("option", { value: a.name, text: a.label }));
  box.append(
    el(
      "div",
      { class: "pf-row" },
      pick,
      button("Добавить приложение", "Добавить приложение по образцу и пункт, который его утверждает", () => addAppendix(pick.value), "pf-wide"),
    ),
  );
  return box;
}

function grid(table, tp) {
  const cols = E.columns(table);
  const data = cols.filter((c) => !c.numbering);
  const numbered = cols.some((c) => c.numbering);
  const rows = E.tableRows(table);
  const wrap = el("div", { class: "pf-grid" });
  if (!rows) {
    const from = E.get(table, "строки_из");
    wrap.append(el("p", { class: "pf-note", text: from ? "Строки берутся из файла «" + (E.str(from) || "") + "»." : "У таблицы нет строк." }));
    return wrap;
  }
  const rowsAt = (d) => E.getIn(d, tp.concat(["строки"]));
  const style = E.rowStyle(E.get(table, "строки"));
  const key = tp.join("/");
  const tbl = el("table", { class: "pf-table", "data-table": key });
  // Columns as wide as the act makes them («ширина»), a fixed layout (fast
  // with many rows).
  const widths = data.map((c) => c.width);
  const sum = widths.reduce((x, y) => x + y, 0) || 1;
  tbl.append(
    el(
      "colgroup",
      {},
      numbered ? el("col", { style: "width: 3em" }) : null,
      widths.map((w) => el("col", { style: "width: calc((100% - " + (numbered ? "3em" : "0px") + " - 4.6em) * " + (w / sum).toFixed(4) + ")" })),
      el("col", { style: "width: 4.6em" }),
    ),
  );
  const head = el("tr", {});
  if (numbered) head.append(el("th", { class: "pf-n", text: "№" }));
  for (const c of data) head.append(el("th", { text: c.title }));
  head.append(el("th", { class: "pf-rt", text: "" }));
  tbl.append(el("thead", {}, head));
  const body = el("tbody", {});
  // Numbers as the program gives them, roughly: «нумерация_разделов: да»
  // numbers the sections and the rows under them 1.1, 1.2 … (see facts/numbering.rs).
  const bySection = E.str(E.get(table, "нумерация_разделов")) === "да" || E.get(table, "нумерация_разделов")?.value === true;
  let n = 0;
  let sec = 0;
  let open = false; // a numbered section is open: its rows are «sec.n»
  rows.forEach((r, ri) => {
    const tr = el("tr", { class: r.section !== undefined ? "pf-section" : "" });
    const cellTitle =
      "Enter — к ячейке ниже, Shift+Enter или Alt+Enter — новая строка в ячейке, Tab — к следующей ячейке. Ctrl+V вставляет строки, скопированные из Excel или LibreOffice Calc, после этой строки. Alt+↑ и Alt+↓ двигают строку, Alt+Insert добавляет, Alt+Delete удаляет.";
    if (r.section !== undefined) {
      const own = /^(\d+)\.?$/.exec(r.number || "");
      if (own || bySection) {
        sec = own ? Number(own[1]) : sec + 1;
        n = 0;
        open = true;
      }
      if (numbered) tr.append(el("td", { class: "pf-n", text: r.number || (bySection ? sec + "." : "") }));
      const st = styleAt(table, ["строки", ri, "раздел"]);
      const a = area(r.section === null ? "" : r.section, "cell:" + key + "/" + ri + "/0", (x) => setAt(tp.concat(["строки", ri, "раздел"]), x, null, st), {
        "data-row": ri,
        "data-col": 0,
        title: cellTitle,
        "aria-label": "Раздел",
      });
      tr.append(el("td", { colspan: data.length }, a));
    } else if (r.odd !== undefined) {
      if (numbered) tr.append(el("td", { class: "pf-n", text: "" }));
      tr.append(el("td", { colspan: data.length, class: "pf-odd", text: "строка записана иначе" + (r.odd ? ": «" + r.odd + "»" : "") + " — измените её на вкладке «Текст»" }));
    } else {
      n++;
      if (numbered) tr.append(el("td", { class: "pf-n", text: r.number || (open ? sec + "." + n + "." : n + ".") }));
      data.forEach((c, k) => {
        const st = styleAt(table, E.cellPath(table, [], ri, k));
        const a = area(r.cells[k] === null ? "" : r.cells[k], "cell:" + key + "/" + ri + "/" + k, (x) =>
          edit((t, d) => E.setValue(t, d, E.cellPath(E.getIn(d, tp), tp, ri, k), x, null, st)), {
          "data-row": ri,
          "data-col": k,
          title: cellTitle,
          "aria-label": c.title + ", строка " + n,
        });
        if (r.cells[k] === null) a.disabled = true;
        tr.append(el("td", {}, a));
      });
    }
    const last = ri + 1 === rows.length;
    tr.append(
      el(
        "td",
        { class: "pf-rt" },
        el(
          "span",
          { class: "pf-rtools" },
        tool("up", "↑", "Поднять строку", () => edit((t, d) => (ri ? E.swapItems(t, rowsAt(d), ri - 1) : []), { structural: true, focus: "cell:" + key + "/" + (ri - 1) + "/" + activeCol(tr) }), ri ? "" : "pf-off"),
        tool("down", "↓", "Опустить строку", () => edit((t, d) => (!last ? E.swapItems(t, rowsAt(d), ri) : []), { structural: true, focus: "cell:" + key + "/" + (ri + 1) + "/" + activeCol(tr) }), last ? "pf-off" : ""),
        tool("add", "+", "Добавить строку после этой", () => addRows(tp, ri, [data.map(() => "")], false), ""),
        tool("del", "✕", "Удалить строку", () => rows.length < 2 ? say("Это единственная строка таблицы: в таблице должна остаться хотя бы одна.", true) : edit((t, d) => E.deleteItem(t, rowsAt(d), ri), { structural: true, focus: "cell:" + key + "/" + (last ? ri - 1 : ri) + "/0" }), "pf-del"),
        ),
      ),
    );
    body.append(tr);
  });
  tbl.append(body);
  tbl.addEventListener("keydown", (e) => {
    const a = e.target;
    if (a.tagName !== "TEXTAREA" || e.key !== "Enter") return;
    if (e.altKey) {
      e.preventDefault();
      a.setRangeText("\n", a.selectionStart, a.selectionEnd, "end");
      a.dispatchEvent(new Event("input"));
      return;
    }
    if (e.shiftKey || e.ctrlKey) return;
    e.preventDefault();
    const next = tbl.querySelector('textarea[data-row="' + (Number(a.dataset.row) + 1) + '"][data-col="' + a.dataset.col + '"]') || tbl.querySelector('textarea[data-row="' + (Number(a.dataset.row) + 1) + '"]');
    if (next) next.focus();
  });
  tbl.addEventListener("paste", (e) => {
    const a = e.target;
    if (a.tagName !== "TEXTAREA") return;
    const got = clipboardRows(e.clipboardData);
    if (!got || (got.rows.length === 1 && got.rows[0].length === 1)) return; // one value: into the cell, as usual
    e.preventDefault();
    pasteRows(tp, Number(a.dataset.row), Number(a.dataset.col), got);
  });
  wrap.append(tbl);
  wrap.append(
    el(
      "div",
      { class: "pf-row" },
      button("Добавить строку", "Добавить пустую строку в конец таблицы", () => addRows(tp, rows.length - 1, [data.map(() => "")], false), "pf-wide"),
      button("Добавить раздел", "Добавить строку-раздел (заголовок группы строк) в конец таблицы", () => addRows(tp, rows.length - 1, [["Новый раздел"]], true), "pf-wide"),
      el("span", { class: "pf-hint", text: "Строки из Excel или Calc: скопируйте их там и нажмите Ctrl+V в ячейке — они встанут после её строки." }),
    ),
  );
  void style;
  return wrap;
}

/** Insert rows after row `after` (replacing it when `replace`). */
function addRows(tp, after, cellRows, section, replace, sections) {
  return edit(
    (t, d) => {
      const table = E.getIn(d, tp);
      const cols = E.columns(table);
      const rows = E.get(table, "строки");
      const style = E.rowStyle(rows);
      const lines = cellRows.map((c, i) => E.rowLines(section || (sections && sections[i]) ? "section" : style, cols, c)).join("");
      if (replace) {
        const b = E.itemBlocks(t, rows);
        if (!b) return null;
        return [{ from: b[after].from, to: b[after].to, insert: E.reindent(lines, b[after].dash) }];
      }
      return E.insertItems(t, rows, after, lines);
    },
    // A new section's placeholder is selected, to be typed over.
    { structural: true, select: !!section, focus: "cell:" + tp.join("/") + "/" + (replace ? after : after + 1) + "/0" },
  );
}

// ---- Clipboard ----

/** The rows a paste holds: from text/html's <table>, else from text/plain (TSV). */
export function clipboardRows(dt) {
  const html = dt.getData("text/html");
  if (html && /<table/i.test(html)) {
    const rows = htmlRows(html);
    if (rows && rows.rows.length) return rows;
  }
  const plain = dt.getData("text/plain");
  if (!plain) return null;
  const rows = E.parseTsv(plain).filter((r) => r.some((c) => c));
  return rows.length ? { rows, spans: rows.map(() => false) } : null;
}

function cellText(node) {
  let out = "";
  const walk = (n) => {
    for (const c of n.childNodes) {
      if (c.nodeType === 3) out += c.nodeValue.replace(/\s+/g, " ");
      else if (c.nodeName === "BR") out += "\n";
      else if (/^(P|DIV|LI)$/.test(c.nodeName)) {
        if (out && !out.endsWith("\n")) out += "\n";
        walk(c);
        out += "\n";
      } else walk(c);
    }
  };
  walk(node);
  return out
    .split("\n")
    .map((l) => l.trim())
    .join("\n")
    .replace(/^\n+|\n+$/g, "");
}

export function htmlRows(html) {
  const d = new DOMParser().parseFromString(html, "text/html");
  const table = d.querySelector("table");
  if (!table) return null;
  const rows = [];
  const spans = [];
  for (const tr of table.querySelectorAll("tr")) {
    const cells = Array.from(tr.children).filter((c) => /^(TD|TH)$/.test(c.nodeName));
    const texts = cells.map(cellText);
    if (!texts.some((x) => x)) continue;
    rows.push(texts);
    spans.push(cells.length === 1 && Number(cells[0].getAttribute("colspan") || 1) > 1);
  }
  return { rows, spans, html: true };
}

function looksNumber(s) {
  return /^\d+(\.\d+)*\.?$/.test(s.trim());
}

function pasteRows(tp, r, k, got) {
  const t = text();
  const d = E.parse(t);
  const table = E.getIn(d, tp);
  const cols = E.columns(table);
  const data = cols.filter((c) => !c.numbering);
  const numbered = cols.some((c) => c.numbering);
  const out = [];
  const sections = [];
  let cut = 0;
  // The table's own header copied along: not a row.
  const norm = (x) => String(x || "").replace(/\s+/g, " ").trim().toLowerCase();
  const titles = cols.map((c) => norm(c.title));
  const head = got.rows[0] ? got.rows[0].map(norm) : [];
  if (head.length && head.every((h, j) => h === titles[j] || h === titles[j + (head.length < titles.length ? 1 : 0)])) {
    got = { rows: got.rows.slice(1), spans: got.spans.slice(1) };
    if (!got.rows.length) return;
  }
  got.rows.forEach((row, i) => {
    let cells = row.slice();
    while (cells.length > data.length && !cells[cells.length - 1]) cells.pop();
    // The «№» copied too: the program numbers the rows itself.
    if (numbered && cells.length === data.length + 1 && looksNumber(cells[0])) cells.shift();
    const filled = cells.filter((c) => c).length;
    // A row with only its first cell (or one cell across the table): a section.
    if (got.spans[i] || (data.length > 1 && filled === 1 && cells[0])) {
      out.push([cells[0]]);
      sections.push(true);
      return;
    }
    const start = cells.length + k <= data.length ? k : 0;
    if (cells.length > data.length) cut++;
    const full = data.map((_, j) => (j >= start && j - start < cells.length ? cells[j - start] : ""));
    out.push(full);
    sections.push(false);
  });
  // A row with nothing in it where the cursor is takes the first pasted row.
  const here = E.tableRows(table)[r];
  const empty = here && here.section === undefined && here.cells.every((c) => !c);
  addRows(tp, r, out, false, empty, sections);
  say(
    "Вставлено строк: " + out.length + (cut ? "; в " + cut + " из них ячеек больше, чем колонок, — лишние не вставлены" : ""),
    !!cut,
  );
}

// ---- A new appendix ----

function addAppendix(name) {
  const a = APPENDICES.find((x) => x.name === name);
  if (!a) return;
  edit(
    (t, d) => {
      const root = d.contents;
      const apps = E.get(root, "приложения");
      const ids = isSeq(apps) ? apps.items.map((x) => E.str(E.get(x, "id"))) : [];
      let id = a.name;
      for (let n = 2; ids.includes(id); n++) id = a.name + "-" + n;
      let tpl = a.text.replace(/^(\s*- id: )\S+/m, "$1" + id).replace("{приложение:" + a.name + "}", "{приложение:" + id + "}");
      // The point that approves it, from its title: «Утвердить план … ({приложение:план}).»
      const tdoc = E.parse(tpl.replace(/^ {2}/gm, ""));
      const first = tdoc.contents && tdoc.contents.items && tdoc.contents.items[0];
      const title = first && E.get(first, "заголовок");
      const words = isSeq(title) ? title.items.map(E.str) : [E.str(title) || a.name];
      words[0] = words[0].toLowerCase();
      const approves = first && E.str(E.get(first, "утверждается")) !== "нет";
      const changes = [];
      const points = E.get(root, "пункты");
      if (approves && isSeq(points) && !points.flow) {
        changes.push(...E.insertItems(t, points, points.items.length - 1, "- " + E.emit("Утвердить " + words.join(" ") + " ({приложение:" + id + "}).") + "\n"));
      }
      if (isSeq(apps) && !apps.flow && apps.items.length) {
        const ins = E.insertItems(t, apps, apps.items.length - 1, E.reindent(tpl, -2));
        if (!ins) return null;
        changes.push(...ins);
      } else if (!apps) {
        const nl = t.endsWith("\n") ? "" : "\n";
        changes.push({ from: t.length, to: t.length, insert: nl + "\nприложения:\n" + tpl });
      } else return null;
      return changes;
    },
    { structural: true },
  );
}

// ---- Mounting: the switch and the panel ----

function show(on, quiet) {
  if (!ui) return;
  ui.shown = on;
  try {
    localStorage.setItem("prikaz.form", on ? "1" : "");
  } catch (e) {
    /* private mode: the choice is not kept */
  }
  ui.editorEl.style.display = on ? "none" : "";
  ui.panel.hidden = !on;
  ui.tabs[0].setAttribute("aria-selected", String(!on));
  ui.tabs[1].setAttribute("aria-selected", String(on));
  if (on) draw();
  else {
    const v = view();
    v.requestMeasure();
    if (!quiet) {
      v.dispatch({ effects: EditorView.scrollIntoView(v.state.selection.main.head, { y: "center" }) });
      v.focus();
    }
  }
}

/** Called by the editor after each change of its text. */
export function changed(update) {
  if (!ui || !ui.shown) return;
  if (update && update.transactions && update.transactions.some((tr) => tr.annotation(fromForm))) return;
  clearTimeout(ui.timer);
  ui.timer = setTimeout(() => {
    ui.timer = 0;
    draw();
  }, 150);
}

export function mount(container, editorEl) {
  if (ui) return;
  if (!document.getElementById("pf-style")) document.head.append(el("style", { id: "pf-style" }, CSS));
  const tabs = [
    el("button", { type: "button", role: "tab", class: "pf-tab", title: "Текст акта в YAML", onclick: () => show(false) }, "Текст"),
    el("button", { type: "button", role: "tab", class: "pf-tab", title: "Реквизиты, пункты и таблицы приложений как поля; правки пишутся в текст", onclick: () => show(true) }, "Форма"),
  ];
  const bar = el("div", { class: "pf-bar", role: "tablist", "aria-label": "Вид редактора" }, tabs, el("span", { class: "pf-undo" },
    button("↶ Отменить", "Отменить последнюю правку (Ctrl+Z) — и в тексте, и в форме", () => undo(view())),
    button("↷ Вернуть", "Вернуть отменённую правку (Ctrl+Y, Ctrl+Shift+Z)", () => redo(view())),
  ));
  editorEl.parentNode.insertBefore(bar, editorEl);
  const panel = container;
  panel.classList.add("pf-panel");
  panel.hidden = true;
  panel.addEventListener("keydown", (e) => {
    if (e.altKey && !e.ctrlKey && !e.metaKey) {
      const act = Object.keys(KEYS).find((k) => KEYS[k] === e.key);
      const row = act && e.target.closest && (e.target.closest(".pf-row") || e.target.closest("tr"));
      const b = row && row.querySelector('[data-act="' + act + '"]:not(.pf-off)');
      if (b) {
        e.preventDefault();
        b.click();
      }
      return;
    }
    if (!(e.ctrlKey || e.metaKey)) return;
    const k = e.key.toLowerCase();
    if ((k === "z" || k === "я") && !e.shiftKey) {
      e.preventDefault();
      undo(view());
    } else if (k === "y" || k === "н" || ((k === "z" || k === "я") && e.shiftKey)) {
      e.preventDefault();
      redo(view());
    }
  });
  ui = { bar, panel, editorEl, tabs, shown: false, timer: 0 };
  let form = false;
  try {
    form = localStorage.getItem("prikaz.form") === "1";
  } catch (e) {
    /* no storage: the text first */
  }
  show(form, true);
}

/** For the tests: the form as a clerk fills it. */
export const test = {
  show,
  draw,
  exercise,
  /** No drawing of the form is pending (after a change made in the text). */
  settled: () => !ui.timer,
  /** Type `value` into the field with data-focus `key`, as a clerk would. */
  type(key, value) {
    const f = ui.panel.querySelector('[data-focus="' + CSS_escape(key) + '"]');
    if (!f) return false;
    f.focus();
    f.value = value;
    f.dispatchEvent(new Event(f.tagName === "SELECT" || f.type === "date" ? "change" : "input", { bubbles: true }));
    return true;
  },
  /**
   * Load `t` into the editor and the form; the text then (the form must not
   * change it), and, when the form shows requisite `key`, the text after
   * typing `value` into it and whether it reads back as `value`.
   */
  roundTrip(t, key, value) {
    window.prikaz.editor.setText(t);
    let ms = performance.now();
    show(true);
    const drawMs = performance.now() - ms;
    const back = text();
    const drawn = ui.panel.querySelectorAll("[data-focus]").length;
    const f = ui.panel.querySelector('[data-focus="req:' + key + '"]');
    if (!f || f.tagName !== "TEXTAREA") return { back, drawn, act: false };
    ms = performance.now();
    test.type("req:" + key, value);
    const typeMs = performance.now() - ms;
    const changed = text();
    const d = E.parse(changed);
    return { back, drawn, act: true, changed, reads: E.str(E.getIn(d, [key])) === value && !d.errors.length, drawMs, typeMs };
  },
  /** Paste into the cell with data-focus `key` a clipboard of `type` holding `data`. */
  paste(key, type, data) {
    const f = ui.panel.querySelector('[data-focus="' + CSS_escape(key) + '"]');
    if (!f) return false;
    f.focus();
    const dt = new DataTransfer();
    dt.setData(type, data);
    f.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    return true;
  },
};
