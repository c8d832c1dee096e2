//! `git blame --porcelain`, run as a process and parsed as it streams.
//!
//! Blame goes through git itself: libgit2's blame is 7–25× slower and differs in details.

use std::collections::hash_map::Entry as Slot;
use std::io::{BufRead, BufReader, Read};
use std::ops::Deref;
use std::path::Path;
use std::process::{Command, Stdio};
use std::rc::Rc;

use anyhow::{Context, Result};

use super::paced::paced;
use crate::error::user_error;
use crate::model::{HashMap, ObjectId};

/// What git blame says of a run of lines: the commit they come from, and their path and author
/// there. Shared by the run's lines: a 100,000-line file committed at once is one of these.
#[derive(Debug, PartialEq)]
pub struct BlameSource {
    /// All zeros for lines not committed yet.
    pub commit: ObjectId,
    pub orig_path: Rc<str>,
    pub author: Rc<str>,
    /// When the author made the commit (seconds since the epoch).
    pub author_time: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BlameLine {
    /// 1-based line number in the blamed version of the file.
    pub line: u32,
    /// The line number in the source's commit and path this line comes from.
    pub orig_line: u32,
    pub source: Rc<BlameSource>,
    pub content: LineText,
}

impl BlameLine {
    pub fn commit(&self) -> ObjectId {
        self.source.commit
    }
}

/// A line's text: a slice of its file's text, which all the file's lines share (a
/// 100,000-line file is one allocation, not 100,000, and no copy of the file).
#[derive(Clone)]
pub struct LineText {
    text: Rc<String>,
    start: u32,
    end: u32,
}

impl LineText {
    /// A line that is all of `text`.
    pub fn of(text: String) -> LineText {
        let end = u32::try_from(text.len()).unwrap_or(0);
        LineText {
            text: Rc::new(text),
            start: 0,
            end,
        }
    }

    /// The line without a `\r` at its end.
    pub fn without_cr(mut self) -> LineText {
        if self.as_str().ends_with('\r') {
            self.end -= 1;
        }
        self
    }

