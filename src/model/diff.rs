//! What a diff says about a file, as git reports it and before anyone interprets it: the file's
//! path (and its path before a rename) and, hunk by hunk, the lines of the new side, added or
//! context. Binding decides what the lines mean (`engine::FileDiff`).

/// One file of a diff.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChangedFile {
    /// Path in the new tree, `/`-separated.
    pub path: String,
    /// The path before a rename, when git detected one.
    pub old_path: Option<String>,
    pub hunks: Vec<Vec<HunkLine>>,
    /// How many lines the new side has, when known: a hunk that reaches it shows the file's
    /// end.
    pub lines: Option<u32>,
}

/// A line of the new side of a hunk.
#[derive(Debug, Clone, PartialEq)]
pub struct HunkLine {
    /// 1-based line number in the new version of the file.
    pub line: u32,
    /// Without its line ending.
    pub text: String,
    /// Added by the diff (else a context line).
    pub added: bool,
    /// On the first of a run of added lines: the lines the diff removed right before it, which
    /// the run replaces (without line endings).
    pub replaces: Vec<String>,
}

impl ChangedFile {
    /// The added lines, in order.
    pub fn added(&self) -> impl Iterator<Item = &HunkLine> {
        self.hunks.iter().flatten().filter(|l| l.added)
    }
}
