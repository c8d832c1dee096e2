//! Added lines of a diff, grouped into blocks of consecutive lines, as binding wants them.

use anyhow::Result;
use git2::{Diff, DiffFindOptions, DiffOptions, Repository, Tree};

use crate::binding::{AddedLine, FileDiff};

/// Added lines from `old` to `new`; `new: None` means the work tree (through the index).
/// `paths` limits the diff to those files.
pub fn added_lines(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: Option<&Tree<'_>>,
    paths: Option<&[&str]>,
) -> Result<Vec<FileDiff>> {
    let mut opts = DiffOptions::new();
    opts.context_lines(0)
        .indent_heuristic(true)
        .ignore_submodules(true);
    if let Some(paths) = paths {
        opts.disable_pathspec_match(true);
        for path in paths {
            opts.pathspec(*path);
        }
    }
    let mut diff = match new {
        Some(new) => repo.diff_tree_to_tree(old, Some(new), Some(&mut opts))?,
        None => repo.diff_tree_to_workdir_with_index(old, Some(&mut opts))?,
    };
    if has_adds_and_deletes(&diff) {
        diff.find_similar(Some(DiffFindOptions::new().renames(true)))?;
    }
    collect(&diff)
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
    diff.foreach(
        &mut |_, _| true,
        None,
        None,
        Some(&mut |delta, _hunk, line| {
            if line.origin() != '+' {
                return true;
            }
            let (Some(number), Some(path)) = (line.new_lineno(), delta.new_file().path()) else {
                return true;
            };
            let path = path.to_string_lossy().replace('\\', "/");
            if files.last().is_none_or(|f| f.path != path) {
                let old_path = delta
                    .old_file()
                    .path()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .filter(|old| *old != path);
                files.push(FileDiff {
                    path,
                    old_path,
                    blocks: Vec::new(),
                });
            }
            let file = files.last_mut().expect("pushed above");
            let text = String::from_utf8_lossy(line.content());
            let text = text.strip_suffix('\n').unwrap_or(&text);
            let added = AddedLine {
                line: number,
                text: text.strip_suffix('\r').unwrap_or(text).to_string(),
            };
            match file.blocks.last_mut() {
                Some(block) if block.last().is_some_and(|l| l.line + 1 == number) => block.push(added),
                _ => file.blocks.push(vec![added]),
            }
            true
        }),
    )?;
    Ok(files)
}
