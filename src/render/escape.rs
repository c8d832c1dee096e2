//! Text from notes, payloads, trailers and files is untrusted: a collaborator's note may hold
//! ESC/CSI sequences, OSC titles and links, carriage returns, C1 controls or bidi overrides that
//! would rewrite a reviewer's terminal. Everything shown to a person goes through [`escape`],
//! which writes such characters in a visible `\u{…}` form. JSON output is exact (serde escapes
//! control characters itself); porcelain fields go through [`escape`] too, so a tab or newline
//! inside a field cannot forge a row.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not reach a terminal as is: C0 and C1 controls, DEL, and the characters that
/// reorder or hide text (bidi embeddings, overrides and isolates, marks, zero-width joiners
/// aside from plain spaces), and the line and paragraph separators.
fn is_dangerous(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// `text` with every dangerous character (tab and newline included) as `\u{…}`.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_keeping(text, |_| false)
}

/// Like [`escape`], but tabs stay: for a line of code, where a tab is layout.
pub fn escape_code(text: &str) -> Cow<'_, str> {
    escape_keeping(text, |c| c == '\t')
}

fn escape_keeping(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    // Printable ASCII is the common case, and a byte test: a line of code is one pass, in
    // blocks without an early exit, which the compiler turns into vector instructions.
    let tab = keep('\t');
    let printable = |b: u8| (b' '..=b'~').contains(&b) || (b == b'\t' && tab);
    let all_printable = text
        .as_bytes()
        .chunks(32)
        .all(|block| block.iter().fold(true, |all, &b| all & printable(b)));
    if all_printable || !text.chars().any(|c| is_dangerous(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_dangerous(c) && !keep(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The first `n` characters of `text`, escaped (ids from notes are not trusted to be ASCII).
pub fn abbrev(text: &str, n: usize) -> String {
    let prefix: String = text.chars().take(n).collect();
    escape(&prefix).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_become_visible() {
        let hostile =
            "a\u{1b}[31mred\u{1b}]0;title\u{7}\u{1b}]8;;http://x\u{1b}\\b\rc\u{85}d\u{202e}e\u{0}f\tg\nh";
        let shown = escape(hostile);
        assert!(!shown.chars().any(is_dangerous), "{shown}");
        assert_eq!(
            shown,
            "a\\u{1b}[31mred\\u{1b}]0;title\\u{7}\\u{1b}]8;;http://x\\u{1b}\\b\\u{d}c\\u{85}d\\u{202e}e\\u{0}f\\u{9}g\\u{a}h"
        );
        assert_eq!(escape_code("\tlet x = 1;\u{1b}"), "\tlet x = 1;\\u{1b}");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(escape("claude-code/opus café"), Cow::Borrowed(_)));
    }

    #[test]
    fn abbreviations_count_characters() {
        assert_eq!(abbrev("abcdefgh1234", 8), "abcdefgh");
        assert_eq!(abbrev("abcdefgé1234", 8), "abcdefgé");
        assert_eq!(abbrev("\u{1b}bc", 2), "\\u{1b}b");
    }
}
