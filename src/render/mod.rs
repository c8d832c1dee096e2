//! Printing what `query` and `ops` return: tables for people (comfy-table, no colour, so
//! `NO_COLOR` and pipes get plain text), stable JSON and porcelain for programs. Every
//! function writes to the `out` it is given.

mod blame;
pub mod check;
mod escape;
mod explain;
pub mod history;
pub mod report;
mod show;
mod status;
mod verify;

use std::io::Write;

use anyhow::Result;
use comfy_table::{ContentArrangement, LineStyle, Table, TableStyle};
use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub use blame::{blame, blame_git_porcelain, blame_json, blame_porcelain};
pub use escape::{abbrev, escape, escape_code};
pub use explain::explain;
pub use show::show;
pub use status::status;
pub use verify::verify;

/// The version of every `--json` output's shape (docs/json.md): a field added keeps it, a
/// field renamed or removed changes it.
pub const JSON_SCHEMA: u32 = 1;

/// One JSON object on one line, `"schema"` first (docs/json.md). `value` must serialise to an
/// object; it streams (a 100,000-line blame is never held as a `Value`).
pub fn json(out: &mut dyn Write, value: &impl Serialize) -> Result<()> {
    write!(out, "{{\"schema\":{JSON_SCHEMA},")?;
    // serde writes a few bytes at a time: buffered here, not through two dynamic writers.
    let mut rest = std::io::BufWriter::with_capacity(1 << 16, SkipFirst { out, skipped: false });
    // As an io::Error, so that a closed pipe (`| head`) is recognised and ends quietly.
    serde_json::to_writer(&mut rest, value).map_err(std::io::Error::from)?;
    rest.flush()?;
    drop(rest);
    writeln!(out)?;
    Ok(())
}

/// A list as one JSON object on one line: `{"schema":1,"<key>":[…]}`.
pub fn json_list(out: &mut dyn Write, key: &str, items: &impl Serialize) -> Result<()> {
    write!(out, "{{\"schema\":{JSON_SCHEMA},{}:", serde_json::to_string(key)?)?;
    serde_json::to_writer(&mut *out, items).map_err(std::io::Error::from)?;
    writeln!(out, "}}")?;
    Ok(())
}

/// Passes everything on but the first byte (an object's `{`, which [`json`] wrote itself).
struct SkipFirst<'a> {
    out: &'a mut dyn Write,
    skipped: bool,
}

impl Write for SkipFirst<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.skipped || buf.is_empty() {
            return self.out.write(buf);
        }
        self.skipped = true;
        self.out.write_all(&buf[1..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Columns under a header, one rule below the header and nothing else.
const LISTING: TableStyle = TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// A table with a header row, columns two spaces apart. Cells are never wrapped, whatever the
/// terminal's width: a path, a tool name or an id broken over lines cannot be read or copied,
/// and squeezing columns on a narrow terminal (or one that reports no width) broke them a
/// letter per line. On a terminal, [`fit`] cuts the least important cells instead.
fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(LISTING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.iter().copied());
    for column in table.column_iter_mut() {
        column.set_padding((0, 1));
    }
    table
}

/// A plain table of text rows under a header; every cell is escaped, and the table is fitted
/// to the terminal (see [`fit`]).
pub fn rows(out: &mut dyn Write, header: &[&str], rows: Vec<Vec<String>>) -> Result<()> {
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|row| row.iter().map(|cell| escape(cell).into_owned()).collect())
        .collect();
    write_fitted(out, header, rows, terminal_width())
}

/// The width human output is fitted to: `COLUMNS` (as git reads it), else the terminal's, else
/// 80 for a terminal that reports no size (`script -qc`); `None` when stdout is not a terminal:
/// what goes to a pipe or a file is never cut.
pub fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok());
    let detected = Table::new().width().map(usize::from);
    Some(columns.or(detected).filter(|&w| w > 0).unwrap_or(80))
}

/// Columns that may be cut, least important first, and how narrow they may get.
const SHRINKABLE: &[&str] = &["prompt", "tool/model", "recorded", "project", "user", "records"];
const NARROWEST: usize = 8;

/// Cuts the cells of the least important columns (prompt, then tool/model, …) with `…` until
/// the table fits `width`; ids, paths and numbers stay whole. Cells never wrap.
fn fit(header: &[&str], rows: &mut [Vec<String>], width: usize) {
    let column_width = |rows: &[Vec<String>], c: usize| {
        rows.iter()
            .filter_map(|r| r.get(c))
            .map(|cell| cell.width())
            .chain([header[c].width()])
            .max()
            .unwrap_or(0)
    };
    for name in SHRINKABLE {
        let over = rendered_width(header, rows).saturating_sub(width);
        if over == 0 {
            return;
        }
        let Some(column) = header.iter().position(|h| h == name) else {
            continue;
        };
        let current = column_width(rows, column);
        let cut = over.min(current.saturating_sub(NARROWEST.max(header[column].width())));
        if cut == 0 {
            continue;
        }
        for row in rows.iter_mut() {
            if let Some(cell) = row.get_mut(column) {
                *cell = truncate(cell, current - cut);
            }
        }
    }
}

/// The width of the widest line the table would print.
fn rendered_width(header: &[&str], rows: &[Vec<String>]) -> usize {
    let mut t = table(header);
    for row in rows {
        t.add_row(row.clone());
    }
    t.lines().map(|l| l.trim_end().width()).max().unwrap_or(0)
}

/// `text` cut to `max` columns, ending in `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let mut cut = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        cut.push(c);
        used += w;
    }
    cut.push('…');
    cut
}

/// The first line of `text`, escaped and cut to `max` columns, then `…` when something was
/// left out (the rest of the line, or more lines).
pub fn excerpt(text: &str, max: usize) -> String {
    let first = escape(text.lines().next().unwrap_or_default());
    let cut = truncate(&first, max + 1);
    match text.lines().nth(1).is_some() && !cut.ends_with('…') {
        true => format!("{cut}…"),
        false => cut,
    }
}

/// Rows (already escaped) under `header`, fitted to the terminal.
fn listing(out: &mut dyn Write, header: &[&str], rows: Vec<Vec<String>>) -> Result<()> {
    write_fitted(out, header, rows, terminal_width())
}

/// Rows (already escaped) under `header`, fitted to `width` when there is one.
fn write_fitted(
    out: &mut dyn Write,
    header: &[&str],
    mut rows: Vec<Vec<String>>,
    width: Option<usize>,
) -> Result<()> {
    // A column with no value in any row says nothing: on a terminal it gives its room away.
    let mut header: Vec<&str> = header.to_vec();
    if let Some(width) = width {
        for column in (0..header.len()).rev() {
            if !rows.is_empty() && rows.iter().all(|r| r.get(column).is_none_or(|c| c.is_empty())) {
                header.remove(column);
                for row in &mut rows {
                    if column < row.len() {
                        row.remove(column);
                    }
                }
            }
        }
        fit(&header, &mut rows, width);
    }
    let header = header.as_slice();
    let mut t = table(header);
    for row in rows {
        t.add_row(row);
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
