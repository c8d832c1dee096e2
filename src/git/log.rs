//! `git log` over a revision range, parsed: per commit, its author and subject, and (with
//! `--numstat`, for the commits asked) the lines it added per path. One git process per
//! question, streamed: the answers of `log`, `stats`, the report and exports read it.

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use anyhow::{Context, Result};

use super::Repo;
use crate::error::user_error;
use crate::model::ObjectId;

/// One commit of a range, as `git log` tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedCommit {
    pub commit: ObjectId,
    /// `Name <email>`.
    pub author: String,
    /// Seconds since the epoch.
    pub author_time: i64,
    /// `Name <email>`.
    pub committer: String,
    pub summary: String,
    pub parent_count: usize,
    /// Lines added per path (text files; renames are not followed, merges show none).
    pub added: Vec<(String, u32)>,
}

/// Where a commit's record starts in the stream: bytes a commit header cannot begin otherwise.
const START: &[u8] = b"\x01lineage-commit\x00";

/// The header every record starts with: id, parents, author, author time, committer, subject.
const FORMAT: &str = "--format=%x01lineage-commit%x00%H%x00%P%x00%an <%ae>%x00%at%x00%cn <%ce>%x00%s%x00";

impl Repo {
    /// The commits of `range` (newest first; `None`: HEAD's history) that touch `paths` (all
    /// when empty), without their added lines (no diff is made: see [`Repo::numstat`]).
    pub fn log(&self, range: Option<&str>, paths: &[String]) -> Result<Vec<LoggedCommit>> {
        let range = range.unwrap_or("HEAD");
        if range.starts_with('-') {
            return Err(user_error(
                format!("{range} is not a revision range"),
                "name commits, e.g. HEAD, main..topic or HEAD~20..",
            ));
        }
        let mut cmd = self.git_here();
        cmd.env("GIT_LITERAL_PATHSPECS", "1")
            .args(["log", "-z", FORMAT, range, "--"])
            .args(paths);
        run_log(cmd, None).map_err(|e| match e.downcast::<GitFailed>() {
            Ok(GitFailed(stderr)) => user_error(
                format!("unknown revision range {range}: {}", stderr.trim()),
                "name commits, e.g. HEAD, main..topic or HEAD~20..",
            ),
            Err(e) => e,
        })
    }

    /// The lines each of `commits` added per path, against its first parent (renames not
    /// followed, merges none): one `git log --numstat` over exactly these commits.
    pub fn numstat(&self, commits: &[ObjectId]) -> Result<Vec<LoggedCommit>> {
        if commits.is_empty() {
            return Ok(Vec::new());
        }
        let mut cmd = self.git_here();
        cmd.args([
            "log",
            "--no-walk=unsorted",
            "--stdin",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "--numstat",
            "-z",
            FORMAT,
        ]);
        let ids: String = commits.iter().map(|c| format!("{c}\n")).collect();
        run_log(cmd, Some(ids.into_bytes()))
    }
}

/// git failed; its stderr.
#[derive(Debug)]
struct GitFailed(String);

impl std::fmt::Display for GitFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "git log failed: {}", self.0.trim())
    }
}

impl std::error::Error for GitFailed {}

/// Runs a `git log` that prints [`FORMAT`] records, feeding it `input`, and parses them as they
/// stream.
fn run_log(mut cmd: std::process::Command, input: Option<Vec<u8>>) -> Result<Vec<LoggedCommit>> {
    let mut child = cmd
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run git log")?;
    // Fed from a thread: git writes while it reads, and both pipes could fill.
    let feeder = input.zip(child.stdin.take()).map(|(bytes, mut stdin)| {
        std::thread::spawn(move || {
            use std::io::Write;
            let _ = stdin.write_all(&bytes);
        })
    });
    let stdout = child.stdout.take().context("git log's output is piped")?;
    let commits = parse(BufReader::with_capacity(1 << 16, stdout));
    let mut stderr = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut stderr);
    }
    if let Some(feeder) = feeder {
        let _ = feeder.join();
    }
    if !child.wait()?.success() {
        return Err(GitFailed(stderr).into());
    }
    commits
}

