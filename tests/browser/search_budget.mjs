// What one search downloads: opens the search page of a built site for each query in a fresh
// browser context (nothing cached) and sums the bytes of the index files it fetches (below
// search/, not the page itself), and the time from Enter to the complete list. Used for the figures in BENCHMARKS.md ("Search index").
// Usage: node search_budget.mjs <site-url> <query>…
import { launch, open } from "./chromium.mjs";

const [base, ...queries] = process.argv.slice(2);
const browser = await launch();
try {
  for (const q of queries) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const files = [];
    page.on("requestfinished", async (r) => {
      const path = new URL(r.url()).pathname;
      if (/\/search\/.+\.json$/.test(path)) files.push([path.replace(/.*\/search\//, ""), (await r.sizes()).responseBodySize]);
    });
    await open(page, base + "search/");
    const started = Date.now();
    await page.fill("#search-q", q);
    await page.press("#search-q", "Enter");
    await page.waitForFunction(() => /找到|没有/.test(document.getElementById("search-status").textContent), null, { timeout: 120000 });
    const took = Date.now() - started;
    await page.waitForTimeout(500);
    const status = await page.locator("#search-status").textContent();
    const sum = (f) => files.filter(([p]) => f.test(p)).reduce((a, [, n]) => a + n, 0);
    const kb = (n) => (n / 1024).toFixed(0) + " KB";
    console.log(`${q}\t${status}\t${took} ms\t${files.length} files, ${kb(sum(/./))}: once ${kb(sum(/^(meta|facets|glossary)\.json$/))}, ` +
      `terms ${kb(sum(/^terms\//))}, chars ${kb(sum(/^chars\//))}, themes ${kb(sum(/^themes\//))}, docs ${kb(sum(/^docs\//))}`);
    await context.close();
  }
} finally {
  await browser.close();
}
