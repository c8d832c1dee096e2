//! `lineage report`: one self-contained HTML file (inline CSS, JavaScript and SVG; no network
//! at view time, which its Content-Security-Policy enforces). The figures travel as JSON inside
//! the page and are drawn with `textContent`, never as HTML: a note's text cannot inject markup.

use std::io::Write;

use anyhow::Result;

use crate::query::report::ReportData;

const TEMPLATE: &str = include_str!("report.html");
const SLOT: &str = "__LINEAGE_DATA__";

pub fn report(out: &mut dyn Write, data: &ReportData) -> Result<()> {
    // `<` escaped so that no string can close the script element holding the data.
    let json = serde_json::to_string(data)?
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    let (before, after) = TEMPLATE.split_once(SLOT).expect("the template has a data slot");
    out.write_all(before.as_bytes())?;
    out.write_all(json.as_bytes())?;
    out.write_all(after.as_bytes())?;
    Ok(())
}
