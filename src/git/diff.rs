//! Diffs as [`ChangedFile`]s: per file, the new side's lines of each hunk (added and context).

use std::path::Path;

use anyhow::Result;
use git2::{Diff, DiffFindOptions, DiffOptions, Oid, Patch, Repository, Tree};

use crate::model::{ChangedFile, HunkLine};

/// What a diff compares `old` with.
#[derive(Clone, Copy)]
pub enum Side<'a, 'r> {
    Tree(&'a Tree<'r>),
    Index(&'a git2::Index),
    /// The work tree, through the index.
    WorkTree,
    /// The work tree, without the index (where libgit2 does not load it: hooks in large
    /// repositories, sparse or split indexes).
    WorkTreeOnly,
}

/// Changes from `old` (`None`: the empty tree) to `new`, limited to `paths` when given.
pub fn changes(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: Side<'_, '_>,
    paths: Option<&[&str]>,
) -> Result<Vec<ChangedFile>> {
    let mut opts = options();
    if let Some(paths) = paths {
        opts.disable_pathspec_match(true);
        for path in paths {
            opts.pathspec(*path);
        }
    }
    if let Side::WorkTree | Side::WorkTreeOnly = new {
        // A file an agent created and nobody added yet is uncommitted work too.
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .show_untracked_content(true);
    }
    let mut diff = match new {
        Side::Tree(new) => repo.diff_tree_to_tree(old, Some(new), Some(&mut opts))?,
        Side::Index(index) => repo.diff_tree_to_index(old, Some(index), Some(&mut opts))?,
        Side::WorkTree => repo.diff_tree_to_workdir_with_index(old, Some(&mut opts))?,
        Side::WorkTreeOnly => repo.diff_tree_to_workdir(old, Some(&mut opts))?,
    };
    if has_adds_and_deletes(&diff) {
        diff.find_similar(Some(DiffFindOptions::new().renames(true)))?;
    }
    match new {
        Side::Tree(_) | Side::Index(_) => blame_aligned(repo, &diff),
        // Work-tree files pass git's filters (line ends, `ident`) only inside libgit2's diff,
        // so its hunks are taken as they are: they tell which lines wait uncommitted, never
        // which lines a note names.
        Side::WorkTree | Side::WorkTreeOnly => {
            let mut files = collect(&diff)?;
            let workdir = repo.workdir();
            // How many lines each file has: a block at the end of a file then shows the end,
            // as in a diff of blobs (a place at the end is known, not unknown).
            for file in &mut files {
                file.lines = workdir
                    .and_then(|w| std::fs::read(w.join(&file.path)).ok())
                    .and_then(|bytes| count_lines(&bytes));
            }
            // A text file that `.gitattributes` marks `-diff` or `binary` has no lines in a
            // diff, yet an AI may write it: diff those again as text.
            let text_marked_binary: Vec<String> = diff
                .deltas()
                .filter(|d| d.flags().is_binary())
                .filter_map(|d| {
                    d.new_file()
                        .path()
                        .map(|p| p.to_string_lossy().replace('\\', "/"))
                })
                .filter(|p| {
                    workdir
                        .and_then(|w| std::fs::read(w.join(p)).ok())
                        .is_some_and(|b| looks_like_text(&b))
                })
                .collect();
            if !text_marked_binary.is_empty() {
                let mut opts = options();
                opts.force_text(true).disable_pathspec_match(true);
                for path in &text_marked_binary {
                    opts.pathspec(path);
                }
                let again = match new {
                    Side::WorkTree => repo.diff_tree_to_workdir_with_index(old, Some(&mut opts))?,
                    _ => repo.diff_tree_to_workdir(old, Some(&mut opts))?,
                };
                files.retain(|f| !text_marked_binary.contains(&f.path));
                files.extend(collect(&again)?);
            }
            Ok(files)
        }
    }
}

/// The changes of `diff`'s files between blobs, each diffed as `git blame` would (see
/// [`text_change`]): libgit2 only lists the files, with renames found.
fn blame_aligned(repo: &Repository, diff: &Diff<'_>) -> Result<Vec<ChangedFile>> {
    let mut files = Vec::new();
    for delta in diff.deltas() {
        let (Some(path), true) = (delta.new_file().path(), delta.new_file().exists()) else {
            continue;
        };
        let path = path.to_string_lossy().replace('\\', "/");
        let content = |id: Oid| super::objects::blob_bytes(repo, id);
        let old = match delta.old_file().exists() {
            true => content(delta.old_file().id())?,
            false => Vec::new(),
        };
        if let Some(mut file) = text_change(&path, &old, &content(delta.new_file().id())?)? {
            file.old_path = delta
                .old_file()
                .path()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .filter(|old| *old != path);
            files.push(file);
        }
    }
    Ok(files)
}

/// The change of one file from blob `old` (`None`: the file is new) to the bytes `new` (a
/// work-tree file), diffed alone: the cost follows the files asked about, not the tree.
/// `None` when nothing was added.
///
/// Only the part between the lines both versions begin and end with is diffed (less a margin
/// for context and git's hunk sliding): five lines added to a 12,000-line file diff as a few
/// dozen lines, not 24,000.
pub fn buffer_change(
    repo: &Repository,
    path: &str,
    old: Option<Oid>,
    new: &[u8],
) -> Result<Option<ChangedFile>> {
    let old = old.map(|id| repo.find_blob(id)).transpose()?;
    let old = old.as_ref().map_or(&[][..], |b| b.content());
    text_change(path, old, new)
}

/// The lines `new` adds to `old`, aligned as `git blame` aligns them ([`buffer_change`] of
/// texts already read).
///
/// git diffs for blame (and `diff -U0`) without the texts' common tail, cut in whole 1 KiB
/// blocks (xdiff-interface.c, `trim_common_tail`). Where identical lines (blank lines above
/// all) could pair either way, that cut decides which copy is added: lineage cuts the same
/// bytes, so that a note names the lines blame gives the commit.
pub fn text_change(path: &str, old: &[u8], new: &[u8]) -> Result<Option<ChangedFile>> {
    if !looks_like_text(new) {
        return Ok(None);
    }
    let line_count = count_lines(new);
    let tail = common_tail(old, new);
    let (old, new) = (&old[..old.len() - tail], &new[..new.len() - tail]);
    let middle = Middle::of(old, new);
    let (old, new) = (&old[middle.old.clone()], &new[middle.new.clone()]);
    let name = Some(Path::new(path));
    let mut opts = options();
    // Text is judged here, as `blob_change` callers and `changes` did: a text file that
    // `.gitattributes` marks binary is diffed as text.
    opts.force_text(true);
    let patch = Patch::from_buffers(old, name, new, name, Some(&mut opts))?;
    let mut file = ChangedFile {
        path: path.to_string(),
        old_path: None,
        hunks: Vec::new(),
        lines: line_count,
    };
    for hunk in 0..patch.num_hunks() {
        let mut lines = Vec::new();
        let mut removed = Vec::new();
        for index in 0..patch.num_lines_in_hunk(hunk)? {
            let line = patch.line_in_hunk(hunk, index)?;
            match (line.new_lineno(), line.origin()) {
                (Some(number), origin @ ('+' | ' ')) => {
                    let number = number.saturating_add(middle.lines_before);
                    lines.push(hunk_line(number, line.content(), origin == '+', &mut removed));
                    removed.clear();
                }
                (_, '-') if removed.len() < MAX_REPLACED => removed.push(line_text(line.content())),
                _ => {}
            }
        }
        file.hunks.push(lines);
    }
    Ok(file.hunks.iter().flatten().any(|l| l.added).then_some(file))
}

/// How many bytes git leaves out at the end of both texts before diffing them for blame:
/// their common tail in whole 1 KiB blocks, given back up to the first line break.
fn common_tail(old: &[u8], new: &[u8]) -> usize {
    const BLOCK: usize = 1024;
    let smaller = old.len().min(new.len());
    let mut trimmed = 0;
    while trimmed + BLOCK <= smaller
        && old[old.len() - trimmed - BLOCK..old.len() - trimmed]
            == new[new.len() - trimmed - BLOCK..new.len() - trimmed]
    {
        trimmed += BLOCK;
    }
    let kept = old[old.len() - trimmed..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(trimmed, |at| at + 1);
    trimmed - kept
}

/// The byte ranges of two texts left after taking off the whole lines they both begin and end
/// with, each end less [`Middle::MARGIN`] lines, and how many lines were taken off the front.
#[derive(Debug, PartialEq)]
struct Middle {
    old: std::ops::Range<usize>,
    new: std::ops::Range<usize>,
    lines_before: u32,
}

impl Middle {
    /// Lines kept on each side of the change: more than the diff's context, so that the hunks
    /// and git's sliding of ambiguous blocks come out as for the whole texts.
    const MARGIN: usize = 64;

    /// Works on bytes, not split lines: the common head and tail are found by comparing
    /// blocks, and only the margin's lines are walked.
    fn of(old: &[u8], new: &[u8]) -> Middle {
        // The whole lines both begin with end at the last line break of their common bytes.
        let head = match common_prefix(old, new) {
            // Identical texts: a last line without a line break is whole in both.
            same if same == old.len() && same == new.len() => same,
            same => memchr::memrchr(b'\n', &old[..same]).map_or(0, |at| at + 1),
        };
        // The whole lines both end with, after those: their common bytes from the end, less
        // the first line of them unless it starts a line in both texts.
        let (old_rest, new_rest) = (&old[head..], &new[head..]);
        let tail = common_suffix(old_rest, new_rest);
        let starts_line = |rest: &[u8]| {
            let start = rest.len() - tail;
            start == 0 || rest[start - 1] == b'\n'
        };
        let tail = match starts_line(old_rest) && starts_line(new_rest) {
            true => tail,
            false => {
                let start = old_rest.len() - tail;
                memchr::memchr(b'\n', &old_rest[start..]).map_or(0, |at| tail - at - 1)
            }
        };
        // Back off the margin: the line break ending the MARGIN+1-th line above the change...
        // (A last line without a line break, of identical texts, is one of those lines.)
        let unterminated = usize::from(head > 0 && old[head - 1] != b'\n');
        let front = memchr::memrchr_iter(b'\n', &old[..head])
            .nth(Self::MARGIN - unterminated)
            .map_or(0, |at| at + 1);
        // ...and the one ending the MARGIN-th line of the common tail.
        let back = memchr::memchr_iter(b'\n', &old[old.len() - tail..])
            .nth(Self::MARGIN - 1)
            .map_or(0, |at| tail - at - 1);
        let lines_before = memchr::memchr_iter(b'\n', &old[..front]).count();
        Middle {
            old: front..old.len() - back,
            new: front..new.len() - back,
            lines_before: u32::try_from(lines_before).unwrap_or(u32::MAX),
        }
    }
}

/// How many bytes `a` and `b` begin with alike.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let blocks = a
        .chunks_exact(BLOCK)
        .zip(b.chunks_exact(BLOCK))
        .take_while(|(x, y)| x == y)
        .count();
    let at = blocks * BLOCK;
    at + a[at..].iter().zip(&b[at..]).take_while(|(x, y)| x == y).count()
}

/// How many bytes `a` and `b` end with alike.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let blocks = a
        .rchunks_exact(BLOCK)
        .zip(b.rchunks_exact(BLOCK))
        .take_while(|(x, y)| x == y)
        .count();
    let at = blocks * BLOCK;
    let (a, b) = (&a[..a.len() - at], &b[..b.len() - at]);
    at + a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

fn hunk_line(line: u32, content: &[u8], added: bool, removed: &mut Vec<String>) -> HunkLine {
    HunkLine {
        line,
        text: line_text(content),
        added,
        replaces: match added {
            true => std::mem::take(removed),
            false => Vec::new(),
        },
    }
}

fn line_text(content: &[u8]) -> String {
    let text = String::from_utf8_lossy(content);
    let text = text.strip_suffix('\n').unwrap_or(&text);
    text.strip_suffix('\r').unwrap_or(text).to_string()
}

/// Removed lines kept for the added lines that replace them: few, as they only tell where an
/// edit was made.
const MAX_REPLACED: usize = 64;

/// Whether content is text as git judges it (no NUL in its first 8,000 bytes) and small enough
/// to hold an AI edit.
fn looks_like_text(content: &[u8]) -> bool {
    const MAX_TEXT: usize = 8 << 20;
    content.len() <= MAX_TEXT && !content[..content.len().min(8000)].contains(&0)
}

fn options() -> DiffOptions {
    let mut opts = DiffOptions::new();
    // Context lines tell where each block of added lines sits, a few non-trivial lines out:
    // look-alike places (sibling `except` blocks) differ a few lines away.
    opts.context_lines(8)
        .indent_heuristic(true)
        .ignore_submodules(true);
    opts
}

fn has_adds_and_deletes(diff: &Diff<'_>) -> bool {
    use git2::Delta;
    let mut added = false;
    let mut deleted = false;
    for delta in diff.deltas() {
        added |= delta.status() == Delta::Added;
        deleted |= delta.status() == Delta::Deleted;
    }
    added && deleted
}

/// The number of lines of `bytes`, the last one counted without a line end too.
fn count_lines(bytes: &[u8]) -> Option<u32> {
    let count =
        memchr::memchr_iter(b'\n', bytes).count() + usize::from(bytes.last().is_some_and(|&b| b != b'\n'));
    u32::try_from(count).ok()
}

fn collect(diff: &Diff<'_>) -> Result<Vec<ChangedFile>> {
    let mut files: Vec<ChangedFile> = Vec::new();
    let mut hunk_seen: Option<(u32, u32)> = None;
    // The lines removed since the last added or kept line: what the next added run replaces.
    let mut removed: Vec<String> = Vec::new();
    // Where those lines were removed: the file, and the hunk's start on both sides.
    type HunkAt = (Option<std::path::PathBuf>, Option<(u32, u32)>);
    let mut removed_in: Option<HunkAt> = None;
    diff.foreach(
        &mut |_, _| true,
        None,
        None,
        Some(&mut |delta, hunk, line| {
            let origin = line.origin();
            let (at_path, at_hunk) = (
                delta.new_file().path(),
                hunk.as_ref().map(|h| (h.old_start(), h.new_start())),
            );
            if removed_in
                .as_ref()
                .is_none_or(|(p, h)| p.as_deref() != at_path || *h != at_hunk)
            {
                removed.clear();
                removed_in = Some((at_path.map(Path::to_path_buf), at_hunk));
            }
            if origin == '-' && removed.len() < MAX_REPLACED {
                removed.push(line_text(line.content()));
            }
            let (Some(number), Some(path), '+' | ' ') = (line.new_lineno(), delta.new_file().path(), origin)
            else {
                return true;
            };
            let path = path.to_string_lossy().replace('\\', "/");
            if files.last().is_none_or(|f| f.path != path) {
                let old_path = delta
                    .old_file()
                    .path()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .filter(|old| *old != path);
                files.push(ChangedFile {
                    path,
                    old_path,
                    hunks: Vec::new(),
                    lines: None,
                });
                hunk_seen = None;
            }
            let file = files.last_mut().expect("pushed above");
            let this_hunk = hunk.map(|h| (h.old_start(), h.new_start()));
            if this_hunk != hunk_seen || file.hunks.is_empty() {
                file.hunks.push(Vec::new());
                hunk_seen = this_hunk;
            }
            if let Some(lines) = file.hunks.last_mut() {
                lines.push(hunk_line(number, line.content(), origin == '+', &mut removed));
            }
            removed.clear();
            true
        }),
    )?;
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(n: usize) -> String {
        (0..n).map(|i| format!("line {i}\n")).collect()
    }

    /// The middle as first written, on split lines: the byte-wise one must find the same.
    fn middle_by_lines(old: &[u8], new: &[u8]) -> Middle {
        let old_lines: Vec<&[u8]> = old.split_inclusive(|&b| b == b'\n').collect();
        let new_lines: Vec<&[u8]> = new.split_inclusive(|&b| b == b'\n').collect();
        let shorter = old_lines.len().min(new_lines.len());
        let front = old_lines
            .iter()
            .zip(&new_lines)
            .take_while(|(a, b)| a == b)
            .count();
        let back = old_lines
            .iter()
            .rev()
            .zip(new_lines.iter().rev())
            .take(shorter - front)
            .take_while(|(a, b)| a == b)
            .count();
        let (front, back) = (
            front.saturating_sub(Middle::MARGIN),
            back.saturating_sub(Middle::MARGIN),
        );
        let bytes = |lines: &[&[u8]]| lines.iter().map(|l| l.len()).sum::<usize>();
        let range = |lines: &[&[u8]], total: usize| {
            bytes(&lines[..front])..total - bytes(&lines[lines.len() - back..])
        };
        Middle {
            old: range(&old_lines, old.len()),
            new: range(&new_lines, new.len()),
            lines_before: u32::try_from(front).unwrap_or(u32::MAX),
        }
    }

    proptest::proptest! {
        #[test]
        fn the_middle_by_bytes_is_the_middle_by_lines(
            lines in proptest::collection::vec(0u8..6, 0..200),
            edits in proptest::collection::vec((0usize..200, 0u8..8), 0..4),
            newline_at_end in (proptest::bool::ANY, proptest::bool::ANY),
        ) {
            // Lines of several lengths: empty, prefixes of each other, longer than a block.
            let line = |l: u8| match l {
                0 => String::new(),
                1 => "a".to_string(),
                2 => "ab".to_string(),
                3 => "b".to_string(),
                4 => "x".repeat(300),
                _ => format!("{}y", "x".repeat(300)),
            };
            let text = |lines: &[u8], newline_at_end: bool| {
                let mut text: String = lines.iter().map(|&l| format!("{}\n", line(l))).collect();
                if !newline_at_end {
                    text.pop();
                }
                text
            };
            let mut changed = lines.clone();
            for (at, line) in edits {
                let at = at.min(changed.len());
                match line {
                    6 | 7 if at < changed.len() => { changed.remove(at); }
                    _ => changed.insert(at, line % 6),
                }
            }
            let (old, new) = (text(&lines, newline_at_end.0), text(&changed, newline_at_end.1));
            proptest::prop_assert_eq!(
                Middle::of(old.as_bytes(), new.as_bytes()),
                middle_by_lines(old.as_bytes(), new.as_bytes())
            );
        }
    }

    #[test]
    fn the_middle_leaves_out_common_lines_less_a_margin() {
        let old = numbered(1000);
        let mut new_lines: Vec<String> = old.lines().map(|l| format!("{l}\n")).collect();
        new_lines.insert(500, "added\n".into());
        let new: String = new_lines.concat();
        let middle = Middle::of(old.as_bytes(), new.as_bytes());
        assert_eq!(middle.lines_before, 500 - Middle::MARGIN as u32);
        let kept = &new[middle.new.clone()];
        assert_eq!(kept.lines().count(), 2 * Middle::MARGIN + 1);
        assert!(kept.starts_with(&format!("line {}\n", 500 - Middle::MARGIN)));
        // Identical texts, an empty side, and a last line without newline keep whole lines.
        let same = Middle::of(old.as_bytes(), old.as_bytes());
        assert_eq!(same.old.len(), same.new.len());
        assert_eq!(Middle::of(b"", b"a\nb\n").new, 0..4);
        let tail = Middle::of(old.as_bytes(), format!("{old}no newline").as_bytes());
        assert_eq!(tail.old.end, old.len());
        // A common tail that starts inside a line, and a last line break on one side only.
        for (old, new) in [("ab\nc\n", "b\nc\n"), ("a\nb\n", "a\nb")] {
            let (old, new) = (old.as_bytes(), new.as_bytes());
            assert_eq!(Middle::of(old, new), middle_by_lines(old, new));
        }
    }

    /// Runs git in `dir` without the machine's configuration; its output.
    fn git_in(dir: &Path, args: &[&str]) -> String {
        let out = std::process::Command::new("git")
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 1), "git {args:?}");
        String::from_utf8(out.stdout).unwrap()
    }

    /// Per file of a `git diff -U0`, the line numbers it adds (a deleted file adds none).
    fn added_by_git(diff: &str) -> std::collections::BTreeMap<String, Vec<u32>> {
        let mut files = std::collections::BTreeMap::new();
        let mut path = String::new();
        for line in diff.lines() {
            if let Some(p) = line.strip_prefix("+++ ") {
                path = p.strip_prefix("b/").unwrap_or_default().to_string();
                if !path.is_empty() {
                    files.insert(path.clone(), Vec::new());
                }
            } else if let Some(header) = line.strip_prefix("@@ ") {
                let new_side = header.split(' ').nth(1).unwrap().trim_start_matches('+');
                let mut parts = new_side.split(',').map(|n| n.parse::<u32>().unwrap());
                let start = parts.next().unwrap();
                if let Some(lines) = files.get_mut(&path) {
                    lines.extend(start..start + parts.next().unwrap_or(1));
                }
            }
        }
        files
    }

    /// The line numbers [`buffer_change`] reports added.
    fn added_by_us(repo: &Repository, path: &str, old: Option<Oid>, new: &[u8]) -> Vec<u32> {
        buffer_change(repo, path, old, new)
            .unwrap()
            .iter()
            .flat_map(|f| f.hunks.iter().flatten())
            .filter(|l| l.added)
            .map(|l| l.line)
            .collect()
    }

    /// The lines reported added are the ones git's own `diff -U0` (what `git blame` runs)
    /// adds, on texts of few distinct lines and blank lines, where git may pair identical lines
    /// either way.
    #[test]
    fn added_lines_are_the_ones_git_blame_sees() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path().join("repo")).unwrap();
        let mut seed = 7u64;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let line = |n: u64| match n {
            0 | 1 => "\n".to_string(),
            n => format!("    x{}\n", n % 4),
        };
        for round in 0..60 {
            let len = 200 + next(1800) as usize;
            let old: Vec<String> = (0..len).map(|_| line(next(6))).collect();
            let mut new = old.clone();
            for _ in 0..1 + next(8) {
                let at = next(new.len() as u64) as usize;
                match next(4) {
                    0 => new.insert(at, line(next(6))),
                    1 => {
                        new.remove(at);
                    }
                    2 => {
                        for k in 0..next(9) {
                            new.insert(
                                at,
                                if k % 3 == 0 {
                                    "\n".into()
                                } else {
                                    format!("y{k}\n")
                                },
                            );
                        }
                    }
                    _ => new[at] = format!("y{}\n", next(4)),
                }
            }
            let (old, new) = (old.concat(), new.concat());
            let blob = repo.blob(old.as_bytes()).unwrap();
            std::fs::write(dir.path().join("old"), &old).unwrap();
            std::fs::write(dir.path().join("new"), &new).unwrap();
            let diff = git_in(
                dir.path(),
                &["diff", "--no-index", "--no-color", "-U0", "old", "new"],
            );
            let expected = added_by_git(&diff).remove("new").unwrap_or_default();
            assert_eq!(
                added_by_us(&repo, "f", Some(blob), new.as_bytes()),
                expected,
                "round {round}"
            );
        }
    }

    /// The same on real history: every change of every file of the vendored replay project
    /// (where git's tail cut moves a blank line of its key-derivation rewrite).
    #[test]
    fn added_lines_of_real_history_are_the_ones_git_blame_sees() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| git_in(dir.path(), args);
        let bundle = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/replay/itsdangerous.bundle");
        git(&["init", "-q"]);
        git(&["fetch", "-q", bundle, "main:main"]);
        let repo = Repository::open(dir.path()).unwrap();
        let mut compared = 0;
        for commit in git(&["rev-list", "--reverse", "main"]).lines().skip(1) {
            let parent = format!("{commit}^");
            let diff = git(&["diff", "--no-color", "-U0", "--no-renames", &parent, commit]);
            let tree = |rev: &str| repo.revparse_single(rev).unwrap().peel_to_tree().unwrap();
            let (before, after) = (tree(&parent), tree(commit));
            for (path, lines) in added_by_git(&diff) {
                let blob = |tree: &Tree<'_>| tree.get_path(Path::new(&path)).ok().map(|e| e.id());
                let new = repo.find_blob(blob(&after).unwrap()).unwrap();
                assert_eq!(
                    added_by_us(&repo, &path, blob(&before), new.content()),
                    lines,
                    "{commit} {path}"
                );
                compared += 1;
            }
        }
        assert!(compared > 150, "{compared}");
    }
}
