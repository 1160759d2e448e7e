// Entry point of the vendored editor bundle (assets/editor.js): CodeMirror 6
// with YAML highlighting, line numbers and diagnostics, exposed to the page
// as window.PrikazEditor. How it is built: BUILD.md beside this file.
import { EditorView, basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { Prec } from "@codemirror/state";
import * as form from "./form.mjs";
import { yaml } from "@codemirror/lang-yaml";
import { setDiagnostics, lintGutter } from "@codemirror/lint";
import { indentUnit, syntaxTree } from "@codemirror/language";

const russian = EditorState.phrases.of({
  "Find": "Найти",
  "Replace": "Заменить",
  "next": "далее",
  "previous": "назад",
  "all": "все",
  "match case": "с учётом регистра",
  "by word": "слово целиком",
  "regexp": "рег. выражение",
  "replace": "заменить",
  "replace all": "заменить все",
  "close": "закрыть",
  "Go to line": "Перейти к строке",
  "go": "перейти",
  "Diagnostics": "Проблемы",
  "No diagnostics": "Проблем нет",
  "Folded lines": "Свёрнутые строки",
  "Unfolded lines": "Развёрнутые строки",
  "Fold line": "Свернуть",
  "Unfold line": "Развернуть",
  "Selection deleted": "Выделение удалено",
  "Completions": "Варианты",
});

/**
 * Enter after a line ending in «ключ:» (no value) goes two spaces deeper than
 * that key; after «- ключ: значение» it keeps the item's inner indentation,
 * so the clerk can go on typing the item's fields. Anything else: as usual.
 */
function yamlEnter(view) {
  const { state } = view;
  const sel = state.selection.main;
  if (!sel.empty || state.selection.ranges.length > 1) return false;
  const line = state.doc.lineAt(sel.head);
  const before = line.text.slice(0, sel.head - line.from);
  if (line.text.slice(sel.head - line.from).trim()) return false;
  // Not inside a block text («>-», «|») or a quoted one, where «:» is a letter.
  for (let n = syntaxTree(state).resolveInner(sel.head, -1); n; n = n.parent) {
    if (/BlockLiteral|QuotedLiteral|Comment/.test(n.name)) return false;
  }
  // Without a comment at the end (a «#» after a space).
  const code = before.replace(/\s+#.*$/, "").trimEnd();
  if (!code || code.trimStart().startsWith("#")) return false;
  let indent = null;
  let m = code.match(/^(\s*)((?:- +)*)([^\s#'"\[{-][^#]*?):$/);
  if (m) indent = m[1].length + m[2].length + 2;
  else if ((m = code.match(/^(\s*)((?:- +)+)[^\s#'"\[{][^:#]*?:\s+\S/))) indent = m[1].length + m[2].length;
  if (indent === null) return false;
  const insert = "\n" + " ".repeat(indent);
  view.dispatch(
    state.update({
      changes: { from: sel.head, to: sel.head, insert },
      selection: { anchor: sel.head + insert.length },
      scrollIntoView: true,
      userEvent: "input",
    }),
  );
  return true;
}

/**
 * An editor in `parent` holding `text`; `onChange(text)` after each edit.
 * `complete(text, pos, explicit)`, when given, offers completions at `pos`:
 * `{from, options: [{label, detail, info, apply}]}` or null.
 */
function create(parent, text, onChange, complete) {
  // One source object for the editor's life: CodeMirror tells its sources
  // apart by identity, and a new one each time would be asked again forever.
  const source = complete
    ? [
        {
          autocomplete: (ctx) => {
            const r = complete(ctx.state.doc.toString(), ctx.pos, ctx.explicit);
            return r ? { ...r, validFor: /^[\p{L}\p{N}_]*$/u } : null;
          },
        },
      ]
    : null;
  const completion = source ? [EditorState.languageData.of(() => source)] : [];
  const extensions = [
    ...completion,
    Prec.high(keymap.of([{ key: "Enter", run: yamlEnter }])),
    basicSetup,
    keymap.of([indentWithTab]),
    indentUnit.of("  "),
    yaml(),
    lintGutter(),
    russian,
    EditorView.lineWrapping,
    EditorView.updateListener.of((u) => {
      if (u.docChanged) {
        onChange(u.state.doc.toString());
        form.changed(u);
      }
    }),
  ];
  const view = new EditorView({ parent, state: EditorState.create({ doc: text, extensions }) });
  return {
    view,
    text: () => view.state.doc.toString(),
    /** Replace the whole text (another act opened). */
    setText(t) {
      view.setState(EditorState.create({ doc: t, extensions }));
      form.changed(null);
    },
    /**
     * Show problems: [{line, col, severity: "error"|"warning", message}],
     * lines and columns 1-based, columns in characters.
     */
    show(list) {
      const doc = view.state.doc;
      const out = [];
      for (const d of list) {
        if (!d.line || d.line > doc.lines) continue;
        const line = doc.line(d.line);
        const from = Math.min(line.from + Math.max(0, (d.col || 1) - 1), line.to);
        // To the end of the word or value that starts there.
        const rest = doc.sliceString(from, line.to);
        const len = Math.max(1, (rest.match(/^[^\s,:\]}]+/) || [""])[0].length);
        out.push({ from, to: Math.min(from + len, line.to) || from, severity: d.severity, message: d.message });
      }
      view.dispatch(setDiagnostics(view.state, out));
    },
  };
}

window.PrikazEditor = { create };
// The form view («Текст | Форма»): mounted by the page (app.js) on its editor.
window.PrikazForm = { mount: form.mount, test: form.test };
