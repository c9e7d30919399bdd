//! `planatlas import SOURCE --slug SLUG`: runs the importer and prints its report.

use crate::diagnostics::BuildError;
use crate::import::{import, ImportOptions};

/// Imports and prints what was found and where to look.
pub fn run(o: &ImportOptions) -> Result<(), BuildError> {
    let report = import(o)?;
    print!("{}", report.summary());
    for n in &report.notes {
        println!(
            "  content/plans/{}/{}:{}: {}",
            report.slug, n.file, n.line, n.what
        );
    }
    println!(
        "Next: planatlas --root {} build, then planatlas --root {} check --source {}={}",
        o.root.display(),
        o.root.display(),
        o.slug,
        o.source.display()
    );
    Ok(())
}
