// Drives Debian's chromium against a running `planatlas serve`: an edit reloads the open page;
// a broken edit shows the error over the last good page; a fix clears it.
// Usage: node live_reload.mjs <page-url> <section-file>   (run by tests/browser.rs)
import { launch, open } from "./chromium.mjs";
import { readFileSync, writeFileSync } from "node:fs";

const [url, file] = process.argv.slice(2);
const edit = (from, to) => {
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  writeFileSync(file, text.replace(from, to));
};

const browser = await launch();
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(60000);
  await open(page, url);
  const body = () => page.locator("main").innerText();
  if (!(await body()).includes("引导银行机构加大绿色信贷投放。")) throw new Error("the page did not load");
  await page.evaluate(() => { window.__beforeEdit = true; });
  // A page the edit does not touch stays as it is.
  const other = await browser.newPage();
  await open(other, new URL("/help/", url).href);
  await other.evaluate(() => { window.__beforeEdit = true; });

  let reloading = 0;
  page.on("request", (r) => { if (r.isNavigationRequest() && !reloading) reloading = Date.now(); });
  const saved = Date.now();
  edit("引导银行机构加大绿色信贷投放。", "引导银行机构加大绿色信贷投放力度。");
  await page.waitForFunction(() => document.querySelector("main").innerText.includes("投放力度"), null, { timeout: 20000, polling: 10 });
  const shown = Date.now() - saved;
  if (await page.evaluate(() => window.__beforeEdit === true)) throw new Error("the text changed without a reload");
  console.log(`ok: an edit reloads the open page (save → reload requested: ${reloading - saved} ms; → new text shown: ${shown} ms)`);
  await page.waitForTimeout(500);
  if (!(await other.evaluate(() => window.__beforeEdit === true))) throw new Error("a page the edit does not touch reloaded");
  console.log("ok: a page the edit does not touch does not reload");
  await other.close();

  edit('themes="green-finance"}', 'themes="nope"}');
  const overlay = page.locator("#planatlas-error");
  await overlay.waitFor({ state: "visible", timeout: 20000 });
  const message = await overlay.innerText();
  if (!message.includes("unknown theme `nope`")) throw new Error(`overlay says: ${message}`);
  if (!(await body()).includes("投放力度")) throw new Error("the last good page is no longer shown");
  console.log("ok: a broken edit shows the error over the last good page");

  edit('themes="nope"}', 'themes="green-finance"}');
  await page.waitForFunction(() => !document.getElementById("planatlas-error"), null, { timeout: 20000 });
  console.log("ok: fixing the error clears the overlay");
} finally {
  await browser.close();
}
