// Searches the built site in chromium as a reader would (the search page and its static index) and
// checks the hits. Usage: node search.mjs <site-url> [<screenshot dir>]   (run by tests/browser.rs)
import { mkdirSync } from "node:fs";
import { launch, open } from "./chromium.mjs";

const [base, artifactsDir] = process.argv.slice(2);
const artifacts = (artifactsDir || "target/browser-artifacts").replace(/\/?$/, "/");
mkdirSync(artifacts, { recursive: true });
const browser = await launch();
let failures = 0;
const fail = (m) => { failures++; console.log("FAIL: " + m); };
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(60000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  // Requests still open, to say what a stalled search waits for.
  const pending = new Map();
  page.on("request", (r) => pending.set(r, Date.now()));
  page.on("requestfinished", (r) => pending.delete(r));
  page.on("requestfailed", (r) => pending.delete(r));
  async function search(q) {
    await open(page, base + "search/?q=" + encodeURIComponent(q));
    const settled = () => page.waitForFunction(() => /找到|没有/.test(document.getElementById("search-status").textContent), null, { timeout: 45000 });
    // One reload if the first visit stalls or fails on a loaded machine; a second failure counts.
    await settled().catch(async () => {
      const open = [...pending.entries()].map(([r, t]) => `${r.url()} (${Date.now() - t} ms)`);
      console.log("note: search did not settle: " + (await page.locator("#search-status").textContent()) + " " + errors.join(" | ") + "; open requests: " + open.join(", "));
      errors.length = 0;
      await page.reload();
      await settled();
    });
    return page.$$eval(".search-result", (items) => items.map((li) => ({
      text: li.querySelector(".excerpt").textContent,
      marks: [...li.querySelectorAll(".excerpt mark")].map((m) => m.textContent),
      href: li.querySelector("a").getAttribute("href"),
      where: (li.querySelector(".where") || {}).textContent || "",
      excerpt: li.querySelector(".excerpt").innerHTML,
    })));
  }
  const status = () => page.locator("#search-status").textContent();
  const note = () => page.locator(".search-note").textContent();
  const countOf = async () => Number(((await status()).match(/\d+/) || [0])[0]);
  // The records of the index as the browser reads them: [url, title, kind, plan, place, text].
  const records = await (async () => {
    await open(page, base + "search/");
    return page.evaluate(async () => {
      const meta = await (await fetch("meta.json")).json();
      const out = [];
      for (let i = 0; i * meta.chunk < meta.docs; i++) out.push(...await (await fetch(`docs/${i}.json`)).json());
      return out;
    });
  })();
  const plansOf = (hits) => new Set(hits.map((h) => (h.href.match(/plans\/([^/]+)\//) || [])[1]).filter(Boolean));

  let hits = await search("数字人民币");
  let plans = plansOf(hits.filter((h) => /#[^:]/.test(h.href)));
  for (const p of ["sichuan-finance", "chengyu-wfc-plan", "chengyu-wfc-rules"]) {
    if (!plans.has(p)) fail(`数字人民币 finds no measure of ${p} (found ${[...plans]})`);
  }
  if (!hits.some((h) => h.excerpt.includes("<mark>"))) fail("数字人民币: no highlighted excerpt");
  console.log(`ok: 数字人民币 → ${hits.length} results in ${[...plans].join(", ")}`);

  hits = await search("绿色金融");
  plans = plansOf(hits);
  for (const p of ["sichuan-finance", "chengyu-wfc-plan", "chengyu-wfc-rules", "chongqing-finance", "yongchuan-finance"]) {
    if (!plans.has(p)) fail(`绿色金融 finds nothing of ${p}`);
  }
  console.log(`ok: 绿色金融 → ${hits.length} results in ${plans.size} plans`);

  hits = await search("保险");
  if (hits.length === 0) fail("保险 (two characters) returns nothing");
  else console.log(`ok: 保险 → ${hits.length} results`);

  hits = await search("保险密度");
  if (!hits.some((h) => /#(cq|yc)-ind-\d+$/.test(h.href))) fail("保险密度 does not find its indicator table rows");
  else console.log("ok: 保险密度 finds the indicator");

  // Filters narrow the results to one plan.
  await search("绿色金融");
  const box = page.locator(".search-filters fieldset", { hasText: "规划" }).locator("label", { hasText: "重庆金融" });
  await box.click();
  await page.waitForFunction(() => [...document.querySelectorAll(".search-result .where")].length > 0
    && [...document.querySelectorAll(".search-result .where")].every((w) => w.textContent.includes("重庆金融")), null, { timeout: 20000 });
  console.log("ok: the plan filter narrows the results");

  // Long result lists come 30 at a time; the button adds the next 30.
  hits = await search("金融");
  const total = Number((await page.locator("#search-status").textContent()).match(/\d+/)[0]);
  if (hits.length !== 30 || total <= 60) fail(`金融: ${hits.length} shown of ${total}, expected 30 of more than 60`);
  await page.click("#search-more");
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length === 60, null, { timeout: 20000 });
  const hrefs = await page.$$eval(".search-result a", (as) => as.map((a) => a.getAttribute("href")));
  if (new Set(hrefs).size !== 60) fail("the second page repeats results");
  console.log(`ok: 金融 → ${total} results, shown 30 at a time`);

  // A hit lands on the measure's anchor.
  hits = await search("数字人民币");
  const target = hits.find((h) => /#[^:]/.test(h.href));
  await page.click(`.search-result a[href="${target.href}"]`);
  await page.waitForLoadState("load");
  const anchor = target.href.split("#")[1];
  if (!page.url().endsWith("#" + anchor) || !(await page.locator("#" + anchor).isVisible())) fail("a result does not land on its anchor");
  else console.log("ok: a result lands on its measure");


  // A query with no exact match falls back to its longest sub-phrases that match, says so, and
  // suggests themes and glossary terms. 养老金融 is in no record; 养老 and 金融 are.
  const holds = (r, w) => (r[1] + "\n" + r[5]).includes(w);
  if (records.some((r) => holds(r, "养老金融"))) fail("养老金融 is in the content now: pick another test query");
  hits = await search("养老金融");
  const both = records.filter((r) => holds(r, "养老") && holds(r, "金融")).length;
  if ((await countOf()) !== both) fail(`养老金融: ${await countOf()} results, but ${both} records hold 养老 and 金融`);
  if (!/没有找到与“养老金融”完全匹配.*已改为搜索：养老、金融/.test(await note())) fail("养老金融: the page does not say what was searched instead: " + await note());
  const suggested = await page.$$eval(".search-suggest a", (as) => as.map((a) => a.textContent));
  if (!suggested.length || !suggested.every((s) => s.includes("养老") || s.includes("金融"))) fail("养老金融: suggestions " + suggested);
  if (!suggested[0].includes("养老")) fail("养老金融: the rarer word's suggestions do not come first: " + suggested);
  if (!hits.every((h) => h.marks.every((m) => m === "养老" || m === "金融"))) fail("养老金融: excerpts mark other words");
  if (!hits.every((h) => h.marks.includes("养老"))) fail("养老金融: an excerpt does not show 养老, the rarer word");
  console.log(`ok: 养老金融 → no exact match; searched 养老 + 金融: ${hits.length} results; suggested ${suggested.join("、")}`);

  // Synonyms and abbreviations of the glossary: 数字货币 also finds 数字人民币, 合格境外有限合伙人 QFLP.
  for (const [q, other] of [["数字货币", "数字人民币"], ["合格境外有限合伙人", "QFLP"]]) {
    hits = await search(q);
    const n = await countOf();
    const holding = records.filter((r) => holds(r, q) || holds(r, other)).length;
    if (n < holding) fail(`${q}: ${n} results, but ${holding} records hold ${q} or ${other}`);
    if (!(await note()).includes("包括同义词") || !(await note()).includes(other)) fail(`${q}: the page does not name the synonym ${other}: ${await note()}`);
    if (!hits.some((h) => h.marks.includes(other))) fail(`${q}: no excerpt marks ${other}`);
    console.log(`ok: ${q} → ${n} results, including ${other}`);
  }

  // A single character finds every record holding it, whole-word hits (the character alone)
  // first. Every such record is found, however the character stands.
  for (const q of ["碳", "家"]) {
    hits = await search(q);
    const holding = records.filter((r) => holds(r, q));
    if ((await countOf()) !== holding.length || !holding.length) fail(`${q}: ${await countOf()} results, ${holding.length} records hold it`);
    const alone = (t) => new RegExp(`(^|[^\\u4e00-\\u9fff])${q}([^\\u4e00-\\u9fff]|$)`).test(t);
    const recordOf = (h) => records.find((r) => "../" + r[0] === h.href.replace(/#:~:.*/, ""));
    const order = hits.map((h) => { const r = recordOf(h); return alone(r[1] + "\n" + r[5]) ? 0 : 1; });
    if (order.some((o, i) => i > 0 && o < order[i - 1])) fail(`${q}: a record holding it alone ranks after one holding it inside a word`);
    if (!hits.every((h) => h.marks.length && h.marks.every((m) => m === q))) fail(`${q}: excerpts do not mark it`);
    console.log(`ok: ${q} → ${holding.length} results (${order.filter((o) => !o).length} of the first ${order.length} with it alone, first)`);
  }

  // Filter counts are those of the query: each value's count is what choosing it gives.
  await search("绿色金融");
  const total2 = await countOf();
  const kinds = await page.$$eval(".search-filters fieldset", (fs) => fs.filter((f) => f.querySelector("legend").textContent === "类型")
    .flatMap((f) => [...f.querySelectorAll("label")].map((l) => Number(l.textContent.match(/（(\d+)）/)[1]))));
  if (kinds.reduce((a, b) => a + b, 0) !== total2) fail(`绿色金融: the kinds count ${kinds} for ${total2} results`);
  // The theme with the most hits: its count is the query's, below its site-wide count, and
  // choosing it gives that many results.
  const themeCounts = () => page.$$eval(".search-filters fieldset", (fs) => Object.fromEntries(fs.filter((f) => f.querySelector("legend").textContent === "主题")
    .flatMap((f) => [...f.querySelectorAll("label")].map((l) => [l.textContent.replace(/（\d+）$/, ""), Number(l.textContent.match(/（(\d+)）$/)[1])]))));
  const forQuery = await themeCounts();
  const [theme, said] = Object.entries(forQuery).sort((a, b) => b[1] - a[1])[0];
  await open(page, base + "search/");
  await page.waitForSelector(".search-filters fieldset");
  const siteWide = (await themeCounts())[theme];
  if (!(said < siteWide)) fail(`theme ${theme}: ${said} for 绿色金融, ${siteWide} site-wide: not the query's count`);
  await search("绿色金融");
  await page.locator(".search-filters fieldset", { hasText: "主题" }).locator("label", { hasText: theme + "（" }).click();
  await page.waitForFunction((n) => document.getElementById("search-status").textContent === `找到 ${n} 条结果`, said, { timeout: 20000 }).catch(() => {});
  if ((await countOf()) !== said) fail(`theme ${theme} said ${said} and gave ${await countOf()}`);
  const focus = await page.evaluate(() => document.activeElement && document.activeElement.labels && document.activeElement.labels[0] && document.activeElement.labels[0].textContent);
  if (!focus || !focus.startsWith(theme + "（")) fail(`the filters were redrawn and the focus left the ticked box (now on ${focus})`);
  console.log(`ok: filter counts are the query's (kinds ${kinds.join("+")} = ${total2}; ${theme} ${said} of ${siteWide} site-wide, and choosing it gives ${said})`);

  // Excerpts mark the query's words, not every part of them: 绿色金融, not each 金融.
  hits = await search("绿色金融");
  const stray = hits.filter((h) => h.text.includes("绿色金融") && h.marks.some((m) => m !== "绿色金融"));
  if (stray.length) fail(`绿色金融: ${stray.length} excerpts mark words other than 绿色金融: ${stray[0].marks}`);
  console.log("ok: excerpts mark 绿色金融 whole");

  // A hit on a long page without an anchor of its own (the longest section) lands on the words.
  const longest = records.filter((r) => r[2] === "章节").sort((a, b) => b[5].length - a[5].length)[0];
  const lastLine = longest[5].trim().split("\n").pop();
  const phrase = (lastLine.match(/[\u4e00-\u9fff]{6,}/g) || []).pop().slice(-6);
  await search(phrase);
  const link = page.locator(`.search-result a[href^="../${longest[0]}#"]`).first();
  await link.click();
  await page.waitForLoadState("load");
  await page.waitForFunction(() => window.scrollY > 0, null, { timeout: 5000 }).catch(() => {});
  const seen = await page.evaluate((p) => {
    const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
    for (let n; (n = walker.nextNode());) {
      if (n.textContent.includes(p)) {
        const r = document.createRange(); r.selectNodeContents(n);
        const box = r.getBoundingClientRect();
        return { top: box.top, y: window.scrollY, h: innerHeight };
      }
    }
    return null;
  }, phrase);
  if (!seen || seen.y === 0 || seen.top < -5 || seen.top > seen.h) fail(`${phrase} on ${longest[0]}: the page opens at ${JSON.stringify(seen)}`);
  else console.log(`ok: a hit on ${longest[0]} opens at its words (scrolled ${seen.y} px)`);
  await page.screenshot({ path: artifacts + "search-landing.png" });

  // On a phone the first hit comes before the filters, which open with a button.
  await page.setViewportSize({ width: 390, height: 844 });
  await search("绿色金融");
  const first = await page.locator(".search-result").first().boundingBox();
  const filtersShown = await page.locator("#search-filters").isVisible();
  if (!first || first.y + 40 > 844 || filtersShown) fail(`phone: first hit at ${first && first.y}, filters shown: ${filtersShown}`);
  await page.screenshot({ path: artifacts + "search-390.png" });
  await page.click(".search-filter-toggle");
  if (!(await page.locator("#search-filters").isVisible())) fail("phone: the filter button does not show the filters");
  await page.screenshot({ path: artifacts + "search-390-filters.png" });
  console.log(`ok: on a phone the first hit is at ${Math.round(first.y)} px, the filters behind a button`);
  await page.setViewportSize({ width: 1280, height: 900 });

  if (errors.length) fail("console errors: " + errors.join(" | "));
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
