// Citing and printing in chromium: the "引用" buttons of a plan, a chapter, a section, a measure and
// an indicator put the citation and the permalink on the clipboard; the plan cover shows its
// document head and folded notes; the printout carries the site name, the plan title and the
// permalink on every page and the measure ids, and a landscape printout uses the page width.
// Axe at 390 and 1280 px in both colour schemes on the pages touched. Screenshots and PDFs go
// to the artifacts folder.
// Usage: node cite.mjs <site-url> <artifacts-dir> <expected.json> <page to print>
//   (run by tests/browser.rs; the page to print is one whose long measures, kept whole, used to
//   leave pages half empty)
// expected.json: { "<path>": { "<button selector>": "<copied text>" } , … }, written by the test
// from the Rust citation functions, so that both sides say the same.
import { launch, open } from "./chromium.mjs";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const [base, artifacts, expectedFile, section] = process.argv.slice(2);
const expected = JSON.parse(readFileSync(expectedFile, "utf8"));
mkdirSync(artifacts, { recursive: true });
const browser = await launch();
let failures = 0;
const fail = (m) => { failures++; console.log("FAIL: " + m); };
const ok = (m) => console.log("ok: " + m);
try {
  // 1. The copied texts.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(base).origin });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  for (const [path, buttons] of Object.entries(expected)) {
    await open(page, base + path);
    for (const [selector, text] of Object.entries(buttons)) {
      const button = page.locator(selector).first();
      if (!(await button.isVisible())) { fail(`${path}: ${selector} is not shown`); continue; }
      await page.evaluate(() => navigator.clipboard.writeText(""));
      await button.click();
      await page.waitForFunction(() => navigator.clipboard.readText().then((t) => t.length > 0)).catch(() => {});
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      // The note is a live region: its text comes a moment after it is added.
      await page.waitForFunction((b) => (b.nextElementSibling?.textContent || "").length > 0, await button.elementHandle(), { timeout: 5000 }).catch(() => {});
      const shown = await button.evaluate((b) => b.nextElementSibling?.textContent || "");
      if (copied !== text) fail(`${path} ${selector}: copied\n  ${copied}\nexpected\n  ${text}`);
      else if (!shown.includes(text)) fail(`${path} ${selector}: the page does not show what was copied: ${shown}`);
      else ok(`${path} ${selector} copies “${copied}”`);
    }
    const name = path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "");
    await page.screenshot({ path: `${artifacts}/cite-${name}.png` });
  }
  if (errors.length) fail("page errors: " + errors.join(" | "));

  // 2. The cover: document head, not-stated line, folded notes, no maintainer file names.
  // The cover whose indicators are cited: a plan that gives issuer, number and dates.
  const cover = Object.keys(expected).find((p) => p.startsWith("plans/") && Object.keys(expected[p]).some((s) => s.includes("-ind-")));
  await open(page, base + cover);
  const head = await page.locator(".doc-info").innerText();
  const notes = page.locator(".about-text details");
  const folded = (await notes.count()) === 1 && !(await notes.evaluate((d) => d.open));
  const main = await page.locator("main").innerText();
  if (!/发文机关/.test(head) || !/发文字号/.test(head)) fail(`${cover}: document head: ${head}`);
  else if (!folded) fail(`${cover}: the notes are not folded under 关于本文本`);
  else if (/未注明\s*\n/.test(main) || /\.toml|\.md\b/.test(main)) fail(`${cover}: rows of 未注明 or file names on the page`);
  else ok(`${cover}: document head, folded notes, no file names`);
  // A plan whose source states no issuer, number or dates says so in one line.
  await open(page, base + "plans/sichuan-finance/");
  const line = await page.locator(".not-stated").innerText().catch(() => "");
  if (line !== "所据文本未注明发文机关、成文日期、发文字号、发布日期。") fail(`not-stated line: ${line}`);
  else if ((await page.locator(".not-given").count()) > 0) fail("rows of 未注明 on the sichuan cover");
  else ok(`sichuan cover: ${line}`);

  // 3. Print: running head and foot on every page, measure ids, no half-empty pages, landscape.
  await open(page, base + section);
  await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  const permalink = await page.locator(".print-permalink").innerText();
  const portrait = `${artifacts}/cite-print-portrait.pdf`;
  const landscape = `${artifacts}/cite-print-landscape.pdf`;
  await page.pdf({ path: portrait, format: "A4" });
  await page.pdf({ path: landscape, format: "A4", landscape: true });
  const pages = (file) => execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).split("\f").filter((t) => t.trim());
  const printed = pages(portrait);
  const plan = await page.locator(".print-head").getAttribute("data-plan");
  const site = await page.locator(".print-head").getAttribute("data-site");
  const flat = (t) => t.replace(/\s+/g, "");
  const every = printed.every((t) => flat(t).includes(flat(site)) && flat(t).includes(flat(plan)) && flat(t).includes(flat(permalink)));
  const ids = await page.locator("article.measure").evaluateAll((a) => a.map((m) => m.id));
  const allIds = ids.every((id) => printed.some((t) => t.includes(id)));
  if (printed.length < 2) fail(`print: expected a section of several pages, got ${printed.length}`);
  else if (!every) fail(`print: a page lacks the site name, plan title or permalink (${permalink})`);
  else if (!allIds) fail(`print: measure ids missing: ${ids.join(" ")}`);
  else ok(`print: ${printed.length} A4 pages, each with “${site}”, “${plan}” and ${permalink}; ${ids.length} measure ids`);
  // No half-empty page: on every page but the last, the text runs down to at least 4/5 of the
  // page (its lowest line above the running foot).
  const boxes = execFileSync("pdftotext", ["-bbox", portrait, "-"], { encoding: "utf8" });
  const fill = boxes.split("<page ").slice(1).map((p) => {
    const height = +p.match(/height="([\d.]+)"/)[1];
    const foot = height - 14 * 72 / 25.4; // the bottom margin of the page (14 mm)
    const bottoms = [...p.matchAll(/yMax="([\d.]+)"/g)].map((m) => +m[1]).filter((y) => y < foot);
    return Math.max(...bottoms) / height;
  });
  const shown = fill.map((f) => f.toFixed(2)).join(", ");
  if (fill.slice(0, -1).some((f) => f < 0.8)) fail(`print: half-empty pages (text reaches ${shown} of each page's height)`);
  else ok(`print: text reaches ${shown} of each page's height`);
  // Landscape: the text column uses the width of the paper (print media, at A4 landscape width).
  await page.emulateMedia({ media: "print" });
  await page.setViewportSize({ width: 1047, height: 700 });
  const width = await page.locator("main").evaluate((m) => m.getBoundingClientRect().width);
  await page.emulateMedia({ media: "screen" });
  const landscapePages = pages(landscape).length;
  if (width < 1000) fail(`print: main is ${width}px wide on a 1047px landscape page`);
  else ok(`print: landscape main ${Math.round(width)} px of 1047 px; ${landscapePages} landscape pages against ${printed.length} portrait`);
  execFileSync("pdftoppm", ["-r", "50", "-png", "-f", "1", "-l", "1", portrait, `${artifacts}/cite-print-portrait`]);
  execFileSync("pdftoppm", ["-r", "50", "-png", "-f", "1", "-l", "1", landscape, `${artifacts}/cite-print-landscape`]);
  await context.close();

  // 4. Axe on the pages touched, at 390 and 1280 px, light and dark, with a citation shown.
  for (const width of [390, 1280]) {
    for (const scheme of ["light", "dark"]) {
      const ctx = await browser.newContext({ viewport: { width, height: 844 }, colorScheme: scheme });
      await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(base).origin });
      const p = await ctx.newPage();
      for (const [path, buttons] of Object.entries(expected)) {
        await open(p, base + path);
        await p.locator(Object.keys(buttons)[0]).first().click();
        await p.locator(".cite-text").first().waitFor();
        if (path === cover) await p.locator(".about-text summary").click();
        await p.addScriptTag({ path: axePath });
        const result = await p.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
        const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        for (const v of bad) fail(`${path} (${width}px, ${scheme}): ${v.id}: ${v.help} — ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`);
        // Nothing wider than the screen.
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) fail(`${path} (${width}px): ${overflow}px wider than the screen`);
        if (!bad.length && overflow <= 0) ok(`${path} axe clean at ${width}px, ${scheme}`);
        const name = path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "");
        await p.screenshot({ path: `${artifacts}/cite-${name}-${width}-${scheme}.png` });
      }
      await ctx.close();
    }
  }
} finally {
  await browser.close();
}
writeFileSync(`${artifacts}/cite-result.txt`, failures ? `${failures} failures\n` : "ok\n");
process.exit(failures ? 1 : 0);
