//! Line keys (DESIGN §2.2): a line is matched by the sha256 of its text with indentation,
//! trailing whitespace and `\r` removed, so a formatter re-indenting AI code does not hide it.

use sha2::{Digest, Sha256};

pub type LineKey = [u8; 32];

pub fn line_key(line: &str) -> LineKey {
    Sha256::digest(line.trim().as_bytes()).into()
}

/// Blank lines and lines of punctuation only (`}`, `);`, `]`) prove nothing by themselves: they
/// never match on their own, only by sitting inside or right after an AI run.
pub fn is_trivial(line: &str) -> bool {
    line.trim().chars().all(|c| c.is_ascii_punctuation())
}

pub fn key_to_hex(key: &LineKey) -> String {
    crate::model::hex(key)
}

pub fn key_from_hex(hex: &str) -> Option<LineKey> {
    if hex.len() != 64 {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(key)
}

/// The first 64 bits of a line key: enough to compare a few lines around an edit's place,
/// at a quarter of the journal's bytes.
pub type ShortKey = u64;

pub fn short_key(key: &LineKey) -> ShortKey {
    let mut first = [0u8; 8];
    first.copy_from_slice(&key[..8]);
    u64::from_be_bytes(first)
}

pub fn short_key_to_hex(key: ShortKey) -> String {
    format!("{key:016x}")
}

pub fn short_key_from_hex(hex: &str) -> Option<ShortKey> {
    // `from_str_radix` alone would take a sign.
    let digits = hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit());
    digits.then(|| u64::from_str_radix(hex, 16).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_indentation_and_line_endings() {
        assert_eq!(line_key("    let x = 1;\r"), line_key("let x = 1;"));
        assert_eq!(line_key("\tlet x = 1;  "), line_key("let x = 1;"));
        assert_ne!(line_key("let x = 1;"), line_key("let x = 2;"));
    }

    #[test]
    fn trivial_lines() {
        for line in ["", "   ", "}", "  );", "]", "},", "*/"] {
            assert!(is_trivial(line), "{line:?}");
        }
        for line in ["return x;", "end", "x", "} else {"] {
            assert!(!is_trivial(line), "{line:?}");
        }
    }

    #[test]
    fn hex_round_trip() {
        let key = line_key("fn main() {}");
        assert_eq!(key_from_hex(&key_to_hex(&key)), Some(key));
        assert_eq!(key_from_hex("zz"), None);
        let short = short_key(&key);
        assert_eq!(short_key_to_hex(short), key_to_hex(&key)[..16]);
        assert_eq!(short_key_from_hex(&short_key_to_hex(short)), Some(short));
        assert_eq!(short_key_from_hex("+123456789abcdef"), None);
    }
}
