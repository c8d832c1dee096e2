//! `lineage status` output: hooks, pending journal entries, and what the next commit binds.

use std::io::Write;

use anyhow::Result;

use super::{escape, listing, short, tool_model};
use crate::query::status::Status;

pub fn status(out: &mut dyn Write, view: &Status) -> Result<()> {
    let hooks: Vec<String> = view
        .hooks
        .iter()
        .map(|h| format!("{} {}", h.name, if h.installed { "installed" } else { "MISSING" }))
        .collect();
    writeln!(out, "hooks    {} ({})", hooks.join(", "), escape(&view.hooks_dir))?;
    if view.hooks.iter().any(|h| !h.installed) {
        writeln!(out, "         run `lineage init` to install them")?;
    }
    writeln!(out, "journal  {}", escape(&view.journal))?;
    if view.logged_warnings > 0 {
        writeln!(
            out,
            "log      {} warning(s) logged since the last commit: {}",
            view.logged_warnings,
            escape(&view.log)
        )?;
    }
    let count: usize = view.pending.iter().map(|f| f.entries.len()).sum();
    if count == 0 {
        writeln!(out, "\nNo pending AI edits.")?;
    } else {
        let header = &[
            "file",
            "record",
            "tool/model",
            "status",
            "lines",
            "committed",
            "recorded",
        ];
        let mut rows: Vec<Vec<String>> = Vec::new();
        for file in &view.pending {
            for e in &file.entries {
                rows.push(vec![
                    escape(&file.file).into_owned(),
                    short(&e.id),
                    tool_model(&e.tool, e.model.as_deref()),
                    e.status.clone(),
                    lines_text(e.lines, e.deleted),
                    e.committed_lines.to_string(),
                    escape(&e.recorded_at).into_owned(),
                ]);
            }
        }
        writeln!(out, "\n{count} pending AI edit(s)")?;
        listing(out, header, rows)?;
    }
    if !view.next_commit.is_empty() {
        let header = &["file", "AI lines", "modified", "records"];
        let mut rows: Vec<Vec<String>> = Vec::new();
        for f in &view.next_commit {
            rows.push(vec![
                escape(&f.file).into_owned(),
                f.ai_lines.to_string(),
                f.modified_lines.to_string(),
                f.records.iter().map(|r| short(r)).collect::<Vec<_>>().join(" "),
            ]);
        }
        writeln!(out, "\nThe next commit (what is staged now) would bind")?;
        listing(out, header, rows)?;
    }
    for damaged in &view.damaged {
        writeln!(out, "unreadable journal entry: {}", escape(damaged))?;
    }
    Ok(())
}

/// Lines an edit inserted, with those it removed (`3 -2`), or only those (`-4`).
fn lines_text(inserted: usize, deleted: usize) -> String {
    match (inserted, deleted) {
        (_, 0) => inserted.to_string(),
        (0, _) => format!("-{deleted}"),
        _ => format!("{inserted} -{deleted}"),
    }
}
