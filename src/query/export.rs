//! Rows for warehouses (docs/export.md): one per commit and one per attributed range, every
//! column in every row (null where it does not apply), so that DuckDB, ClickHouse or BigQuery
//! read a stable schema from JSON Lines of many repositories.

use serde::Serialize;

use crate::clock;
use crate::model::{EditRecord, ParsedNote, ranges_contain};
use crate::query::history::{CommitFacts, review_status};

/// The version of the rows' columns: a column added keeps it, renamed or removed changes it.
pub const EXPORT_SCHEMA: u32 = 1;

/// One row. `row` says which kind: `commit` rows carry the commit's figures, `range` rows one
/// run of lines of one AI record with one outcome.
#[derive(Debug, Serialize)]
pub struct ExportRow<'a> {
    pub schema_version: u32,
    pub row: &'static str,
    pub repository: &'a str,
    pub commit: String,
    pub author: &'a str,
    /// RFC 3339, UTC.
    pub author_time: String,
    pub committer: &'a str,
    // Commit rows.
    pub summary: Option<&'a str>,
    pub seen: Option<bool>,
    pub lines: u64,
    pub ai_added: Option<u64>,
    pub ai_modified: Option<u64>,
    pub human_added: Option<u64>,
    pub unknown: Option<u64>,
    pub rejected: Option<u64>,
    pub discarded: Option<u64>,
    pub review: Option<&'a str>,
    // Range rows.
    pub path: Option<&'a str>,
    pub start_line: Option<u32>,
    pub end_line: Option<u32>,
    pub outcome: Option<&'static str>,
    pub record: Option<&'a str>,
    pub tool: Option<&'a str>,
    pub tool_version: Option<&'a str>,
    pub model: Option<&'a str>,
    pub session: Option<&'a str>,
    pub user: Option<&'a str>,
    pub prompt_id: Option<&'a str>,
    pub recorded_at: Option<&'a str>,
    pub evidence: Option<&'a str>,
}

/// The commit's row, then a row per run of its AI lines (of the edits `wanted` keeps), split
/// where the outcome changes between accepted and modified.
pub fn rows<'a>(
    repository: &'a str,
    facts: &'a CommitFacts,
    note: &'a ParsedNote,
    wanted: &dyn Fn(&str) -> bool,
) -> Vec<ExportRow<'a>> {
    let tally = facts.tally();
    let base = || ExportRow {
        schema_version: EXPORT_SCHEMA,
        row: "commit",
        repository,
        commit: facts.commit.to_hex(),
        author: &facts.author,
        author_time: chrono::DateTime::from_timestamp(facts.author_time, 0)
            .map(clock::format)
            .unwrap_or_default(),
        committer: &facts.committer,
        summary: None,
        seen: None,
        lines: 0,
        ai_added: None,
        ai_modified: None,
        human_added: None,
        unknown: None,
        rejected: None,
        discarded: None,
        review: None,
        path: None,
        start_line: None,
        end_line: None,
        outcome: None,
        record: None,
        tool: None,
        tool_version: None,
        model: None,
        session: None,
        user: None,
        prompt_id: None,
        recorded_at: None,
        evidence: None,
    };
    let mut out = vec![ExportRow {
        summary: Some(&facts.summary),
        seen: Some(facts.seen),
        lines: tally.lines(),
        ai_added: Some(tally.ai_added),
        ai_modified: Some(tally.ai_modified),
        human_added: Some(tally.human_added),
        unknown: Some(tally.unknown),
        rejected: Some(tally.rejected),
        discarded: Some(tally.discarded),
        review: review_status(&facts.reviews).map(|r| r.verdict.as_str()),
        ..base()
    }];
    for edit in note.edits().filter(|e| wanted(&e.file)) {
        for (start, end, modified) in runs(edit) {
            out.push(ExportRow {
                row: "range",
                lines: u64::from(end - start + 1),
                path: Some(&edit.file),
                start_line: Some(start),
                end_line: Some(end),
                outcome: Some(if modified { "modified" } else { "accepted" }),
                record: Some(&edit.id),
                tool: Some(&edit.tool),
                tool_version: edit.tool_version.as_deref(),
                model: edit.model.as_deref(),
                session: edit.session.as_deref(),
                user: edit.user.as_deref(),
                prompt_id: edit.prompt_id.as_deref(),
                recorded_at: Some(&edit.recorded_at),
                evidence: Some(edit.evidence.as_deref().unwrap_or("line")),
                ..base()
            });
        }
    }
    out
}

/// The edit's ranges cut into runs of one outcome: (start, end, modified).
pub(crate) fn runs(edit: &EditRecord) -> Vec<(u32, u32, bool)> {
    let mut runs: Vec<(u32, u32, bool)> = Vec::new();
    for &[first, last] in &edit.ranges {
        for line in first..=last {
            let modified = ranges_contain(&edit.modified, line);
            match runs.last_mut() {
                Some((_, end, m)) if *end + 1 == line && *m == modified => *end = line,
                _ => runs.push((line, line, modified)),
            }
        }
    }
    runs
}

/// The CSV columns: one row per attributed range (spreadsheets want one kind of row).
pub const CSV_COLUMNS: &[&str] = &[
    "repository",
    "commit",
    "author",
    "author_time",
    "path",
    "start_line",
    "end_line",
    "lines",
    "outcome",
    "tool",
    "tool_version",
    "model",
    "session",
    "user",
    "prompt_id",
    "recorded_at",
    "evidence",
    "record",
];

/// A range row's cells, in [`CSV_COLUMNS`] order (`None` for a commit row).
pub fn csv_cells(row: &ExportRow<'_>) -> Option<Vec<String>> {
    if row.row != "range" {
        return None;
    }
    let text = |v: Option<&str>| v.unwrap_or_default().to_string();
    let number = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    Some(vec![
        row.repository.to_string(),
        row.commit.clone(),
        row.author.to_string(),
        row.author_time.clone(),
        text(row.path),
        number(row.start_line),
        number(row.end_line),
        row.lines.to_string(),
        text(row.outcome),
        text(row.tool),
        text(row.tool_version),
        text(row.model),
        text(row.session),
        text(row.user),
        text(row.prompt_id),
        text(row.recorded_at),
        text(row.evidence),
        text(row.record),
    ])
}

/// One CSV line (RFC 4180): cells with a comma, quote or line break are quoted; a cell a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is
/// prefixed with `'`: note text comes from collaborators.
pub fn csv_line(cells: &[impl AsRef<str>]) -> String {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let cell = cell.as_ref();
        let cell = match cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            true => format!("'{cell}"),
            false => cell.to_string(),
        };
        if cell.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&cell.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&cell);
        }
    }
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(
            csv_line(&["a", "b,c", "say \"hi\"", "x\ny"]),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\"\r\n"
        );
        assert_eq!(
            csv_line(&["=HYPERLINK(\"x\")", "-1", "@cmd", "ok"]),
            "\"'=HYPERLINK(\"\"x\"\")\",'-1,'@cmd,ok\r\n"
        );
    }
}
