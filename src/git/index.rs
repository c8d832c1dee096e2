//! What the index stages for a few paths, read straight from the index file.
//!
//! A hook needs the staged blob of the files with pending edits only. libgit2 and git both
//! load the whole index to answer that (in a 100,000-file repository: 8 MB, its checksum and
//! an allocation per entry, 15 ms at best); this walks the entries' fixed-size headers to
//! the wanted paths and allocates nothing per entry. The file is untrusted input like any
//! other: every length is checked, and anything this reader does not know (a split index, a
//! sparse directory entry, another version) makes it decline, so the caller asks git. A split
//! index names itself in an extension after the entries, which the walk stops short of: the
//! caller tells one by its shared index file instead.

use std::collections::BTreeMap;
use std::io::BufRead;

use crate::model::ObjectId;

/// The part of an entry before its path: stat data (40 bytes), the object id (20), flags (2).
const ENTRY_HEADER: usize = 62;
const EXTENDED: u16 = 0x4000;
const NAME_MASK: u16 = 0x0fff;
const STAGE_MASK: u16 = 0x3000;
/// A sparse index's directory entry.
const DIRECTORY_MODE: u32 = 0o040000;

/// Per wanted path, the blob stage 0 holds (`None`: not in the index). `None` overall when
/// `index` is not an index this reader can answer for (git must). Streams: a large index is
/// not copied into memory whole (at 8 MB, faulting in fresh pages cost more than the walk).
pub fn staged_blobs(mut index: impl BufRead, wanted: &[&str]) -> Option<BTreeMap<String, Option<ObjectId>>> {
    let mut found: BTreeMap<String, Option<ObjectId>> =
        wanted.iter().map(|p| (p.to_string(), None)).collect();
    let mut sorted: Vec<&[u8]> = wanted.iter().map(|p| p.as_bytes()).collect();
    sorted.sort_unstable();
    let mut header = [0u8; 12];
    index.read_exact(&mut header).ok()?;
    if &header[..4] != b"DIRC" {
        return None;
    }
    let version = u32::from_be_bytes(header[4..8].try_into().ok()?);
    let count = u32::from_be_bytes(header[8..12].try_into().ok()?);
    if !(2..=4).contains(&version) {
        return None;
    }
    let mut head = [0u8; ENTRY_HEADER];
    let mut path: Vec<u8> = Vec::new();
    // Entries are sorted by path: `next` is the first wanted path not passed yet, and the walk
    // ends once every wanted path is passed.
    let mut next = 0;
    for _ in 0..count {
        index.read_exact(&mut head).ok()?;
        let mode = u32::from_be_bytes(head[24..28].try_into().ok()?);
        let flags = u16::from_be_bytes(head[60..62].try_into().ok()?);
        let mut fixed = ENTRY_HEADER;
        if flags & EXTENDED != 0 {
            if version < 3 {
                return None;
            }
            index.read_exact(&mut [0u8; 2]).ok()?;
            fixed += 2;
        }
        if version == 4 {
            // The path is the previous one, less its last `strip` bytes, plus a NUL-ended suffix.
            let strip = usize::try_from(varint(&mut index)?).ok()?;
            path.truncate(path.len().checked_sub(strip)?);
            index.read_until(0, &mut path).ok()?;
            (path.pop() == Some(0)).then_some(())?;
        } else {
            path.clear();
            match flags & NAME_MASK {
                NAME_MASK => {
                    index.read_until(0, &mut path).ok()?;
                    (path.pop() == Some(0)).then_some(())?;
                }
                short => {
                    path.resize(usize::from(short), 0);
                    index.read_exact(&mut path).ok()?;
                }
            }
            // Entries are padded with NULs to a multiple of 8 bytes (at least one NUL; a path
            // read up to its NUL has taken that one already).
            let padded = (fixed + path.len() + 8) & !7;
            let taken = fixed + path.len() + usize::from(flags & NAME_MASK == NAME_MASK);
            skip(&mut index, padded.checked_sub(taken)?)?;
        }
        if mode == DIRECTORY_MODE && sorted.iter().any(|p| p.starts_with(&path)) {
            // A sparse directory: the wanted path may lie inside it, where only git can look.
            return None;
        }
        while sorted.get(next).is_some_and(|w| *w < path.as_slice()) {
            next += 1;
        }
        if next == sorted.len() {
            return Some(found);
        }
        if flags & STAGE_MASK == 0
            && sorted[next] == path.as_slice()
            && let Ok(name) = std::str::from_utf8(&path)
            && let Some(slot) = found.get_mut(name)
        {
            *slot = ObjectId::from_bytes(&head[40..60]);
        }
    }
    // Every entry walked (a wanted path sorts after all of them): the extensions follow, then
    // the checksum, which ends the walk. A split index is refused here too.
    let mut ext = [0u8; 8];
    while index.read_exact(&mut ext).is_ok() {
        if &ext[..4] == b"link" {
            return None;
        }
        let size = usize::try_from(u32::from_be_bytes(ext[4..8].try_into().ok()?)).ok()?;
        if skip(&mut index, size).is_none() {
            break;
        }
    }
    Some(found)
}

/// Skips `n` bytes; `None` when the input ends first.
fn skip(input: &mut impl BufRead, mut n: usize) -> Option<()> {
    while n > 0 {
        let step = input.fill_buf().ok()?.len().min(n);
        if step == 0 {
            return None;
        }
        input.consume(step);
        n -= step;
    }
    Some(())
}

/// git's offset varint (index v4 and packs): 7 bits a byte, big-endian, each continuation
/// adding one.
fn varint(input: &mut impl BufRead) -> Option<u64> {
    let mut value: u64 = 0;
    for i in 0..9 {
        let mut byte = [0u8; 1];
        input.read_exact(&mut byte).ok()?;
        if i > 0 {
            value = value.checked_add(1)?.checked_shl(7)?;
        }
        value |= u64::from(byte[0] & 0x7f);
        if byte[0] & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_as_git_writes_it() {
        assert_eq!(varint(&mut &[0x00][..]), Some(0));
        assert_eq!(varint(&mut &[0x7f][..]), Some(127));
        assert_eq!(varint(&mut &[0x80, 0x00][..]), Some(128));
        assert_eq!(varint(&mut &[0x80, 0x7f][..]), Some(255));
        assert_eq!(varint(&mut &[0x80][..]), None);
    }

    #[test]
    fn anything_else_declines_without_panicking() {
        assert_eq!(staged_blobs(&b""[..], &["a"]), None);
        assert_eq!(staged_blobs(&b"DIRC\0\0\0\x05\0\0\0\0"[..], &["a"]), None);
        assert_eq!(staged_blobs(&b"DIRC\0\0\0\x02\0\0\0\x01"[..], &["a"]), None);
        let empty = staged_blobs(&b"DIRC\0\0\0\x02\0\0\0\0"[..], &["a"]).unwrap();
        assert_eq!(empty.get("a"), Some(&None));
    }
}
