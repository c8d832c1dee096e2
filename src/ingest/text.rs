//! What an edit inserted, from the shapes agents report edits in.

use similar::{Algorithm, DiffOp, capture_diff_slices};

/// The lines of `new` that are not in `old` (a line diff): for a replace-style edit, the
/// context the agent merely repeated from `old` is not claimed as inserted. Both are split at
/// every `\n`, so a line break the replacement adds at its end counts: `return a` replaced by
/// `return a + b\n` leaves a blank line in the file, which git's diff adds too.
pub fn added_lines(old: &str, new: &str) -> String {
    let old: Vec<&str> = old
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let new: Vec<&str> = new
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut out = String::new();
    for op in capture_diff_slices(Algorithm::Myers, &old, &new) {
        let (start, len) = match op {
            DiffOp::Insert {
                new_index, new_len, ..
            } => (new_index, new_len),
            DiffOp::Replace {
                new_index, new_len, ..
            } => (new_index, new_len),
            DiffOp::Equal { .. } | DiffOp::Delete { .. } => continue,
        };
        for line in &new[start..start + len] {
            out.push_str(line);
            out.push('\n');
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
        assert_eq!(added_lines(old, new), "fn b() {\n    2\n}\n\n");
        assert_eq!(added_lines("x", "x\ny"), "y\n");
        assert_eq!(added_lines("", "a\nb"), "a\nb\n");
        assert_eq!(added_lines("a\nb\n", "a\n"), "");
    }

    /// A replacement that ends with a line break its original did not have inserts a blank
    /// line; one that keeps the break inserts none.
    #[test]
    fn a_line_break_added_at_the_end_is_a_blank_line() {
        assert_eq!(
            added_lines("    return a", "    return a + b\n"),
            "    return a + b\n\n"
        );
        assert_eq!(
            added_lines("    return a\n", "    return a + b\n"),
            "    return a + b\n"
        );
        assert_eq!(added_lines("x\r\n", "x\r\ny\r\n"), "y\n");
    }

    #[test]
    fn notebook_lines_match_nbformat() {
        assert_eq!(
            notebook_source_lines("import x\n\nx.y(\"z\")"),
            "\"import x\\n\",\n\"\\n\",\n\"x.y(\\\"z\\\")\"\n"
        );
    }
}
