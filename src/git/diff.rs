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
    let mut files = collect(&diff)?;
    // A text file that `.gitattributes` marks `-diff` or `binary` has no lines in a diff, yet
    // an AI may write it: diff those again as text. Files that are binary by content stay out.
    let text_marked_binary: Vec<String> = diff
        .deltas()
        .filter(|d| d.flags().is_binary())
        .filter(|d| is_text(repo, d.new_file().id()))
        .filter_map(|d| {
            d.new_file()
                .path()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    if !text_marked_binary.is_empty() {
        let mut opts = options();
        opts.force_text(true).disable_pathspec_match(true);
        for path in &text_marked_binary {
            opts.pathspec(path);
        }
        let again = match new {
            Side::Tree(new) => repo.diff_tree_to_tree(old, Some(new), Some(&mut opts))?,
            Side::Index(index) => repo.diff_tree_to_index(old, Some(index), Some(&mut opts))?,
            Side::WorkTree => repo.diff_tree_to_workdir_with_index(old, Some(&mut opts))?,
            Side::WorkTreeOnly => repo.diff_tree_to_workdir(old, Some(&mut opts))?,
        };
        files.retain(|f| !text_marked_binary.contains(&f.path));
        files.extend(collect(&again)?);
    }
    Ok(files)
}

/// The change of one file from blob `old` (`None`: the file is new) to blob `new`, diffed
/// alone: what hooks use, so their cost follows the files with pending edits, not the tree.
/// `None` when nothing was added.
pub fn blob_change(repo: &Repository, path: &str, old: Option<Oid>, new: Oid) -> Result<Option<ChangedFile>> {
    buffer_change(repo, path, old, repo.find_blob(new)?.content())
}

/// [`blob_change`] to the bytes `new` (a work-tree file).
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
    let middle = Middle::of(old, new);
    let (old, new) = (&old[middle.old.clone()], &new[middle.new.clone()]);
    let name = Some(Path::new(path));
    let mut opts = options();
    let mut patch = Patch::from_buffers(old, name, new, name, Some(&mut opts))?;
    // As in [`changes`]: a text file `.gitattributes` marks binary is diffed as text.
    if patch.delta().flags().is_binary() && looks_like_text(new) {
        opts.force_text(true);
        patch = Patch::from_buffers(old, name, new, name, Some(&mut opts))?;
    }
    let mut file = ChangedFile {
        path: path.to_string(),
        old_path: None,
        hunks: Vec::new(),
    };
    for hunk in 0..patch.num_hunks() {
        let mut lines = Vec::new();
        for index in 0..patch.num_lines_in_hunk(hunk)? {
            let line = patch.line_in_hunk(hunk, index)?;
            if let (Some(number), origin @ ('+' | ' ')) = (line.new_lineno(), line.origin()) {
                let number = number.saturating_add(middle.lines_before);
                lines.push(hunk_line(number, line.content(), origin == '+'));
            }
        }
        file.hunks.push(lines);
    }
    Ok(file.hunks.iter().flatten().any(|l| l.added).then_some(file))
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

    fn of(old: &[u8], new: &[u8]) -> Middle {
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
            front.saturating_sub(Self::MARGIN),
            back.saturating_sub(Self::MARGIN),
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
}

fn hunk_line(line: u32, content: &[u8], added: bool) -> HunkLine {
    let text = String::from_utf8_lossy(content);
    let text = text.strip_suffix('\n').unwrap_or(&text);
    let text = text.strip_suffix('\r').unwrap_or(text).to_string();
    HunkLine { line, text, added }
}

/// Whether a blob is text as git judges it (no NUL in its first 8,000 bytes) and small enough
/// to hold an AI edit. A blob not in the object database (a work tree file) counts as text only
/// if it can be read here.
fn is_text(repo: &Repository, id: git2::Oid) -> bool {
    repo.find_blob(id)
        .is_ok_and(|blob| looks_like_text(blob.content()))
}

fn looks_like_text(content: &[u8]) -> bool {
    const MAX_TEXT: usize = 8 << 20;
    content.len() <= MAX_TEXT && !content[..content.len().min(8000)].contains(&0)
}

fn options() -> DiffOptions {
    let mut opts = DiffOptions::new();
    // Context lines tell where each block of added lines sits.
    opts.context_lines(3)
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

fn collect(diff: &Diff<'_>) -> Result<Vec<ChangedFile>> {
    let mut files: Vec<ChangedFile> = Vec::new();
    let mut hunk_seen: Option<(u32, u32)> = None;
    diff.foreach(
        &mut |_, _| true,
        None,
        None,
        Some(&mut |delta, hunk, line| {
            let origin = line.origin();
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
                lines.push(hunk_line(number, line.content(), origin == '+'));
            }
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
    }

    /// The trimmed diff reports the same lines as diffing the whole texts.
    #[test]
    fn trimming_changes_no_hunk_line() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let mut seed = 7u64;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for _ in 0..200 {
            let len = 200 + next(1800) as usize;
            // Few distinct lines, so that blocks are ambiguous and git slides them.
            let old: Vec<String> = (0..len).map(|_| format!("x{}\n", next(4))).collect();
            let mut new = old.clone();
            for _ in 0..1 + next(4) {
                let at = next(new.len() as u64) as usize;
                match next(3) {
                    0 => new.insert(at, format!("x{}\n", next(4))),
                    1 => {
                        new.remove(at);
                    }
                    _ => new[at] = format!("y{}\n", next(4)),
                }
            }
            let (old, new) = (old.concat(), new.concat());
            let blob = repo.blob(old.as_bytes()).unwrap();
            let trimmed = buffer_change(&repo, "f", Some(blob), new.as_bytes()).unwrap();
            let mut opts = options();
            let whole =
                Patch::from_buffers(old.as_bytes(), None, new.as_bytes(), None, Some(&mut opts)).unwrap();
            let mut expected = Vec::new();
            for hunk in 0..whole.num_hunks() {
                for index in 0..whole.num_lines_in_hunk(hunk).unwrap() {
                    let line = whole.line_in_hunk(hunk, index).unwrap();
                    if line.origin() == '+' {
                        expected.push((
                            line.new_lineno().unwrap(),
                            String::from_utf8_lossy(line.content()).trim_end().to_string(),
                        ));
                    }
                }
            }
            let got: Vec<(u32, String)> = trimmed
                .iter()
                .flat_map(|f| f.hunks.iter().flatten())
                .filter(|l| l.added)
                .map(|l| (l.line, l.text.clone()))
                .collect();
            assert_eq!(got, expected, "old:\n{old}\nnew:\n{new}");
        }
    }
}
