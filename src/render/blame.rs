//! `lineage blame` output: git-blame-like columns with an AI column.

use std::io::Write;

use anyhow::Result;
use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::{escape, escape_code, tool_model};
use crate::query::blame::Report;

/// Human output: commit, AI origin and outcome, author, line number, content. Code is never
/// wrapped, so the table is laid out without a width limit.
pub fn blame(out: &mut dyn Write, report: &Report) -> Result<()> {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled);
    for line in &report.lines {
        let commit = if line.commit.is_zero() {
            "--------".to_string()
        } else {
            line.commit.abbrev(8)
        };
        let (ai, outcome) = match &line.ai {
            Some(ai) if ai.evidence == "commit" => {
                (tool_model(&ai.tool, ai.model.as_deref()), "commit-level")
            }
            Some(ai) => (tool_model(&ai.tool, ai.model.as_deref()), ai.outcome.as_str()),
            None => ("human".to_string(), ""),
        };
        table.add_row(vec![
            commit,
            ai,
            outcome.to_string(),
            escape(&line.author).into_owned(),
            line.line.to_string(),
            format!("│ {}", escape_code(&line.content)),
        ]);
    }
    if let Some(number) = table.column_mut(4) {
        number.set_cell_alignment(CellAlignment::Right);
    }
    for (index, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, u16::from(index < 5)));
    }
    super::write_table(out, &table)
}

/// One tab-separated line per line: commit, line, AI tool, model, outcome, record, evidence
/// (`line` or `commit`); `-` where there is no AI record. Fields are escaped, so a tab or a
/// newline in a note cannot forge a field or a row.
pub fn blame_porcelain(out: &mut dyn Write, report: &Report) -> Result<()> {
    for line in &report.lines {
        let (tool, model, outcome, record, evidence) = match &line.ai {
            Some(ai) => (
                ai.tool.as_str(),
                ai.model.as_deref().unwrap_or("-"),
                ai.outcome.as_str(),
                ai.record.as_str(),
                ai.evidence,
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
