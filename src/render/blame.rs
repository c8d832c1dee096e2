//! `lineage blame` output: git-blame-like columns with an AI column.

use std::io::Write;

use anyhow::Result;
use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::{short, tool_model};
use crate::blame::Report;
use crate::git::UNCOMMITTED;

/// Human output: commit, AI origin and outcome, author, line number, content. Code is never
/// wrapped, so the table is laid out without a width limit.
pub fn blame(out: &mut dyn Write, report: &Report) -> Result<()> {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled);
    for line in &report.lines {
        let commit = if line.commit == UNCOMMITTED {
            "--------"
        } else {
            short(&line.commit)
        };
        let (ai, outcome) = match &line.ai {
            Some(ai) if ai.evidence == "commit" => {
                (tool_model(&ai.tool, ai.model.as_deref()), "commit-level")
            }
            Some(ai) => (tool_model(&ai.tool, ai.model.as_deref()), ai.outcome.as_str()),
            None => ("human".to_string(), ""),
        };
        table.add_row(vec![
            commit.to_string(),
            ai,
            outcome.to_string(),
            line.author.clone(),
            line.line.to_string(),
            format!("│ {}", line.content),
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
