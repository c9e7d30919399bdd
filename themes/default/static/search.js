// Search over the site's static index (below search/, built with the site; format in
// src/search/mod.rs). A query matches the records that hold every one of its terms: pairs of
// Chinese characters, and ASCII words; a single character also finds the records that hold it
// inside a word, ranked after those where it stands alone. A name of an instrument in the
// glossary also searches its other names (数字货币 → 数字人民币). A query that matches nothing
// falls back to its longest sub-phrases that do (养老金融 → 养老 + 金融) and suggests themes and
// glossary terms. Hits are ranked by BM25 and can be narrowed by plan, theme and kind, with
// counts for the current query. The tokenizer must agree with src/search/tokenize.rs.
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
  var $ = function (id) { return document.getElementById(id); };
  var input = $("search-q"), status = $("search-status"), note = document.querySelector(".search-note");
  var list = $("search-results"), more = $("search-more"), filterBox = $("search-filters");
  var toggle = document.querySelector(".search-filter-toggle");
  var LABELS = { plan: "规划", theme: "主题", kind: "类型" };
  var KEYS = ["plan", "theme", "kind"];
  var PAGE = 30;
  var chosen = { plan: [], theme: [], kind: [] };
  var meta, facets, glossary, owner = {};
  var cache = {}, memo = new Map();
  var latest = 0, hits = [], shown = 0, marks = [];

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  var fold1 = function (s) { return Array.from(s).map(fold).join(""); };

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
  function file(path) {
    if (!cache[path]) cache[path] = fetchJson(path).catch(function (e) { delete cache[path]; throw e; });
    return cache[path];
  }

  function shardOf(term) {
    var h = 0x811c9dc5;
    for (var ch of term) h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0;
    return h & (meta.shards - 1);
  }

  // Runs [gap, length, …] (src/search/mod.rs `runs`) as record numbers.
  function unrun(r, f) {
    for (var i = 0, doc = 0; r && i < r.length; i += 2) {
      doc += r[i];
      for (var k = 0; k < r[i + 1]; k++) f(doc + k);
      doc += r[i + 1];
    }
  }

  // One term's records and scores: BM25 from its postings; a single CJK character adds, with a
  // score below any whole-word hit, the records holding it inside a word.
  function postings(term) {
    if (!memo.has(term)) memo.set(term, decode(term).catch(function (e) { memo.delete(term); throw e; }));
    return memo.get(term);
  }
  async function decode(term) {
    var s = await file("terms/" + shardOf(term) + ".json");
    var l = Object.prototype.hasOwnProperty.call(s, term) ? s[term] : [];
    var df = l.length / 2;
    var idf = Math.log(1 + (meta.docs - df + 0.5) / (df + 0.5));
    var out = new Map();
    for (var i = 0, doc = 0; i < l.length; i += 2) { doc += l[i]; out.set(doc, 1 + idf * l[i + 1]); }
    var cp = term.codePointAt(0);
    if (Array.from(term).length === 1 && isCjk(cp) && meta.chars.indexOf(term) >= 0) {
      unrun(await file("chars/" + cp.toString(16) + ".json"), function (doc) { if (!out.has(doc)) out.set(doc, 1e-3); });
    }
    return out;
  }

  // Records holding every term of a phrase, with their scores.
  async function matchPhrase(phrase) {
    var terms = Array.from(new Set(tokenize(phrase)));
    if (!terms.length) return new Map();
    var lists = await Promise.all(terms.map(postings));
    lists.sort(function (a, b) { return a.size - b.size; });
    return lists.reduce(function (acc, l) {
      var next = new Map();
      acc.forEach(function (v, doc) { if (l.has(doc)) next.set(doc, v + l.get(doc)); });
      return next;
    });
  }

  // The glossary's other names of the instruments a phrase names: [[name found, other], …].
  function synonyms(phrase) {
    var f = fold1(phrase), out = [];
    glossary.synonyms.forEach(function (names) {
      var found = names.filter(function (n) { return f.indexOf(fold1(n)) >= 0; })
        .sort(function (a, b) { return b.length - a.length; })[0];
      if (found) names.forEach(function (n) { if (n !== found && f.indexOf(fold1(n)) < 0) out.push([found, n]); });
    });
    return out;
  }

  // A phrase and its synonyms: records holding any spelling, each at its best score.
  async function matchWithSynonyms(phrase) {
    var f = fold1(phrase);
    var alts = [f].concat(synonyms(phrase).map(function (s) { return f.split(fold1(s[0])).join(fold1(s[1])); }));
    var maps = await Promise.all(alts.map(matchPhrase));
    var out = new Map();
    maps.forEach(function (m) { m.forEach(function (v, doc) { if (!(out.get(doc) >= v)) out.set(doc, v); }); });
    return out;
  }

  // The fewest sub-phrases (then the longest shortest one) that each match something and
  // together cover as much of the phrase as can be: 养老金融 → 养老, 金融. Single characters
  // only where no longer piece is found.
  async function pieces(phrase, least) {
    least = least || 2;
    var ch = Array.from(phrase).slice(0, 24), n = ch.length, ok = {}, i, j;
    for (i = 0; i < n; i++) {
      for (j = i + least; j <= n; j++) {
        if (j - i < n) ok[i + "," + j] = (await matchWithSynonyms(ch.slice(i, j).join(""))).size > 0;
      }
    }
    // best[i]: [covered, -count, shortest, pieces] for ch[i..]; a character may be skipped.
    var best = [];
    best[n] = [0, 0, Infinity, []];
    for (i = n - 1; i >= 0; i--) {
      var b = best[i + 1];
      for (j = i + least; j <= n; j++) {
        if (!ok[i + "," + j]) continue;
        var r = best[j], c = [r[0] + j - i, r[1] - 1, Math.min(r[2], j - i), [ch.slice(i, j).join("")].concat(r[3])];
        if (c[0] > b[0] || (c[0] === b[0] && (c[1] > b[1] || (c[1] === b[1] && c[2] > b[2])))) b = c;
      }
      best[i] = b;
    }
    return best[0][3].length || least === 1 ? best[0][3] : pieces(phrase, 1);
  }

  function intersect(maps) {
    return maps.reduce(function (acc, m) {
      var next = new Map();
      acc.forEach(function (v, doc) { if (m.has(doc)) next.set(doc, v + m.get(doc)); });
      return next;
    });
  }

  // The query's hits: every phrase (the query split at spaces) matched with its synonyms; if
  // none match together, each phrase that matches nothing is replaced by its pieces, and if
  // those do not all meet in one record, a record matching more of them ranks higher.
  async function search(q) {
    var phrases = q.split(/\s+/).filter(function (p) { return tokenize(p).length; });
    var maps = await Promise.all(phrases.map(matchWithSynonyms));
    var syn = [];
    phrases.forEach(function (p) { synonyms(p).forEach(function (s) { if (syn.indexOf(s[1]) < 0) syn.push(s[1]); }); });
    var found = intersect(maps), used = phrases, fallback = false, rare = {};
    if (!found.size) {
      fallback = true;
      used = [];
      for (var k = 0; k < phrases.length; k++) {
        if (maps[k].size) used.push(phrases[k]);
        else used = used.concat(await pieces(phrases[k]));
      }
      var parts = await Promise.all(used.map(matchWithSynonyms));
      parts.forEach(function (m, i) { rare[used[i]] = 1 / (m.size + 1); });
      found = intersect(parts.length ? parts : [new Map()]);
      if (!found.size) {
        parts.forEach(function (m) { m.forEach(function (v, doc) { found.set(doc, (found.get(doc) || 0) + 1000 + v); }); });
      }
    }
    return { found: found, used: used, syn: syn, fallback: fallback, phrases: phrases, rare: rare };
  }

  // Which value of a filter each record has, and the records' theme sets (fetched by chunk).
  function ownerOf(key) {
    if (!owner[key]) {
      owner[key] = new Int32Array(meta.docs).fill(-1);
      facets[key].forEach(function (v, i) { unrun(v[2], function (doc) { owner[key][doc] = i; }); });
    }
    return owner[key];
  }
  async function themesOf(docs) {
    var size = facets.themeChunk, w = facets.themeWidth, need = new Set();
    docs.forEach(function (d) { need.add(Math.floor(d / size)); });
    var col = {};
    await Promise.all(Array.from(need).map(async function (c) { col[c] = await file("themes/" + c + ".json"); }));
    var D = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_", out = new Map();
    docs.forEach(function (d) {
      var s = col[Math.floor(d / size)], at = (d % size) * w, n = 0;
      for (var i = 0; i < w; i++) n = n * 64 + D.indexOf(s[at + i]);
      out.set(d, facets.themeSets[n] || []);
    });
    return out;
  }
  function valuesOf(key, doc, themes) {
    if (key === "theme") return themes.get(doc);
    var i = ownerOf(key)[doc];
    return i < 0 ? [] : [i];
  }

  // The strings to mark in an excerpt: each searched phrase and synonym where the text holds
  // it whole, else its longest parts the text holds.
  function marksIn(folded) {
    var out = [];
    marks.forEach(function (m) {
      if (folded.indexOf(m) >= 0) { out.push(m); return; }
      var ch = Array.from(m);
      for (var i = 0; i < ch.length;) {
        for (var j = ch.length; j > i + (ch.length > 1 ? 1 : 0); j--) {
          if (folded.indexOf(ch.slice(i, j).join("")) >= 0) { out.push(ch.slice(i, j).join("")); break; }
        }
        i = j > i + 1 ? j : i + 1;
      }
    });
    return out;
  }

  // A window of the text around the first mark, the marks marked; and a text fragment
  // (#:~:text=) that scrolls the page to that place.
  function excerpt(text) {
    // The window opens at the rarest mark in the text (养老 rather than 金融 for 养老 + 金融).
    var folded = fold1(text), ms = marksIn(folded), at = -1, fewest = Infinity;
    ms.forEach(function (m) {
      var i = folded.indexOf(m), n = folded.split(m).length;
      if (i >= 0 && (n < fewest || (n === fewest && i < at))) { at = i; fewest = n; }
    });
    var start = Math.max(0, at - 40), end = Math.min(text.length, start + 140), found = [];
    ms.forEach(function (t) {
      for (var i = folded.indexOf(t, start); i >= 0 && i < end; i = folded.indexOf(t, i + 1)) found.push([i, i + t.length]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var p = el("p", { "class": "excerpt" }), pos = start, frag = "";
    if (start > 0) p.appendChild(document.createTextNode("…"));
    found.forEach(function (m) {
      if (m[1] <= pos) return;
      var from = Math.max(m[0], pos), to = Math.min(m[1], end);
      if (from > pos) p.appendChild(document.createTextNode(text.slice(pos, from)));
      p.appendChild(el("mark", null, text.slice(from, to)));
      pos = to;
    });
    p.appendChild(document.createTextNode(text.slice(pos, end) + (end < text.length ? "…" : "")));
    // The page's title holds the record's first line: land on the first mark below it.
    var body = folded.indexOf("\n") + 1, first = -1, len = 0;
    ms.forEach(function (m) {
      var i = folded.indexOf(m, body);
      if (i < 0) i = folded.indexOf(m);
      if (i >= 0 && (first < 0 || (i >= body) > (first >= body) || ((i >= body) === (first >= body) && i < first))) { first = i; len = m.length; }
    });
    if (first >= 0) {
      var enc = function (s) { return encodeURIComponent(s).replace(/-/g, "%2D"); };
      var before = text.slice(Math.max(0, first - 6), first).split(/[\s，。、；：,.;:（）()“”]/).pop();
      frag = "#:~:text=" + (before ? enc(before) + "-," : "") + enc(text.slice(first, first + len));
    }
    return { p: p, frag: frag };
  }

  async function showMore(ticket) {
    var page = hits.slice(shown, shown + PAGE);
    shown += page.length;
    var docs = await Promise.all(page.map(function (h) {
      var n = Math.floor(h[0] / meta.chunk);
      return file("docs/" + n + ".json").then(function (c) { return c[h[0] - n * meta.chunk]; });
    }));
    if (ticket !== latest) return;
    docs.forEach(function (d) {
      var li = el("li", { "class": "search-result" }), h = el("h2"), ex = excerpt(d[5]);
      // A page without an anchor of the hit (a section, theme or concept) is opened at the words.
      h.appendChild(el("a", { href: root + d[0] + (d[0].indexOf("#") < 0 ? ex.frag : "") }, d[1] || d[0]));
      li.appendChild(h);
      var where = [d[2], d[3], d[4]].filter(Boolean).join(" · ");
      if (where) li.appendChild(el("p", { "class": "where" }, where));
      li.appendChild(ex.p);
      list.appendChild(li);
    });
    more.hidden = shown >= hits.length;
  }

  // Themes and glossary terms sharing a searched word, as links: those sharing the rarer
  // words (fewer hits) first.
  function suggest(used, rare) {
    var out = [];
    var add = function (name, href, kind) {
      var score = 0;
      used.forEach(function (w) { if (Array.from(w).length > 1 && (name.indexOf(w) >= 0 || w.indexOf(name) >= 0)) score += rare[w] || 1; });
      if (score) out.push([name, href, kind, score]);
    };
    glossary.themes.forEach(function (t) { add(t[0], root + t[1], "主题"); });
    glossary.terms.forEach(function (t) { add(t, "?q=" + encodeURIComponent(t), "术语"); });
    if (!out.length) return;
    out.sort(function (a, b) { return b[3] - a[3]; });
    var p = el("p", { "class": "search-suggest" }, "相关主题和术语：");
    out.slice(0, 8).forEach(function (s, i) {
      if (i) p.appendChild(document.createTextNode("、"));
      p.appendChild(el("a", { href: s[1], title: s[2] }, s[0]));
    });
    note.appendChild(p);
  }

  async function run() {
    var q = input.value.trim();
    var ticket = ++latest;
    var params = new URLSearchParams(location.search);
    if (q) params.set("q", q); else params.delete("q");
    history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
    list.textContent = "";
    note.textContent = "";
    more.hidden = true;
    hits = [];
    shown = 0;
    if (!q) { status.textContent = ""; showFilters(null); return; }
    if (!tokenize(q).length) { status.textContent = "请输入汉字、字母或数字"; return; }
    status.textContent = "正在搜索…";
    var r = await search(q);
    var docs = Array.from(r.found.keys());
    var themes = await themesOf(docs);
    if (ticket !== latest) return;
    var pass = function (doc, skip) {
      return KEYS.every(function (k) {
        if (k === skip || !chosen[k].length) return true;
        var names = valuesOf(k, doc, themes).map(function (i) { return facets[k][i][0]; });
        return chosen[k].some(function (v) { return names.indexOf(v) >= 0; });
      });
    };
    r.found.forEach(function (score, doc) { if (pass(doc)) hits.push([doc, score]); });
    hits.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    // Counts of each filter's values among the hits that the other filters let through.
    var counts = {};
    KEYS.forEach(function (k) {
      var c = counts[k] = new Map();
      docs.forEach(function (doc) {
        if (pass(doc, k)) valuesOf(k, doc, themes).forEach(function (i) { c.set(i, (c.get(i) || 0) + 1); });
      });
    });
    showFilters(counts);
    marks = Array.from(new Set(r.used.concat(r.syn).map(fold1)));
    if (r.syn.length) note.appendChild(el("p", null, "包括同义词：" + r.syn.join("、")));
    if (r.fallback) {
      note.appendChild(el("p", null, "没有找到与“" + q + "”完全匹配的结果" +
        (r.used.length ? "，已改为搜索：" + r.used.join("、") : "")));
      suggest(r.used.length ? r.used : r.phrases, r.rare);
    }
    await showMore(ticket);
    if (ticket !== latest) return;
    // The count comes last: it tells readers (and the tests) that the list is complete.
    status.textContent = hits.length ? "找到 " + hits.length + " 条结果" : "没有找到结果";
  }

  // The filters, each value with its count for the current query (none without a query);
  // values the query does not reach are left out unless chosen.
  function showFilters(counts) {
    // A reader who just ticked a box keeps the focus on it.
    var focused = document.activeElement && filterBox.contains(document.activeElement) ? document.activeElement.id : null;
    filterBox.textContent = "";
    KEYS.forEach(function (key) {
      var fs = el("fieldset");
      fs.appendChild(el("legend", null, LABELS[key]));
      facets[key].forEach(function (v, i) {
        var n = counts ? counts[key].get(i) || 0 : v[1], on = chosen[key].indexOf(v[0]) >= 0;
        if (!n && !on) return;
        var id = "f-" + key + "-" + i;
        var box = el("input", { type: "checkbox", id: id, value: v[0] });
        box.checked = on;
        box.addEventListener("change", function () {
          chosen[key] = Array.prototype.map.call(fs.querySelectorAll("input:checked"), function (x) { return x.value; });
          run().catch(fail);
        });
        var row = el("div");
        row.appendChild(box);
        row.appendChild(el("label", { "for": id }, v[0] + "（" + n + "）"));
        fs.appendChild(row);
      });
      if (fs.children.length > 1) filterBox.appendChild(fs);
    });
    if (focused && $(focused)) $(focused).focus();
  }

  function fail(e) { status.textContent = "搜索暂不可用：" + e.message; }

  async function start() {
    var got = await Promise.all(["meta.json", "facets.json", "glossary.json"].map(fetchJson));
    meta = got[0]; facets = got[1]; glossary = got[2];
    showFilters(null);
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      filterBox.classList.toggle("open", open);
    });
    var q = new URLSearchParams(location.search).get("q");
    if (q) input.value = q;
    var timer;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { run().catch(fail); }, 200); });
    input.form.addEventListener("submit", function (e) { e.preventDefault(); run().catch(fail); });
    more.addEventListener("click", function () { showMore(latest).catch(fail); });
    await run();
  }

  start().catch(fail);
})();
