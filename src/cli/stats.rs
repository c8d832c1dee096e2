//! `lineage stats`: AI, human and unknown lines over a range, grouped.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::query::history::{self, By, Figures};
use crate::render;

/// AI, human and unknown lines over a range, by model, tool, author, path, day or week.
///
/// AI-added, AI-modified, human-added and unknown lines over a range, grouped by model, tool,
/// author, path, day or week, with the AI share, the acceptance rate of AI edits (committed
/// lines over lines offered: committed, rejected or discarded) and the AI lines no approving
/// review covers.
///
/// Paths listed under `[stats] ignore` in the committed `.lineage.toml` (lockfiles, generated
/// code, vendored directories) are left out, as are those given with `--ignore`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The commits (default: HEAD's history): `main..topic`, `HEAD~50..`, a revision.
    range: Option<String>,
    /// Only the lines of these paths (files or directories).
    #[arg(last = true, value_name = "PATHS")]
    paths: Vec<String>,
    /// What each row is.
    #[arg(long, value_enum, default_value = "model")]
    by: By,
    /// Leave out paths matching this glob (`Cargo.lock`, `vendor/**`); may be repeated.
    #[arg(long, value_name = "GLOB")]
    ignore: Vec<String>,
    /// Print JSON (docs/json.md): `{"schema":1,"by","range","total":{…},"rows":[{"key",…}]}`.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct StatsJson<'a> {
    range: &'a str,
    paths: &'a [String],
    ignore: &'a [String],
    by: By,
    commits: usize,
    total: Figures,
    rows: Vec<Row>,
}

#[derive(Serialize)]
struct Row {
    key: String,
    #[serde(flatten)]
    figures: Figures,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = super::open_repo(cwd)?;
    let paths = super::repo_paths(&repo, cwd, &args.paths)?;
    let ignore = super::ignored_paths(&repo, &args.ignore)?;
    let progress = super::Progress::new("stats", 2_000);
    let facts = history::commits(
        &repo,
        args.range.as_deref(),
        &paths,
        &ignore,
        &mut |done, total| progress.update(done, total),
    )?;
    drop(progress);
    let grouped = history::group(&facts, args.by);
    let total = history::total(&facts);
    let by = args.by.to_possible_value_name();
    if args.json {
        return render::json(
            out,
            &StatsJson {
                range: args.range.as_deref().unwrap_or("HEAD"),
                paths: &paths,
                ignore: ignore.patterns(),
                by: args.by,
                commits: facts.len(),
                total: total.into(),
                rows: grouped
                    .into_iter()
                    .map(|(key, tally)| Row {
                        key,
                        figures: tally.into(),
                    })
                    .collect(),
            },
        );
    }
    render::history::stats(out, &by, &grouped, &total)
}

trait ValueName {
    fn to_possible_value_name(&self) -> String;
}

impl ValueName for By {
    fn to_possible_value_name(&self) -> String {
        clap::ValueEnum::to_possible_value(self).map_or_else(String::new, |v| v.get_name().to_string())
    }
}
