// The page of `prikaz serve`: the act's YAML on the left (window.PrikazEditor,
// the vendored CodeMirror bundle), its pages on the right, redrawn shortly
// after typing stops. Talks only to the server that sent it (see serve/mod.rs).
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  /** Pause after the last key before the pages are redrawn, ms. */
  const PAUSE = 300;
  const state = {
    path: "",
    hash: "", // content hash of the file on disk as loaded or saved
    saved: "", // the text as loaded or saved
    asked: 0, // number of the last render asked for
    shown: 0, // number of the render whose pages are shown
    timer: 0,
    pages: [], // keys of the pages shown
  };
  /** The act's schema (`prikaz schema`), once loaded: what completion offers. */
  let schema = null;
  const editor = window.PrikazEditor.create($("editor"), "", onEdit, (text, pos, explicit) =>
    schema ? complete(schema, text, pos, explicit) : null
  );
  fetch("/api/schema")
    .then((r) => (r.ok ? r.json() : null))
    .then((s) => {
      schema = s;
    })
    .catch(() => {});

  // ---- Completion of field names and values from the act's schema ----

  /** The schemas `s` may be: references followed, alternatives spread. */
  function alternatives(s, seen) {
    seen = seen || 0;
    if (!s || typeof s !== "object" || seen > 20) return [];
    if (s.$ref) {
      const name = s.$ref.replace("#/definitions/", "");
      return alternatives(schema.definitions[name], seen + 1);
    }
    const more = [].concat(s.anyOf || [], s.oneOf || [], s.allOf || []);
    // A schema with fields of its own is one of them («акт»: its fields, and
    // alternatives that only say which are required).
    const own = s.properties || s.items || s.enum || s.additionalProperties || !more.length;
    return (own ? [s] : []).concat(more.flatMap((x) => alternatives(x, seen + 1)));
  }

  /** The schemas at `path` (keys, and "[]" for an item of a list). */
  function schemasAt(root, path) {
    let here = [root];
    for (const seg of path) {
      const next = [];
      for (const s of here.flatMap((x) => alternatives(x))) {
        if (seg === "[]") {
          if (s.items) next.push(s.items);
        } else if (s.properties && s.properties[seg]) {
          next.push(s.properties[seg]);
        } else if (s.additionalProperties && typeof s.additionalProperties === "object") {
          next.push(s.additionalProperties);
        }
      }
      here = next;
    }
    return here;
  }

  /**
   * Where the line starting at `lineStart` stands: the keys of the mappings
   * and the list items above it, found by indentation, as in YAML.
   */
  function pathAbove(lines, index, column) {
    const path = [];
    let need = column;
    for (let i = index - 1; i >= 0 && need > 0; i--) {
      const line = lines[i];
      const content = line.trim();
      if (!content || content.startsWith("#")) continue;
      const indent = line.length - line.trimStart().length;
      if (indent >= need) continue;
      if (content.startsWith("- ") || content === "-") {
        const inner = content.slice(2);
        const key = inner.match(/^([^:#\s][^:#]*):(\s|$)/);
        // A key of the item's mapping deeper than its first key is inside it.
        if (key && need > indent + 2) path.unshift(key[1].trim());
        path.unshift("[]");
      } else {
        const key = content.match(/^([^:#\s][^:#]*):(\s|$)/);
        if (!key) return null; // inside a text: nothing to offer
        path.unshift(key[1].trim());
      }
      need = indent;
    }
    return path;
  }

  function complete(root, text, pos, explicit) {
    const lineStart = text.lastIndexOf("\n", pos - 1) + 1;
    const lines = text.slice(0, lineStart).split("\n");
    lines.pop();
    const cur = text.slice(lineStart, pos);
    const index = lines.length;
    // A key being typed: indentation, maybe «- », letters, no colon yet.
    let m = cur.match(/^(\s*)(- )?([\p{L}\p{N}_]*)$/u);
    if (m) {
      if (!m[3] && !explicit) return null;
      const column = m[1].length;
      const path = pathAbove(lines, index, column);
      if (!path) return null;
      if (m[2]) path.push("[]");
      const objects = schemasAt(root, path).flatMap((x) => alternatives(x));
      const options = [];
      const given = new Set();
      for (const o of objects) {
        for (const [key, field] of Object.entries(o.properties || {})) {
          if (given.has(key)) continue;
          given.add(key);
          options.push({
            label: key,
            detail: (o.required || []).includes(key) ? "обязательное" : "",
            info: field.description || "",
            apply: key + ": ",
            type: "property",
          });
        }
      }
      return options.length ? { from: pos - m[3].length, options } : null;
    }
    // A value being typed after «ключ: ».
    m = cur.match(/^(\s*)(- )?([^\s:#][^:#]*):\s+([\p{L}\p{N}_]*)$/u);
    if (m) {
      const path = pathAbove(lines, index, m[1].length);
      if (!path) return null;
      if (m[2]) path.push("[]");
      path.push(m[3].trim());
      const words = [];
      for (const s of schemasAt(root, path).flatMap((x) => alternatives(x))) {
        for (const v of s.enum || []) {
          if (typeof v === "string" && !words.includes(v)) words.push(v);
        }
      }
      // Yes and no: the two words a clerk writes.
      const shown = words.includes("да") ? ["да", "нет"] : words;
      if (!shown.length || (!m[4] && !explicit && shown.length > 12)) return null;
      return {
        from: pos - m[4].length,
        options: shown.map((w) => ({ label: w, type: "enum" })),
      };
    }
    return null;
  }
  // For the end-to-end test and for the curious: the editor and the state.
  window.prikaz = {
    editor,
    state,
    /** What completion offers at `pos` of `text` (null before the schema came). */
    complete: (text, pos) => (schema ? complete(schema, text, pos, true) : null),
  };

  function say(text, isError) {
    $("status").textContent = text;
    $("status").classList.toggle("error", !!isError);
  }

  function q(path) {
    return "?path=" + encodeURIComponent(path);
  }

  async function answer(resp) {
    let body = {};
    try {
      body = await resp.json();
    } catch (e) {
      body = { error: "сервер prikaz ответил не так, как ожидалось" };
    }
    return body;
  }

  function markDirty() {
    const dirty = editor.text() !== state.saved;
    $("save").classList.toggle("dirty", dirty);
    document.title = (dirty ? "● " : "") + state.path + " — prikaz";
  }

  function onEdit() {
    markDirty();
    clearTimeout(state.timer);
    state.timer = setTimeout(render, PAUSE);
  }

  async function render() {
    const n = ++state.asked;
    const text = editor.text();
    let body;
    try {
      // Pages already shown come back without their pictures.
      const have = "&have=" + state.pages.join(",");
      const resp = await fetch("/api/render" + q(state.path) + have, { method: "POST", body: text });
      body = await answer(resp);
      if (!resp.ok) throw new Error(body.error);
    } catch (e) {
      if (n === state.asked) say("не удалось обновить страницы: " + e.message, true);
      return;
    }
    // An answer to an older text than one already shown is dropped.
    if (n < state.shown) return;
    state.shown = n;
    showProblems(body.diagnostics || []);
    if (body.ok) {
      showPages(body.pages);
      $("stale").hidden = true;
      const errors = (body.diagnostics || []).length;
      say("страницы обновлены за " + body.ms + " мс" + (errors ? "; предупреждений: " + errors : ""));
    } else {
      $("stale").hidden = state.pages.length === 0;
      const errs = body.diagnostics.filter((d) => d.severity === "error").length;
      say("ошибок: " + errs + " — страницы не обновлены", true);
    }
  }

  function showProblems(list) {
    editor.show(
      list
        .filter((d) => d.here && d.pos)
        .map((d) => ({ line: d.pos.line, col: d.pos.col, severity: d.severity, message: d.message })),
    );
    const box = $("problems");
    box.textContent = "";
    for (const d of list) {
      const item = document.createElement("div");
      item.className = "problem " + d.severity;
      const line = d.pos && d.pos.line, col = d.pos && d.pos.col;
      if (d.here && line) item.dataset.line = line;
      const place = document.createElement("span");
      place.className = "place";
      let where = d.here ? "" : (d.file || "") + (line ? ", " : "");
      if (line) where += "строка " + line + (col ? ", столбец " + col : "");
      place.textContent = where ? where + ":" : "";
      const what = document.createElement("span");
      what.className = "what";
      what.textContent = (d.severity === "error" ? "ошибка" : "предупреждение") + " [" + d.code + "]: " + d.message;
      item.append(place, what);
      if (d.hint) {
        const hint = document.createElement("span");
        hint.className = "hint";
        hint.textContent = "подсказка: " + d.hint;
        item.append(hint);
      }
      if (d.here && line) item.addEventListener("click", () => goTo(line, col));
      box.append(item);
    }
  }

  function goTo(line, col) {
    const v = editor.view;
    const l = v.state.doc.line(Math.min(line, v.state.doc.lines));
    const at = Math.min(l.from + Math.max(0, (col || 1) - 1), l.to);
    v.dispatch({ selection: { anchor: at }, scrollIntoView: true });
    v.focus();
  }

  /** Pages in place of those shown: a page whose layout did not change keeps
   * its element, so the scroll position and the picture stay put. The server
   * sends no picture for a page the page already shows (by its key). */
  function showPages(pages) {
    const box = $("pages");
    const old = Array.from(box.children);
    const byKey = new Map(old.map((el) => [el.dataset.key, el]));
    const used = new Set();
    const els = [];
    for (const p of pages) {
      let el = byKey.get(p.key);
      if (el && used.has(el)) el = el.cloneNode(true); // the same page twice
      if (!el && p.svg === null) {
        // Shown when the request left, gone since: ask again for all.
        state.pages = [];
        render();
        return;
      }
      if (!el) el = pageElement(p);
      used.add(el);
      els.push(el);
    }
    for (const el of old) {
      if (used.has(el)) continue;
      const img = el.querySelector("img");
      if (img && !els.some((e) => e.querySelector("img").src === img.src)) URL.revokeObjectURL(img.src);
      el.remove();
    }
    els.forEach((el, i) => {
      if (box.children[i] !== el) box.insertBefore(el, box.children[i] || null);
    });
    state.pages = pages.map((p) => p.key);
    scale();
  }

  function pageElement(p) {
    const el = document.createElement("div");
    el.className = "page";
    el.dataset.key = p.key;
    el.dataset.width = p.width;
    el.style.aspectRatio = p.width + " / " + p.height;
    const img = document.createElement("img");
    img.alt = "";
    img.src = URL.createObjectURL(new Blob([p.svg], { type: "image/svg+xml" }));
    const layer = document.createElement("div");
    layer.className = "text";
    for (const t of p.text) {
      const s = document.createElement("span");
      s.textContent = t.text;
      s.style.left = "calc(var(--s) * " + t.x + "px)";
      s.style.top = "calc(var(--s) * " + (t.y - t.size * 0.8) + "px)";
      s.style.fontSize = "calc(var(--s) * " + t.size + "px)";
      layer.append(s);
    }
    el.append(img, layer);
    return el;
  }

  /** Points → pixels of each page as it is shown now. */
  function scale() {
    for (const el of $("pages").children) {
      el.style.setProperty("--s", el.clientWidth / Number(el.dataset.width));
    }
  }
  window.addEventListener("resize", scale);

  async function open(path) {
    const resp = await fetch("/api/file" + q(path));
    const body = await answer(resp);
    if (!resp.ok) {
      say(body.error, true);
      return;
    }
    state.path = body.path;
    state.hash = body.hash;
    state.saved = body.text;
    state.pages = [];
    $("pages").textContent = "";
    editor.setText(body.text);
    $("acts").value = body.path;
    markDirty();
    say("открыт " + body.path + (body.note ? " (" + body.note + ")" : ""));
    await render();
  }

  async function save() {
    const text = editor.text();
    const resp = await fetch("/api/file" + q(state.path), {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text, hash: state.hash }),
    });
    const body = await answer(resp);
    if (!resp.ok) {
      say(body.error, true);
      return;
    }
    state.hash = body.hash;
    state.saved = text;
    markDirty();
    say("сохранено: " + state.path);
  }

  async function download(format) {
    say("формирую " + format.toUpperCase() + " …");
    const resp = await fetch("/api/download" + q(state.path) + "&format=" + format, {
      method: "POST",
      body: editor.text(),
    });
    if (!resp.ok) {
      say((await answer(resp)).error, true);
      return;
    }
    const cd = resp.headers.get("Content-Disposition") || "";
    const m = cd.match(/filename\*=UTF-8''([^;]+)/);
    const name = m ? decodeURIComponent(m[1]) : "акт." + format;
    const url = URL.createObjectURL(await resp.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    say("скачан " + name);
  }

  $("save").addEventListener("click", save);
  $("pdf").addEventListener("click", () => download("pdf"));
  $("docx").addEventListener("click", () => download("docx"));
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && (e.key === "s" || e.key === "ы")) {
      e.preventDefault();
      save();
    }
  });
  $("acts").addEventListener("change", (e) => {
    if (editor.text() !== state.saved && !confirm("В «" + state.path + "» есть несохранённые правки. Открыть другой акт без них?")) {
      e.target.value = state.path;
      return;
    }
    open(e.target.value);
  });
  window.addEventListener("beforeunload", (e) => {
    if (editor.text() !== state.saved) e.preventDefault();
  });

  (async function start() {
    const resp = await fetch("/api/acts");
    const body = await answer(resp);
    if (!resp.ok) {
      say(body.error, true);
      return;
    }
    for (const a of body.acts) {
      const o = document.createElement("option");
      o.value = a;
      o.textContent = a;
      $("acts").append(o);
    }
    if (!body.start) {
      say("в папке " + body.folder + " нет YAML-файлов актов", true);
      return;
    }
    await open(body.start);
  })();
})();

// ---- The form view «Текст | Форма» (src/serve/editor/form.mjs in the
// editor bundle): the switch above the editor and the form in #form-view,
// editing the same text through window.prikaz.editor.view. ----
if (window.PrikazForm && document.getElementById("form-view")) {
  window.PrikazForm.mount(document.getElementById("form-view"), document.getElementById("editor"));
}
