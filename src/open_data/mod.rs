//! The open data: `data/plans.json`, `data/measures.json`, `data/indicators.json`,
//! `data/themes.json`, `data/units.json`, `data/alignments.json` and their CSV twins. These files are an interface other
//! tools read; their schema is documented in the README and changes only by adding fields.
//!
//! Besides this file, which writes the files: `records.rs` (the record types, which are the
//! schema, and how they are made), `csv.rs` (the CSV tables) and `alignments.rs` (the
//! alignments between upper and lower plans, record and table).
//!
//! Layer 6: may use `analyse` and every layer below; not `render`, `search` or `feeds`.

use std::io::Write;

use serde::Serialize;

use crate::analyse::Analysis;
use crate::diagnostics::BuildError;
use crate::model::Site;
use crate::output::Sink;

mod alignments;
mod csv;
mod records;

pub use self::csv::neutralise_formula;

/// Makes the open-data files, handing each to `sink` as soon as it is made, so that only one
/// large file of each kind is held at a time: `measures.json` on one core while the others are
/// made on the other (in a plain build none is held: each goes straight to its file).
pub fn open_data(site: &Site, analysis: &Analysis, sink: &Sink) -> Result<(), BuildError> {
    let slugs = site.plan_texts(|p| &p.slug);
    let measures = records::measures(site, analysis, &slugs);
    let (json_done, others) = rayon::join(
        || json(sink, "data/measures.json", &measures),
        || {
            let plans = records::plans(site);
            let indicators = records::indicators(site);
            let themes = records::themes(site, analysis);
            let units = records::units(site, analysis);
            json(sink, "data/plans.json", &plans)?;
            json(sink, "data/indicators.json", &indicators)?;
            json(sink, "data/themes.json", &themes)?;
            json(sink, "data/units.json", &units)?;
            let alignments = alignments::records(site, analysis);
            json(sink, "data/alignments.json", &alignments)?;
            sink.put_written("data/alignments.csv".into(), |out| {
                alignments::csv(out, &alignments)
            })?;
            sink.put_written("data/themes.csv".into(), |out| csv::themes(out, &themes))?;
            sink.put_written("data/units.csv".into(), |out| csv::units(out, &units))?;
            sink.put_written("data/plans.csv".into(), |out| csv::plans(out, &plans))?;
            sink.put_written("data/measures.csv".into(), |out| {
                csv::measures(out, &measures)
            })?;
            sink.put_written("data/indicators.csv".into(), |out| {
                csv::indicators(out, &indicators)
            })
        },
    );
    // When both sides fail, `measures.json`'s error is reported.
    match (json_done, others) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(e), _) | (Ok(()), Err(e)) => Err(e),
    }
}

/// Writes `value` as indented JSON with a final newline to `path`.
fn json<T: Serialize>(sink: &Sink, path: &str, value: &T) -> Result<(), BuildError> {
    sink.put_written(path.into(), |out| {
        // serde_json writes each token on its own (a quote, a colon, an indent): gathered here,
        // in a writer of a type it knows, `out` is called once per 64 KiB instead of per token.
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        serde_json::to_writer_pretty(&mut out, value)
            .map_err(|e| BuildError::OpenData(Box::new(e)))?;
        out.write_all(b"\n")
            .map_err(|e| BuildError::OpenData(Box::new(e)))?;
        // Handed on, not flushed: the sink flushes its file itself and reports a failure there
        // as the I/O error it is, with the file's path.
        out.into_inner()
            .map(drop)
            .map_err(|e| BuildError::OpenData(Box::new(e.into_error())))
    })
}
