//! The open data: `data/plans.json`, `data/measures.json`, `data/indicators.json`,
//! `data/themes.json`, `data/units.json`, `data/alignments.json` and their CSV twins. These files are an interface other
//! tools read; their schema is documented in the README and changes only by adding fields.
//!
//! Besides this file, which writes the files: `records.rs` (the record types, which are the
//! schema, and how they are made), `csv.rs` (the CSV tables) and `alignments.rs` (the
//! alignments between upper and lower plans, record and table).
//!
//! Layer 6: may use `analyse` and every layer below; not `render`, `search` or `feeds`.

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
/// large file is held at a time.
pub fn open_data(site: &Site, analysis: &Analysis, sink: &Sink) -> Result<(), BuildError> {
    let plans = records::plans(site);
    let measures = records::measures(site, analysis);
    let indicators = records::indicators(site);
    let themes = records::themes(site, analysis);
    let units = records::units(site, analysis);
    sink.put("data/plans.json".into(), json(&plans)?)?;
    sink.put("data/measures.json".into(), json(&measures)?)?;
    sink.put("data/indicators.json".into(), json(&indicators)?)?;
    sink.put("data/themes.json".into(), json(&themes)?)?;
    sink.put("data/units.json".into(), json(&units)?)?;
    let alignments = alignments::records(site, analysis);
    sink.put("data/alignments.json".into(), json(&alignments)?)?;
    sink.put("data/alignments.csv".into(), alignments::csv(&alignments)?)?;

    sink.put("data/themes.csv".into(), csv::themes(&themes)?)?;
    sink.put("data/units.csv".into(), csv::units(&units)?)?;
    sink.put("data/plans.csv".into(), csv::plans(&plans)?)?;
    sink.put("data/measures.csv".into(), csv::measures(&measures)?)?;
    sink.put("data/indicators.csv".into(), csv::indicators(&indicators)?)?;
    Ok(())
}

fn json<T: Serialize>(value: &T) -> Result<Vec<u8>, BuildError> {
    let mut bytes =
        serde_json::to_vec_pretty(value).map_err(|e| BuildError::OpenData(Box::new(e)))?;
    bytes.push(b'\n');
    Ok(bytes)
}
