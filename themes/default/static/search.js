/* sitegen: the search box of every page and the search page (search/index.html).
   The search library (MiniSearch, static/vendor/) and every item (data/search.js)
   are loaded by <script> elements when the box is first used: fetch() cannot read
   files from file://, and a page view need not pay for 50,000 items.
   Item text reaches the page only as textContent, never as markup. */
(function () {
  "use strict";

  var SHOWN = 8;          // results in the box's list
  var PAGE_SHOWN = 500;   // results on the search page
  /* Searched fields: the text, the location, and the short facets as one field
     (each field is a table MiniSearch fills: one field for six facets halves
     the indexing of 50,000 items). */
  var FACETS = ["tag", "category", "kind", "priority", "severity", "status"];
  var FIELDS = ["text", "location", "facets"];

  /* Helpers that tables.js (loaded after this file) uses too. */
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Runs a script file of the site (fetch cannot read files from file://). */
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  window.sitegen = { element: element, loadScript: loadScript };

  var box = document.querySelector("[data-search]");
  if (!box) return;
  var input = box.querySelector("input");
  var popup = box.querySelector(".search-popup");
  var root = box.getAttribute("data-root");
  var loading = null;

  /* The index: built once, in chunks, so that the page stays responsive. */
  function engine() {
    if (!loading) {
      loading = Promise.all([loadScript(box.getAttribute("data-search-lib")),
                             loadScript(box.getAttribute("data-search-data"))]).then(function () {
        var data = window.sitegenData.search;
        var at = {};
        data.fields.forEach(function (name, i) { at[name] = i; });
        var index = new window.MiniSearch({
          idField: "n",
          fields: FIELDS,
          extractField: function (doc, field) {
            if (field === "n") return doc.n;
            if (field === "facets") return FACETS.map(function (name) { return doc.row[at[name]]; }).join(" ");
            return doc.row[at[field]];
          },
          searchOptions: {
            prefix: true,
            combineWith: "AND",
            boost: { text: 2 },
            fuzzy: function (term) { return term.length > 5 ? 0.15 : false; }
          }
        });
        var docs = data.items.map(function (row, n) { return { n: n, row: row }; });
        return index.addAllAsync(docs, { chunkSize: 5000 }).then(function () {
          return { index: index, items: data.items, at: at };
        });
      });
    }
    return loading;
  }

  /* {total, rows, ms}: the first `limit` items that match `query`, best first. */
  function search(found, query, limit) {
    var started = performance.now();
    var hits = query.trim() ? found.index.search(query) : [];
    var rows = hits.slice(0, limit).map(function (hit) { return found.items[hit.id]; });
    return { total: hits.length, rows: rows, ms: performance.now() - started };
  }

  /* One item as a link to its own place: kind, priority, text, location. */
  function itemLink(found, row) {
    var at = found.at;
    var link = element("a", "search-hit");
    link.href = root + row[at.href];
    var head = element("span", "search-hit-head");
    if (row[at.priority]) {
      var p = row[at.priority];
      head.appendChild(element("span", "badge priority-" + p.toLowerCase(), p));
      head.appendChild(document.createTextNode(" "));
    }
    head.appendChild(element("span", "search-kind", row[at.kind]));
    if (row[at.severity]) {
      head.appendChild(document.createTextNode(" "));
      head.appendChild(element("span", "severity severity-" + row[at.severity], row[at.severity]));
    }
    head.appendChild(document.createTextNode(" "));
    head.appendChild(element("code", "search-location", row[at.location]));
    link.appendChild(head);
    link.appendChild(element("span", "search-text", row[at.text]));
    return link;
  }

  function pageHref(query) {
    return box.getAttribute("data-search-page") + "?q=" + encodeURIComponent(query);
  }

  function plural(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }

  /* --- the box: a combobox whose list holds links ------------------------------- */

  var active = -1;
  var status = element("p", "visually-hidden");
  status.setAttribute("role", "status");
  box.appendChild(status);
  popup.setAttribute("role", "listbox");
  popup.setAttribute("aria-label", "Search results");

  function options() { return popup.querySelectorAll("[role=option]"); }

  function setActive(n) {
    var all = options();
    if (!all.length) return;
    active = (n + all.length) % all.length;
    all.forEach(function (option, i) { option.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  }

  function show(open) {
    popup.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) { active = -1; input.removeAttribute("aria-activedescendant"); }
  }

  function note(text) {
    popup.replaceChildren(element("p", "search-note", text));
    show(true);
  }

  function renderBox(found, query) {
    var result = search(found, query, SHOWN);
    popup.setAttribute("data-ms", result.ms.toFixed(2));
    popup.replaceChildren();
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!query.trim()) { show(false); status.textContent = ""; return; }
    result.rows.forEach(function (row, i) {
      var link = itemLink(found, row);
      link.setAttribute("role", "option");
      link.id = "search-option-" + i;
      link.tabIndex = -1;
      popup.appendChild(link);
    });
    var all = element("a", "search-all", result.total ? "See " + (result.total === 1 ? "it" : "all " + plural(result.total, "result"))
                                                          + " on the search page"
                                                        : "No item matches “" + query + "”");
    all.href = pageHref(query);
    all.setAttribute("role", "option");
    all.id = "search-option-all";
    all.tabIndex = -1;
    popup.appendChild(all);
    status.textContent = plural(result.total, "result");
    show(true);
  }

  var latest = "";
  function update() {
    latest = input.value;
    if (!latest.trim()) { show(false); return; }
    if (!window.MiniSearch || !window.sitegenData || !window.sitegenData.search) note("Loading the search index…");
    engine().then(function (found) { if (input.value === latest) renderBox(found, latest); },
                  function (error) { note("Search is not available: " + error.message); });
  }

  input.addEventListener("focus", function () { engine().catch(function () {}); }, { once: true });
  input.addEventListener("input", update);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (popup.hidden) update();
      setActive(active + (event.key === "ArrowDown" ? 1 : -1));
      event.preventDefault();
    } else if (event.key === "Enter") {
      var all = options();
      if (active >= 0 && all[active]) window.location.href = all[active].href;
      else if (input.value.trim()) window.location.href = pageHref(input.value);
      event.preventDefault();
    } else if (event.key === "Escape") {
      if (!popup.hidden) show(false); else input.blur();
      event.preventDefault();
    }
  });
  box.addEventListener("focusout", function (event) {
    if (!box.contains(event.relatedTarget)) show(false);
  });

  /* "/" focuses the box, unless the reader is typing somewhere. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    event.preventDefault();
    input.focus();
    input.select();
  });

  box.hidden = false;

  /* --- the search page: every result for ?q= ------------------------------------ */

  var page = document.querySelector("[data-search-page-results]");
  if (!page) return;
  var params = new URLSearchParams(window.location.search);
  page.replaceChildren();
  var label = element("label", "search-page-label", "Search every item ");
  var field = element("input");
  field.type = "search";
  field.id = "search-page-q";
  field.autocomplete = "off";
  field.spellcheck = false;
  field.value = params.get("q") || "";
  label.htmlFor = "search-page-q";
  var summary = element("p", "search-summary");
  summary.setAttribute("role", "status");
  var list = element("ol", "search-results");
  page.append(label, field, summary, list);

  function renderPage(found) {
    var query = field.value;
    var result = search(found, query, PAGE_SHOWN);
    list.replaceChildren();
    result.rows.forEach(function (row) {
      var item = element("li");
      item.appendChild(itemLink(found, row));
      list.appendChild(item);
    });
    summary.setAttribute("data-ms", result.ms.toFixed(2));
    summary.textContent = !query.trim() ? "Type words to find: they match item text, files, tags, categories, kinds, priorities and severities."
      : plural(result.total, "item") + " match" + (result.total === 1 ? "es" : "") + " “" + query + "”"
        + (result.total > PAGE_SHOWN ? "; the first " + PAGE_SHOWN + " are listed." : ".");
    var url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    history.replaceState(null, "", url.search || url.pathname);
  }

  summary.textContent = "Loading the search index…";
  engine().then(function (found) {
    renderPage(found);
    field.addEventListener("input", function () { renderPage(found); });
  }, function (error) { summary.textContent = "Search is not available: " + error.message; });
  if (!field.value) field.focus();
})();