    pub fn as_str(&self) -> &str {
        self.text
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

impl Deref for LineText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for LineText {
    fn eq(&self, other: &LineText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<&str> for LineText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Debug for LineText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl serde::Serialize for LineText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The lines of a file's text, taken one after another without a copy of the text.
pub struct TextLines {
    text: Rc<String>,
    next: usize,
}

impl TextLines {
    pub fn new(text: Vec<u8>) -> TextLines {
        TextLines {
            text: decode(text),
            next: 0,
        }
    }
}

/// A file's text as UTF-8 (invalid bytes replaced, as git shows them); a file over 4 GiB has no
/// lines, so that every offset in it fits a `u32`.
fn decode(text: Vec<u8>) -> Rc<String> {
    let text = String::from_utf8(text).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Rc::new(if u32::try_from(text.len()).is_ok() {
        text
    } else {
        String::new()
    })
}

impl Iterator for TextLines {
    type Item = LineText;

    fn next(&mut self) -> Option<LineText> {
        let rest = self.text.get(self.next..).filter(|r| !r.is_empty())?;
        let start = self.next;
        let end = rest.find('\n').map_or(self.text.len(), |at| start + at);
        self.next = end + 1;
        // The text is under 4 GiB (see `new`).
        Some(LineText {
            text: self.text.clone(),
            start: start as u32,
            end: end as u32,
        })
    }
}

/// A blamed version's text, split into lines while git blames: where each line starts.
pub(super) struct SplitText {
    text: Rc<String>,
    starts: Vec<u32>,
}

impl SplitText {
    /// `text` decoded as [`TextLines::new`] decodes it, with its lines found; `None` when its
    /// line ends are CRLF, which git may convert (`core.autocrlf`, `text` attributes): then
    /// the text need not be what git blamed.
    pub(super) fn new(text: Vec<u8>) -> Option<SplitText> {
        if memchr::memmem::find(&text, b"\r\n").is_some() {
            return None;
        }
        let text = decode(text);
        let len = text.len();
        let mut starts = Vec::with_capacity(len / 32 + 1);
        if len > 0 {
            starts.push(0);
        }
        // The text is under 4 GiB (see `decode`).
        starts.extend(
            memchr::memchr_iter(b'\n', text.as_bytes())
                .map(|at| at + 1)
                .filter(|&next| next < len)
                .map(|next| next as u32),
        );
        Some(SplitText { text, starts })
    }

    /// How many lines the text has.
    fn count(&self) -> usize {
        self.starts.len()
    }

    /// Line `n` (1-based).
    fn line(&self, n: u32) -> Option<LineText> {
        let index = usize::try_from(n).ok()?.checked_sub(1)?;
        let start = *self.starts.get(index)?;
        let end = match self.starts.get(index + 1) {
            Some(next) => next - 1,
            None => (self.text.len() - usize::from(self.text.ends_with('\n'))) as u32,
        };
        Some(LineText {
            text: self.text.clone(),
            start,
            end,
        })
    }
}

/// What porcelain has said of a commit so far, and the source its lines share.
struct CommitInfo {
    author: Rc<str>,
    author_time: i64,
    filename: Rc<str>,
    source: Option<Rc<BlameSource>>,
}

impl Default for CommitInfo {
    fn default() -> Self {
        CommitInfo {
            author: Rc::from(""),
            author_time: 0,
            filename: Rc::from(""),
            source: None,
        }
    }
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
    let mut cmd = super::command();
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

/// Work done while git blames, on the core git leaves free: told when git has started, then of
/// each commit git names, as it names it (a commit's note can be read before the last line).
pub trait BlameWatch {
    fn started(&mut self) {}
    fn commit(&mut self, _commit: ObjectId) {}
}

/// Nothing to do meanwhile.
impl BlameWatch for () {}

/// Runs `git blame --incremental` on `path` in `workdir`, which reports each run of lines
/// once (a 100,000-line file committed at once is one entry, not 10 MB of porcelain). The
/// blamed version's `text` is read while git blames (it has a core of its own), and each
/// entry's lines are made (`make`) as git completes it; `watch` hears of each commit as git
/// names it.
pub(super) fn incremental<T, F: Fn(BlameLine) -> T>(
    workdir: &Path,
    rev: Option<&str>,
    options: &BlameOptions,
    path: &str,
    text: impl FnOnce() -> Option<SplitText>,
    make: F,
    watch: &mut dyn BlameWatch,
) -> Result<Collector<T, F>> {
    let mut child = spawn(workdir, "--incremental", rev, options, path)?;
    let mut collector = Collector {
        text: text(),
        make,
        chunks: Vec::new(),
    };
    if collector.text.is_none() {
        // Without a text to take the lines from, porcelain must blame again: this run is moot.
        let _ = child.kill();
        let _ = child.wait();
        return Ok(collector);
    }
    let stdout = paced(&mut child).context("git blame's output is piped")?;
    watch.started();
    let reader = BufReader::with_capacity(1 << 16, stdout);
    let parsed = parse_incremental(reader, watch, |entry| collector.add(entry));
    wait(child, options, path)?;
    parsed?;
    Ok(collector)
}

/// Runs `git blame --porcelain`, which carries every line's text, for when the file's text is
/// not what git blamed, and parses it as it streams; `watch` hears of each commit.
pub(super) fn porcelain(
    workdir: &Path,
    rev: Option<&str>,
    options: &BlameOptions,
    path: &str,
    watch: &mut dyn BlameWatch,
) -> Result<Vec<BlameLine>> {
    let mut child = spawn(workdir, "--porcelain", rev, options, path)?;
    let stdout = child.stdout.take().context("git blame's output is piped")?;
    watch.started();
    let parsed = parse(BufReader::with_capacity(1 << 16, stdout), watch);
    wait(child, options, path)?;
    parsed
}

fn spawn(
    workdir: &Path,
    format: &str,
    rev: Option<&str>,
    options: &BlameOptions,
    path: &str,
) -> Result<std::process::Child> {
    command(workdir, format, rev, options, path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run git blame")
}

/// Waits for git, and turns its failure into lineage's error.
fn wait(mut child: std::process::Child, options: &BlameOptions, path: &str) -> Result<()> {
    let mut stderr = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut stderr);
    }
    if !child.wait()?.success() {
        return Err(blame_error(&stderr, options, path));
    }
    Ok(())
}

/// A run of consecutive lines from one commit (incremental format).
pub(super) struct Entry {
    source: Rc<BlameSource>,
    orig_start: u32,
    final_start: u32,
    count: u32,
}

/// The lines of an incremental blame, made as git completes each entry, from the blamed
/// version's text (read, decoded and split while git starts) and by the caller's `make`: when
/// git is done, only their order is left to check. No text, or a text without the lines git
/// blamed (a clean filter, an LFS pointer, line ends git converts), means porcelain must be
/// asked for the text.
pub(super) struct Collector<T, F> {
    text: Option<SplitText>,
    make: F,
    /// Each entry's lines, after its first line's number.
    chunks: Vec<(u32, Vec<T>)>,
}

impl<T, F: Fn(BlameLine) -> T> Collector<T, F> {
    fn add(&mut self, entry: Entry) {
        let Some(text) = &self.text else { return };
        // No more lines than the text has, whatever count git's line says.
        let mut lines = Vec::with_capacity(text.count().min(entry.count as usize));
        for k in 0..entry.count {
            let line = entry.final_start.checked_add(k);
            let Some((line, content)) = line.and_then(|n| Some((n, text.line(n)?))) else {
                // Not the text git blamed.
                self.text = None;
                self.chunks = Vec::new();
                return;
            };
            lines.push((self.make)(BlameLine {
                line,
                orig_line: entry.orig_start.saturating_add(k),
                source: entry.source.clone(),
                content,
            }));
        }
        self.chunks.push((entry.final_start, lines));
    }

    /// The lines in file order, each once; without `-L` (`whole`), every line of the text.
    /// `None` when they are not the text's.
    pub(super) fn finish(mut self, whole: bool) -> Option<Vec<T>> {
        let text = self.text?;
        // Entries come in the order git finished them; lines are wanted in file order.
        self.chunks.sort_unstable_by_key(|(start, _)| *start);
        // Each line once: every entry starts after the one before ends.
        let mut blamed = 0;
        let mut unblamed = 1;
        for (start, lines) in &self.chunks {
            if *start < unblamed {
                return None;
            }
            unblamed = start.checked_add(u32::try_from(lines.len()).ok()?)?;
            blamed += lines.len();
        }
        // Without `-L`, git blamed every line: a line it did not means the texts differ.
        if whole && blamed != text.count() {
            return None;
        }
        if self.chunks.len() == 1 {
            return self.chunks.pop().map(|(_, lines)| lines);
        }
        let mut all = Vec::with_capacity(blamed);
        for (_, lines) in self.chunks {
            all.extend(lines);
        }
        Some(all)
    }
}

fn parse_incremental(
    mut reader: impl BufRead,
    watch: &mut dyn BlameWatch,
    mut on_entry: impl FnMut(Entry),
) -> Result<()> {
    let mut authors: HashMap<ObjectId, Rc<str>> = HashMap::default();
    let mut times: HashMap<ObjectId, i64> = HashMap::default();
    // One source per commit and path, shared by its entries.
    let mut sources: HashMap<ObjectId, Vec<Rc<BlameSource>>> = HashMap::default();
    let mut buf = Vec::new();
    // The entry being read: commit, original start, final start, line count.
    let mut current: Option<(ObjectId, u32, u32, u32)> = None;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        // Bytes until a value is wanted: most of git's header lines are not.
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let (key, value) = match memchr::memchr(b' ', line) {
            Some(space) => (&line[..space], &line[space + 1..]),
            None => (line, &[][..]),
        };
        if let Some(commit) = std::str::from_utf8(key).ok().and_then(ObjectId::from_hex) {
            let value = String::from_utf8_lossy(value);
            let mut numbers = value.split(' ').map(|n| n.parse::<u32>().unwrap_or(0));
            let mut next = || numbers.next().unwrap_or(0);
            current = Some((commit, next(), next(), next()));
            if let Slot::Vacant(slot) = sources.entry(commit) {
                slot.insert(Vec::new());
                watch.commit(commit);
            }
            continue;
        }
        let Some((commit, orig_start, final_start, count)) = current else {
            continue;
        };
        match key {
            b"author" => {
                authors.insert(commit, Rc::from(String::from_utf8_lossy(value)));
            }
            b"author-time" => {
                let time = std::str::from_utf8(value).ok().and_then(|t| t.parse().ok());
                times.insert(commit, time.unwrap_or(0));
            }
            // Every entry ends with its file name.
            b"filename" => {
                let path = unquote(&String::from_utf8_lossy(value));
                let known = sources.entry(commit).or_default();
                let source = match known.iter().find(|s| *s.orig_path == *path) {
                    Some(source) => source.clone(),
                    None => {
                        let source = Rc::new(BlameSource {
                            commit,
                            orig_path: Rc::from(path),
                            author: authors.get(&commit).cloned().unwrap_or_else(|| Rc::from("")),
                            author_time: times.get(&commit).copied().unwrap_or(0),
                        });
                        known.push(source.clone());
                        source
                    }
                };
                on_entry(Entry {
                    source,
                    orig_start,
                    final_start,
                    count,
                });
                current = None;
            }
            _ => {}
        }
    }
    Ok(())
}

pub(super) fn parse(mut reader: impl BufRead, watch: &mut dyn BlameWatch) -> Result<Vec<BlameLine>> {
    let mut lines = Vec::new();
    let mut commits: HashMap<ObjectId, CommitInfo> = HashMap::default();
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
            let info = commits.entry(commit).or_default();
            let source = info
                .source
                .get_or_insert_with(|| {
                    Rc::new(BlameSource {
                        commit,
                        orig_path: info.filename.clone(),
                        author: info.author.clone(),
                        author_time: info.author_time,
                    })
                })
                .clone();
            lines.push(BlameLine {
                line,
                orig_line,
                source,
                content: LineText::of(String::from_utf8_lossy(content).into_owned()),
            });
            continue;
        }
        let text = String::from_utf8_lossy(raw);
        let (key, value) = text.split_once(' ').unwrap_or((&text, ""));
        if let Some(commit) = ObjectId::from_hex(key) {
            let mut numbers = value.split(' ').map(|n| n.parse::<u32>().unwrap_or(0));
            let orig = numbers.next().unwrap_or(0);
            let line = numbers.next().unwrap_or(0);
            if let Slot::Vacant(slot) = commits.entry(commit) {
                slot.insert(CommitInfo::default());
                watch.commit(commit);
            }
            current = Some((commit, orig, line));
            continue;
        }
        let Some((commit, _, _)) = &current else { continue };
        let Some(info) = commits.get_mut(commit) else {
            continue;
        };
        let changed = match key {
            "author" if *info.author != *value => {
                info.author = Rc::from(value);
                true
            }
            "author-time" => {
                let time = value.parse().unwrap_or(0);
                std::mem::replace(&mut info.author_time, time) != time
            }
            "filename" => {
                let path = unquote(value);
                let changed = *info.filename != *path;
                if changed {
                    info.filename = Rc::from(path);
                }
                changed
            }
            _ => false,
        };
        // The lines that follow come from a source described anew.
        if changed {
            info.source = None;
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

    /// The commits a watcher was told of.
    #[derive(Default)]
    struct Named(Vec<ObjectId>);

    impl BlameWatch for Named {
        fn commit(&mut self, commit: ObjectId) {
            self.0.push(commit);
        }
    }

    fn text_of(text: &str) -> SplitText {
        SplitText::new(text.as_bytes().to_vec()).unwrap()
    }

    /// What `incremental` makes of git's report on a file with `text`.
    fn collecting(text: Option<SplitText>) -> Collector<BlameLine, fn(BlameLine) -> BlameLine> {
        Collector {
            text,
            make: |l| l,
            chunks: Vec::new(),
        }
    }

    proptest::proptest! {
        /// git's output names files from commits anyone may have written: the parsers take any
        /// bytes, in lines that look like git's or not, without a panic.
        #[test]
        fn blame_output_parsers_take_any_bytes(
            lines in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(b"0123456789abcdef0123456789abcdef01234567 1 1 3".to_vec()),
                    proptest::strategy::Just(b"0123456789abcdef0123456789abcdef01234567 4294967295 4294967295 4294967295".to_vec()),
                    proptest::strategy::Just(b"author A U Thor".to_vec()),
                    proptest::strategy::Just(b"author-time 99999999999999999999".to_vec()),
                    proptest::strategy::Just(b"filename \"caf\\303\\251\\".to_vec()),
                    proptest::strategy::Just(b"\tline".to_vec()),
                    proptest::collection::vec(proptest::prelude::any::<u8>(), 0..60),
                ],
                0..24,
            ),
        ) {
            let mut text = lines.join(&b'\n');
            text.push(b'\n');
            let mut named = Named::default();
            let mut collector = collecting(Some(text_of("a\nb\nc\n")));
            let _ = parse_incremental(&text[..], &mut named, |entry| collector.add(entry));
            let _ = collector.finish(true);
            let _ = parse(&text[..], &mut named);
        }
    }

    #[test]
    fn a_line_count_beyond_the_text_reserves_nothing_for_it() {
        // The proptest's find: 2^32 - 1 lines reserved 137 GB before the text was looked at.
        let report = "0123456789abcdef0123456789abcdef01234567 1 1 4294967295\nfilename a.rs\n";
        let mut collector = collecting(Some(text_of("a\nb\nc\n")));
        parse_incremental(report.as_bytes(), &mut (), |entry| collector.add(entry)).unwrap();
        assert!(collector.finish(true).is_none(), "not the text git blamed");
    }

    #[test]
    fn split_text_has_the_lines_text_lines_gives() {
        for text in [
            "",
            "a",
            "a\n",
            "a\nb",
            "\n\n",
            "\n",
            "x\n\ny\n",
            "caf\u{e9}\n\u{1F600}",
        ] {
            let split = text_of(text);
            let expected: Vec<String> = TextLines::new(text.as_bytes().to_vec())
                .map(|l| l.to_string())
                .collect();
            let got: Vec<String> = (1..=split.count() as u32 + 1)
                .map_while(|n| split.line(n))
                .map(|l| l.to_string())
                .collect();
            assert_eq!(got, expected, "{text:?}");
        }
        let invalid = SplitText::new(b"a\xff\nb".to_vec()).unwrap();
        assert_eq!(invalid.line(1).unwrap().as_str(), "a\u{fffd}");
        assert!(invalid.line(0).is_none() && invalid.line(3).is_none());
        assert!(SplitText::new(b"a\r\nb\r\n".to_vec()).is_none());
    }

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
        // git's report, collected against a file's text.
        let collect = |file: &str, watch: &mut dyn BlameWatch| {
            let mut collector = collecting(Some(text_of(file)));
            parse_incremental(text.as_bytes(), watch, |entry| collector.add(entry)).unwrap();
            collector
        };
        let mut named = Named::default();
        let collector = collect("one\ntwo\nthree\nfour\n", &mut named);
        // Each commit is named to the watcher once, in the order git names them.
        assert_eq!(
            named.0,
            vec![ObjectId::from_hex(&b).unwrap(), ObjectId::from_hex(&a).unwrap()]
        );
        let lines = collector.finish(true).unwrap();
        let got: Vec<(u32, &str, u32, &str, &str)> = lines
            .iter()
            .map(|l| {
                (
                    l.line,
                    &*l.source.orig_path,
                    l.orig_line,
                    &*l.source.author,
                    l.content.as_str(),
                )
            })
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
        assert!(collect("only one line\n", &mut ()).finish(true).is_none());
        // Without `-L`, a line git did not blame means the texts differ too.
        let five = "one\ntwo\nthree\nfour\nfive\n";
        assert!(collect(five, &mut ()).finish(true).is_none());
        assert_eq!(collect(five, &mut ()).finish(false).map(|l| l.len()), Some(4));
        // A line in the middle that git did not blame means the texts differ as well.
        let gap = format!("{a} 1 1 1\nauthor Ann\nfilename x.rs\n{a} 3 3 1\nfilename x.rs\n");
        let with_gap = |whole: bool| {
            let mut collector = collecting(Some(text_of("one\ntwo\nthree\n")));
            parse_incremental(gap.as_bytes(), &mut (), |entry| collector.add(entry)).unwrap();
            collector.finish(whole).map(|lines| lines.len())
        };
        assert_eq!((with_gap(true), with_gap(false)), (None, Some(2)));
        // No text (line ends git may convert): porcelain must be asked.
        let mut none = collecting(None);
        parse_incremental(text.as_bytes(), &mut (), |entry| none.add(entry)).unwrap();
        assert!(none.finish(false).is_none());
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
        let mut named = Named::default();
        let lines = parse(text.as_bytes(), &mut named).unwrap();
        assert_eq!(
            named.0,
            vec![ObjectId::from_hex(&a).unwrap(), ObjectId::ZERO_SHA1]
        );
        assert_eq!(lines.len(), 3);
        assert_eq!((lines[1].line, lines[1].orig_line), (2, 2));
        assert_eq!(&*lines[1].source.orig_path, "old.rs");
        assert_eq!(&*lines[1].source.author, "Ann");
        assert_eq!(lines[1].content, "second");
        assert!(lines[2].commit().is_zero());
        assert_eq!(&*lines[2].source.orig_path, "new.rs");
    }
}
