//! `git blame --porcelain`, run as a process and parsed as it streams.
//!
//! Blame goes through git itself: libgit2's blame is 7–25× slower and differs in details.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::rc::Rc;

use anyhow::{Context, Result};

use crate::error::user_error;
use crate::model::ObjectId;

#[derive(Debug, Clone, PartialEq)]
pub struct BlameLine {
    /// 1-based line number in the blamed version of the file.
    pub line: u32,
    /// All zeros for a line not committed yet.
    pub commit: ObjectId,
    /// The path and line number in `commit` this line comes from (shared by the lines of a
    /// commit: a 100,000-line file is not 200,000 more strings).
    pub orig_path: Rc<str>,
    pub orig_line: u32,
    pub author: Rc<str>,
    /// When the author made the commit (seconds since the epoch).
    pub author_time: i64,
    pub content: String,
}

#[derive(Clone)]
struct CommitInfo {
    author: Rc<str>,
    author_time: i64,
    filename: Rc<str>,
}

impl Default for CommitInfo {
    fn default() -> Self {
        CommitInfo {
            author: Rc::from(""),
            author_time: 0,
            filename: Rc::from(""),
        }
    }
}

/// How to blame: `--incremental` reports each blame entry once (a 100,000-line file committed
/// at once is one entry, not 10 MB of porcelain), and the line text comes from the file itself;
/// `--porcelain` carries the text of every line, for when the file's text is not what git blamed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Incremental,
    Porcelain,
}

/// What `git blame` is asked besides the revision and the path: the options a user gives it.
#[derive(Debug, Clone, Default)]
pub struct BlameOptions {
    /// `-L` ranges in any form git takes (`10,20`, `10,+5`, `10,-5`, `/regex/`, `:funcname`).
    pub ranges: Vec<String>,
    /// Other options as git arguments: `-w`, `-M20`, `-C`, `--since=…`, `--ignore-rev=…`,
    /// `--ignore-revs-file=…`, `--first-parent`.
    pub flags: Vec<String>,
    /// `--contents`: the final version's text comes from this file (an editor's buffer).
    pub contents: Option<std::path::PathBuf>,
}

/// `git blame` with `options`, as a command ready to run with `format`'s flag.
fn command(workdir: &Path, format: &str, rev: Option<&str>, options: &BlameOptions, path: &str) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(workdir).arg("blame").arg(format);
    for range in &options.ranges {
        cmd.arg(format!("-L{range}"));
    }
    cmd.args(&options.flags);
    if let Some(contents) = &options.contents {
        cmd.arg("--contents").arg(contents);
    }
    if let Some(rev) = rev {
        cmd.arg(rev);
    }
    cmd.arg("--").arg(path);
    cmd
}

/// git's complaint, in lineage's words where git's own would mislead.
fn blame_error(stderr: &str, options: &BlameOptions, path: &str) -> anyhow::Error {
    let message = stderr.trim().trim_start_matches("fatal: ").to_string();
    if let Some(rest) = message
        .strip_prefix("file ")
        .and_then(|m| m.split_once(" has only "))
    {
        let count = rest.1.trim();
        return user_error(
            format!("-L {}: {path} has only {count}", options.ranges.join(" -L ")),
            "ranges are 1-based line numbers of the file, e.g. -L 10,20",
        );
    }
    user_error(
        format!("git blame failed: {message}"),
        "check the path, the revision and the options (`git log -- <path>` lists the commits that touched it)",
    )
}

/// git's own porcelain (`--porcelain` or `--line-porcelain`) for `path`, as it prints it.
pub(super) fn raw(
    workdir: &Path,
    line_porcelain: bool,
    rev: Option<&str>,
    options: &BlameOptions,
    path: &str,
) -> Result<Vec<u8>> {
    let format = if line_porcelain {
        "--line-porcelain"
    } else {
        "--porcelain"
    };
    let out = command(workdir, format, rev, options, path)
        .output()
        .context("cannot run git blame")?;
    if !out.status.success() {
        return Err(blame_error(&String::from_utf8_lossy(&out.stderr), options, path));
    }
    Ok(out.stdout)
}

/// Runs `git blame` on `path` in `workdir` and parses what it prints as it streams.
pub(super) fn run(
    workdir: &Path,
    format: Format,
    rev: Option<&str>,
    options: &BlameOptions,
    path: &str,
) -> Result<Blamed> {
    let flag = match format {
        Format::Incremental => "--incremental",
        Format::Porcelain => "--porcelain",
    };
    let mut cmd = command(workdir, flag, rev, options, path);
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run git blame")?;
    let stdout = child.stdout.take().context("git blame's output is piped")?;
    let reader = BufReader::with_capacity(1 << 16, stdout);
    let parsed = match format {
        Format::Incremental => parse_incremental(reader).map(Blamed::Entries),
        Format::Porcelain => parse(reader).map(Blamed::Lines),
    };
    let mut stderr = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut stderr);
    }
    let status = child.wait()?;
    if !status.success() {
        return Err(blame_error(&stderr, options, path));
    }
    parsed
}

