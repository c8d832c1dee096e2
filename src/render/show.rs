//! `lineage show` output: one commit's provenance.

use std::io::Write;

use anyhow::Result;

use super::{ranges_text, short, table, tool_model, write_table};
use crate::query::show::CommitProvenance;

pub fn show(out: &mut dyn Write, view: &CommitProvenance) -> Result<()> {
    writeln!(out, "commit {}  {}", view.commit, view.summary)?;
    writeln!(out, "author    {}", view.author)?;
    writeln!(out, "committer {}", view.committer)?;
    if view.edits.is_empty() && view.settled.is_empty() {
        writeln!(out, "\nNo AI edits recorded in this commit.")?;
    }
    let prompt_text = |id: Option<&String>| -> String {
        let Some(id) = id else { return String::new() };
        match view.prompt(id).and_then(|p| p.text.as_deref()) {
            Some(text) => excerpt(text, 60),
            None => format!("#{}", short(id)),
        }
    };
    if !view.edits.is_empty() {
        let mut t = table(&[
            "file",
            "lines",
            "modified",
            "tool/model",
            "outcome",
            "record",
            "prompt",
        ]);
        for e in &view.edits {
            t.add_row(vec![
                e.file.clone(),
                ranges_text(&e.ranges),
                ranges_text(&e.modified),
                tool_model(&e.tool, e.model.as_deref()),
                format!("{:?}", e.outcome).to_lowercase(),
                short(&e.id).to_string(),
                prompt_text(e.prompt_id.as_ref()),
            ]);
        }
        writeln!(out, "\nAI edits")?;
        write_table(out, &t)?;
    }
    if !view.settled.is_empty() {
        let mut t = table(&["file", "lines", "tool/model", "outcome", "record", "prompt"]);
        for s in &view.settled {
            t.add_row(vec![
                s.file.clone(),
                s.lines.to_string(),
                tool_model(&s.tool, s.model.as_deref()),
                format!("{:?}", s.outcome).to_lowercase(),
                short(&s.id).to_string(),
                prompt_text(s.prompt_id.as_ref()),
            ]);
        }
        writeln!(out, "\nEdits that never reached history")?;
        write_table(out, &t)?;
    }
    if !view.reviews.is_empty() {
        let mut t = table(&["by", "at", "verdict", "ref"]);
        for r in &view.reviews {
            t.add_row(vec![
                r.by.clone(),
                r.at.clone(),
                r.verdict.clone(),
                r.reference.clone().unwrap_or_default(),
            ]);
        }
        writeln!(out, "\nReviews")?;
        write_table(out, &t)?;
    }
    if view.skipped_lines > 0 {
        writeln!(
            out,
            "\n{} note line(s) were not lineage records and were skipped.",
            view.skipped_lines
        )?;
    }
    Ok(())
}

/// The first line of `text`, cut to `max` characters.
fn excerpt(text: &str, max: usize) -> String {
    let first = text.lines().next().unwrap_or_default();
    if first.chars().count() > max || text.lines().nth(1).is_some() {
        format!("{}…", first.chars().take(max).collect::<String>())
    } else {
        first.to_string()
    }
}
