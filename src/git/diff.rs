//! Added lines of a diff, grouped into blocks of consecutive lines, as binding wants them.

use anyhow::Result;
use git2::{Diff, DiffFindOptions, DiffOptions, Repository, Tree};

use crate::binding::{FileDiff, is_trivial};

/// What a diff compares `old` with.
pub enum Side<'a, 'r> {
    Tree(&'a Tree<'r>),
    Index(&'a git2::Index),
    /// The work tree, through the index.
    WorkTree,
}

/// Added lines from `old` (`None`: the empty tree) to `new`, limited to `paths` when given.
pub fn added_lines(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: Side<'_, '_>,
    paths: Option<&[&str]>,
) -> Result<Vec<FileDiff>> {
    let mut opts = options();
    if let Some(paths) = paths {
        opts.disable_pathspec_match(true);
        for path in paths {
            opts.pathspec(*path);
        }
    }
    let mut diff = match new {
        Side::Tree(new) => repo.diff_tree_to_tree(old, Some(new), Some(&mut opts))?,
        Side::Index(index) => repo.diff_tree_to_index(old, Some(index), Some(&mut opts))?,
        Side::WorkTree => repo.diff_tree_to_workdir_with_index(old, Some(&mut opts))?,
    };
    if has_adds_and_deletes(&diff) {
        diff.find_similar(Some(DiffFindOptions::new().renames(true)))?;
    }
    collect(&diff)
}

fn options() -> DiffOptions {
    let mut opts = DiffOptions::new();
    // Context shows what sits above each block of added lines (see `Block::before`).
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

fn collect(diff: &Diff<'_>) -> Result<Vec<FileDiff>> {
    let mut files: Vec<FileDiff> = Vec::new();
    // The nearest non-trivial line of the new file seen so far in this hunk: context lines
    // tell a block where it sits.
    let mut above: Option<String> = None;
    let mut hunk_seen: Option<(u32, u32)> = None;
    diff.foreach(
        &mut |_, _| true,
        None,
        None,
        Some(&mut |delta, hunk, line| {
            let this_hunk = hunk.map(|h| (h.old_start(), h.new_start()));
            if this_hunk != hunk_seen {
                // What lies between hunks is unknown.
                above = None;
                hunk_seen = this_hunk;
            }
            let origin = line.origin();
            if origin != '+' && origin != ' ' {
                return true;
            }
            let text = String::from_utf8_lossy(line.content());
            let text = text.strip_suffix('\n').unwrap_or(&text);
            let text = text.strip_suffix('\r').unwrap_or(text).to_string();
            let (Some(number), Some(path), '+') = (line.new_lineno(), delta.new_file().path(), origin) else {
                if !is_trivial(&text) {
                    above = Some(text);
                }
                return true;
            };
            let path = path.to_string_lossy().replace('\\', "/");
            if files.last().is_none_or(|f| f.path != path) {
                let old_path = delta
                    .old_file()
                    .path()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .filter(|old| *old != path);
                files.push(FileDiff::new(path, old_path));
            }
            let file = files.last_mut().expect("pushed above");
            let trivial = is_trivial(&text);
            file.add_line(number, text.clone(), above.as_deref());
            if !trivial {
                above = Some(text);
            }
            true
        }),
    )?;
    Ok(files)
}
