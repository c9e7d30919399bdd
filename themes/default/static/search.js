// Search with Pagefind (the index is built with the site). Exact phrases are searched first and
// their hits lead, then the words anywhere; results can be narrowed by plan, theme and kind.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = script.getAttribute("data-root") || "";
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var filterBox = document.getElementById("search-filters");
  var LABELS = { plan: "规划", theme: "主题", kind: "类型" };
  var chosen = { plan: [], theme: [], kind: [] };
  var pagefind = null;
  var latest = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  function activeFilters() {
    var f = {};
    Object.keys(chosen).forEach(function (k) { if (chosen[k].length) f[k] = { any: chosen[k] }; });
    return f;
  }

  async function run() {
    var q = input.value.trim();
    var ticket = ++latest;
    var params = new URLSearchParams(location.search);
    if (q) params.set("q", q); else params.delete("q");
    history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
    list.textContent = "";
    if (!q) { status.textContent = ""; return; }
    status.textContent = "正在搜索…";
    var options = { filters: activeFilters() };
    var phrase = q.indexOf(" ") < 0 && q.length > 1 ? await pagefind.search('"' + q + '"', options) : { results: [] };
    var words = await pagefind.search(q, options);
    if (ticket !== latest) return;
    var seen = {};
    var merged = [];
    (phrase.results || []).concat(words.results || []).forEach(function (r) {
      if (!seen[r.id]) { seen[r.id] = true; merged.push(r); }
    });
    var shown = await Promise.all(merged.slice(0, 30).map(function (r) { return r.data(); }));
    if (ticket !== latest) return;
    status.textContent = merged.length ? "找到 " + merged.length + " 条结果" : "没有找到结果";
    shown.forEach(function (d) {
      var li = el("li", { "class": "search-result" });
      var a = el("a", { href: d.url }, d.meta.title || d.url);
      var h = el("h2");
      h.appendChild(a);
      li.appendChild(h);
      var where = [d.meta.kind, d.meta.plan, d.meta.place].filter(Boolean).join(" · ");
      if (where) li.appendChild(el("p", { "class": "where" }, where));
      var p = el("p", { "class": "excerpt" });
      p.innerHTML = d.excerpt; // Pagefind escapes the text and marks the hits with <mark>.
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  async function showFilters() {
    var all = await pagefind.filters();
    ["plan", "theme", "kind"].forEach(function (key) {
      var values = all[key] || {};
      var names = Object.keys(values).sort();
      if (!names.length) return;
      var fs = el("fieldset");
      fs.appendChild(el("legend", null, LABELS[key]));
      names.forEach(function (name, i) {
        var id = "f-" + key + "-" + i;
        var box = el("input", { type: "checkbox", id: id, value: name });
        box.addEventListener("change", function () {
          chosen[key] = Array.prototype.filter.call(fs.querySelectorAll("input:checked"), function (x) { return true; })
            .map(function (x) { return x.value; });
          run();
        });
        var label = el("label", { "for": id }, name + "（" + values[name] + "）");
        var row = el("div");
        row.appendChild(box);
        row.appendChild(label);
        fs.appendChild(row);
      });
      filterBox.appendChild(fs);
    });
  }

  async function start() {
    pagefind = await import(new URL(root + "pagefind/pagefind.js", location.href).href);
    await pagefind.options({ baseUrl: new URL(root, location.href).pathname });
    await pagefind.init();
    await showFilters();
    var q = new URLSearchParams(location.search).get("q");
    if (q) input.value = q;
    var timer;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
    input.form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    run();
  }

  start().catch(function (e) { status.textContent = "搜索暂不可用：" + e; });
})();
