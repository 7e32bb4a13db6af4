/*
 * Accessibility fixes that the Markdown output and Material's own script leave to the page
 * (issue 4). Loaded on every page by theme/main.html, after Material's bundle. Plain ES2017,
 * no dependencies, nothing fetched.
 *
 * 1. Task-list checkboxes (pymdownx.tasklist, custom_checkbox) come with a <label> that holds
 *    only the box, so they have no name (axe: label). Each gets the item's own text as its name.
 * 2. A table too wide for the screen scrolls sideways inside Material's .md-typeset__scrollwrap;
 *    keyboard users must be able to reach it (axe: scrollable-region-focusable, WCAG 2.1.1).
 *    While it overflows, the wrapper is focusable and named after the table's heading.
 * 3. If the content.tooltips feature is turned on (mkdocs.yml leaves it off: its tooltips fail
 *    WCAG 1.4.13), Material shows an abbreviation's meaning in a tooltip it appends to
 *    <body>, outside every landmark (axe: region). The abbreviation already points at it with
 *    aria-describedby, which reads hidden text too, so the visual copy is hidden from the
 *    accessibility tree and nothing is lost.
 * 4. On a phone, the header's menu and search buttons are <label>s for hidden checkboxes, which
 *    a keyboard cannot reach (WCAG 2.1.1). Each becomes a real <button> (a label may not take
 *    role=button) with a name and aria-expanded that clicks the checkbox, as the label did;
 *    opened from the keyboard, the menu takes focus, and Escape closes it again. site.css gives
 *    the buttons the labels' look and breakpoints.
 * 5. Material lists each search result's tags in a <nav>: a landmark inside a link, and one
 *    more unnamed navigation region per result (axe: landmark-unique). They become plain text.
 * 6. Abbreviations (DSL, LADO…) explain themselves on hover, on tap and on keyboard focus, not
 *    only in the browser's mouse-only tooltip (issue 14). The first of each abbreviation in the
 *    page (in each step of a guide) takes keyboard focus; the rest answer hover and tap, so a
 *    page full of "DSL" does not fill the Tab order. The explanation follows WCAG 1.4.13: Escape
 *    closes it, the pointer can move onto it, and it stays until the pointer or focus leaves.
 *    While the pointer is on an abbreviation its title is set aside, so the browser's own
 *    tooltip does not appear on top; screen readers read the title as before.
 */
