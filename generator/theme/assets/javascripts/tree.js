/*
 * "What do I do if…" decision trees (issue 3). The pages work without this script: every step is a
 * <section id="…"> and CSS shows the one named by the URL's #fragment. With it:
 *  - "Your answers so far": each question with the answer chosen and a "Change" link back to it;
 *  - focus moves to the new step's heading, and a polite live region says "Step 3: …";
 *  - "Print or save a record" on every outcome: a one-page, print-only record of the walk-through
 *    (and "Print a blank record" for paper use);
 *  - tick boxes on "more than one may apply" lists, and which ones applied in the answers;
 *  - answers carried across to another guide's step, when an answer leads there, and on that step a link
 *    back to where the reader came from (only then: the page never guesses an origin);
 *  - an answer with parallel strands recorded with every strand it starts (the page lists each strand, and each
 *    strand's step links to the others, with or without this script);
 *  - on the guides' index, a box that filters the list (without it, every guide is listed).
 * The answers survive following a link and coming Back, or a reload, within this tab only: they
 * are kept in sessionStorage (never localStorage, cookies or the network), which the browser
 * empties when the tab closes; "Start again" and "Forget my answers" empty it at once.
 */
(function () {
  "use strict";

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // --- the guides' index: filter as you type -------------------------------------------------
  var index = document.querySelector(".tree-index");
  if (index) {
    var box = make("p", "tree-filter");
    var label = make("label", null, "Filter the guides ");
    var input = make("input");
    var none = make("p", "tree-filter-none", "No guide matches those words: try fewer, or search the site.");
    input.type = "search";
    label.appendChild(input);
    box.appendChild(label);
    none.hidden = true;
    index.insertBefore(box, index.firstChild);
    index.appendChild(none);
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      index.querySelectorAll("li").forEach(function (item) {
        var text = item.textContent.toLowerCase();
        item.hidden = !words.every(function (word) { return text.indexOf(word) >= 0; });
        if (!item.hidden) shown += 1;
      });
      index.querySelectorAll("h2").forEach(function (heading) {
        var list = heading.nextElementSibling;
        heading.hidden = Boolean(list && !list.querySelector("li:not([hidden])"));
        if (list) list.hidden = heading.hidden;
      });
      none.hidden = shown > 0;
    });
  }

  // --- a tree page ---------------------------------------------------------------------------
  var tree = document.querySelector(".tree");
  if (!tree) return;

  var steps = Array.prototype.filter.call(tree.children, function (node) {
    return node.classList.contains("tree-step");
  });
  if (!steps.length) return;
  var start = tree.querySelector(".tree-step[data-start]") || steps[0];
  var treeId = tree.getAttribute("data-tree-id") || location.pathname;
  // [{step, question, answer, target, criteria, href, tree}]; href and tree are set for an answer
  // given in another guide (carried across by an answer that leads here).
  var path = [];
  var undone = []; // answers taken back by Back or "Change", for the Forward button
  var pending = null; // the answer just clicked, until the hash changes
  var current = null;
  // Where the browser has the Navigation API, each history entry's answers are remembered by the
  // entry's key, so Back and Forward restore them exactly, loops and all. Memory only, again.
  var nav = window.navigation;
  var trails = {};

  // --- this tab's memory (sessionStorage): {treeId: {step, path}} and an answer being carried --
  var STORE = "policy-tree-answers";
  var CARRY = "policy-tree-carry";

  function readStore(key) {
    try {
      return JSON.parse(window.sessionStorage.getItem(key) || "null");
    } catch (error) {
      return null; // storage refused (privacy settings): the page works from memory alone
    }
  }

  function writeStore(key, value) {
    try {
      if (value === null) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, JSON.stringify(value));
    } catch (error) { /* as above */ }
  }

  function save() {
    var all = readStore(STORE) || {};
    if (path.length && current) all[treeId] = { step: current.id, path: path };
    else delete all[treeId];
    writeStore(STORE, Object.keys(all).length ? all : null);
  }

  function forget() {
    writeStore(STORE, null);
    writeStore(CARRY, null);
    path = [];
    undone = [];
    trails = {};
  }

  var live = make("div", "tree-sr");
  live.setAttribute("aria-live", "polite");
  var trail = make("div", "tree-trail");
  var trailList = make("ol");
  var forgetButton = make("button", "md-button tree-forget", "Forget my answers");
  forgetButton.type = "button";
  trail.appendChild(make("h2", null, "Your answers so far"));
  trail.appendChild(trailList);
  trail.appendChild(forgetButton);
  trail.hidden = true;
  forgetButton.addEventListener("click", function () {
    forget();
    drawTrail();
    live.textContent = "Your answers have been forgotten.";
    var heading = current && current.querySelector(".tree-step-title");
    if (heading) heading.focus();
  });
  var record = make("div", "tree-record");
  tree.insertBefore(record, tree.firstChild);
  tree.appendChild(trail);
  tree.appendChild(live);

  steps.forEach(function (step) {
    if (step.getAttribute("data-kind") !== "outcome") return;
    var holder = make("p", "tree-print");
    var button = make("button", "md-button", "Print or save a record");
    var blank = make("button", "md-button tree-print-blank", "Print a blank record");
    button.type = "button";
    blank.type = "button";
    button.addEventListener("click", function () { printRecord(step, false); });
    blank.addEventListener("click", function () { printRecord(step, true); });
    holder.appendChild(button);
    holder.appendChild(document.createTextNode(" "));
    holder.appendChild(blank);
    step.insertBefore(holder, step.querySelector(".tree-nav"));
  });

  // "More than one may apply": each item gets a tick box; the ticked ones go into the answer.
  tree.querySelectorAll('.tree-criteria[data-select="many"]').forEach(function (list) {
    var step = list.closest(".tree-step");
    list.querySelectorAll("li").forEach(function (item, number) {
      var box = make("input");
      var label = make("label", "tree-criterion");
      box.type = "checkbox";
      box.id = step.id + "-criterion-" + (number + 1);
      label.htmlFor = box.id;
      while (item.firstChild) label.appendChild(item.firstChild);
      item.appendChild(box);
      item.appendChild(label);
    });
  });

  function ticked(step) {
    return Array.prototype.map.call(step.querySelectorAll(".tree-criteria input:checked"), function (box) {
      return box.nextElementSibling.textContent.trim();
    });
  }

  function title(step) {
    var heading = step.querySelector(".tree-step-title");
    return heading ? heading.textContent.trim() : step.id;
  }

  function stepFor(hash) {
    var target = hash.length > 1 && document.getElementById(decodeURIComponent(hash.slice(1)));
    var step = target && target.closest(".tree-step");
    return step && step.parentNode === tree ? { step: step, target: target } : null;
  }

  function answerTo(from, to) {
    // Which answer of `from` leads to `to`: the one taken back, if any, else the first.
    var redo = undone[undone.length - 1];
    if (redo && redo.step === from.id && redo.target === to.id) return undone.pop().answer;
    var link = from.querySelector('a.tree-answer[href="#' + to.id + '"], a.tree-next[href="#' + to.id + '"]');
    return link ? chosen(link).answer : null;
  }

  function remember(step) {
    var entry;
    if (!current && path.length && path[path.length - 1].target === step.id) return; // restored
    if (pending && pending.keep) return; // to another strand of the same answer: the answers stay as they are
    if (pending && pending.restart) {
      path = [];
      undone = [];
      return;
    }
    if (pending && pending.change !== undefined) {
      undone = [];
      path = path.slice(0, pending.change);
      return;
    }
    if (pending && current && pending.from === current.id && pending.target === step.id) {
      entry = pending.answer;
      undone = [];
    } else {
      for (var i = path.length - 1; i >= 0; i -= 1) {
        if (path[i].step === step.id && !path[i].href) {
          undone = undone.concat(path.slice(i).reverse());
          path = path.slice(0, i);
          return;
        }
      }
      entry = step !== start && current && answerTo(current, step);
      if (!entry) {
        // "Start again", or a jump to a step that no answer here leads to: a fresh walk.
        path = [];
        return;
      }
    }
    path.push({ step: current.id, question: title(current), answer: entry, target: step.id,
      criteria: pending && pending.criteria ? pending.criteria : [],
      strands: pending && pending.strands ? pending.strands : [] });
  }

  function describe(entry) {
    var words = entry.criteria && entry.criteria.length ? " (applied: " + entry.criteria.join("; ") + ")" : "";
    if (entry.strands && entry.strands.length) words += " (strands to follow, together: " + entry.strands.join("; ") + ")";
    return words;
  }

  // An answer with parallel strands: its own words, and every strand it starts (each with its condition).
  function chosen(link) {
    var holder = link.closest(".tree-strands-answer");
    if (!holder) return { answer: link.textContent.trim(), strands: [] };
    return { answer: holder.getAttribute("data-label"), strands: Array.prototype.map.call(
      holder.querySelectorAll(".tree-strands > li"), function (item) {
        return item.textContent.trim().replace(/\s+/g, " ");
      }) };
  }

  function drawTrail() {
    trailList.textContent = "";
    path.forEach(function (entry, number) {
      var item = make("li");
      var change = make("a", "tree-change", "Change");
      item.appendChild(document.createTextNode((entry.tree ? entry.tree + ": " : "") + entry.question + " "));
      item.appendChild(make("strong", null, entry.answer));
      item.appendChild(document.createTextNode(describe(entry) + " "));
      change.href = entry.href || "#" + entry.step;
      change.setAttribute("data-entry", number);
      change.setAttribute("aria-label", "Change your answer to: " + entry.question);
      item.appendChild(change);
      trailList.appendChild(item);
    });
    trail.hidden = path.length === 0;
  }

  // "You came from": the other guide's step the reader's own walk left, read from the answers carried here.
  function showCameFrom(step) {
    var old = tree.querySelector(".tree-came-from");
    if (old) old.parentNode.removeChild(old);
    var last = path[path.length - 1];
    if (!last || !last.href || !last.tree || last.target !== step.id) return;
    // The link back is a path on this site, as tree.js wrote it (never another scheme or host).
    if (last.href.charAt(0) !== "/" || last.href.charAt(1) === "/") return;
    var note = make("p", "tree-came-from", "You came from: ");
    var back = make("a", null, last.tree + ": " + last.question);
    back.href = last.href;
    note.appendChild(back);
    var heading = step.querySelector(".tree-step-title");
    step.insertBefore(note, heading ? heading.nextSibling : step.firstChild);
  }

  function show(moved) {
    var found = stepFor(location.hash);
    if (!found) {
      // A fragment outside the steps (the skip link, say) leaves the current step showing.
      if (location.hash.length > 1 && current) return;
      found = { step: start, target: start };
    }
    var step = found.step;
    var key = nav && nav.currentEntry ? nav.currentEntry.key : null;
    if (!current) {
      // Coming (back) to this page: the answers carried from another guide, or this tab's own.
      var carry = readStore(CARRY);
      var saved = (readStore(STORE) || {})[treeId];
      if (carry && carry.tree === treeId && carry.step === step.id) path = carry.path;
      else if (saved && saved.path) path = saved.path;
      writeStore(CARRY, null);
    }
    if (step !== current) {
      if (key && trails[key] && !pending) path = trails[key].slice();
      else remember(step);
      if (current) current.classList.remove("is-current");
      step.classList.add("is-current");
      current = step;
      drawTrail();
      showCameFrom(step);
    }
    if (key) trails[key] = path.slice();
    pending = null;
    save();
    var skip = document.querySelector(".tree-skip-answers");
    if (skip && step.querySelector(".tree-answers")) skip.setAttribute("href", "#" + step.id + "-answers");
    if (!moved) return;
    var answers = found.target.classList.contains("tree-answers") && found.target.querySelector("a");
    if (answers) {
      answers.focus();
      return;
    }
    var heading = step.querySelector(".tree-step-title");
    (found.target === step ? step : found.target).scrollIntoView({ block: "start" });
    if (heading) heading.focus({ preventScroll: true });
    live.textContent = "Step " + (path.length + 1) + ": " + title(step);
  }

  tree.addEventListener("click", function (event) {
    var change = event.target.closest("a.tree-change");
    if (change) {
      if (change.getAttribute("href").charAt(0) !== "#") return; // an answer given in another guide
      pending = { change: Number(change.getAttribute("data-entry")) };
      if (change.getAttribute("href") === location.hash) {
        // Already on that question (a loop came back to it): no hashchange will follow.
        remember(current);
        pending = null;
        drawTrail();
        if (nav && nav.currentEntry) trails[nav.currentEntry.key] = path.slice();
        save();
        live.textContent = "Step " + (path.length + 1) + ": " + title(current);
      }
      return;
    }
    var link = event.target.closest("a.tree-answer, a.tree-next, a.tree-restart, a.tree-follow");
    if (!link || !current || !current.contains(link)) return;
    var other = link.getAttribute("data-tree");
    if (other) {
      // To another guide's step: carry the answers across (this tab only).
      var href = link.getAttribute("href");
      var here = path.map(function (entry) {
        return entry.href ? entry : Object.assign({}, entry, {
          href: location.pathname + "#" + entry.step, tree: tree.getAttribute("data-tree-title") });
      });
      here.push({ step: current.id, question: title(current), answer: chosen(link).answer,
        strands: chosen(link).strands, target: href.slice(href.indexOf("#") + 1), criteria: ticked(current),
        href: location.pathname + "#" + current.id, tree: tree.getAttribute("data-tree-title") });
      writeStore(CARRY, { tree: other, step: href.slice(href.indexOf("#") + 1), path: here });
      return;
    }
    if (link.classList.contains("tree-follow")) {
      if (link.closest(".tree-strand-note")) pending = { keep: true };
      return;
    }
    var picked = chosen(link);
    pending = link.classList.contains("tree-restart") ? { restart: true }
      : { from: current.id, target: link.getAttribute("href").slice(1), answer: picked.answer,
        strands: picked.strands, criteria: ticked(current) };
    if (pending.restart) forget();
  });
  window.addEventListener("hashchange", function () { show(true); });
  tree.classList.add("tree--js");
  show(false);

  // --- the printable record: one A4 page a DSL can file ----------------------------------------
  function line(labelText, className) {
    var p = make("p", "tree-record-line" + (className ? " " + className : ""));
    p.appendChild(make("span", null, labelText));
    return p;
  }

  function printRecord(step, blank) {
    var now = new Date();
    var guidance = tree.getAttribute("data-tree-guidance");
    record.textContent = "";
    record.appendChild(make("h2", null, "Record: " + tree.getAttribute("data-tree-title")));
    record.appendChild(make("p", null, "Guide version " + tree.getAttribute("data-tree-version") + "." +
      (guidance ? " Guidance: " + guidance + "." : "") + (blank ? " Date and time: ____________" :
      " Made on " + now.toLocaleDateString(undefined, { day: "numeric", month: "long", year: "numeric" }) +
      " at " + now.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }) + ".")));
    record.appendChild(make("h3", null, "Questions and answers"));
    if (!blank && path.length) {
      var answers = make("ol");
      path.forEach(function (entry) {
        var item = make("li", null, (entry.tree ? entry.tree + ": " : "") + entry.question + " ");
        item.appendChild(make("strong", null, entry.answer));
        item.appendChild(document.createTextNode(describe(entry)));
        answers.appendChild(item);
      });
      record.appendChild(answers);
    } else if (blank) {
      for (var i = 1; i <= 4; i += 1) record.appendChild(line(i + ". Question and answer:"));
    } else {
      record.appendChild(make("p", null, "None recorded: this outcome was opened directly."));
    }
    record.appendChild(make("h3", null, "Outcome: " + title(step)));
    var summary = step.querySelector(".tree-summary");
    if (summary) record.appendChild(make("p", null, summary.textContent.trim()));
    var checklist = make("ul", "tree-record-checklist");
    // The actions of the questions answered on the way (e.g. "acknowledge the referral"), then the outcome's.
    var steps = [];
    if (!blank) path.forEach(function (entry) {
      var asked = entry.tree ? null : document.getElementById(entry.step);
      // Questions only: an outcome passed on the way (its next step) is a step of its own, with its own record.
      if (asked && asked.parentNode === tree && asked.getAttribute("data-kind") === "question") steps.push(asked);
    });
    steps.push(step);
    var actions = [];
    steps.forEach(function (each) {
      each.querySelectorAll(".tree-actions > ol > li").forEach(function (action) { actions.push(action); });
    });
    actions.forEach(function (action) {
      var item = make("li", null, "\u2610 " + action.textContent.trim().replace(/\s+/g, " "));
      // The kind of time limit, the same words whatever the source said ("next working day"); an either
      // group's alternatives each keep their own.
      var limit = action.querySelector(":scope > .tree-action-head > .tree-when[data-when-limit]");
      if (limit) item.appendChild(make("p", "tree-record-limit", "Time limit: " + limit.getAttribute("data-when-limit")));
      item.appendChild(line("Done by / at:"));
      checklist.appendChild(item);
    });
    if (checklist.children.length) {
      record.appendChild(make("h3", null, "Actions"));
      record.appendChild(checklist);
    }
    record.appendChild(make("h3", null, "About this record"));
    var fields = make("div", "tree-record-fields");
    ["Completed by (name and role):", "Child's initials:", "Class:"].forEach(function (text) {
      fields.appendChild(line(text));
    });
    record.appendChild(fields);
    record.appendChild(line("What was said, in their own words:", "tree-record-words"));
    ["Signature:", "Date and time:"].forEach(function (text) { record.appendChild(line(text)); });
    document.documentElement.setAttribute("data-tree-printing", "");
    window.print();
  }

  window.addEventListener("afterprint", function () {
    if (!document.documentElement.hasAttribute("data-tree-printing")) return;
    document.documentElement.removeAttribute("data-tree-printing");
    record.textContent = "";
  });
})();