/// What `git blame` said: whole lines (porcelain), or entries without text (incremental).
pub(super) enum Blamed {
    Lines(Vec<BlameLine>),
    Entries(Vec<Entry>),
}

/// A run of consecutive lines from one commit (incremental format).
pub(super) struct Entry {
    commit: ObjectId,
    orig_start: u32,
    final_start: u32,
    count: u32,
    orig_path: Rc<str>,
    author: Rc<str>,
    author_time: i64,
}

/// The blamed lines from incremental entries and the text of the blamed version of the file,
/// or `None` when the text does not have the lines git blamed (a clean filter, an LFS pointer,
/// line endings git converts): then porcelain must be asked for the text.
pub(super) fn lines_of(entries: Vec<Entry>, text: &[u8], whole: bool) -> Option<Vec<BlameLine>> {
    let mut texts: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    if text.last() == Some(&b'\n') || text.is_empty() {
        texts.pop();
    }
    // The lines git blamed (every line, or those of the -L ranges), by number: a slot per line
    // of the file, filled in any order.
    let mut lines: Vec<Option<BlameLine>> = vec![None; texts.len()];
    for entry in entries {
        for k in 0..entry.count {
            let line = entry.final_start.checked_add(k)?;
            let index = (line as usize).checked_sub(1)?;
            let content = texts.get(index)?;
            *lines.get_mut(index)? = Some(BlameLine {
                line,
                commit: entry.commit,
                orig_path: entry.orig_path.clone(),
                orig_line: entry.orig_start + k,
                author: entry.author.clone(),
                author_time: entry.author_time,
                content: String::from_utf8_lossy(content).into_owned(),
            });
        }
    }
    // Without `-L`, git blamed every line: a line it did not means the texts differ.
    if whole && lines.iter().any(Option::is_none) {
        return None;
    }
    Some(lines.into_iter().flatten().collect())
}

fn parse_incremental(mut reader: impl BufRead) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    let mut authors: HashMap<ObjectId, Rc<str>> = HashMap::new();
    let mut times: HashMap<ObjectId, i64> = HashMap::new();
    let mut buf = Vec::new();
    // The entry being read: commit, original start, final start, line count.
    let mut current: Option<(ObjectId, u32, u32, u32)> = None;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        let text = String::from_utf8_lossy(buf.strip_suffix(b"\n").unwrap_or(&buf));
        let (key, value) = text.split_once(' ').unwrap_or((&text, ""));
        if let Some(commit) = ObjectId::from_hex(key) {
            let mut numbers = value.split(' ').map(|n| n.parse::<u32>().unwrap_or(0));
            let mut next = || numbers.next().unwrap_or(0);
            current = Some((commit, next(), next(), next()));
            continue;
        }
        let Some((commit, orig_start, final_start, count)) = current else {
            continue;
        };
        match key {
            "author" => {
                authors.insert(commit, Rc::from(value));
            }
            "author-time" => {
                times.insert(commit, value.parse().unwrap_or(0));
            }
            // Every entry ends with its file name.
            "filename" => {
                entries.push(Entry {
                    commit,
                    orig_start,
                    final_start,
                    count,
                    orig_path: Rc::from(unquote(value)),
                    author: authors.get(&commit).cloned().unwrap_or_else(|| Rc::from("")),
                    author_time: times.get(&commit).copied().unwrap_or(0),
                });
                current = None;
            }
            _ => {}
        }
    }
    Ok(entries)
}

pub(super) fn parse(mut reader: impl BufRead) -> Result<Vec<BlameLine>> {
    let mut lines = Vec::new();
    let mut commits: HashMap<ObjectId, CommitInfo> = HashMap::new();
    let mut buf = Vec::new();
    // The header of the line being read: commit, original line, final line.
    let mut current: Option<(ObjectId, u32, u32)> = None;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        let raw = buf.strip_suffix(b"\n").unwrap_or(&buf);
        if let Some(content) = raw.strip_prefix(b"\t") {
            let (commit, orig_line, line) = current.take().context("git blame output lost its header")?;
            let info = commits.get(&commit).cloned().unwrap_or_default();
            lines.push(BlameLine {
                line,
                commit,
                orig_path: info.filename,
                orig_line,
                author: info.author,
                author_time: info.author_time,
                content: String::from_utf8_lossy(content).into_owned(),
            });
            continue;
        }
        let text = String::from_utf8_lossy(raw);
        let (key, value) = text.split_once(' ').unwrap_or((&text, ""));
        if let Some(commit) = ObjectId::from_hex(key) {
            let mut numbers = value.split(' ').map(|n| n.parse::<u32>().unwrap_or(0));
            let orig = numbers.next().unwrap_or(0);
            let line = numbers.next().unwrap_or(0);
            commits.entry(commit).or_default();
            current = Some((commit, orig, line));
            continue;
        }
        let Some((commit, _, _)) = &current else { continue };
        let Some(info) = commits.get_mut(commit) else {
            continue;
        };
        match key {
            "author" => info.author = Rc::from(value),
            "author-time" => info.author_time = value.parse().unwrap_or(0),
            "filename" => info.filename = Rc::from(unquote(value)),
            _ => {}
        }
    }
    Ok(lines)
}

