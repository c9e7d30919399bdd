// Searches the built site in chromium as a reader would (the search page and its static index) and
// checks the hits. Usage: node search.mjs <site-url>   (run by tests/browser.rs)
import { launch, open } from "./chromium.mjs";

const [base] = process.argv.slice(2);
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
      href: li.querySelector("a").getAttribute("href"),
      where: (li.querySelector(".where") || {}).textContent || "",
      excerpt: li.querySelector(".excerpt").innerHTML,
    })));
  }
  const plansOf = (hits) => new Set(hits.map((h) => (h.href.match(/plans\/([^/]+)\//) || [])[1]).filter(Boolean));

  let hits = await search("数字人民币");
  let plans = plansOf(hits.filter((h) => h.href.includes("#")));
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
  const target = hits.find((h) => h.href.includes("#"));
  await page.click(`.search-result a[href="${target.href}"]`);
  await page.waitForLoadState("load");
  const anchor = target.href.split("#")[1];
  if (!page.url().endsWith("#" + anchor) || !(await page.locator("#" + anchor).isVisible())) fail("a result does not land on its anchor");
  else console.log("ok: a result lands on its measure");

  if (errors.length) fail("console errors: " + errors.join(" | "));
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
