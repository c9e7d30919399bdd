//! What the import found and where the editor should look, printed and written to the plan's
//! `REVIEW.md`.
//!
//! The list goes into a file beside the plan rather than into `plan.toml`'s `notes`: `notes`
//! is shown on the site, while this list is the editor's to work through and delete. The
//! content loader skips `REVIEW.md` in a plan folder.

use std::fmt::Write as _;

use crate::import::write::Note;

/// Counts and places to check, for the command's output and `REVIEW.md`.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub slug: String,
    pub source: String,
    pub format: String,
    pub encoding: String,
    pub chapters: usize,
    pub sections: usize,
    pub measures: usize,
    pub boxes: usize,
    pub tables: usize,
    pub indicator_rows: usize,
    /// Metadata fields found, and those the text does not state.
    pub found: Vec<String>,
    pub missing: Vec<String>,
    /// Repeated paragraphs dropped, with the source line of each.
    pub dropped: Vec<usize>,
    pub notes: Vec<Note>,
    /// Each measure's id and suggested themes with their scores.
    pub themes: Vec<(String, Vec<(String, f64)>)>,
}

impl ImportReport {
    /// The summary printed by the command.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Imported {} ({}, {}) into content/plans/{}/: {} chapters, {} sections, {} measures, {} boxes, {} tables ({} indicator rows)",
            self.source, self.format, self.encoding, self.slug, self.chapters, self.sections,
            self.measures, self.boxes, self.tables, self.indicator_rows
        );
        let _ = writeln!(s, "metadata found: {}", list(&self.found));
        let _ = writeln!(
            s,
            "not stated in the text (left empty): {}",
            list(&self.missing)
        );
        if !self.dropped.is_empty() {
            let _ = writeln!(
                s,
                "{} repeated paragraphs dropped (source lines {}): the order around them is uncertain",
                self.dropped.len(),
                self.dropped
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let _ = writeln!(
            s,
            "{} places to check and {} suggested theme lists: see content/plans/{}/REVIEW.md",
            self.notes.len(),
            self.themes.len(),
            self.slug
        );
        s
    }

    /// `REVIEW.md`: every place to check as `file:line: what to check`, then the themes.
    pub fn review(&self) -> String {
        let mut s = format!(
            "# Review of the import of `{}`\n\nWritten by `planatlas import`; the content loader ignores this file. Delete it once the plan is reviewed.\n\n```text\n{}```\n\n## Places to check\n\n",
            self.slug,
            self.summary()
        );
        let dir = format!("content/plans/{}", self.slug);
        for n in &self.notes {
            let _ = writeln!(s, "- {dir}/{}:{}: {}", n.file, n.line, n.what);
        }
        for line in &self.dropped {
            let _ = writeln!(
                s,
                "- {}:{line}: a paragraph repeated here was imported once; check the order of the text around it",
                self.source
            );
        }
        s.push_str("\n## Suggested themes\n\nEvery measure's `themes=` was suggested by the importer, not reviewed. Accept a suggestion by leaving it (or correcting it) and ticking it here.\n\n");
        for (id, themes) in &self.themes {
            let t: Vec<String> = themes
                .iter()
                .map(|(t, sc)| format!("{t} ({sc:.2})"))
                .collect();
            let _ = writeln!(s, "- [ ] `{id}`: {}", t.join(", "));
        }
        s
    }
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}
