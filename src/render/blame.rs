//! `lineage blame` output: git-blame-like columns with an AI column, and porcelain.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::Result;
use unicode_width::UnicodeWidthStr;

use super::{escape, escape_code, tool_model};
use crate::query::blame::Report;

/// Human output: commit, AI origin and outcome, author, line number, then the code. Columns are
/// padded to their widest cell; code is never wrapped. Written by hand rather than through a
/// table layout: a 100,000-line file must print at the speed of git blame.
pub fn blame(out: &mut dyn Write, report: &Report) -> Result<()> {
    let rows: Vec<[String; 5]> = report
        .lines
        .iter()
        .map(|line| {
            let commit = if line.commit.is_zero() {
                "--------".to_string()
            } else {
                line.commit.abbrev(8)
            };
            let (ai, outcome) = match &line.ai {
                Some(ai) => (
                    tool_model(&ai.source.tool, ai.source.model.as_deref()),
                    if ai.source.evidence == "commit" {
                        "commit-level"
                    } else {
                        ai.outcome.as_str()
                    },
                ),
                None => ("human".to_string(), ""),
            };
            [
                commit,
                ai,
                outcome.to_string(),
                escape(&line.author).into_owned(),
                line.line.to_string(),
            ]
        })
        .collect();
    let mut widths = [0usize; 5];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let mut text = String::new();
    for (row, line) in rows.iter().zip(&report.lines) {
        text.clear();
        for (column, cell) in row.iter().enumerate() {
            let pad = widths[column] - cell.width();
            if column == 4 {
                let _ = write!(text, "{:pad$}{cell} ", "");
            } else {
                let _ = write!(text, "{cell}{:pad$} ", "");
            }
        }
        text.push_str("│ ");
        text.push_str(&escape_code(&line.content));
        writeln!(out, "{}", text.trim_end())?;
    }
    Ok(())
}

/// One tab-separated line per line: commit, line, AI tool, model, outcome, record, evidence
/// (`line` or `commit`); `-` where there is no AI record. Fields are escaped, so a tab or a
/// newline in a note cannot forge a field or a row.
pub fn blame_porcelain(out: &mut dyn Write, report: &Report) -> Result<()> {
    for line in &report.lines {
        let (tool, model, outcome, record, evidence) = match &line.ai {
            Some(ai) => (
                ai.source.tool.as_str(),
                ai.source.model.as_deref().unwrap_or("-"),
                ai.outcome.as_str(),
                ai.source.record.as_str(),
                ai.source.evidence,
            ),
            None => ("-", "-", "human", "-", "-"),
        };
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{outcome}\t{}\t{evidence}",
            line.commit,
            line.line,
            escape(tool),
            escape(model),
            escape(record)
        )?;
    }
    Ok(())
}
