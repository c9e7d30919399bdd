// Search over the site's static index (below search/, built with the site; format in
// src/search/mod.rs). A query matches the records that hold every one of its terms: pairs of
// Chinese characters, and ASCII words. Hits are ranked by BM25 and can be narrowed by plan,
// theme and kind. The tokenizer must agree with the one in src/search/tokenize.rs.
(function () {
  "use strict";
  var MAX_WORD = 32;

  function isCjk(cp) {
    return (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x323af);
  }

  function fold(ch) {
    var cp = ch.codePointAt(0);
    if (cp >= 0xff01 && cp <= 0xff5e) ch = String.fromCodePoint(cp - 0xfee0);
    return /[A-Z]/.test(ch) ? ch.toLowerCase() : ch;
  }

  // The terms of a text, as in src/search/tokenize.rs: CJK bigrams (a lone character alone),
  // ASCII words. Both are held to the cases of src/search/tokenize_cases.json.
  function tokenize(text) {
    var out = [];
    var prev = null, run = 0, word = "";
    function flushWord() {
      if (word) out.push(Array.from(word).slice(0, MAX_WORD).join(""));
      word = "";
    }
    Array.from(text).forEach(function (raw) {
      var c = fold(raw);
      if (isCjk(c.codePointAt(0))) {
        flushWord();
        if (prev !== null) out.push(prev + c);
        prev = c;
        run++;
      } else {
        if (run === 1) out.push(prev);
        prev = null;
        run = 0;
        if (/^[0-9a-z]$/.test(c)) word += c; else flushWord();
      }
    });
    if (run === 1) out.push(prev);
    flushWord();
    return out;
  }

  // Without a page (node, in tests/browser/tokenizer.mjs) the tokenizer is all there is to use.
  if (typeof document === "undefined") {
    if (typeof module === "object" && module) module.exports = { tokenize: tokenize };
    return;
  }

  var script = document.currentScript;
  var root = script.getAttribute("data-root") || "";
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var filterBox = document.getElementById("search-filters");
  var LABELS = { plan: "规划", theme: "主题", kind: "类型" };
  var PAGE = 30;
  var chosen = { plan: [], theme: [], kind: [] };
  var meta = null;
  var shards = {};
  var chunks = {};
  var latest = 0;
  var hits = [];
  var shown = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  // A fetch that has not answered in 4 s is abandoned and tried again, with 8 s and then 16 s:
  // a stalled request (seen in chromium after quick navigations) must not hang the search.
  function fetchJson(path, tries) {
    tries = tries == null ? 3 : tries;
    var control = new AbortController();
    var timer = setTimeout(function () { control.abort(); }, 4000 * Math.pow(2, 3 - tries));
    return fetch(new URL(root + "search/" + path, location.href).href, { signal: control.signal }).then(function (r) {
      if (!r.ok) throw new Error(path + ": HTTP " + r.status);
      return r.json();
    }).then(function (data) {
      clearTimeout(timer);
      return data;
    }, function (e) {
      clearTimeout(timer);
      if (tries > 1 && e.name === "AbortError") return fetchJson(path, tries - 1);
      throw e;
    });
  }

  function shardOf(term) {
    var h = 0x811c9dc5;
    for (var ch of term) h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0;
    return h & (meta.shards - 1);
  }

  function postings(term) {
    var n = shardOf(term);
    if (!shards[n]) shards[n] = fetchJson("terms/" + n + ".json").catch(function (e) { delete shards[n]; throw e; });
    return shards[n].then(function (s) { return Object.prototype.hasOwnProperty.call(s, term) ? s[term] : null; });
  }

  function docOf(id) {
    var n = Math.floor(id / meta.chunk);
    if (!chunks[n]) chunks[n] = fetchJson("docs/" + n + ".json").catch(function (e) { delete chunks[n]; throw e; });
    return chunks[n].then(function (c) { return c[id - n * meta.chunk]; });
  }

  // Records holding every term, with their BM25 scores.
  async function match(terms) {
    var lists = await Promise.all(terms.map(postings));
    if (lists.some(function (l) { return l === null; })) return new Map();
    var scores = null;
    lists.sort(function (a, b) { return a.length - b.length; });
    lists.forEach(function (l) {
      var df = l.length / 2;
      var idf = Math.log(1 + (meta.docs - df + 0.5) / (df + 0.5));
      var next = new Map();
      for (var i = 0, doc = 0; i < l.length; i += 2) {
        doc += l[i];
        if (scores === null) next.set(doc, idf * l[i + 1]);
        else if (scores.has(doc)) next.set(doc, scores.get(doc) + idf * l[i + 1]);
      }
      scores = next;
    });
    return scores || new Map();
  }

  // Records holding any chosen value of each filter that has one.
  async function allowed() {
    var keys = Object.keys(chosen).filter(function (k) { return chosen[k].length; });
    var sets = await Promise.all(keys.map(async function (k) {
      var lists = await Promise.all(chosen[k].map(function (v) { return postings("#" + k + ":" + v); }));
      var set = new Set();
      lists.forEach(function (l) { for (var i = 0, doc = 0; l && i < l.length; i++) { doc += l[i]; set.add(doc); } });
      return set;
    }));
    return sets;
  }

  // A window of the text around the first hit, the query's terms marked.
  function excerpt(text, terms, q) {
    var folded = Array.from(text).map(fold).join("");
    var at = folded.indexOf(Array.from(q).map(fold).join(""));
    if (at < 0) terms.some(function (t) { at = folded.indexOf(t); return at >= 0; });
    var start = Math.max(0, at - 40), end = Math.min(text.length, start + 140);
    var marks = [];
    terms.forEach(function (t) {
      for (var i = folded.indexOf(t, start); i >= 0 && i < end; i = folded.indexOf(t, i + 1)) marks.push([i, i + t.length]);
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var p = el("p", { "class": "excerpt" });
    var pos = start;
    if (start > 0) p.appendChild(document.createTextNode("…"));
    marks.forEach(function (m) {
      if (m[1] <= pos) return;
      var from = Math.max(m[0], pos), to = Math.min(m[1], end);
      if (from > pos) p.appendChild(document.createTextNode(text.slice(pos, from)));
      p.appendChild(el("mark", null, text.slice(from, to)));
      pos = to;
    });
    p.appendChild(document.createTextNode(text.slice(pos, end) + (end < text.length ? "…" : "")));
    return p;
  }

  async function showMore(ticket, terms, q) {
    var page = hits.slice(shown, shown + PAGE);
    shown += page.length;
    var docs = await Promise.all(page.map(function (h) { return docOf(h[0]); }));
    if (ticket !== latest) return;
    docs.forEach(function (d) {
      var li = el("li", { "class": "search-result" });
      var h = el("h2");
      h.appendChild(el("a", { href: root + d[0] }, d[1] || d[0]));
      li.appendChild(h);
      var where = [d[2], d[3], d[4]].filter(Boolean).join(" · ");
      if (where) li.appendChild(el("p", { "class": "where" }, where));
      li.appendChild(excerpt(d[5], terms, q));
      list.appendChild(li);
    });
    more.hidden = shown >= hits.length;
  }

  async function run() {
    var q = input.value.trim();
    var ticket = ++latest;
    var params = new URLSearchParams(location.search);
    if (q) params.set("q", q); else params.delete("q");
    history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
    list.textContent = "";
    more.hidden = true;
    hits = [];
    shown = 0;
    if (!q) { status.textContent = ""; return; }
    var terms = Array.from(new Set(tokenize(q)));
    if (!terms.length) { status.textContent = "请输入汉字、字母或数字"; return; }
    status.textContent = "正在搜索…";
    var found = await match(terms);
    var filters = await allowed();
    if (ticket !== latest) return;
    found.forEach(function (score, doc) {
      if (filters.every(function (s) { return s.has(doc); })) hits.push([doc, score]);
    });
    hits.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    await showMore(ticket, terms, q);
    if (ticket !== latest) return;
    // The count comes last: it tells readers (and the tests) that the list is complete.
    var single = terms.length === 1 && Array.from(terms[0]).length === 1;
    status.textContent = hits.length ? "找到 " + hits.length + " 条结果"
      : single ? "没有找到结果（单个汉字只匹配单独出现的字，请输入两个以上的字）" : "没有找到结果";
  }

  function showFilters() {
    ["plan", "theme", "kind"].forEach(function (key) {
      var values = meta.facets[key] || [];
      if (!values.length) return;
      var fs = el("fieldset");
      fs.appendChild(el("legend", null, LABELS[key]));
      values.forEach(function (v, i) {
        var id = "f-" + key + "-" + i;
        var box = el("input", { type: "checkbox", id: id, value: v[0] });
        box.addEventListener("change", function () {
          chosen[key] = Array.prototype.map.call(fs.querySelectorAll("input:checked"), function (x) { return x.value; });
          run().catch(fail);
        });
        var row = el("div");
        row.appendChild(box);
        row.appendChild(el("label", { "for": id }, v[0] + "（" + v[1] + "）"));
        fs.appendChild(row);
      });
      filterBox.appendChild(fs);
    });
  }

  function fail(e) { status.textContent = "搜索暂不可用：" + e.message; }

  async function start() {
    meta = await fetchJson("meta.json");
    showFilters();
    var q = new URLSearchParams(location.search).get("q");
    if (q) input.value = q;
    var timer;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { run().catch(fail); }, 200); });
    input.form.addEventListener("submit", function (e) { e.preventDefault(); run().catch(fail); });
    more.addEventListener("click", function () {
      var q = input.value.trim();
      showMore(latest, Array.from(new Set(tokenize(q))), q).catch(fail);
    });
    await run();
  }

  start().catch(fail);
})();
