/* sitegen: sorting and filtering a long list across all its pages, and sorting
   a table that is complete on its page (<table data-sortable>).
   Markup declares a list: <div data-list="todos" data-list-data="../data/todos.js">
   around the server's pages of it, which stay as they are until the reader sorts
   or filters. Then the list's rows (data/<name>.js, loaded by a <script> element:
   fetch() cannot read from file://) are sorted and filtered here and shown a page
   at a time. The view lives in the query string (?priority=P1&sort=-location&q=x&page=2),
   so a URL shares it; item anchors (#id) are left alone.
   Item text reaches the page only as textContent, never as markup. */
(function () {
  "use strict";

  var PAGE = 100;  // rows a page of the sorted or filtered list shows
  var RANK = { P1: 1, P2: 2, P3: 3, P4: 4 };

  var element = window.sitegen.element;  // search.js, loaded before this file
  var loadScript = window.sitegen.loadScript;

  /* Text compared so that numbers in it compare by value ("a2" before "a10"). */
  function natural(text) {
    return String(text).toLowerCase().replace(/\d+/g, function (digits) { return digits.padStart(12, "0"); });
  }

  function number(n) { return n.toLocaleString("en"); }

  /* --- the view's state, as the query string holds it ---------------------------- */

  function readState(columns) {
    var params = new URLSearchParams(window.location.search);
    var sort = params.get("sort") || "";
    var state = { q: params.get("q") || "", sort: sort.replace(/^-/, ""), desc: sort.charAt(0) === "-",
                  facets: {}, page: Math.max(1, parseInt(params.get("page"), 10) || 1) };
    columns.forEach(function (column) {
      if (column.facet && params.get(column.key)) state.facets[column.key] = params.get(column.key);
    });
    return state;
  }

  function isActive(state) {
    return Boolean(state.q || state.sort || Object.keys(state.facets).length || state.page > 1);
  }

  function writeState(state, columns) {
    var url = new URL(window.location.href);
    ["q", "sort", "page"].concat(columns.map(function (c) { return c.key; })).forEach(function (key) {
      url.searchParams.delete(key);
    });
    columns.forEach(function (column) {
      if (state.facets[column.key]) url.searchParams.set(column.key, state.facets[column.key]);
    });
    if (state.q) url.searchParams.set("q", state.q);
    if (state.sort) url.searchParams.set("sort", (state.desc ? "-" : "") + state.sort);
    if (state.page > 1) url.searchParams.set("page", String(state.page));
    history.replaceState(null, "", url.search ? url.search + url.hash : url.pathname + url.hash);
  }

  /* --- one list --------------------------------------------------------------------- */

  function List(view) {
    this.view = view;
    this.name = view.getAttribute("data-list");
    this.root = view.getAttribute("data-root");
    this.label = view.getAttribute("data-label") || "Items";
    this.server = view.querySelector(".list-pages");
    this.data = null;
    this.loading = null;
    this.state = null;
    this.buildControls();
    this.addHeaderButtons(this.server);
    var columnKeys = ["priority", "kind", "tag", "category", "severity", "status", "source"];
    var params = new URLSearchParams(window.location.search);
    var pending = ["q", "sort", "page"].concat(columnKeys).some(function (key) { return params.has(key); });
    if (pending) this.load();
  }

  List.prototype.load = function () {
    var list = this;
    if (!this.loading) {
      this.status.textContent = "Loading all " + this.label + "…";
      this.loading = loadScript(this.view.getAttribute("data-list-data")).then(function () {
        list.data = window.sitegenData[list.name];
        list.columns = list.data.columns;
        list.state = readState(list.columns);
        // What the reader typed while the data loaded wins over the URL's filter.
        if (list.filter.value) list.state.q = list.filter.value.trim() ? list.filter.value : "";
        else list.filter.value = list.state.q;
        list.buildFacets();
        list.buildTable();
        list.render();
      }, function (error) { list.status.textContent = "Sorting and filtering are not available: " + error.message; });
    }
    return this.loading;
  };

  List.prototype.buildControls = function () {
    var list = this;
    var controls = element("div", "list-controls");
    controls.setAttribute("role", "group");
    controls.setAttribute("aria-label", "Sort and filter all " + this.label);
    var id = "list-filter-" + this.name;
    var label = element("label", "list-filter-label", "Filter ");
    label.htmlFor = id;
    this.filter = element("input", "list-filter");
    this.filter.type = "search";
    this.filter.id = id;
    this.filter.autocomplete = "off";
    this.filter.placeholder = "words in any column";
    label.appendChild(this.filter);
    this.facets = element("span", "list-facets");
    this.reset = element("button", "list-reset", "Show the pages as built");
    this.reset.type = "button";
    this.reset.hidden = true;
    this.status = element("p", "list-status");
    this.status.setAttribute("role", "status");
    controls.append(label, this.facets, this.reset, this.status);
    this.view.insertBefore(controls, this.server);
    this.client = element("div", "list-client");
    this.client.hidden = true;
    this.view.appendChild(this.client);

    controls.addEventListener("focusin", function () { list.load(); });
    controls.addEventListener("pointerover", function () { list.load(); });
    this.filter.addEventListener("input", function () {
      list.load().then(function () {
        list.state.q = list.filter.value.trim() ? list.filter.value : "";
        list.state.page = 1;
        list.render();
      });
    });
    this.reset.addEventListener("click", function () {
      list.state = { q: "", sort: "", desc: false, facets: {}, page: 1 };
      list.filter.value = "";
      list.facets.querySelectorAll("select").forEach(function (select) { select.value = ""; });
      list.render();
      list.filter.focus();
    });
  };

  /* A button in each header cell of the server's tables whose column the data has. */
  List.prototype.addHeaderButtons = function (container) {
    var list = this;
    container.querySelectorAll("thead th").forEach(function (th) {
      var label = th.textContent.trim();
      var button = element("button", "sort-button", label);
      button.type = "button";
      button.setAttribute("data-label", label);
      th.replaceChildren(button);
      button.addEventListener("click", function () {
        list.load().then(function () { list.sortBy(label); });
      });
    });
  };

  List.prototype.sortBy = function (label) {
    var column = this.columns.filter(function (c) { return c.label === label; })[0];
    if (!column) return;
    if (this.state.sort === column.key) this.state.desc = !this.state.desc;
    else { this.state.sort = column.key; this.state.desc = false; }
    this.state.page = 1;
    this.render();
    var button = this.client.querySelector('.sort-button[data-label="' + label + '"]');
    if (button) button.focus();
  };

  List.prototype.buildFacets = function () {
    var list = this;
    var rows = this.data.rows;
    this.columns.forEach(function (column, at) {
      if (!column.facet) return;
      var counts = new Map();
      rows.forEach(function (row) { counts.set(row[at], (counts.get(row[at]) || 0) + 1); });
      var values = Array.from(counts.keys()).sort(function (a, b) {
        return column.type === "priority" ? (RANK[a] || 9) - (RANK[b] || 9) || (a < b ? -1 : 1)
                                           : counts.get(b) - counts.get(a) || (a < b ? -1 : a > b ? 1 : 0);
      });
      var id = "list-facet-" + list.name + "-" + column.key;
      var label = element("label", "list-facet", column.label + " ");
      label.htmlFor = id;
      var select = element("select");
      select.id = id;
      select.appendChild(new Option("all (" + number(rows.length) + ")", ""));
      values.forEach(function (value) {
        select.appendChild(new Option((value === "" ? "(none)" : value) + " (" + number(counts.get(value)) + ")",
                                      value === "" ? "\u0000" : value));
      });
      select.value = list.state.facets[column.key] || "";
      if (select.value !== (list.state.facets[column.key] || "")) delete list.state.facets[column.key];
      select.addEventListener("change", function () {
        if (select.value) list.state.facets[column.key] = select.value;
        else delete list.state.facets[column.key];
        list.state.page = 1;
        list.render();
      });
      label.appendChild(select);
      list.facets.appendChild(label);
    });
  };

  List.prototype.buildTable = function () {
    var table = element("table", "list-table list-" + this.name);
    this.caption = element("caption", "visually-hidden");
    table.appendChild(this.caption);
    var head = element("tr");
    var list = this;
    this.shown = [];
    this.columns.forEach(function (column, at) {
      if (column.hidden) return;
      list.shown.push(at);
      var th = element("th");
      th.scope = "col";
      th.textContent = column.label;
      head.appendChild(th);
    });
    var thead = element("thead");
    thead.appendChild(head);
    this.body = element("tbody");
    table.append(thead, this.body);
    this.pager = element("nav", "pager list-pager");
    this.pager.setAttribute("aria-label", this.label + ": pages of the sorted and filtered list");
    this.client.replaceChildren(table, this.pager);
    this.addHeaderButtons(this.client);
  };

  /* --- filtering and sorting ------------------------------------------------------- */

  function cellText(column, cell) {
    if (column.type === "location") return cell[0];
    if (column.type === "refs") return cell.join(" ");
    return String(cell);
  }

  List.prototype.haystacks = function () {
    if (!this.texts) {
      var columns = this.columns;
      this.texts = this.data.rows.map(function (row) {
        return row.map(function (cell, at) { return cellText(columns[at], cell); }).join("\n").toLowerCase();
      });
    }
    return this.texts;
  };

  List.prototype.matching = function () {
    var state = this.state, rows = this.data.rows, columns = this.columns;
    var tests = [];
    columns.forEach(function (column, at) {
      var wanted = state.facets[column.key];
      if (wanted !== undefined) {
        wanted = wanted === "\u0000" ? "" : wanted;
        tests.push(function (n) { return rows[n][at] === wanted; });
      }
    });
    var words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length) {
      var texts = this.haystacks();
      tests.push(function (n) { return words.every(function (word) { return texts[n].indexOf(word) >= 0; }); });
    }
    var out = [];
    for (var n = 0; n < rows.length; n++) {
      if (tests.every(function (test) { return test(n); })) out.push(n);
    }
    return out;
  };

  /* Sort keys of one column: priorities by rank (none last), locations by path then
     line number, the rest as natural text. */
  List.prototype.keys = function (at) {
    this.sortKeys = this.sortKeys || {};
    if (!this.sortKeys[at]) {
      var column = this.columns[at];
      this.sortKeys[at] = this.data.rows.map(function (row) {
        var cell = row[at];
        if (column.type === "priority") return RANK[cell] || null;
        if (column.type === "location") return [natural(cell[2]), cell[3]];
        if (column.type === "refs") return cell.length ? natural(cell.join(" ")) : null;
        return cell === "" ? null : natural(cell);
      });
    }
    return this.sortKeys[at];
  };

  /* Keys are numbers, natural text, or [text, number] pairs; numbers before text. */
  function compare(a, b) {
    if (Array.isArray(a)) return compare(a[0], b[0]) || a[1] - b[1];
    if (typeof a !== typeof b) return typeof a === "number" ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /* Sorts row positions `m`, `n` by their keys: empty keys (null) last either way,
     ties in the original order. */
  function byKeys(keys, desc) {
    var sign = desc ? -1 : 1;
    return function (m, n) {
      var a = keys[m], b = keys[n];
      if (a === null || b === null) return (a === null) - (b === null) || m - n;
      return sign * compare(a, b) || m - n;
    };
  }

  List.prototype.sorted = function (indices) {
    var at = this.columns.map(function (c) { return c.key; }).indexOf(this.state.sort);
    if (at < 0) return indices;
    return indices.sort(byKeys(this.keys(at), this.state.desc));
  };

  /* --- showing it ------------------------------------------------------------------- */

  List.prototype.cell = function (column, value) {
    var td = element("td");
    var type = column.type || "text";
    if (type === "priority") {
      if (value) td.appendChild(element("span", "badge priority-" + value.toLowerCase(), value));
    } else if (type === "location") {
      var link = element("a");
      link.href = this.root + value[1];
      link.appendChild(element("code", null, value[0]));
      td.className = "location";
      td.appendChild(link);
    } else if (type === "refs") {
      var root = this;
      td.className = "refs";
      value.forEach(function (ref, i) {
        if (i) td.appendChild(document.createTextNode(", "));
        if (/^https?:\/\//i.test(ref)) {
          var a = element("a", null, ref.replace(/^https?:\/\//i, ""));  // the scheme says nothing here
          a.href = ref;
          a.rel = "noopener noreferrer";
          td.appendChild(a);
        } else td.appendChild(element("code", null, ref));
      }, root);
    } else if (type === "id") {
      td.appendChild(element("code", "item-id", value));
    } else if (type === "status" || type === "severity") {
      td.appendChild(element("span", type + " " + type + "-" + value, value));
    } else if (type === "tag") {
      td.appendChild(element("span", "tag", value));
    } else {
      td.textContent = value;
      if (column.key === "text" || column.key === "title") td.className = "finding-text";
    }
    return td;
  };

  List.prototype.render = function () {
    var state = this.state, active = isActive(state);
    writeState(state, this.columns);
    this.server.hidden = active;
    this.client.hidden = !active;
    this.reset.hidden = !active;
    var total = this.data.rows.length;
    if (!active) {
      this.status.textContent = number(total) + " " + this.label + " in all; sort by a column or filter to see them all at once.";
      return;
    }
    var started = performance.now();
    var indices = this.sorted(this.matching());
    var pages = Math.max(1, Math.ceil(indices.length / PAGE));
    state.page = Math.min(state.page, pages);
    var first = (state.page - 1) * PAGE;
    var rows = this.data.rows, columns = this.columns, list = this;
    var body = element("tbody");
    indices.slice(first, first + PAGE).forEach(function (n) {
      var tr = element("tr");
      list.shown.forEach(function (at) { tr.appendChild(list.cell(columns[at], rows[n][at])); });
      body.appendChild(tr);
    });
    this.body.replaceWith(body);
    this.body = body;
    this.showSort();
    this.showPager(indices.length, pages, first);
    this.status.textContent = number(indices.length) + " of " + number(total) + " " + this.label + " match"
      + (state.sort ? ", sorted by " + this.columnLabel(state.sort) + (state.desc ? " (descending)" : "") : "") + ".";
    this.status.setAttribute("data-ms", (performance.now() - started).toFixed(1));
    this.caption.textContent = this.label + ": " + this.status.textContent;
  };

  List.prototype.columnLabel = function (key) {
    return this.columns.filter(function (c) { return c.key === key; })[0].label.toLowerCase();
  };

  List.prototype.showSort = function () {
    var state = this.state, columns = this.columns;
    this.client.querySelectorAll("thead th").forEach(function (th) {
      var label = th.querySelector("button").getAttribute("data-label");
      var column = columns.filter(function (c) { return c.label === label; })[0];
      if (column && column.key === state.sort) th.setAttribute("aria-sort", state.desc ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
  };

  List.prototype.showPager = function (count, pages, first) {
    var list = this;
    this.pager.replaceChildren(element("span", "pager-rows",
      count ? "Rows " + number(first + 1) + "–" + number(Math.min(first + PAGE, count)) + " of " + number(count)
            : "No row matches"));
    if (pages < 2) return;
    [["Previous", this.state.page - 1], ["Next", this.state.page + 1]].forEach(function (pair) {
      var button = element("button", "pager-button", pair[0]);
      button.type = "button";
      button.disabled = pair[1] < 1 || pair[1] > pages;
      button.addEventListener("click", function () {
        list.state.page = pair[1];
        list.render();
        (list.pager.querySelector(".pager-button-" + pair[0] + ":not([disabled])")
          || list.pager.querySelector("button:not([disabled])") || list.filter).focus();
      });
      button.classList.add("pager-button-" + pair[0]);
      list.pager.appendChild(button);
    });
    this.pager.appendChild(element("span", "pager-of", "page " + this.state.page + " of " + pages));
  };

  /* --- a table complete on its page: <table data-sortable> ------------------------
     Its rows are sorted where they are (ids and anchors stay); a cell's data-sort
     attribute, if any, is its key (a progress bar's percent), else its text. */

  function cellKey(cell) {
    if (!cell) return null;
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (raw === "") return null;
    if (RANK[raw]) return RANK[raw];
    return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : natural(raw);
  }

  function sortable(table) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.from(body.rows);
    var sorted = { at: -1, desc: false };
    var headers = Array.from(table.querySelectorAll("thead th"));
    headers.forEach(function (th, at) {
      var button = element("button", "sort-button", th.textContent.trim());
      button.type = "button";
      th.replaceChildren(button);
      button.addEventListener("click", function () {
        sorted.desc = sorted.at === at ? !sorted.desc : false;
        sorted.at = at;
        var keys = rows.map(function (row) { return cellKey(row.cells[at]); });
        var order = rows.map(function (_, n) { return n; }).sort(byKeys(keys, sorted.desc));
        body.append.apply(body, order.map(function (n) { return rows[n]; }));
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", sorted.desc ? "descending" : "ascending");
      });
    });
  }

  document.querySelectorAll("[data-list]").forEach(function (view) { new List(view); });
  document.querySelectorAll("table[data-sortable]").forEach(sortable);
})();
