//! `lineage import aider|trailers [RANGE]`: provenance for commits made without lineage's
//! hooks, from the marks AI tools leave on commits.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::ops::import::{Marks, import};
use crate::render;

/// Attribute the added lines of commits an AI tool marked, as commit-level evidence.
///
/// `aider`: commits whose author or committer is `Name (aider)`, or that carry a
/// `Co-authored-by: aider (<model>)` trailer. `trailers`: commits with an agent's trailer
/// (`Co-Authored-By: Claude …`, `Co-authored-by: Codex …`, `Assisted-by: AGENT:MODEL`). Every
/// line such a commit added is recorded in its note with `"evidence": "commit"`, which blame
/// shows as `commit-level`: the commit says an AI took part, not which lines it wrote.
/// Running it again changes nothing.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    source: Source,
    /// The commits to look at, as git names them (`main..topic`, `HEAD~50..`); default: all
    /// of HEAD's history.
    #[arg(default_value = "HEAD")]
    range: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Source {
    Aider,
    Trailers,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = super::open_repo(cwd)?;
    let marks = match args.source {
        Source::Aider => Marks::Aider,
        Source::Trailers => Marks::Trailers,
    };
    // A bar on a terminal for long ranges (20,000 commits take about a minute).
    let progress = super::Progress::new("importing", 200);
    let imported = import(&repo, marks, &args.range, |done, total| {
        progress.update(done, total)
    })?;
    drop(progress);
    if args.json {
        return render::json_list(out, "commits", &imported);
    }
    if imported.is_empty() {
        writeln!(
            out,
            "No commits in {} carry {} marks.",
            render::escape(&args.range),
            marks.name()
        )?;
        return Ok(());
    }
    let rows = imported
        .iter()
        .map(|i| {
            vec![
                i.commit.abbrev(12),
                match &i.model {
                    Some(model) => format!("{}/{model}", i.tool),
                    None => i.tool.clone(),
                },
                i.files.to_string(),
                i.lines.to_string(),
            ]
        })
        .collect();
    render::rows(out, &["commit", "tool/model", "files", "lines"], rows)?;
    let new = imported.iter().filter(|i| i.new).count();
    writeln!(
        out,
        "{} commit(s) attributed at commit level, {new} new.",
        imported.len()
    )?;
    Ok(())
}
