// Orientation on a phone and on a wide screen (issue 15 §1, §3): the header's height at 390×844,
// the menu and table-of-contents toggles (with and without JavaScript), wide tables on a phone,
// related measures folded on phones and open on wide screens. Screenshots go to <artifacts>.
// Usage: node orient.mjs <site-url> <artifacts-dir>   (run by tests/testsuite/browser.rs)
import { launch, open } from "./chromium.mjs";
import { mkdirSync } from "node:fs";

const [base, artifacts] = process.argv.slice(2);
mkdirSync(artifacts, { recursive: true });
const browser = await launch();
let failures = 0;
const fail = (m) => { failures++; console.log("FAIL: " + m); };
const ok = (m) => console.log("ok: " + m);
const check = (cond, good, bad) => (cond ? ok(good) : fail(bad));
const section = "plans/sichuan-finance/financial-system/institutions/";
const phone = { viewport: { width: 390, height: 844 } };

try {
  // The header takes at most a fifth of a phone's first screen, on every kind of page.
  const page = await browser.newPage(phone);
  page.setDefaultTimeout(60000);
  for (const path of ["", "plans/", section, "themes/", "indicators/", "concepts/", "mappings/", "search/", "help/"]) {
    await open(page, base + path);
    const height = await page.evaluate(() => document.querySelector(".site-header").getBoundingClientRect().height);
    check(height <= 844 / 5, `${path || "home"}: header ${height.toFixed(0)} px at 390×844`, `${path || "home"}: the header is ${height} px high at 390×844 (more than a fifth of 844)`);
  }

  // The menu: a button that says whether the menu is open; Escape closes it.
  await open(page, base);
  await page.screenshot({ path: `${artifacts}/orient-home-390.png` });
  await page.screenshot({ path: `${artifacts}/orient-home-390-full.png`, fullPage: true });
  const menu = page.locator("button.menu-toggle");
  const nav = page.locator("#site-nav");
  const closed = (await menu.getAttribute("aria-expanded")) === "false" && !(await nav.isVisible());
  await menu.click();
  const opened = (await menu.getAttribute("aria-expanded")) === "true" && (await nav.locator('a[href="plans/"]').isVisible())
    && (await nav.locator('a[href="concepts/"]').isVisible()) && (await nav.locator('a[href="mappings/"]').isVisible());
  await page.screenshot({ path: `${artifacts}/orient-menu-open-390.png` });
  await page.keyboard.press("Escape");
  const reclosed = (await menu.getAttribute("aria-expanded")) === "false" && !(await nav.isVisible());
  check(closed && opened && reclosed, "the menu button opens and closes the navigation (aria-expanded follows)",
    `menu: closed at first ${closed}, opens ${opened}, Escape closes ${reclosed}`);

  // The plan's table of contents below 1000 px: a button that unfolds it.
  await open(page, base + section);
  const tocButton = page.locator("button.toc-toggle");
  const toc = page.locator("#plan-toc");
  const tocHidden = (await tocButton.isVisible()) && !(await toc.isVisible());
  await tocButton.click();
  const tocShown = (await toc.isVisible()) && (await toc.locator("a").count()) > 10 && (await tocButton.getAttribute("aria-expanded")) === "true";
  await page.screenshot({ path: `${artifacts}/orient-toc-open-390.png` });
  check(tocHidden && tocShown, "the table of contents unfolds from its button at 390 px", `toc: folded at first ${tocHidden}, unfolds ${tocShown}`);

  // Related measures: folded on a phone, and the summary says how many links they hold.
  const related = page.locator("details.related").first();
  const summary = await related.locator("summary").textContent();
  const links = await related.locator("li").count();
  const folded = !(await related.evaluate((d) => d.open));
  check(folded && summary.includes(`${links} 项`), `related measures folded on a phone: “${summary.trim()}”`,
    `related measures: folded ${folded}, summary “${summary}” for ${links} links`);

  // The theme × plan matrix: theme names on one line, a cue that the table scrolls sideways.
  await open(page, base + "themes/");
  const matrix = await page.evaluate(() => {
    const heads = [...document.querySelectorAll("table.matrix tbody th[scope=row] a")];
    const lineHeight = parseFloat(getComputedStyle(heads[0]).lineHeight) || 24;
    const wrapped = heads.filter((a) => a.getBoundingClientRect().height > lineHeight * 1.5).map((a) => a.textContent);
    const box = document.querySelector(".table-scroll");
    const cue = box.previousElementSibling;
    return { wrapped, scrolls: box.scrollWidth > box.clientWidth, cue: cue && cue.classList.contains("scroll-cue") && getComputedStyle(cue).display !== "none" && cue.getBoundingClientRect().height > 0 };
  });
  await page.screenshot({ path: `${artifacts}/orient-matrix-390.png` });
  check(!matrix.wrapped.length && matrix.scrolls && matrix.cue, "the matrix keeps theme names on one line and says that it scrolls sideways",
    `matrix at 390 px: wrapped names ${matrix.wrapped.join("、")}; scrolls ${matrix.scrolls}; cue shown ${matrix.cue}`);
  // Scrolled sideways, the theme names stay in view.
  await page.evaluate(() => { document.querySelector(".table-scroll").scrollLeft = 300; });
  const stuck = await page.evaluate(() => document.querySelector("table.matrix tbody th[scope=row]").getBoundingClientRect().left >= 0);
  check(stuck, "the theme names stay in view while the matrix scrolls", "the theme names scroll out of view");

  // A concept comparison: target and growth on the first screen of each row, inside 390 px.
  await open(page, base + "concepts/deposits/");
  const rows = await page.evaluate(() => [...document.querySelectorAll("table.concept tbody tr")].map((tr) => {
    const top = tr.getBoundingClientRect().top;
    return ["td.target", "td.growth"].map((sel) => {
      const r = tr.querySelector(sel).getBoundingClientRect();
      return r.bottom - top <= 844 && r.left >= 0 && r.right <= 390;
    }).every(Boolean);
  }));
  await page.screenshot({ path: `${artifacts}/orient-concept-390.png` });
  check(rows.length > 1 && rows.every(Boolean), `each of ${rows.length} comparison rows shows target and growth on its first screen`,
    `concept rows with target or growth off the first screen: ${rows.map((r, i) => (r ? "" : i)).filter(String).join(",")}`);

  // Indicator tables: the target value of every row is visible without scrolling sideways.
  await open(page, base + "indicators/");
  const targets = await page.evaluate(() => [...document.querySelectorAll("figure.indicators table")].map((t) => {
    const col = [...t.querySelectorAll("thead th")].findIndex((th) => th.textContent.includes("目标"));
    return [...t.querySelectorAll("tbody tr:not(.group)")].every((tr) => {
      const cell = tr.children[col];
      return cell && cell.getBoundingClientRect().right <= 390;
    });
  }));
  check(targets.length > 0 && targets.every(Boolean), `target values of all ${targets.length} indicator tables are on screen at 390 px`,
    `indicator tables whose target column is off screen: ${targets.map((r, i) => (r ? "" : i)).filter(String).join(",")}`);
  await page.close();

  // Without JavaScript the toggles are links that open their part as the URL's target.
  const plain = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const noJs = await plain.newPage();
  await open(noJs, base + section);
  await noJs.click("a.menu-toggle");
  const navOpen = await noJs.locator("#site-nav").isVisible();
  await noJs.click("a.toc-toggle");
  const tocOpen = await noJs.locator("#plan-toc").isVisible();
  check(navOpen && tocOpen, "without JavaScript the menu and the table of contents still open", `without JavaScript: menu opens ${navOpen}, toc opens ${tocOpen}`);
  await plain.close();

  // A wide screen: the navigation in one bar, no toggles, related measures open.
  const wide = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await open(wide, base);
  await wide.screenshot({ path: `${artifacts}/orient-home-1280.png` });
  const bar = await wide.evaluate(() => ({
    height: document.querySelector(".site-header").getBoundingClientRect().height,
    toggle: getComputedStyle(document.querySelector(".menu-toggle")).display,
  }));
  await open(wide, base + section);
  const open1280 = await wide.locator("details.related").first().evaluate((d) => d.open);
  const tocToggle = await wide.locator(".toc-toggle").isVisible();
  check(bar.height <= 80 && bar.toggle === "none" && open1280 && !tocToggle,
    `at 1280 px: header ${bar.height.toFixed(0)} px, no toggles, related measures open`,
    `at 1280 px: header ${bar.height} px, menu toggle ${bar.toggle}, related open ${open1280}, toc toggle shown ${tocToggle}`);
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
