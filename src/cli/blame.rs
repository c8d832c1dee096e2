//! `lineage blame`: git blame with an AI column.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::error::user_error;
use crate::git::Repo;
use crate::query::blame;
use crate::render;

/// Git blame with an AI column: which lines an AI wrote, with which tool and model.
///
/// Every line shows its commit and author, as git blame does, and for AI lines the tool, the
/// model and the outcome: `accepted` (the AI's text, committed verbatim), `modified` (edited by
/// a person before committing) or `pending` (not committed yet, matched against the journal).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// `[REV] FILE`: the file to blame, optionally as of commit REV (default: the work tree,
    /// uncommitted lines included).
    #[arg(value_name = "[REV] FILE", num_args = 1..=2, required = true)]
    targets: Vec<String>,
    /// Only lines START to END (1-based, inclusive), like `git blame -L`.
    #[arg(short = 'L', value_name = "START,END", value_parser = parse_range)]
    lines: Option<(u32, u32)>,
    /// Print one JSON object: {"file","rev","lines":[{"line","commit","orig_path","orig_line",
    /// "author","content","ai"}]}, `ai` null for human lines.
    #[arg(long, conflicts_with = "porcelain")]
    json: bool,
    /// Print one tab-separated line per line: commit, line, AI tool, model, outcome, record,
    /// evidence (`line` or `commit`); `-` where there is no AI record.
    #[arg(long)]
    porcelain: bool,
}

fn parse_range(text: &str) -> Result<(u32, u32), String> {
    let (a, b) = text.split_once(',').ok_or("expected START,END, e.g. -L 10,20")?;
    let a: u32 = a
        .trim()
        .parse()
        .map_err(|_| format!("{a} is not a line number"))?;
    let b: u32 = b
        .trim()
        .parse()
        .map_err(|_| format!("{b} is not a line number"))?;
    if a == 0 || b < a {
        return Err(format!("{text} is not a range of lines (1-based, START <= END)"));
    }
    Ok((a, b))
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = Repo::discover(cwd)?;
    let (rev, file) = match args.targets.as_slice() {
        [rev, file] => (Some(rev.as_str()), file),
        [file] => (None, file),
        _ => unreachable!("clap takes one or two values"),
    };
    let path = repo.relative_path(cwd, Path::new(file))?;
    let rev_id = match rev {
        Some(rev) => repo.resolve_commit(rev)?,
        None => repo.head()?.ok_or_else(|| {
            user_error(
                "this repository has no commits yet, so there is nothing to blame",
                "commit first; `lineage status` shows the pending AI edits meanwhile",
            )
        })?,
    };
    let exists = match rev {
        Some(_) => repo.path_in_commit(rev_id, &path)?,
        None => repo.workdir()?.join(&path).is_file() || repo.path_in_commit(rev_id, &path)?,
    };
    if !exists {
        return Err(user_error(
            format!(
                "no such file: {}{}",
                path,
                rev.map(|r| format!(" in {r}")).unwrap_or_default()
            ),
            "check the path; `git ls-files` lists the tracked files",
        ));
    }
    let report = blame::blame(&repo, rev, args.lines, &path, rev_id)?;
    for skipped in &report.skipped_notes {
        super::warn(format_args!(
            "skipped {} line(s) of the note on {} that are not lineage v1 records (another tool's note, or damage)",
            skipped.lines,
            skipped.commit.abbrev(12)
        ));
    }
    if args.json {
        render::json(out, &report)
    } else if args.porcelain {
        render::blame_porcelain(out, &report)
    } else {
        render::blame(out, &report)
    }
}
