//! The browser's tokenizer (`search.js`) against the cases the index's tokenizer
//! (`src/search/tokenize.rs`) is tested against: `tests/browser/tokenizer.mjs`, in plain node.
//! Without node the test is skipped with a note on a developer's machine, but fails under CI
//! (`CI` set, as CI services do): there a skipped check would pass unseen.

use std::path::Path;
use std::process::Command;

use crate::common::on_ci;

#[test]
fn search_js_makes_the_terms_the_index_holds() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/tokenizer.mjs");
    let out = match Command::new("node").arg(&script).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !on_ci() => {
            eprintln!("skipped: node is not installed (under CI=true this fails)");
            return;
        }
        Err(e) => panic!("node does not run ({e}): install node (the browser tests need it too)"),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "search.js disagrees with the tokenizer cases:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" cases agree"), "{stdout}");
}
