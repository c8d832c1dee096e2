//! Printing what `query` and `ops` return: tables for people (comfy-table, no colour, so
//! `NO_COLOR` and pipes get plain text), stable JSON and porcelain for programs. Every
//! function writes to the `out` it is given.

mod blame;
mod escape;
mod show;
mod status;

use std::io::Write;

use anyhow::Result;
use comfy_table::{ContentArrangement, LineStyle, Table, TableStyle};
use serde::Serialize;

pub use blame::{blame, blame_git_porcelain, blame_porcelain};
pub use escape::{abbrev, escape, escape_code};
pub use show::show;
pub use status::status;

/// One JSON document on one line.
pub fn json(out: &mut dyn Write, value: &impl Serialize) -> Result<()> {
    // As an io::Error, so that a closed pipe (`| head`) is recognised and ends quietly.
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// Columns under a header, one rule below the header and nothing else.
const LISTING: TableStyle = TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// A table with a header row. Cells are never wrapped, whatever the terminal's width: a path,
/// a tool name or an id broken over lines cannot be read or copied, and squeezing columns on a
/// narrow terminal (or one that reports no width) broke them a letter per line. Long rows run
/// on, as `git log` and `kubectl get` rows do; prompts are cut to an excerpt.
fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(LISTING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.iter().copied());
    table
}

/// A plain table of text rows under a header; every cell is escaped.
pub fn rows(out: &mut dyn Write, header: &[&str], rows: Vec<Vec<String>>) -> Result<()> {
    let mut t = table(header);
    for row in rows {
        t.add_row(row.iter().map(|cell| escape(cell).into_owned()));
    }
    write_table(out, &t)
}

/// Writes a table without the trailing padding of its last column.
fn write_table(out: &mut dyn Write, table: &Table) -> Result<()> {
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// An AI origin as people read it: `tool/model`, or the tool alone; escaped.
fn tool_model(tool: &str, model: Option<&str>) -> String {
    match model {
        Some(model) => format!("{}/{}", escape(tool), escape(model)),
        None => escape(tool).into_owned(),
    }
}

/// A record id as people read it: its first 8 characters, escaped.
fn short(id: &str) -> String {
    abbrev(id, 8)
}

fn ranges_text(ranges: &[[u32; 2]]) -> String {
    ranges
        .iter()
        .map(|[a, b]| if a == b { a.to_string() } else { format!("{a}-{b}") })
        .collect::<Vec<_>>()
        .join(",")
}
