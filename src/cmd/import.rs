//! `planatlas import SOURCE --slug SLUG`: runs the importer and prints its report.

use std::io::Write as _;

use crate::diagnostics::BuildError;
use crate::import::{import, ImportOptions};

/// Imports and prints what was found and where to look. The plan is written before anything
/// is printed, so output that cannot be written (a closed pipe) is no failure.
pub fn run(o: &ImportOptions) -> Result<(), BuildError> {
    let report = import(o)?;
    let mut out = std::io::stdout().lock();
    let _ = write!(out, "{}", report.summary());
    for n in &report.notes {
        let _ = writeln!(
            out,
            "  content/plans/{}/{}:{}: {}",
            report.slug, n.file, n.line, n.what
        );
    }
    let _ = writeln!(
        out,
        "Next: planatlas --root {} build, then planatlas --root {} check --source {}={}",
        o.root.display(),
        o.root.display(),
        o.slug,
        o.source.display()
    );
    Ok(())
}