/// A path as git prints it: C-quoted (`"caf\303\251.rs"`) when it holds bytes other than
/// plain printable ASCII, else as is.
fn unquote(text: &str) -> String {
    let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
        return text.to_string();
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut chars = inner.bytes().peekable();
    while let Some(b) = chars.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match chars.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'r') => bytes.push(b'\r'),
            Some(b'a') => bytes.push(7),
            Some(b'b') => bytes.push(8),
            Some(b'f') => bytes.push(12),
            Some(b'v') => bytes.push(11),
            Some(d @ b'0'..=b'3') => {
                let mut value = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(next) = chars.next_if(u8::is_ascii_digit) {
                        value = value * 8 + u32::from(next - b'0');
                    }
                }
                bytes.push(value as u8);
            }
            Some(other) => bytes.push(other),
            None => bytes.push(b'\\'),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_paths() {
        assert_eq!(unquote("\"caf\\303\\251.rs\""), "café.rs");
        assert_eq!(unquote("\"a\\\"b\\\\c\\td\""), "a\"b\\c\td");
        assert_eq!(unquote("plain.rs"), "plain.rs");
    }

    #[test]
    fn incremental_entries_take_their_text_from_the_file() {
        let a = "a".repeat(40);
        let b = "b".repeat(40);
        let text = format!(
            "{b} 5 2 2\nauthor Bo\nauthor-mail <b@x>\nsummary s\nfilename new.rs\n\
             {a} 1 1 1\nauthor Ann\nsummary s\nprevious {b} old.rs\nfilename old.rs\n\
             {b} 9 4 1\nfilename new.rs\n"
        );
        let entries = parse_incremental(text.as_bytes()).unwrap();
        let lines = lines_of(entries, b"one\ntwo\nthree\nfour\n", true).unwrap();
        let got: Vec<(u32, &str, u32, &str, &str)> = lines
            .iter()
            .map(|l| (l.line, &*l.orig_path, l.orig_line, &*l.author, l.content.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "old.rs", 1, "Ann", "one"),
                (2, "new.rs", 5, "Bo", "two"),
                (3, "new.rs", 6, "Bo", "three"),
                (4, "new.rs", 9, "Bo", "four"),
            ]
        );
        // A text with other lines than git blamed (a clean filter) is no text for them.
        let again = parse_incremental(text.as_bytes()).unwrap();
        assert!(lines_of(again, b"only one line\n", true).is_none());
        // Without `-L`, a line git did not blame means the texts differ too.
        let again = parse_incremental(text.as_bytes()).unwrap();
        assert!(lines_of(again, b"one\ntwo\nthree\nfour\nfive\n", true).is_none());
        let again = parse_incremental(text.as_bytes()).unwrap();
        assert_eq!(
            lines_of(again, b"one\ntwo\nthree\nfour\nfive\n", false).map(|l| l.len()),
            Some(4)
        );
    }

    #[test]
    fn parses_porcelain_with_repeated_commits() {
        let a = "a".repeat(40);
        let z = "0".repeat(40);
        let text = format!(
            "{a} 1 1 2\nauthor Ann\nauthor-mail <ann@x>\nauthor-time 100\nsummary s\nfilename old.rs\n\tfirst\n\
             {a} 2 2\n\tsecond\n\
             {z} 3 3 1\nauthor Not Committed Yet\nauthor-time 200\nfilename new.rs\n\tthird\n"
        );
        let lines = parse(text.as_bytes()).unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!((lines[1].line, lines[1].orig_line), (2, 2));
        assert_eq!(&*lines[1].orig_path, "old.rs");
        assert_eq!(&*lines[1].author, "Ann");
        assert_eq!(lines[1].content, "second");
        assert!(lines[2].commit.is_zero());
        assert_eq!(&*lines[2].orig_path, "new.rs");
    }
}
