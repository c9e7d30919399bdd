//! `planatlas check --source <slug>=<path>`: the provenance check of extracts against the official
//! texts (in any format `source` reads), with its report on standard output and errors on
//! standard error.

use crate::diagnostics::BuildError;

/// Runs the provenance check for each `slug=path`; prints the reports; false if any fails.
pub fn check_sources(
    root: &std::path::Path,
    sources: &[String],
    min_coverage: f64,
) -> Result<bool, BuildError> {
    let (site, _) = crate::content::load_site(root);
    let site = site.ok_or_else(|| BuildError::Setup("the site did not load".into()))?;
    let mut ok = true;
    for spec in sources {
        let (slug, path) = spec.split_once('=').ok_or_else(|| {
            BuildError::Setup(format!(
                "--source {spec}: write it as <plan-slug>=<path to the official text>"
            ))
        })?;
        let plan = site.plans.iter().find(|p| p.slug == slug).ok_or_else(|| {
            BuildError::Setup(format!("--source {spec}: there is no plan `{slug}`"))
        })?;
        // Any format import reads: text, a web page, a Word file, a PDF.
        let document =
            crate::source::read(std::path::Path::new(path)).map_err(|e| BuildError::Input {
                context: format!("--source {spec}"),
                source: Box::new(e),
            })?;
        let report = crate::provenance::check_document(plan, &document);
        for d in &report.missing {
            eprintln!("error: {d}");
        }
        println!(
            "{slug}: {} blocks checked, {} not found in the source; coverage {:.1}% of {} characters",
            report.blocks,
            report.missing.len(),
            report.coverage(),
            report.source_chars
        );
        for gap in &report.gaps {
            println!("  left out ({path}:{}): {}", gap.line, gap.text);
        }
        if !report.missing.is_empty() {
            ok = false;
        }
        if report.coverage() < min_coverage {
            eprintln!(
                "error: {slug}: the extract covers {:.1}% of its source, less than {min_coverage}%",
                report.coverage()
            );
            ok = false;
        }
    }
    Ok(ok)
}
