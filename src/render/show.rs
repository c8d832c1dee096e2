//! `lineage show` output: one commit's provenance.

use std::collections::HashMap;
use std::io::Write;

use anyhow::Result;

use super::{escape, excerpt, listing, ranges_text, short, tool_model};
use crate::query::show::CommitProvenance;

/// Every field from the note is escaped: a collaborator wrote it.
/// With `full`, every prompt follows whole, line by line.
pub fn show(out: &mut dyn Write, view: &CommitProvenance, full: bool) -> Result<()> {
    writeln!(out, "commit {}  {}", view.commit, escape(&view.summary))?;
    writeln!(out, "author    {}", escape(&view.author))?;
    writeln!(out, "committer {}", escape(&view.committer))?;
    if view.edits.is_empty() && view.settled.is_empty() {
        match view.seen {
            true => writeln!(out, "\nNo AI edits recorded in this commit.")?,
            false => writeln!(
                out,
                "\nlineage did not see this commit (made before `lineage init`, or without its hooks): its lines are unknown."
            )?,
        }
    }
    // Indexed once: a note with thousands of edits and prompts must not be matched quadratically.
    let prompts: HashMap<&str, &str> = view
        .prompts
        .iter()
        .filter_map(|p| Some((p.id.as_str(), p.text.as_deref()?)))
        .collect();
    let prompt_text = |id: Option<&String>| -> String {
        let Some(id) = id else { return String::new() };
        match prompts.get(id.as_str()) {
            Some(text) => excerpt(text, 60),
            None => format!("#{}", short(id)),
        }
    };
    if !view.edits.is_empty() {
        let header = &[
            "file",
            "lines",
            "modified",
            "tool/model",
            "outcome",
            "record",
            "prompt",
        ];
        let mut rows: Vec<Vec<String>> = Vec::new();
        for e in &view.edits {
            rows.push(vec![
                escape(&e.file).into_owned(),
                match (e.ranges.is_empty(), e.deleted) {
                    (true, Some(deleted)) => format!("-{deleted}"),
                    _ => ranges_text(&e.ranges),
                },
                ranges_text(&e.modified),
                tool_model(&e.tool, e.model.as_deref()),
                format!("{:?}", e.outcome).to_lowercase(),
                short(&e.id),
                prompt_text(e.prompt_id.as_ref()),
            ]);
        }
        writeln!(out, "\nAI edits")?;
        listing(out, header, rows)?;
    }
    if !view.settled.is_empty() {
        let header = &["file", "lines", "tool/model", "outcome", "record", "prompt"];
        let mut rows: Vec<Vec<String>> = Vec::new();
        for s in &view.settled {
            rows.push(vec![
                escape(&s.file).into_owned(),
                s.lines.to_string(),
                tool_model(&s.tool, s.model.as_deref()),
                format!("{:?}", s.outcome).to_lowercase(),
                short(&s.id),
                prompt_text(s.prompt_id.as_ref()),
            ]);
        }
        writeln!(out, "\nEdits that never reached history")?;
        listing(out, header, rows)?;
    }
    if !view.reviews.is_empty() {
        let header = &["by", "at", "verdict", "ref"];
        let mut rows: Vec<Vec<String>> = Vec::new();
        for r in &view.reviews {
            rows.push(vec![
                escape(&r.by).into_owned(),
                escape(&r.at).into_owned(),
                escape(&r.verdict).into_owned(),
                escape(r.reference.as_deref().unwrap_or_default()).into_owned(),
            ]);
        }
        writeln!(out, "\nReviews")?;
        listing(out, header, rows)?;
    }
    if view.skipped_lines > 0 {
        writeln!(
            out,
            "\n{} note line(s) were not lineage records and were skipped.",
            view.skipped_lines
        )?;
    }
    if full {
        full_prompts(out, view)?;
    }
    Ok(())
}

/// Each prompt whole, under its short id; every line escaped.
fn full_prompts(out: &mut dyn Write, view: &CommitProvenance) -> Result<()> {
    for prompt in &view.prompts {
        let Some(text) = &prompt.text else { continue };
        writeln!(out, "\nprompt #{}", short(&prompt.id))?;
        for line in text.lines() {
            writeln!(out, "    {}", escape(line))?;
        }
    }
    Ok(())
}
