//! `lineage report`: a static HTML report of a range.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::query::report::report;
use crate::render;

/// Write a self-contained HTML report of a range.
///
/// Write one self-contained HTML file about a range: AI share over time, by model, tool,
/// author and path, a per-file heat map, acceptance rates, the prompts that produced the most
/// lines, and the AI lines no approving review covers. It needs no server and no network to
/// view; its figures are those of `lineage stats --json`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The commits (default: HEAD's history).
    range: Option<String>,
    /// Only these paths.
    #[arg(last = true, value_name = "PATHS")]
    paths: Vec<String>,
    /// The HTML file to write (replaced whole, never half-written); standard output without it.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Leave out paths matching this glob, besides `[stats] ignore`; may be repeated.
    #[arg(long, value_name = "GLOB")]
    ignore: Vec<String>,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = super::open_repo(cwd)?;
    let paths = super::repo_paths(&repo, cwd, &args.paths)?;
    let ignore = super::ignored_paths(&repo, &args.ignore)?;
    let progress = super::Progress::new("report", 2_000);
    let data = report(
        &repo,
        args.range.as_deref(),
        &paths,
        &ignore,
        &mut |done, total| progress.update(done, total),
    )?;
    drop(progress);
    super::write_output(cwd, args.output.as_deref(), out, &mut |sink| {
        render::report::report(sink, &data)
    })?;
    if let Some(output) = &args.output {
        writeln!(
            out,
            "wrote {} ({} commit(s), {} AI line(s))",
            output.display(),
            data.commits,
            data.total.tally.ai()
        )?;
    }
    Ok(())
}
