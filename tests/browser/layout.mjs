// Loads pages at phone and desktop widths and checks that nothing overflows sideways, that the
// table of contents stays in view on wide screens, and that no request leaves the site's host.
// Usage: node layout.mjs <site-url> <path>...   (run by tests/browser.rs)
import { launch, open } from "./chromium.mjs";

const [base, ...paths] = process.argv.slice(2);
const browser = await launch();
const host = new URL(base).host;
let failures = 0;
try {
  for (const width of [360, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    page.setDefaultTimeout(60000);
    page.on("request", (r) => {
      if (new URL(r.url()).host !== host) { failures++; console.log(`FAIL: ${r.url()} loads from another host`); }
    });
    for (const path of paths) {
      await open(page, base + path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) { failures++; console.log(`FAIL: ${path} at ${width}px overflows by ${overflow}px`); }
      else console.log(`ok: ${path} fits ${width}px`);
    }
    if (width === 1280) {
      // A long page, scrolled well past its top but not to the footer.
      await open(page, base + paths[1]);
      await page.evaluate(() => window.scrollTo(0, 900));
      if ((await page.evaluate(() => window.scrollY)) < 900) { failures++; console.log("FAIL: the page is too short to test"); }
      const top = await page.evaluate(() => document.querySelector(".toc").getBoundingClientRect().top);
      if (top < 0 || top > 100) { failures++; console.log(`FAIL: the table of contents scrolled away (top ${top}px)`); }
      else console.log("ok: the table of contents stays in view");
    }
    await page.close();
  }
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
