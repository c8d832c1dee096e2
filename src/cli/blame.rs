//! `lineage blame`: git blame with an AI column.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::error::user_error;
use crate::git::BlameOptions;
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
    /// uncommitted lines included). `--` may come before FILE, as with git.
    #[arg(value_name = "[REV] FILE", num_args = 1..=2, required = true)]
    targets: Vec<String>,
    /// Only these lines, in any form `git blame -L` takes: `START,END`, `START,+COUNT`,
    /// `START,-COUNT`, `/REGEX/`, `:FUNCNAME`. May be repeated.
    #[arg(short = 'L', value_name = "RANGE")]
    lines: Vec<String>,
    /// Ignore whitespace when finding a line's origin (git blame -w).
    #[arg(short = 'w')]
    ignore_whitespace: bool,
    /// Follow lines moved within a file (git blame -M[NUM]).
    #[arg(short = 'M', value_name = "NUM", num_args = 0..=1, require_equals = true, default_missing_value = "")]
    moves: Option<String>,
    /// Follow lines moved or copied from other files (git blame -C[NUM]; twice or three
    /// times to look further). As in git, `-C DIR` before `blame` picks the repository.
    #[arg(short = 'C', value_name = "NUM", num_args = 0..=1, require_equals = true, default_missing_value = "")]
    copies: Vec<String>,
    /// Ignore changes older than DATE (git blame --since).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Attribute the lines a revision changed to the commit before it (git blame
    /// --ignore-rev). May be repeated.
    #[arg(long, value_name = "REV")]
    ignore_rev: Vec<String>,
    /// Ignore the revisions listed in FILE (git blame --ignore-revs-file). A configured
    /// `blame.ignoreRevsFile` that does not exist is skipped, not an error.
    #[arg(long, value_name = "FILE")]
    ignore_revs_file: Vec<String>,
    /// Follow only the first parent of merges (git blame --first-parent).
    #[arg(long)]
    first_parent: bool,
    /// Blame this text as the file's final version: a file, or `-` for standard input (an
    /// editor's unsaved buffer; its new lines are matched against pending AI edits).
    #[arg(long, value_name = "FILE")]
    contents: Option<String>,
    /// Print one JSON object: {"file","rev","lines":[{"line","commit","orig_path","orig_line",
    /// "author","content","attribution","ai","review"}]}: `attribution` is ai, human (lineage
    /// saw the commit) or unknown (it did not); `ai` is null unless the line is an AI line;
    /// `review` is the verdict of the commit's latest review, or null.
    #[arg(long, conflicts_with_all = ["porcelain", "line_porcelain", "tsv"])]
    json: bool,
    /// git blame's own --porcelain format, byte for byte, with lineage's answers as extra
    /// header lines before each line's content (`lineage-attribution ai|human`,
    /// `lineage-tool`, `lineage-model`, `lineage-outcome`, `lineage-record`,
    /// `lineage-evidence`, `lineage-prompt-id`, `lineage-prompt`, and `lineage-review` for a
    /// reviewed commit's lines), which parsers of git's
    /// format skip.
    #[arg(long, conflicts_with_all = ["line_porcelain", "tsv"])]
    porcelain: bool,
    /// As --porcelain, with git's commit headers repeated for every line (git blame
    /// --line-porcelain).
    #[arg(long, conflicts_with = "tsv")]
    line_porcelain: bool,
    /// A column with the first line of each AI line's prompt.
    #[arg(long)]
    show_prompt: bool,
    /// One tab-separated line per line: commit, line, AI tool, model, outcome, record,
    /// evidence (`line` or `commit`); `-` where there is no AI record.
    #[arg(long)]
    tsv: bool,
}

impl Args {
    /// Whether the output is the table people read (the one a pager takes).
    pub fn is_human(&self) -> bool {
        !(self.json || self.porcelain || self.line_porcelain || self.tsv)
    }

    /// The options handed to git blame.
    fn options(&self, contents: Option<std::path::PathBuf>) -> BlameOptions {
        let mut flags = Vec::new();
        if self.ignore_whitespace {
            flags.push("-w".to_string());
        }
        if let Some(n) = &self.moves {
            flags.push(format!("-M{n}"));
        }
        flags.extend(self.copies.iter().map(|n| format!("-C{n}")));
        flags.extend(self.since.iter().map(|d| format!("--since={d}")));
        flags.extend(self.ignore_rev.iter().map(|r| format!("--ignore-rev={r}")));
        flags.extend(
            self.ignore_revs_file
                .iter()
                .map(|f| format!("--ignore-revs-file={f}")),
        );
        if self.first_parent {
            flags.push("--first-parent".to_string());
        }
        BlameOptions {
            ranges: self.lines.clone(),
            flags,
            contents,
        }
    }
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = super::open_repo(cwd)?;
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
    // An editor's buffer on stdin goes to a file git can read, kept until blame is done.
    let mut buffer = None;
    let contents = match args.contents.as_deref() {
        None => None,
        Some("-") => {
            let mut file = tempfile::NamedTempFile::new().context("cannot buffer standard input")?;
            std::io::copy(&mut std::io::stdin().lock(), &mut file).context("cannot read standard input")?;
            let path = file.path().to_path_buf();
            buffer = Some(file);
            Some(path)
        }
        Some(file) => Some(cwd.join(file)),
    };
    let options = args.options(contents);
    let porcelain = args.porcelain || args.line_porcelain;
    if porcelain && !repo.path_in_commit(rev_id, &path)? {
        return Err(user_error(
            format!("{path} is not committed yet, so git has no porcelain for it"),
            "use --json or --tsv for a file that is not committed",
        ));
    }
    // git's porcelain, when asked for, is what lineage annotates too: git blames once.
    let (raw, report) = match porcelain {
        true => {
            let (raw, blamed) = repo.blame_porcelain(rev, &options, &path, args.line_porcelain)?;
            (raw, blame::annotate(&repo, rev, &options, &path, rev_id, blamed)?)
        }
        false => (Vec::new(), blame::blame(&repo, rev, &options, &path, rev_id)?),
    };
    for skipped in &report.skipped_notes {
        super::warn(format_args!(
            "skipped {} line(s) of the note on {} that are not lineage v1 records (another tool's note, or damage)",
            skipped.lines,
            skipped.commit.abbrev(12)
        ));
    }
    let shown = if args.json {
        render::blame_json(out, &report)
    } else if porcelain {
        render::blame_git_porcelain(out, &raw, &report)
    } else if args.tsv {
        render::blame_porcelain(out, &report)
    } else {
        render::blame(out, &report, args.show_prompt, super::pager::colour())
    };
    drop(buffer);
    // The process ends next: freeing a 100,000-line report line by line would cost it ~2 ms.
    std::mem::forget(report);
    shown
}
