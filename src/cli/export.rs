//! `lineage export`: provenance as data for other tools.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::config::ProjectConfig;
use crate::git::Repo;
use crate::query::export::{CSV_COLUMNS, csv_cells, csv_line, rows};
use crate::query::history::{self, Ignore};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// JSON Lines for warehouses (DuckDB, ClickHouse, BigQuery): a row per commit and per
    /// attributed range, the columns of docs/export.md.
    Jsonl,
    /// CSV for spreadsheets: a header row, then a row per attributed range.
    Csv,
}

/// Export the provenance of a range as data: `--format jsonl` writes one row per commit and
/// one per attributed range, with a documented, versioned schema (docs/export.md), so many
/// repositories load into one table; `--format csv` a header row and a row per attributed
/// range, for spreadsheets. Paths under `[stats] ignore` in `.lineage.toml` are left
/// out, as in `stats`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The commits (default: HEAD's history).
    range: Option<String>,
    /// Only these paths.
    #[arg(last = true, value_name = "PATHS")]
    paths: Vec<String>,
    #[arg(long, value_enum)]
    format: Format,
    /// Write to FILE (replaced whole, never half-written) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The `repository` column (default: the work tree's directory name).
    #[arg(long, value_name = "NAME")]
    repository: Option<String>,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = Repo::discover(cwd)?;
    let paths = super::repo_paths(&repo, cwd, &args.paths)?;
    let ignore = Ignore::new(&ProjectConfig::load(&repo)?.stats_ignore)?;
    let repository = match args.repository {
        Some(name) => name,
        None => repo
            .workdir()?
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let format = args.format;
    super::write_output(cwd, args.output.as_deref(), out, &mut |sink| {
        if format == Format::Csv {
            sink.write_all(csv_line(CSV_COLUMNS).as_bytes())?;
        }
        let progress = super::Progress::new("export", 2_000);
        let wanted = |path: &str| history::wanted(path, &paths, &ignore);
        history::for_each_commit(
            &repo,
            args.range.as_deref(),
            &paths,
            &ignore,
            &mut |done, total| progress.update(done, total),
            &mut |facts, note| {
                for row in rows(&repository, &facts, note, &wanted) {
                    match format {
                        Format::Jsonl => {
                            serde_json::to_writer(&mut *sink, &row)?;
                            sink.write_all(b"\n")?;
                        }
                        Format::Csv => {
                            if let Some(cells) = csv_cells(&row) {
                                sink.write_all(csv_line(&cells).as_bytes())?;
                            }
                        }
                    }
                }
                Ok(())
            },
        )
    })
}
