//! What an edit inserted, from the shapes agents report edits in.

use similar::{Algorithm, DiffOp, capture_diff_slices};

/// What an edit inserted: its lines, and which of them are *optional* (by index): lines the
/// edit kept from what it replaced, between lines it changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inserted {
    pub text: String,
    pub optional: Vec<usize>,
    /// The whole text the edit wrote, and the index of its line (split at `\n`) where the
    /// inserted lines start (for a pure deletion: where the removed lines were): found in the
    /// file, it pins where the edit was made.
    pub written: Option<Written>,
    /// How many lines the edit removed or replaced. A pure deletion of blank lines counts none:
    /// nothing locates it.
    pub deleted: usize,
    /// The lines it removed or replaced, in order.
    pub removed: Vec<String>,
}

/// The whole text an edit wrote at one place; the inserted lines are its lines (split at
/// `\n`) from `first` on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Written {
    pub text: String,
    pub first: usize,
    /// The byte offset where the text starts in the file, when the payload pins it (the
    /// replaced text's one occurrence in the file as it was).
    pub offset: Option<usize>,
}

impl Written {
    fn new(text: String, first: usize) -> Written {
        Written {
            text,
            first,
            offset: None,
        }
    }
}

impl From<String> for Inserted {
    fn from(text: String) -> Inserted {
        Inserted {
            text,
            ..Inserted::default()
        }
    }
}

/// The lines of `new` that are not in `old` (a line diff): for a replace-style edit, the
/// context the agent merely repeated from `old` around its change is not claimed as inserted.
/// Both are split at every `\n`, so a line break the replacement adds at its end counts:
/// `return a` replaced by `return a + b\n` leaves a blank line in the file, which git's diff
/// adds too.
///
/// Lines kept *between* changed lines come along as optional: this diff may pair an unchanged
/// `pass` or blank line of a rewritten block with the old one, while git's diff of the whole file
/// reports it deleted and added again. Binding lets an optional line extend a run of the edit's
/// own lines, never claim on its own, and an edit is complete without them.
pub fn added_lines(old: &str, new: &str) -> Inserted {
    let split = |text: &str| -> Vec<String> {
        text.split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
            .collect()
    };
    let (mut old, mut new) = (split(old), split(new));
    let written = new.join("\n");
    // Both texts ending in a line break end alike: the empty piece after it is no line of the
    // file (it is where the next line starts), and an insertion must not be placed on it.
    if old.len() > 1
        && new.len() > 1
        && old.last().is_some_and(|l| l.is_empty())
        && new.last().is_some_and(|l| l.is_empty())
    {
        old.pop();
        new.pop();
    }
    // (first line, line count, changed) of each stretch of `new`.
    let mut stretches: Vec<(usize, usize, bool)> = Vec::new();
    let mut out = Inserted::default();
    // Where in `new` the first removed lines were, and whether any was more than blank.
    let mut removed_at: Option<usize> = None;
    let mut removed_text = false;
    for op in capture_diff_slices(Algorithm::Myers, &old, &new) {
        match op {
            DiffOp::Insert {
                new_index, new_len, ..
            } => stretches.push((new_index, new_len, true)),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                stretches.push((new_index, new_len, true));
                out.deleted += old_len;
                out.removed
                    .extend_from_slice(&old[old_index..old_index + old_len]);
            }
            DiffOp::Equal { new_index, len, .. } => stretches.push((new_index, len, false)),
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => {
                out.deleted += old_len;
                out.removed
                    .extend_from_slice(&old[old_index..old_index + old_len]);
                removed_at.get_or_insert(new_index);
                removed_text |= old[old_index..old_index + old_len]
                    .iter()
                    .any(|l| !l.trim().is_empty());
            }
        }
    }
    let first = stretches.iter().position(|s| s.2);
    let last = stretches.iter().rposition(|s| s.2);
    let (Some(first), Some(last)) = (first, last) else {
        // A pure deletion: no line inserted, but where it was is known.
        match (removed_at, removed_text) {
            (Some(at), true) => out.written = Some(Written::new(written, at)),
            _ => out.deleted = 0,
        }
        return out;
    };
    out.written = Some(Written::new(written, stretches[first].0));
    let mut count = 0;
    for &(start, len, changed) in &stretches[first..=last] {
        for line in &new[start..start + len] {
            if !changed {
                out.optional.push(count);
            }
            out.text.push_str(line);
            out.text.push('\n');
            count += 1;
        }
    }
    out
}

/// A notebook cell's source as its lines appear in the `.ipynb` file, where nbformat stores a
/// cell as a JSON list of strings, one per line, each but the last ending in `\n` and followed
/// by a comma. These are the lines git sees and binding matches.
pub fn notebook_source_lines(source: &str) -> String {
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let encoded = serde_json::to_string(line).expect("a string serialises");
        out.push_str(&encoded);
        if i + 1 < lines.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_context_is_not_inserted() {
        let old = "fn a() {\n    1\n}\n";
        let new = "fn a() {\n    1\n}\n\nfn b() {\n    2\n}\n";
        let text = |old: &str, new: &str| added_lines(old, new).text;
        // The blank line sits where git puts it: before `fn b`, not after the last line.
        assert_eq!(text(old, new), "\nfn b() {\n    2\n}\n");
        assert_eq!(text("x", "x\ny"), "y\n");
        assert_eq!(text("", "a\nb"), "a\nb\n");
        assert_eq!(text("a\nb\n", "a\n"), "");
    }

    /// A replacement that ends with a line break its original did not have inserts a blank
    /// line; one that keeps the break inserts none.
    #[test]
    fn a_line_break_added_at_the_end_is_a_blank_line() {
        let text = |old: &str, new: &str| added_lines(old, new).text;
        assert_eq!(text("    return a", "    return a + b\n"), "    return a + b\n\n");
        assert_eq!(text("    return a\n", "    return a + b\n"), "    return a + b\n");
        assert_eq!(text("x\r\n", "x\r\ny\r\n"), "y\n");
    }

    /// Lines an edit kept between lines it changed come along as optional; the context around
    /// the change does not come at all.
    #[test]
    fn kept_lines_inside_a_change_are_optional() {
        let old = "def t():\n    a = 1\n    pass\n    b = 2\nX = 0\n";
        let new = "def t():\n    k = 1\n    pass\n    l = 2\nX = 0\n";
        let inserted = added_lines(old, new);
        assert_eq!(inserted.text, "    k = 1\n    pass\n    l = 2\n");
        assert_eq!(inserted.optional, vec![1]);
    }

    /// Removed and replaced lines are counted; a pure deletion keeps where it was.
    #[test]
    fn deleted_lines_are_counted() {
        let replaced = added_lines("a\nb\nc", "a\nB\nc");
        assert_eq!((replaced.text.as_str(), replaced.deleted), ("B\n", 1));
        let deletion = added_lines(
            "keep();\ngone();\nalso_gone();\nkeep_too();",
            "keep();\nkeep_too();",
        );
        assert_eq!((deletion.text.as_str(), deletion.deleted), ("", 2));
        assert_eq!(
            deletion.written,
            Some(Written::new("keep();\nkeep_too();".into(), 1))
        );
        let blanks = added_lines("a\n\n\nb", "a\nb");
        assert_eq!(
            (blanks.deleted, blanks.written),
            (0, None),
            "blank lines only: nothing to locate"
        );
    }

    #[test]
    fn notebook_lines_match_nbformat() {
        assert_eq!(
            notebook_source_lines("import x\n\nx.y(\"z\")"),
            "\"import x\\n\",\n\"\\n\",\n\"x.y(\\\"z\\\")\"\n"
        );
    }
}
