//! Typed git object ids, SHA-1 (20 bytes) and SHA-256 (32 bytes). An id is validated once, when
//! it is parsed from hex or made from bytes, and printed from its bytes: no code slices an id
//! string that came from a note or a payload, so multi-byte text can never reach a slice.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A git object id (commit, tree, blob).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectId {
    bytes: [u8; 32],
    len: u8,
}

impl ObjectId {
    /// Bytes of a SHA-1 id.
    pub const SHA1_LEN: usize = 20;
    /// Bytes of a SHA-256 id.
    pub const SHA256_LEN: usize = 32;

    /// An id of 20 (SHA-1) or 32 (SHA-256) bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<ObjectId> {
        if bytes.len() != Self::SHA1_LEN && bytes.len() != Self::SHA256_LEN {
            return None;
        }
        let mut id = ObjectId {
            bytes: [0; 32],
            len: bytes.len() as u8,
        };
        id.bytes[..bytes.len()].copy_from_slice(bytes);
        Some(id)
    }

    /// An id from 40 or 64 hex digits (either case); anything else is `None`.
    pub fn from_hex(text: &str) -> Option<ObjectId> {
        let digits = text.as_bytes();
        if digits.len() != 2 * Self::SHA1_LEN && digits.len() != 2 * Self::SHA256_LEN {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
            *byte = (nibble(pair[0])? << 4) | nibble(pair[1])?;
        }
        Self::from_bytes(&bytes[..digits.len() / 2])
    }

    /// The id git uses for "not committed yet" (all zeros), as long as `like`.
    pub fn zero_like(like: ObjectId) -> ObjectId {
        ObjectId {
            bytes: [0; 32],
            len: like.len,
        }
    }

    /// The SHA-1 all-zero id.
    pub const ZERO_SHA1: ObjectId = ObjectId {
        bytes: [0; 32],
        len: Self::SHA1_LEN as u8,
    };

    pub fn is_zero(&self) -> bool {
        self.as_bytes().iter().all(|&b| b == 0)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    pub fn to_hex(&self) -> String {
        crate::model::hex(self.as_bytes())
    }

    /// The first `digits` hex digits (all of them when there are fewer).
    pub fn abbrev(&self, digits: usize) -> String {
        let mut hex = self.to_hex();
        hex.truncate(digits);
        hex
    }
}

fn nibble(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectId({self})")
    }
}

/// Why a text is not an object id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAnObjectId;

impl fmt::Display for NotAnObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a git object id (40 or 64 hex digits)")
    }
}

impl std::error::Error for NotAnObjectId {}

impl FromStr for ObjectId {
    type Err = NotAnObjectId;

    fn from_str(text: &str) -> Result<ObjectId, NotAnObjectId> {
        ObjectId::from_hex(text).ok_or(NotAnObjectId)
    }
}

impl Serialize for ObjectId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // On the stack: blame --json writes one per line.
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = [0u8; 64];
        for (pair, byte) in hex.chunks_exact_mut(2).zip(self.as_bytes()) {
            pair[0] = DIGITS[usize::from(byte >> 4)];
            pair[1] = DIGITS[usize::from(byte & 15)];
        }
        let digits = hex.get(..self.as_bytes().len() * 2).unwrap_or_default();
        serializer.serialize_str(std::str::from_utf8(digits).unwrap_or_default())
    }
}

impl<'de> Deserialize<'de> for ObjectId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ObjectId, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        ObjectId::from_hex(&text).ok_or_else(|| serde::de::Error::custom(NotAnObjectId))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_and_sha256_round_trip() {
        let sha1 = "0123456789abcdef0123456789abcdef01234567";
        let sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        for hex in [sha1, sha256] {
            let id: ObjectId = hex.parse().unwrap();
            assert_eq!(id.to_hex(), hex);
            assert_eq!(id.as_bytes().len() * 2, hex.len());
            let json = serde_json::to_string(&id).unwrap();
            assert_eq!(serde_json::from_str::<ObjectId>(&json).unwrap(), id);
        }
        assert_eq!(ObjectId::from_hex(&sha1.to_uppercase()).unwrap().to_hex(), sha1);
        assert_eq!(ObjectId::from_hex(sha1).unwrap().abbrev(8), "01234567");
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "abc",
            "0123456789abcdef0123456789abcdef0123456",
            "0123456789abcdef0123456789abcdef012345678",
            "0123456789abcdef0123456789abcdef0123456g",
            "01234567é9abcdef0123456789abcdef0123456",
        ] {
            assert_eq!(ObjectId::from_hex(bad), None, "{bad:?}");
        }
        assert!(serde_json::from_str::<ObjectId>("\"zz\"").is_err());
    }

    #[test]
    fn zero_ids() {
        assert!(ObjectId::ZERO_SHA1.is_zero());
        let sha256 = ObjectId::from_hex(&"ab".repeat(32)).unwrap();
        assert_eq!(ObjectId::zero_like(sha256).to_hex(), "0".repeat(64));
        assert!(!ObjectId::from_hex(&"1".repeat(40)).unwrap().is_zero());
    }
}
