// Every page type in chromium at 390 px and 1280 px, in the light and the dark scheme: no console
// errors, no failed requests, no serious or critical axe-core violations; screenshots saved as
// artifacts. Then a reader's click path and the table of contents and breadcrumbs.
// Usage: node pages.mjs <site-url> <artifacts-dir> <path>...   (run by tests/browser.rs)
import { launch, open } from "./chromium.mjs";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const [base, artifacts, ...paths] = process.argv.slice(2);
mkdirSync(artifacts, { recursive: true });
const browser = await launch();
let failures = 0;
const fail = (m) => { failures++; console.log("FAIL: " + m); };
try {
  let firstContext = true;
  for (const width of [390, 1280]) {
    for (const scheme of ["light", "dark"]) {
      // The requests a page makes do not depend on the width or the scheme: waiting for the
      // network to settle once per page (and on every visit of a search page) is enough.
      const settle = firstContext;
      firstContext = false;
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
      const page = await context.newPage();
      page.setDefaultTimeout(60000);
      const problems = [];
      page.on("pageerror", (e) => problems.push("page error: " + e));
      page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text()); });
      page.on("requestfailed", (r) => {
        // search.js abandons an index request that stalls and asks again; the search must then
        // settle, which is checked below.
        const retried = r.failure()?.errorText === "net::ERR_ABORTED" && r.url().includes("/search/");
        if (!retried) problems.push("request failed: " + r.url());
      });
      page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
      for (const path of paths) {
        problems.length = 0;
        // The first load's abandoned requests are not the page's problems.
        if (await open(page, base + path)) problems.length = 0;
        // Let late requests (the search index) finish; a slow machine is not a failure.
        if (settle || path.startsWith("search/")) {
          await page.waitForLoadState("networkidle", { timeout: 20000 }).catch(() => {});
        }
        if (path.startsWith("search/")) {
          const settled = () => page.waitForFunction(() => /找到|没有/.test(document.getElementById("search-status").textContent), null, { timeout: 45000 });
          // One reload if the first visit stalls or fails (a cold start on a loaded machine);
          // what went wrong is printed, and a second failure fails the test.
          await settled().catch(async () => {
            console.log("note: search did not settle; status: " + (await page.locator("#search-status").textContent()) + "; problems so far: " + problems.join(" | "));
            problems.length = 0;
            await page.reload({ waitUntil: "load" });
            await settled();
          });
          const status = await page.locator("#search-status").textContent();
          if (status.includes("不可用")) fail(`${path}: ${status}`);
        }
        const name = (path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "home") + `-${width}-${scheme}`;
        await page.screenshot({ path: `${artifacts}/${name}.png`, fullPage: false });
        await page.addScriptTag({ path: axePath });
        // The dark scheme changes colours only: there the colour rules are what can differ.
        const rules = scheme === "dark" ? { runOnly: { type: "rule", values: ["color-contrast", "link-in-text-block"] } } : {};
        const result = await page.evaluate(async (rules) => await window.axe.run(document, { resultTypes: ["violations"], ...rules }), rules);
        // Serious and critical violations, and heading order and landmarks whatever their impact.
        const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical"
          || v.id === "heading-order" || v.id.startsWith("landmark") || v.id === "region" || v.id === "page-has-heading-one");
        for (const v of bad) fail(`${path} (${width}px, ${scheme}): ${v.id}: ${v.help} — ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`);
        for (const p of problems) fail(`${path} (${width}px, ${scheme}): ${p}`);
        if (!bad.length && !problems.length) console.log(`ok: ${path || "home"} at ${width}px, ${scheme}`);
      }
      await context.close();
    }
  }

  // A reader's path: home → a theme → one of its measures → a related measure in another plan.
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(60000);
  await open(page, base);
  await page.click('.theme-list a:has-text("绿色金融")');
  await page.waitForURL(/themes\/green-finance\/$/);
  await page.click(".theme-group .measure-list a >> nth=0");
  await page.waitForLoadState("load");
  const first = new URL(page.url()).hash.slice(1);
  if (!first || !(await page.locator(`#${first}`).isVisible())) fail("the theme's measure link does not land on its anchor");
  const related = page.locator(`#${first} .related a`).first();
  const href = await related.getAttribute("href");
  await related.click();
  await page.waitForLoadState("load");
  const second = new URL(page.url()).hash.slice(1);
  if (second !== href.split("#")[1] || !(await page.locator(`#${second}`).isVisible())) fail("the related measure link does not land on its anchor");
  if (second.split("-")[0] === first.split("-")[0]) fail(`related measure ${second} is in the same plan as ${first}`);
  else console.log(`ok: home → 绿色金融 → ${first} → related ${second}`);

  // The table of contents and the breadcrumbs navigate.
  await page.locator(".toc a").nth(2).click();
  await page.waitForLoadState("load");
  const current = await page.locator(".toc [aria-current=page]").count();
  await page.locator(".crumbs a").nth(1).click();
  await page.waitForLoadState("load");
  if (current !== 1 || !(await page.locator(".plan-cover h1").isVisible())) fail("table of contents or breadcrumbs do not navigate");
  else console.log("ok: the table of contents and the breadcrumbs navigate");

  // Print: no navigation, the text stays.
  await page.emulateMedia({ media: "print" });
  const printed = await page.evaluate(() => ({
    header: getComputedStyle(document.querySelector(".site-header")).display,
    toc: getComputedStyle(document.querySelector(".sidebar") || document.body).display,
    main: getComputedStyle(document.querySelector("main")).display,
  }));
  await page.emulateMedia({ media: "screen" });
  if (printed.header !== "none" || printed.toc !== "none" || printed.main === "none") fail("the print stylesheet keeps navigation: " + JSON.stringify(printed));
  else console.log("ok: printing leaves out the navigation");

  // Keyboard: the skip link is the first stop and is visible when focused.
  await page.keyboard.press("Tab");
  const skip = await page.evaluate(() => document.activeElement.className === "skip" && document.activeElement.getBoundingClientRect().left >= 0);
  if (!skip) fail("the first Tab does not reach a visible skip link");
  else console.log("ok: keyboard focus starts at a visible skip link");
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
