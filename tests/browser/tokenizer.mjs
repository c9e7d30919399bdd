// search.js's tokenizer against src/search/tokenize_cases.json, the cases src/search/tokenize.rs
// is tested against too: the index holds the Rust side's terms and the browser looks up the
// terms search.js makes of a query, so the two must agree. Plain node, no browser and no
// packages; run by tests/search_tokenizer.rs, or alone: `node tests/browser/tokenizer.mjs`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const searchJs = repo + "themes/default/static/search.js";
const fixture = JSON.parse(readFileSync(repo + "src/search/tokenize_cases.json", "utf8"));

// The file as the browser runs it, but with no page: it then hands over its tokenizer.
const sandbox = { module: { exports: {} } };
vm.runInNewContext(readFileSync(searchJs, "utf8"), sandbox, { filename: searchJs });
const tokenize = sandbox.module.exports.tokenize;
if (typeof tokenize !== "function") {
  console.log("FAIL: search.js did not hand over `tokenize` when run without a page");
  process.exit(1);
}

let failed = 0;
for (const c of fixture.cases) {
  // JSON round trip: the arrays come from another context, and this compares them by value.
  const got = JSON.stringify(Array.from(tokenize(c.text)));
  const want = JSON.stringify(c.terms);
  if (got === want) {
    console.log("ok: " + JSON.stringify(c.text));
  } else {
    failed++;
    console.log("FAIL: " + JSON.stringify(c.text) + " (" + c.note + "): expected " + want + ", got " + got);
  }
}
console.log(fixture.cases.length - failed + " of " + fixture.cases.length + " cases agree");
process.exit(failed ? 1 : 0);