/// Reads the stream record by record: a header of NUL-separated fields after [`START`], then
/// `added\tdeleted\tpath` entries, each ending in NUL.
fn parse(mut reader: impl BufRead) -> Result<Vec<LoggedCommit>> {
    let mut commits: Vec<LoggedCommit> = Vec::new();
    let mut field = Vec::new();
    // The header fields of the commit being read, until all seven are in.
    let mut header: Vec<String> = Vec::new();
    loop {
        field.clear();
        if reader.read_until(0, &mut field)? == 0 {
            break;
        }
        let text = field.strip_suffix(b"\0").unwrap_or(&field);
        // Between the header and the entries git puts a newline (and an empty field).
        let text = text.strip_prefix(b"\n").unwrap_or(text);
        if text == &START[..START.len() - 1] {
            header.clear();
            header.push(String::new());
            continue;
        }
        if !header.is_empty() && header.len() < 7 {
            header.push(String::from_utf8_lossy(text).into_owned());
            if header.len() == 7 {
                commits.extend(commit_of(&header));
            }
            continue;
        }
        if text.is_empty() {
            continue;
        }
        if let (Some(commit), Some(entry)) = (commits.last_mut(), numstat(text)) {
            commit.added.push(entry);
        }
    }
    Ok(commits)
}

/// A commit from its header fields (after the start marker): id, parents, author, time,
/// committer, summary.
fn commit_of(header: &[String]) -> Option<LoggedCommit> {
    let [_, id, parents, author, time, committer, summary] = header else {
        return None;
    };
    Some(LoggedCommit {
        commit: ObjectId::from_hex(id)?,
        author: author.clone(),
        author_time: time.parse().unwrap_or(0),
        committer: committer.clone(),
        summary: summary.clone(),
        parent_count: parents.split(' ').filter(|p| !p.is_empty()).count(),
        added: Vec::new(),
    })
}

/// `added\tdeleted\tpath` (`-\t-\tpath` for a binary file: nothing added that has lines).
fn numstat(entry: &[u8]) -> Option<(String, u32)> {
    let text = String::from_utf8_lossy(entry);
    let mut fields = text.splitn(3, '\t');
    let added = fields.next()?;
    let _deleted = fields.next()?;
    let path = fields.next()?;
    let added = if added == "-" { 0 } else { added.parse().ok()? };
    Some((path.to_string(), added))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_headers_and_numstat_entries() {
        let a = "a".repeat(40);
        let b = "b".repeat(40);
        let stream = format!(
            "\x01lineage-commit\0{a}\0{b}\0Ann <ann@x>\0100\0Cy <c@x>\0Add\tthings\0\0\n3\t1\tsrc/a.rs\0-\t-\tlogo.png\0\
             \x01lineage-commit\0{b}\0\0Bo <b@x>\050\0Bo <b@x>\0First\0\0\n10\t0\tREADME.md\0"
        );
        let commits = parse(stream.as_bytes()).unwrap();
        assert_eq!(commits.len(), 2);
        assert_eq!(commits[0].author, "Ann <ann@x>");
        assert_eq!(commits[0].summary, "Add\tthings");
        assert_eq!(commits[0].parent_count, 1);
        assert_eq!(
            commits[0].added,
            vec![("src/a.rs".to_string(), 3), ("logo.png".to_string(), 0)]
        );
        assert_eq!(commits[1].parent_count, 0);
        assert_eq!(commits[1].added, vec![("README.md".to_string(), 10)]);
    }

    #[test]
    fn damaged_streams_give_what_they_can() {
        for stream in [
            "",
            "\x01lineage-commit\0zz\0",
            "garbage\0\x01lineage-commit\0",
            "1\t2\0",
        ] {
            let _ = parse(stream.as_bytes()).unwrap();
        }
    }
}
