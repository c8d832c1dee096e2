//! `lineage explain FILE:LINE`: the seven audit answers for a line.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::error::user_error;
use crate::query::explain::explain;
use crate::render;

/// The seven audit answers for a line: what was generated and asked, model, tool, commit, who
/// accepted it, review, signature.
///
/// Answer for a line (or a range of lines) what an auditor asks: what was generated, what was
/// asked, which model, which tool and version, which file and commit, who accepted it and who
/// drove the agent, whether it was reviewed, and whether the record verifies. A person's line
/// says so; so does a line of a commit lineage never saw (unknown).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// `FILE:LINE` or `FILE:START-END` (lines of the work tree's file, uncommitted included).
    #[arg(value_name = "FILE:LINE")]
    target: String,
    /// Print JSON (docs/json.md): `{"schema":1,"lines":[{"file","line","attribution","ai",…}]}`.
    #[arg(long)]
    json: bool,
}

impl Args {
    pub fn is_human(&self) -> bool {
        !self.json
    }
}

/// `FILE:LINE` or `FILE:START-END`.
fn target(text: &str) -> Result<(&str, u32, u32)> {
    let bad = || {
        user_error(
            format!("{text} is not FILE:LINE or FILE:START-END"),
            "name a line, e.g. src/main.rs:12 or src/main.rs:10-20",
        )
    };
    let (file, lines) = text.rsplit_once(':').ok_or_else(bad)?;
    let (first, last) = lines.split_once('-').unwrap_or((lines, lines));
    let first: u32 = first.trim().parse().map_err(|_| bad())?;
    let last: u32 = last.trim().parse().map_err(|_| bad())?;
    if file.is_empty() || first == 0 || last < first {
        return Err(bad());
    }
    Ok((file, first, last))
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = super::open_repo(cwd)?;
    let (file, first, last) = target(&args.target)?;
    let path = repo.relative_path(cwd, Path::new(file))?;
    if !repo.workdir()?.join(&path).is_file() {
        return Err(user_error(
            format!("no such file: {path}"),
            "check the path; `git ls-files` lists the tracked files",
        ));
    }
    let answers = explain(&repo, &path, first, last)?;
    if args.json {
        return render::json_list(out, "lines", &answers);
    }
    render::explain(out, &answers)
}