(function () {
  "use strict";

  function text(node) {
    return (node.textContent || "").replace(/\s+/g, " ").trim();
  }

  function nameTaskListCheckboxes(root) {
    root.querySelectorAll(".task-list-item input[type=checkbox]").forEach(function (box) {
      if (box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby")) return;
      var item = box.closest(".task-list-item");
      var copy = item.cloneNode(true);
      // The item's own words only: not the checkbox's label, not a nested list.
      copy.querySelectorAll("label.task-list-control, input, ul, ol").forEach(function (el) {
        el.remove();
      });
      var name = text(copy);
      if (name) box.setAttribute("aria-label", name);
    });
  }

  function headingBefore(el) {
    // The nearest heading before the element in the document, for a meaningful name.
    var headings = document.querySelectorAll(".md-content h1, .md-content h2, .md-content h3, .md-content h4");
    var found = null;
    headings.forEach(function (h) {
      if (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) found = h;
    });
    return found ? text(found) : "";
  }

  function updateScrollRegion(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      var table = wrap.querySelector("table");
      var caption = table && table.caption ? text(table.caption) : "";
      var title = caption || headingBefore(wrap);
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "group");
      wrap.setAttribute("aria-label", title ? "Table: " + title + " (scrolls sideways)" : "Table (scrolls sideways)");
      wrap.setAttribute("data-policy-scroll-region", "");
    } else if (!scrolls && wrap.hasAttribute("data-policy-scroll-region")) {
      ["tabindex", "role", "aria-label", "data-policy-scroll-region"].forEach(function (attr) {
        wrap.removeAttribute(attr);
      });
    }
  }

  var observer = "ResizeObserver" in window
    ? new ResizeObserver(function (entries) {
        entries.forEach(function (entry) {
          updateScrollRegion(entry.target);
        });
      })
    : null;

  function watchScrollRegions(root) {
    root.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      updateScrollRegion(wrap);
      if (observer) {
        observer.observe(wrap);
        var table = wrap.querySelector("table");
        if (table) observer.observe(table);
      }
    });
  }

  function hideTooltipCopy(node) {
    if (node.nodeType === 1 && node.getAttribute("role") === "tooltip" && /\bmd-tooltip/.test(node.className)) {
      node.setAttribute("aria-hidden", "true");
    }
  }

  document.querySelectorAll("body > [role=tooltip]").forEach(hideTooltipCopy);
  if ("MutationObserver" in window) {
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(hideTooltipCopy);
      });
    }).observe(document.body, { childList: true });
  }

  function toggleButton(label, name, onOpen) {
    // Replace the label with a real <button> that looks the same and works the hidden checkbox.
    var toggle = document.getElementById(label.htmlFor);
    if (!toggle) return null;
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className + " policy-toggle-button";
    button.setAttribute("data-policy-for", label.htmlFor);
    button.setAttribute("aria-label", name);
    while (label.firstChild) button.appendChild(label.firstChild);
    label.replaceWith(button);
    var sync = function () {
      button.setAttribute("aria-expanded", String(toggle.checked));
    };
    sync();
    toggle.addEventListener("change", sync);
    button.addEventListener("click", function (event) {
      var byKeyboard = event.detail === 0; // Enter or Space: no pointer
      toggle.click(); // Material listens for the checkbox's change event
      if (toggle.checked && byKeyboard && onOpen) onOpen();
    });
    return button;
  }

  var drawer = document.getElementById("__drawer");
  var menuLabel = document.querySelector("label.md-header__button[for=__drawer]");
  var menuButton = menuLabel && toggleButton(menuLabel, "Menu", function () {
    var first = document.querySelector(".md-sidebar--primary a[href]");
    if (first) first.focus();
  });
  var search = document.getElementById("__search");
  var searchLabel = document.querySelector("label.md-header__button[for=__search]");
  var searchButton = searchLabel && toggleButton(searchLabel, "Search", function () {
    var input = document.querySelector(".md-search__input");
    if (input) input.focus();
  });
  if (search && searchButton) {
    // Closing the search (Escape) leaves focus nowhere: give it back to the button, if shown.
    search.addEventListener("change", function () {
      if (search.checked) return;
      window.setTimeout(function () { // after Material blurs the search box
        var lost = !document.activeElement || document.activeElement === document.body;
        if (lost && searchButton.offsetParent !== null) searchButton.focus();
      }, 0);
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawer && drawer.checked) {
      drawer.click();
      if (menuButton) menuButton.focus();
    }
  });

  var results = document.querySelector(".md-search-result__list");
  if (results && "MutationObserver" in window) {
    new MutationObserver(function () {
      results.querySelectorAll("nav.md-tags:not([role])").forEach(function (nav) {
        nav.setAttribute("role", "none");
      });
    }).observe(results, { childList: true, subtree: true });
  }

  // --- 6. abbreviations --------------------------------------------------------------------
  var tip = null; // the one explanation box, created on first use inside the content
  var tipFor = null; // the abbreviation it explains
  var hideTimer = null;

  function tipBox() {
    if (tip) return tip;
    tip = document.createElement("div");
    tip.id = "policy-abbr-tip";
    tip.className = "policy-abbr-tip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    tip.addEventListener("pointerenter", function () { window.clearTimeout(hideTimer); });
    tip.addEventListener("pointerleave", function () { scheduleHide(); });
    (document.querySelector(".md-content") || document.body).appendChild(tip);
    return tip;
  }

  function meaning(abbr) {
    return abbr.getAttribute("title") || abbr.getAttribute("data-policy-title") || "";
  }

  function place() {
    if (!tipFor || tip.hidden) return;
    var r = tipFor.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(r.left, width - tip.offsetWidth - 8));
    var top = r.bottom + 6;
    if (top + tip.offsetHeight > window.innerHeight - 8 && r.top - tip.offsetHeight - 6 > 0) {
      top = r.top - tip.offsetHeight - 6; // no room below: above the word
    }
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  function showTip(abbr) {
    window.clearTimeout(hideTimer);
    var box = tipBox();
    if (tipFor && tipFor !== abbr) hideTip();
    tipFor = abbr;
    box.textContent = abbr.textContent.trim() + ": " + meaning(abbr);
    box.hidden = false;
    abbr.setAttribute("aria-describedby", box.id);
    place();
  }

  function hideTip() {
    window.clearTimeout(hideTimer);
    if (tip) tip.hidden = true;
    if (tipFor) {
      tipFor.removeAttribute("aria-describedby");
      restoreTitle(tipFor);
    }
    tipFor = null;
  }

  function scheduleHide() {
    // A moment's grace, so that the pointer can travel from the word onto the explanation.
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(function () {
      if (tipFor && tipFor === document.activeElement) return; // focus keeps it open
      hideTip();
    }, 300);
  }

  function setTitleAside(abbr) {
    if (abbr.hasAttribute("title")) {
      abbr.setAttribute("data-policy-title", abbr.getAttribute("title"));
      abbr.removeAttribute("title");
    }
  }

  function restoreTitle(abbr) {
    if (abbr.hasAttribute("data-policy-title")) {
      abbr.setAttribute("title", abbr.getAttribute("data-policy-title"));
      abbr.removeAttribute("data-policy-title");
    }
  }

  function explainAbbreviations(root) {
    var seen = {};
    root.querySelectorAll("abbr[title]:not([data-policy-abbr])").forEach(function (abbr) {
      abbr.setAttribute("data-policy-abbr", "");
      abbr.classList.add("policy-abbr");
      var group = abbr.closest(".tree-step") || root;
      var key = abbr.textContent.trim() + "\u0000" + (group.id || "");
      if (!seen[key] && !abbr.closest("a, button, summary, label")) {
        seen[key] = true;
        abbr.tabIndex = 0;
      }
      abbr.addEventListener("pointerenter", function () {
        setTitleAside(abbr);
        showTip(abbr);
      });
      abbr.addEventListener("pointerleave", scheduleHide);
      abbr.addEventListener("focus", function () { showTip(abbr); });
      abbr.addEventListener("blur", function () {
        if (!tip || !tip.matches(":hover")) hideTip();
      });
      abbr.addEventListener("click", function () { // a tap, on a touch screen
        setTitleAside(abbr);
        showTip(abbr);
      });
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && tipFor && tip && !tip.hidden) hideTip();
  });
  document.addEventListener("pointerdown", function (event) {
    // Tapping or clicking anywhere else closes the explanation.
    if (tipFor && !tipFor.contains(event.target) && !(tip && tip.contains(event.target))) hideTip();
  });
  window.addEventListener("scroll", place, { passive: true });
  window.addEventListener("resize", place);

  function apply() {
    var content = document.querySelector(".md-content") || document;
    nameTaskListCheckboxes(content);
    watchScrollRegions(content);
    explainAbbreviations(content);
  }

  // Material wraps tables once the document is ready and again after each instant navigation;
  // its document$ observable tells us when (it is absent if Material's script failed to load).
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () {
      // Let Material's own subscribers (which add the table wrappers) run first.
      window.requestAnimationFrame(apply);
    });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", apply);
  } else {
    apply();
  }
  window.addEventListener("load", apply);
})();
