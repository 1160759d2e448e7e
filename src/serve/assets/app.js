// The page of `prikaz serve`: the act's YAML on the left (window.PrikazEditor,
// the vendored CodeMirror bundle), its pages on the right, redrawn shortly
// after typing stops. Talks only to the server that sent it (see serve/mod.rs).
// Also: the first-use form (the folder's profile), «Новый акт», «Печать», the
// help panel, completion that knows what the act already has, and a click
// on the pages that finds the YAML line the text came from.
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
      window.prikaz.schema = s;
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

  /**
   * The keys of the mapping whose keys stand at `column`, around line
   * `index` (not counting that line): the lines above and below at that
   * indentation, up to where the mapping ends; a list item «- ключ:» two
   * columns to the left begins it.
   */
  function presentKeys(text, index, column) {
    const lines = text.split("\n");
    const keys = new Set();
    const keyOf = (s) => {
      const k = s.match(/^([^:#\s-][^:#]*):(\s|$)/);
      return k ? k[1].trim() : null;
    };
    for (const step of [-1, 1]) {
      for (let i = index + step; i >= 0 && i < lines.length; i += step) {
        const line = lines[i];
        const content = line.trim();
        if (!content || content.startsWith("#")) continue;
        const indent = line.length - line.trimStart().length;
        if (indent > column) continue;
        if (indent === column) {
          if (content.startsWith("-")) break; // a list at this column: another structure
          const k = keyOf(content);
          if (k) keys.add(k);
          continue;
        }
        // The item this mapping belongs to: its first key is one of them.
        if (step < 0 && indent + 2 === column && content.startsWith("- ")) {
          const k = keyOf(content.slice(2));
          if (k) keys.add(k);
        }
        break;
      }
    }
    return keys;
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
      // Keys the mapping already has are not offered again (a duplicate key
      // is an error); a new list item («- ») starts a new mapping.
      const given = m[2] ? new Set() : presentKeys(text, index, column);
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
      // The signatory: one of the profile's, by the name the profile gives.
      if (path.length === 1 && path[0] === "подписант") {
        const named = (window.prikaz.file && window.prikaz.file.signatories) || [];
        if (!named.length) return null;
        return {
          from: pos - m[4].length,
          options: named.map((x) => ({
            label: x["ключ"],
            detail: x["имя"],
            info: [x["должность"], x["имя"]].filter(Boolean).join(" — ") + " (из профиля)",
            type: "enum",
          })),
        };
      }
      // The profile: one of the folder's, named from the act's folder.
      if (path.length === 1 && path[0] === "профиль") {
        const up = "../".repeat((state.path.match(/\//g) || []).length);
        const named = (state.profiles || []).map((p) => up + p);
        return named.length ? { from: pos - m[4].length, options: named.map((p) => ({ label: p, type: "enum" })) } : null;
      }
      const words = [];
      const about = new Map();
      for (const s of schemasAt(root, path).flatMap((x) => alternatives(x))) {
        (s.enum || []).forEach((v, i) => {
          if (typeof v !== "string") return;
          if (!words.includes(v)) words.push(v);
          const said = (s.enumDescriptions || [])[i];
          if (said && !about.has(v)) about.set(v, said);
        });
      }
      // Yes and no: the two words a clerk writes.
      const shown = words.includes("да") ? ["да", "нет"] : words;
      if (!shown.length || (!m[4] && !explicit && shown.length > 12)) return null;
      return {
        from: pos - m[4].length,
        options: shown.map((w) => ({ label: w, info: about.get(w) || "", type: "enum" })),
      };
    }
    return null;
  }
  // For the end-to-end test and for the curious: the editor and the state.
  window.prikaz = {
    editor,
    state,
    /** The last answer of /api/file (path, text, hash, signatories). */
    file: null,
    /** The act's JSON schema, once loaded. */
    schema: null,
    /** What completion offers at `pos` of `text` (null before the schema came). */
    complete: (text, pos) => (schema ? complete(schema, text, pos, true) : null),
  };

  /** Milliseconds as a clerk reads them: «0,07 с», «1,2 с». */
  function seconds(ms) {
    const s = ms / 1000;
    const digits = s < 0.995 ? 2 : s < 9.95 ? 1 : 0;
    return s.toFixed(digits).replace(".", ",") + " с";
  }

  /** «1 ошибка», «3 ошибки», «5 ошибок». */
  function count(n, one, few, many) {
    const d = n % 10, h = n % 100;
    const word = d === 1 && h !== 11 ? one : d >= 2 && d <= 4 && (h < 12 || h > 14) ? few : many;
    return n + " " + word;
  }

  function say(text, isError) {
    $("status").textContent = text;
    $("status").classList.toggle("error", !!isError);
  }

  function q(path) {
    return "?path=" + encodeURIComponent(path);
  }

  /** fetch, with the server gone told in Russian (as a 503 answer). */
  async function ask(url, options) {
    try {
      return await fetch(url, options);
    } catch (e) {
      const said = JSON.stringify({ error: "prikaz serve не отвечает: окно команд с ним закрыто? Запустите его снова — набранный текст пока здесь" });
      return new Response(said, { status: 503, headers: { "Content-Type": "application/json" } });
    }
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
    if (!state.path) {
      say("акт ещё не создан: нажмите «Новый акт»", true);
      return;
    }
    const n = ++state.asked;
    const text = editor.text();
    let body;
    try {
      // Pages already shown come back without their pictures.
      const have = "&have=" + state.pages.join(",");
      const resp = await ask("/api/render" + q(state.path) + have, { method: "POST", body: text });
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
      const warnings = (body.diagnostics || []).length;
      say(
        "страницы обновлены за " + seconds(body.ms) +
          (warnings ? "; " + count(warnings, "предупреждение", "предупреждения", "предупреждений") : "") +
          (state.note ? " — " + state.note : ""),
      );
      state.note = "";
    } else {
      $("stale").hidden = state.pages.length === 0;
      const errs = body.diagnostics.filter((d) => d.severity === "error").length;
      say(count(errs, "ошибка", "ошибки", "ошибок") + " — страницы не обновлены", true);
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
      what.textContent = (d.severity === "error" ? "ошибка" : "предупреждение") + ": " + d.message;
      // The code, for whoever asks (prikaz check --explain КОД).
      if (d.code) item.title = "код " + d.code + " — подробнее: prikaz check --explain " + d.code;
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
      s.dataset.y = t.y;
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

  /** Where the chosen act is remembered across reloads, per folder. */
  const remembered = () => "prikaz:акт:" + (state.folder || "");

  async function open(path) {
    const resp = await ask("/api/file" + q(path));
    const body = await answer(resp);
    if (!resp.ok) {
      say(body.error, true);
      return false;
    }
    window.prikaz.file = body;
    state.path = body.path;
    state.hash = body.hash;
    state.saved = body.text;
    state.pages = [];
    $("pages").textContent = "";
    editor.setText(body.text);
    $("acts").value = body.path;
    try {
      localStorage.setItem(remembered(), body.path);
    } catch (e) {
      /* private mode: not remembered */
    }
    markDirty();
    say("открыт " + body.path + (body.note ? " (" + body.note + ")" : ""));
    await render();
    return true;
  }

  async function save() {
    if (!state.path) {
      openNew();
      return;
    }
    const text = editor.text();
    const resp = await ask("/api/file" + q(state.path), {
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
    // The act changed last now comes first in the list.
    await acts();
    $("acts").value = state.path;
  }

  /** The PDF or DOCX of the text in the editor, as a Blob and its name. */
  async function made(format) {
    const resp = await ask("/api/download" + q(state.path) + "&format=" + format, {
      method: "POST",
      body: editor.text(),
    });
    if (!resp.ok) {
      say((await answer(resp)).error, true);
      return null;
    }
    const cd = resp.headers.get("Content-Disposition") || "";
    const m = cd.match(/filename\*=UTF-8''([^;]+)/);
    const name = m ? decodeURIComponent(m[1]) : "акт." + format;
    return { blob: await resp.blob(), name };
  }

  async function download(format) {
    if (!state.path) return openNew();
    say("формирую " + format.toUpperCase() + " …");
    const file = await made(format);
    if (!file) return;
    const url = URL.createObjectURL(file.blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = file.name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    say("скачан " + file.name);
  }

  /** «Печать»: the PDF of the text in the editor, in the browser's print
   * dialog (a hidden frame holds it). */
  async function print() {
    if (!state.path) return openNew();
    say("готовлю PDF для печати …");
    const file = await made("pdf");
    if (!file) return;
    const old = $("print-frame");
    if (old) {
      URL.revokeObjectURL(old.src);
      old.remove();
    }
    const frame = document.createElement("iframe");
    frame.id = "print-frame";
    frame.title = "PDF для печати";
    // Not display:none: Chromium's PDF viewer does not start in a frame
    // that is not drawn, and would print a blank page.
    frame.className = "offscreen";
    frame.setAttribute("aria-hidden", "true");
    frame.src = URL.createObjectURL(new Blob([file.blob], { type: "application/pdf" }));
    frame.addEventListener("load", () => {
      try {
        frame.contentWindow.focus();
        frame.contentWindow.print();
        say("PDF отправлен в окно печати: " + file.name);
      } catch (e) {
        window.open(frame.src, "_blank");
        say("PDF открыт в новой вкладке: напечатайте его оттуда (Ctrl+P)");
      }
      window.prikaz.printed = file.name;
    });
    document.body.append(frame);
  }

  // ---- The act list: by last change, grouped by folder ----

  /** Fill the picker from /api/acts: folders in the order of their latest
   * act, acts in each by last change. */
  function listActs(body) {
    const box = $("acts");
    box.textContent = "";
    const groups = new Map();
    for (const it of body.items || []) {
      if (!groups.has(it.folder)) groups.set(it.folder, []);
      groups.get(it.folder).push(it);
    }
    const when = (secs) =>
      new Date(secs * 1000).toLocaleString("ru-RU", { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
    for (const [folder, items] of groups) {
      const g = document.createElement("optgroup");
      g.label = folder ? "папка " + folder : "основная папка";
      for (const it of items) {
        const o = document.createElement("option");
        o.value = it.path;
        o.textContent = it.path.slice(folder ? folder.length + 1 : 0);
        o.title = it.path + ", изменён " + when(it.changed);
        g.append(o);
      }
      box.append(g);
    }
    box.disabled = !(body.items || []).length;
    const folders = $("new-folders");
    folders.textContent = "";
    for (const f of groups.keys()) {
      if (!f) continue;
      const o = document.createElement("option");
      o.value = f;
      folders.append(o);
    }
  }

  async function acts() {
    const resp = await ask("/api/acts");
    const body = await answer(resp);
    if (!resp.ok) {
      say(body.error, true);
      return null;
    }
    state.folder = body.folder;
    state.profiles = body.profiles || [];
    state.version = body.version;
    listActs(body);
    return body;
  }

  // ---- «Новый акт» ----

  function today() {
    const d = new Date();
    const two = (n) => String(n).padStart(2, "0");
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  /** The suggested name: «приказ-2026-12-02.yaml», then «…-2», «…-3». */
  function suggestName() {
    const kind = $("new-kind").value;
    const folder = $("new-folder").value.trim().replace(/\/+$/, "");
    const taken = new Set(Array.from($("acts").options).map((o) => o.value));
    for (let n = 1; ; n++) {
      const name = kind + "-" + today() + (n > 1 ? "-" + n : "") + ".yaml";
      if (!taken.has(folder ? folder + "/" + name : name)) return name;
    }
  }

  function openNew() {
    if (editor.text() !== state.saved && state.path && !confirm("В «" + state.path + "» есть несохранённые правки. Создать новый акт без них?")) {
      return;
    }
    $("new-error").textContent = "";
    $("new-name").dataset.typed = "";
    $("new-name").value = suggestName();
    $("new-with").disabled = standalone();
    const choice = $("new-profile-choice");
    choice.textContent = "";
    for (const p of state.profiles || []) {
      const o = document.createElement("option");
      o.value = p;
      o.textContent = p;
      choice.append(o);
    }
    $("new-profile-label").hidden = (state.profiles || []).length < 2;
    $("new-profile").textContent = state.profiles && state.profiles.length
      ? "Орган, подписант и исполнитель возьмутся из профиля организации."
      : "В папке нет профиля организации: орган, подписант и исполнитель будут в самом акте.";
    $("new-to-profile").hidden = !!(state.profiles && state.profiles.length);
    $("new-dialog").showModal();
  }

  /** A Положение that stands alone takes none of the starters' appendices: they
   * come with an order's point «Утвердить …». */
  function standalone() {
    return $("new-kind").value === "положение";
  }
  for (const id of ["new-kind", "new-folder"]) {
    $(id).addEventListener("input", () => {
      if (!$("new-name").dataset.typed) $("new-name").value = suggestName();
      $("new-with").disabled = standalone();
    });
  }
  $("new-name").addEventListener("input", () => {
    $("new-name").dataset.typed = "1";
  });

  $("new-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const with_ = Array.from(document.querySelectorAll("#new-form input[name=с]:checked:enabled")).map((x) => x.value);
    const resp = await ask("/api/new", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        "вид": $("new-kind").value,
        "с": with_,
        "имя": $("new-name").value,
        "папка": $("new-folder").value,
        "профиль": $("new-profile-choice").value || undefined,
      }),
    });
    const body = await answer(resp);
    if (!resp.ok) {
      $("new-error").textContent = body.error;
      return;
    }
    $("new-dialog").close();
    state.saved = editor.text(); // the old act's edits were given up above
    await acts();
    state.note = "создан " + body.path + (standalone()
      ? ": заполните дату утверждения, заголовок и пункты"
      : ": заполните дату, номер, заголовок и пункты");
    await open(body.path);
  });
  $("new-cancel").addEventListener("click", () => $("new-dialog").close());
  $("new-to-profile").addEventListener("click", () => {
    $("new-dialog").close();
    openProfile();
  });
  // Closed (Escape) before there is any act: say what to do next.
  for (const id of ["new-dialog", "profile-dialog"]) {
    $(id).addEventListener("close", () => {
      if (!state.path && !$("new-dialog").open && !$("profile-dialog").open) {
        say("акта пока нет: нажмите «Новый акт»");
      }
    });
  }

  // ---- First use: the folder's profile ----

  function openProfile() {
    $("profile-error").textContent = "";
    $("profile-skip").hidden = !$("acts").options.length;
    $("profile-dialog").showModal();
  }

  $("profile-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = (id) => $(id).value;
    const lines = (id) => v(id).split("\n").map((l) => l.trim()).filter(Boolean);
    const resp = await ask("/api/profile", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        "имя": v("profile-name"),
        "организация": lines("profile-org"),
        "в_родительном": v("profile-genitive"),
        "должность": lines("profile-position"),
        "руководитель": v("profile-head"),
        "исполнитель": v("profile-executor"),
        "телефон": v("profile-phone"),
      }),
    });
    const body = await answer(resp);
    if (!resp.ok) {
      $("profile-error").textContent = body.error;
      return;
    }
    $("profile-dialog").close();
    await acts();
    say("профиль записан: " + body.path);
    openNew();
  });
  $("profile-skip").addEventListener("click", () => $("profile-dialog").close());

  // ---- «Справка» ----

  /** The little Markdown of the help texts: paragraphs, numbered lists,
   * **bold**, `code` and fenced blocks. */
  function markdown(text, into) {
    const inline = (line, el) => {
      for (const part of line.split(/(\*\*[^*]+\*\*|`[^`]+`)/)) {
        if (!part) continue;
        let node;
        if (part.startsWith("**")) {
          node = document.createElement("strong");
          node.textContent = part.slice(2, -2);
        } else if (part.startsWith("`")) {
          node = document.createElement("code");
          node.textContent = part.slice(1, -1);
        } else {
          node = document.createTextNode(part);
        }
        el.append(node);
      }
    };
    const lines = text.split("\n");
    let para = null;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const fence = line.match(/^(\s*)```/);
      if (fence) {
        const pre = document.createElement("pre");
        const body = [];
        for (i++; i < lines.length && !lines[i].trim().startsWith("```"); i++) {
          body.push(lines[i].slice(fence[1].length));
        }
        pre.textContent = body.join("\n");
        (para && para.tagName === "LI" ? para : into).append(pre);
        if (!para || para.tagName !== "LI") para = null;
        continue;
      }
      if (!line.trim()) {
        if (para && para.tagName !== "LI") para = null;
        continue;
      }
      const item = line.match(/^(\d+)\.\s+(.*)$/);
      if (item) {
        let list = into.lastElementChild;
        if (!list || list.tagName !== "OL") {
          list = document.createElement("ol");
          into.append(list);
        }
        para = document.createElement("li");
        list.append(para);
        inline(item[2], para);
        continue;
      }
      if (para && para.tagName === "LI" && /^\s/.test(line)) {
        inline(" " + line.trim(), para);
        continue;
      }
      if (!para || para.tagName === "LI") {
        para = document.createElement("p");
        into.append(para);
      } else {
        para.append(" ");
      }
      inline(line.trim(), para);
    }
  }

  let helpLoaded = false;
  async function toggleHelp() {
    const panel = $("help");
    panel.hidden = !panel.hidden;
    $("help-button").setAttribute("aria-expanded", String(!panel.hidden));
    if (panel.hidden || helpLoaded) return;
    const resp = await ask("/api/help");
    const body = await answer(resp);
    if (!resp.ok) {
      say(body.error, true);
      return;
    }
    helpLoaded = true;
    $("help-version").textContent = "prikaz, версия " + body.version;
    markdown(body.rules, $("help-rules"));
    markdown(body.parts, $("help-parts"));
  }

  // ---- A click on the pages: the YAML line the text came from ----

  /** Text as both the pages and the YAML may write it: lower case, one
   * kind of quotes, dashes and spaces, no soft hyphens. */
  function plain(t) {
    return t
      .toLowerCase()
      .replace(/\u00ad/g, "")
      .replace(/[«»“”„"']/g, "")
      .replace(/[‐‑‒–—−]/g, "-")
      .replace(/ё/g, "е")
      .replace(/[\s\u00a0\u202f]+/g, " ")
      .trim();
  }

  /** The YAML line (1-based) that the clicked run `span` most likely came
   * from: the line holding the longest stretch of the run's printed line
   * (the runs of the page at the same height), else the most of its words. */
  function lineOfRun(span) {
    const y = Number(span.dataset.y);
    const row = Array.from(span.parentNode.children).filter((s) => Math.abs(Number(s.dataset.y) - y) < 1);
    const printed = plain(row.map((s) => s.textContent).join(" "));
    const own = plain(span.textContent);
    const lines = editor.text().split("\n").map((l) => {
      // The text of a line without its key and its comment; comments are
      // never printed.
      if (l.trim().startsWith("#")) return "";
      const body = l.replace(/\s#\s.*$/, "").replace(/^\s*(- )?([^:\s][^:]*:\s)?/, "");
      return plain(body);
    });
    // Words, and dates whole («03.05.2023»).
    const words = (t) =>
      (t.match(/\d\d\.\d\d\.\d{4}|\d{4}-\d\d-\d\d|[^\s,.;:()«»]+/g) || []).filter((w) => w.length >= 3 || /\d/.test(w));
    const want = words(printed);
    // A date printed «03.05.2023» may be written «2023-05-03».
    for (const w of want.slice()) {
      const d = w.match(/^(\d\d)\.(\d\d)\.(\d{4})$/);
      if (d) want.push(d[3] + "-" + d[2] + "-" + d[1]);
    }
    const mine = new Set(words(own));
    for (const w of Array.from(mine)) {
      const d = w.match(/^(\d\d)\.(\d\d)\.(\d{4})$/);
      if (d) mine.add(d[3] + "-" + d[2] + "-" + d[1]);
    }
    let best = 0, bestScore = 0;
    lines.forEach((l, i) => {
      if (!l) return;
      let score = 0;
      if (own.length >= 4 && l.includes(own)) score += 2 + own.length;
      if (printed.length >= 4 && l.includes(printed)) score += 4 + printed.length;
      const have = new Set(words(l));
      for (const w of want) {
        // A bare number («6.», «2») says little: half a word.
        if (have.has(w)) score += (mine.has(w) ? 2 : 1) * (/^\d{1,3}$/.test(w) ? 0.25 : 1);
      }
      // A line that says less than the printed one is a better match than
      // a long one that happens to share words.
      if (score > bestScore || (score === bestScore && score > 0 && l.length < lines[best].length)) {
        best = i;
        bestScore = score;
      }
    });
    return bestScore > 0 ? best + 1 : 0;
  }

  window.prikaz.lineOfRun = lineOfRun;

  $("pages").addEventListener("click", (e) => {
    const span = e.target.closest(".text span");
    if (!span || String(window.getSelection()).length) return;
    const line = lineOfRun(span);
    if (!line) return;
    // At the start of the text, after «- » and «ключ: ».
    const text = editor.text().split("\n")[line - 1] || "";
    const lead = text.match(/^\s*(- )?([^:#\s][^:#]*:\s+)?/)[0].length;
    goTo(line, lead + 1);
  });

  $("save").addEventListener("click", save);
  $("pdf").addEventListener("click", () => download("pdf"));
  $("docx").addEventListener("click", () => download("docx"));
  $("print").addEventListener("click", print);
  $("new").addEventListener("click", openNew);
  $("help-button").addEventListener("click", toggleHelp);
  $("help-close").addEventListener("click", toggleHelp);
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
    const body = await acts();
    if (!body) return;
    // The act named on the command line; else the one chosen last time;
    // else the one changed last.
    let first = body.explicit ? body.start : "";
    if (!first) {
      try {
        const kept = localStorage.getItem(remembered());
        if (kept && body.acts.includes(kept)) first = kept;
      } catch (e) {
        /* private mode */
      }
    }
    first = first || body.start;
    if (!state.profiles.length) {
      // First use: the organisation first, then «Новый акт».
      if (first) await open(first);
      openProfile();
      return;
    }
    if (!first) {
      say("в папке пока нет актов: создайте первый кнопкой «Новый акт»");
      openNew();
      return;
    }
    await open(first);
  })();
})();

// ---- The form view «Текст | Форма» (src/serve/editor/form.mjs in the
// editor bundle): the switch above the editor and the form in #form-view,
// editing the same text through window.prikaz.editor.view. ----
if (window.PrikazForm && document.getElementById("form-view")) {
  window.PrikazForm.mount(document.getElementById("form-view"), document.getElementById("editor"));
}
