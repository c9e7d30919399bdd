// Starts Debian's chromium the way this machine needs it (no sandbox as root, no background
// networking on a closed network). Shared by the browser scripts.
import { chromium } from "playwright-core";

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// Opens `url` in `page`, once more if the load stalls: this chromium now and then leaves a
// request queued without ever opening a connection for it (no socket to the server exists
// meanwhile); a second navigation goes through. A second stall fails. Returns whether it had to
// load the page again (the first load's abandoned requests are then no fault of the page).
export async function open(page, url, options = {}) {
  try {
    await page.goto(url, { waitUntil: "load", ...options, timeout: 15000 });
    return false;
  } catch (e) {
    if (e.name !== "TimeoutError") throw e;
    console.log(`note: loading ${url} stalled; loading it again`);
    await page.goto(url, { waitUntil: "load", ...options, timeout: 30000 });
    return true;
  }
}
