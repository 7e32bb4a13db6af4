// The editor's page: the list of files, the form of the file open, check before save, the diff, the preview.
"use strict";

(function () {
  const { Form, idFor, el } = window.SchemaForm;
  const token = document.querySelector('meta[name="editor-token"]').content;
  const state = { document: null, data: null, form: null, registries: {}, isNew: false, text: "", liveTimer: 0, asked: 0 };
  const LIVE_CHECK_AFTER_MS = 700; // a pause in typing this long checks the change and refreshes the preview
  const $ = (id) => document.getElementById(id);

  async function call(url, body) {
    const options = body === undefined ? { headers: { "X-Editor-Token": token } }
      : { method: "POST", headers: { "Content-Type": "application/json", "X-Editor-Token": token }, body: JSON.stringify(body) };
    const response = await fetch(url, options);
    const answer = await response.json();
    return { status: response.status, answer };
  }

  function say(message, items) {
    const summary = $("summary");
    summary.replaceChildren(el("p", { text: message }));
    if (items && items.length) summary.appendChild(el("ul", {}, items));
  }

  async function loadFiles() {
    const { answer } = await call("/api/documents");
    const groups = { school: "School and contacts", glossary: "Glossary", sources: "Sources the guides follow", site: "How the sites look", policy: "Policies", guide: "Guides", shared: "Steps shared by guides", page: "Pages" };
    const list = $("file-list");
    list.replaceChildren();
    for (const [kind, title] of Object.entries(groups)) {
      const files = answer.filter((d) => d.kind === kind);
      if (!files.length) continue;
      list.appendChild(el("h3", { text: title }));
      list.appendChild(el("ul", {}, files.map((d) => {
        const link = el("a", { href: "#" + d.path, text: d.path });
        link.addEventListener("click", (event) => { event.preventDefault(); openDocument(d.path); });
        return el("li", {}, [link]);
      })));
    }
  }

  async function show(opened) {
    state.document = opened.document;
    state.isNew = Boolean(opened.new);
    state.text = opened.text;
    $("doc-title").textContent = (state.isNew ? "New: " : "Editing: ") + opened.document.path;
    $("doc-form").hidden = false;
    $("wording").hidden = true;
    $("public-review").hidden = true;
    $("record-public").checked = false;
    $("diff").textContent = "Nothing yet.";
    const fields = $("fields");
    if (opened.document.schema) {
      const { answer: schema } = await call("/schemas/" + opened.document.schema + ".json");
      state.data = opened.data;
      state.form = new Form(fields, schema, state.data, { registries: state.registries, onChange: scheduleLiveCheck });
      state.form.render();
    } else {
      state.data = null;
      state.form = null;
      const area = el("textarea", { id: "page-text", rows: "24", "aria-describedby": "page-text-error" });
      area.value = opened.text;
      area.addEventListener("input", scheduleLiveCheck);
      const what = opened.document.kind === "site" ? "The site's settings (YAML: what check allows is described in the file's comments)" : "The page (front matter and Markdown)";
      fields.replaceChildren(el("label", { for: "page-text", text: what }), area,
        el("p", { class: "error", id: "page-text-error" }));
    }
    say("Opened " + opened.document.path + ".");
    refreshPreview();
    $("editor").focus();
  }

  async function openDocument(path) {
    const { status, answer } = await call("/api/document?path=" + encodeURIComponent(path));
    if (status !== 200) { say(answer.error); return; }
    await show(answer);
  }

  function request(extra) {
    const base = state.isNew ? { new: true, kind: state.document.kind, id: state.document.path.split("/").pop().replace(/\.yml$/, "") }
      : { path: state.document.path };
    if (state.form) base.data = state.data; else base.text = $("page-text").value;
    return Object.assign(base, extra || {});
  }

  function wordingChoice() {
    if ($("wording").hidden) return undefined;
    return { record: document.querySelector('input[name="wording-record"]:checked').value, reason: $("wording-reason").value,
      approved: $("wording-approved").value, approved_by: $("wording-approved-by").value };
  }

  function clearErrors() {
    for (const node of document.querySelectorAll("#fields .error")) node.textContent = "";
    for (const node of document.querySelectorAll("#fields [aria-invalid]")) node.removeAttribute("aria-invalid");
  }

  function fieldFor(path) {
    // The closest control to the diagnostic's field: the field itself, or the object or list it is in.
    for (let end = path.length; end >= 0; end--) {
      const node = document.getElementById(idFor(path.slice(0, end)));
      if (node && document.getElementById(idFor(path.slice(0, end)) + "-error")) return node;
    }
    return null;
  }

  function showFindings(findings) {
    clearErrors();
    const items = [];
    for (const finding of findings) {
      const target = finding.field && state.form ? fieldFor(finding.field) : (!state.form && finding.path === state.document.path ? $("page-text") : null);
      const text = finding.code + " " + (finding.error ? "" : "warning: ") + finding.message + (finding.hint ? " (" + finding.hint + ")" : "");
      if (target) {
        const error = document.getElementById(target.id + "-error");
        error.appendChild(el("span", { text: text }));
        if (finding.explanation) error.appendChild(el("span", { class: "explain", text: " " + finding.explanation }));
        if (finding.error) target.setAttribute("aria-invalid", "true");
        const link = el("a", { href: "#" + target.id, text: finding.text });
        link.addEventListener("click", (event) => { event.preventDefault(); target.focus(); });
        items.push(el("li", {}, [link]));
      } else {
        items.push(el("li", { text: finding.text + (finding.explanation ? " — " + finding.explanation : "") }));
      }
    }
    return items;
  }

  async function check() {
    say("Checking…");
    clearTimeout(state.liveTimer);
    const asked = ++state.asked;
    const { status, answer } = await call("/api/check", request({ wording: wordingChoice(), record_public: $("record-public").checked }));
    if (asked !== state.asked) return; // a later check or save has answered, or will
    return handle(status, answer, false);
  }

  // While the author types: after a pause, the change is checked (nothing is written) and each finding shown at its
  // field, and the preview redrawn. Silent: the summary (a live region) is left alone so a screen reader is not
  // interrupted at every pause, and focus stays where the author is typing. An answer overtaken by a later
  // check or save is dropped.
  function scheduleLiveCheck() {
    clearTimeout(state.liveTimer);
    state.liveTimer = setTimeout(liveCheck, LIVE_CHECK_AFTER_MS);
  }

  async function liveCheck() {
    if (!state.document) return;
    const asked = ++state.asked;
    const { status, answer } = await call("/api/check", request({ wording: wordingChoice(), record_public: $("record-public").checked }));
    if (asked !== state.asked || status !== 200) return; // overtaken, or a question the author answers on Check
    $("diff").textContent = answer.diff || "No change.";
    showFindings(answer.findings);
    refreshPreview();
  }

  async function save(event) {
    event.preventDefault();
    say("Checking, then saving…");
    clearTimeout(state.liveTimer);
    const extra = { wording: wordingChoice(), record_public: $("record-public").checked, commit: $("commit").checked, message: $("commit-message").value, author: $("commit-author").value };
    const { status, answer } = await call("/api/save", request(extra));
    state.asked++; // a live check sent before the save answers about the text before it: drop it
    return handle(status, answer, true);
  }

  function handle(status, answer, saving) {
    if (status === 409 && answer.reworded) {
      $("wording").hidden = false;
      $("wording-what").textContent = answer.error;
      say(answer.error);
      $("wording-deviation").focus();
      return;
    }
    if (status !== 200) { say(answer.error || "Refused."); return; }
    $("diff").textContent = answer.diff || "No change.";
    const newlyPublic = answer.findings.some((f) => f.error && (f.code === "E361" || f.code === "E362"));
    if (newlyPublic) $("public-review").hidden = false;
    const items = showFindings(answer.findings);
    const errors = answer.findings.filter((f) => f.error).length;
    if (errors) {
      say(errors + " error(s): nothing was written. Each is shown at its field.", items);
      const first = document.querySelector('#fields [aria-invalid="true"]');
      if (first) first.focus();
    } else if (saving) {
      const written = answer.written.length ? "Saved " + answer.written.join(", ") + "." : "Nothing changed: nothing written.";
      say(written + (answer.commit ? " " + answer.commit + "." : ""), items);
      if (state.isNew && answer.written.length) { state.isNew = false; state.document.path = answer.written[0]; $("doc-title").textContent = "Editing: " + state.document.path; loadFiles(); }
      if (answer.written.length) loadRegistries(); // a new guide's steps, a new contact: offered in every form from now on
      refreshPreview();
    } else {
      say("No errors. Review what changed, then save.", items);
      refreshPreview();
    }
  }

  function refreshPreview() {
    if (!state.document || state.isNew) return;
    $("preview").src = "/preview?path=" + encodeURIComponent(state.document.path) + "&t=" + Date.now();
  }

  async function startNew(event) {
    event.preventDefault();
    $("new-error").textContent = "";
    $("new-id").removeAttribute("aria-invalid");
    const { status, answer } = await call("/api/new", { kind: $("new-kind").value, id: $("new-id").value.trim() });
    if (status !== 200) { $("new-error").textContent = answer.error; $("new-id").setAttribute("aria-invalid", "true"); $("new-id").focus(); return; }
    await show(answer);
  }

  function datalists(registries) {
    for (const [name, values] of Object.entries({ contacts: registries.contacts, citations: registries.citations, roles: registries.roles })) {
      const list = el("datalist", { id: "list-" + name }, (values || []).map((v) => el("option", { value: v })));
      const old = $("list-" + name);
      if (old) old.replaceWith(list); else document.body.appendChild(list);
    }
  }

  async function loadRegistries() {
    const { answer } = await call("/api/registries");
    // Replaced in place: the open form holds this same object, so its step pickers see the new entries.
    for (const key of Object.keys(state.registries)) delete state.registries[key];
    Object.assign(state.registries, answer);
    datalists(answer);
  }

  async function start() {
    $("doc-form").addEventListener("submit", save);
    $("review").addEventListener("click", check);
    $("new-form").addEventListener("submit", startNew);
    await loadFiles();
    await loadRegistries();
  }

  start();
})();
