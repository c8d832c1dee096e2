//! Loose objects, written and read faster than libgit2 does.
//!
//! libgit2 deflates every loose object (at its fastest level) and hashes it with collision
//! detection: for the 600 KB note of a 1,000-record commit that was ~9 ms of post-commit, of
//! which ~4.5 ms deflating and ~2.5 ms hashing. A note is written once and packed by the next
//! `git gc`, so it is stored here as zlib's *stored* blocks (no compression, ~0.4 ms) under a
//! plain SHA-1 (~0.4 ms with the CPU's SHA instructions). The object is the same: git and
//! libgit2 read any zlib stream, and its id is the SHA-1 of its content, however it is stored.
//!
//! Reading: post-commit diffs the base's blob of each file with pending edits, and a recent
//! base is usually loose. libgit2 inflates it with zlib into a zeroed buffer that the caller
//! then copies; for a 600 KB file that was ~0.5 ms of the hook's longest path, and zlib's
//! inflate itself ~1.2 ms. A loose blob is inflated here by libdeflate (~0.4 ms) straight into
//! a buffer of its size; anything else is left to libgit2.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use flate2::write::ZlibEncoder;
use flate2::{Compression, Decompress, FlushDecompress, Status};
use git2::{Oid, Repository};
use libdeflater::{Decompressor, adler32};
use sha1::{Digest, Sha1};
use tempfile::NamedTempFile;

use crate::parallel;

fn blob_header(content: &[u8]) -> String {
    format!("blob {}\0", content.len())
}

/// The id `content` has as a blob (no collision detection: for ids this process computes
/// itself, to store an object or to recognise one).
pub(super) fn blob_id(content: &[u8]) -> Oid {
    let mut hash = Sha1::new();
    hash.update(blob_header(content).as_bytes());
    hash.update(content);
    Oid::from_bytes(&hash.finalize()).expect("a SHA-1 digest is an object id")
}

/// Writes `content` as a blob; its id. A big blob's id is hashed on one core while the object
/// is written on another (~0.3 ms each for a thousand-edit note), into a temporary file beside
/// the fan-out directories (which one is known only from the id), then moved into place. A
/// small one is hashed first and written only when new: the `seen` note of every commit made
/// with nothing pending is one blob.
pub(super) fn write_blob(repo: &Repository, content: &[u8]) -> Result<Oid> {
    const WRITE_BESIDE_FROM: usize = 64 * 1024;
    let Some(objects) = objects_dir(repo) else {
        return Ok(repo.blob(content)?);
    };
    let (id, written) = match content.len() >= WRITE_BESIDE_FROM {
        true => parallel::join(|| blob_id(content), || Some(write_stored(&objects, content))),
        false => (blob_id(content), None),
    };
    if repo.odb()?.exists(id) {
        return Ok(id);
    }
    let temp = match written {
        Some(written) => written?,
        None => write_stored(&objects, content)?,
    };
    let path = loose_path(&objects, id);
    if let Some(fanout) = path.parent() {
        fs::create_dir_all(fanout).with_context(|| format!("cannot create {}", fanout.display()))?;
    }
    temp.persist(&path)
        .map_err(|e| e.error)
        .context("cannot put a new object in place")?;
    Ok(id)
}

/// `content` as a loose blob, in a temporary file of `objects`: zlib's stored blocks, streamed
/// to the file (a buffer of the whole object would be fresh memory to fault in).
fn write_stored(objects: &Path, content: &[u8]) -> Result<NamedTempFile> {
    let mut temp = tempfile::Builder::new()
        .prefix("tmp_obj_")
        .tempfile_in(objects)
        .with_context(|| format!("cannot write an object in {}", objects.display()))?;
    let mut zlib = ZlibEncoder::new(temp.as_file_mut(), Compression::none());
    zlib.write_all(blob_header(content).as_bytes())?;
    zlib.write_all(content)?;
    zlib.finish()?;
    // Objects are read-only, as git leaves them.
    temp.as_file()
        .set_permissions(fs::Permissions::from_mode(0o444))?;
    Ok(temp)
}

/// The repository's own object directory; `None` when one named by the environment makes
/// objects libgit2's to find. (A SHA-256 repository is refused when it is opened.)
fn objects_dir(repo: &Repository) -> Option<PathBuf> {
    if std::env::var_os("GIT_OBJECT_DIRECTORY").is_some() {
        return None;
    }
    Some(repo.commondir().join("objects"))
}

/// Where object `id` lives when it is loose in `objects`.
fn loose_path(objects: &Path, id: Oid) -> PathBuf {
    let hex = id.to_string();
    // Forty ASCII hex digits: the split is at a character boundary.
    let (fanout, rest) = hex.split_at(2);
    objects.join(fanout).join(rest)
}

/// The content of blob `id`, owned. A loose blob of the repository's own object directory is
/// inflated here into a buffer of its size; anything else (packed, in an alternate, not a
/// well-formed loose blob) is read by libgit2 and copied.
pub(super) fn blob_bytes(repo: &Repository, id: Oid) -> Result<Vec<u8>, git2::Error> {
    let loose = objects_dir(repo)
        .and_then(|objects| fs::read(loose_path(&objects, id)).ok())
        .and_then(|compressed| inflate_loose_blob(&compressed));
    match loose {
        Some(content) => Ok(content),
        None => Ok(repo.find_blob(id)?.content().to_vec()),
    }
}

/// A loose object file's bytes as a blob's content: `None` unless they are one zlib stream
/// that inflates to a `blob <size>` header and exactly that many bytes.
fn inflate_loose_blob(compressed: &[u8]) -> Option<Vec<u8>> {
    let mut zlib = Decompress::new(true);
    // The header ("blob ", at most 20 digits, NUL) and perhaps the first bytes of content.
    let mut head = [0u8; 32];
    let status = zlib
        .decompress(compressed, &mut head, FlushDecompress::None)
        .ok()?;
    let produced = usize::try_from(zlib.total_out()).ok()?;
    let head = head.get(..produced)?;
    let nul = head.iter().position(|&b| b == 0)?;
    let digits = head[..nul].strip_prefix(b"blob ")?;
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let size: usize = std::str::from_utf8(digits).ok()?.parse().ok()?;
    // zlib inflates at most ~1,032 times its input: a larger size is a lie, not a reason to
    // allocate.
    if size > compressed.len().saturating_mul(1032) {
        return None;
    }
    let header_len = nul + 1;
    if status == Status::StreamEnd {
        let content = head.get(header_len..)?;
        let whole = usize::try_from(zlib.total_in()).ok()? == compressed.len();
        return (whole && content.len() == size).then(|| content.to_vec());
    }
    // The whole stream again, in one call to libdeflate: ~3 times zlib's speed, and a file
    // with pending edits can be large. It needs the exact room, which the header gave.
    let mut object = vec![0u8; header_len.checked_add(size)?];
    let produced = Decompressor::new()
        .zlib_decompress(compressed, &mut object)
        .ok()?;
    // libdeflate checked the stream's checksum but ignores what follows the stream: it is the
    // whole file only if that checksum is also the file's last four bytes.
    let whole = compressed.last_chunk::<4>() == Some(&adler32(&object).to_be_bytes());
    if produced != object.len() || !whole || object.get(..header_len) != head.get(..header_len) {
        return None;
    }
    object.drain(..header_len);
    Some(object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::{Command, Output};

    fn git(dir: &Path, args: &[&str]) -> Output {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out
    }

    #[test]
    fn a_blob_written_stored_is_the_object_git_reads() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let big: String = (0..20_000).map(|i| format!("{{\"line\":{i}}}\n")).collect();
        for content in [&b""[..], b"one line\n", big.as_bytes()] {
            let id = write_blob(&repo, content).unwrap();
            assert_eq!(id, Oid::hash_object(git2::ObjectType::Blob, content).unwrap());
            assert_eq!(repo.find_blob(id).unwrap().content(), content);
            assert_eq!(
                git(dir.path(), &["cat-file", "blob", &id.to_string()]).stdout,
                content
            );
            // Written again, it is found, not rewritten.
            assert_eq!(write_blob(&repo, content).unwrap(), id);
        }
        git(dir.path(), &["fsck", "--strict", "--no-dangling"]);
    }

    #[test]
    fn a_loose_blob_is_read_as_git_wrote_it_and_a_packed_one_through_libgit2() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let big: String = (0..30_000).map(|i| format!("line {i}\n")).collect();
        for content in ["", "one line\n", &big] {
            fs::write(dir.path().join("f"), content).unwrap();
            let out = git(dir.path(), &["hash-object", "-w", "f"]).stdout;
            let id = Oid::from_str(String::from_utf8_lossy(&out).trim()).unwrap();
            let path = loose_path(&objects_dir(&repo).unwrap(), id);
            assert!(path.is_file(), "{} is not loose", path.display());
            assert_eq!(blob_bytes(&repo, id).unwrap(), content.as_bytes());
        }
        // A tree is not a blob; a packed blob is read all the same.
        git(dir.path(), &["add", "f"]);
        let tree = git(dir.path(), &["write-tree"]).stdout;
        let tree = Oid::from_str(String::from_utf8_lossy(&tree).trim()).unwrap();
        assert!(blob_bytes(&repo, tree).is_err());
        let id = blob_id(big.as_bytes());
        git(dir.path(), &["repack", "-adq"]);
        git(dir.path(), &["prune-packed"]);
        assert!(!loose_path(&objects_dir(&repo).unwrap(), id).exists());
        assert_eq!(blob_bytes(&repo, id).unwrap(), big.as_bytes());
    }

    fn deflate(bytes: &[u8]) -> Vec<u8> {
        let mut zlib = ZlibEncoder::new(Vec::new(), Compression::fast());
        zlib.write_all(bytes).unwrap();
        zlib.finish().unwrap()
    }

    #[test]
    fn a_loose_object_that_lies_about_its_size_or_kind_is_not_a_blob() {
        // Short enough to end within the header's read, and long enough to be inflated whole.
        let long: Vec<u8> = (0..5_000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        for content in [&b"abc"[..], &long] {
            let n = content.len();
            let object = |header: &str| deflate(&[header.as_bytes(), content].concat());
            let whole = object(&format!("blob {n}\0"));
            assert_eq!(inflate_loose_blob(&whole).as_deref(), Some(content));
            for bad in [
                format!("blob {}\0", n + 1),
                format!("blob {}\0", n - 1),
                "blob \0".to_string(),
                format!("blob +{n}\0"),
                format!("tree {n}\0"),
                format!("blob {n}"),
                "blob 99999999999999999999999\0".to_string(),
            ] {
                assert_eq!(inflate_loose_blob(&object(&bad)), None, "{bad:?}, {n} bytes");
            }
            let mut trailing = whole.clone();
            trailing.push(0);
            assert_eq!(inflate_loose_blob(&trailing), None, "{n} bytes");
            assert_eq!(inflate_loose_blob(&whole[..whole.len() - 1]), None, "{n} bytes");
        }
        assert_eq!(inflate_loose_blob(b""), None);
    }

    proptest::proptest! {
        /// Hostile object files: arbitrary bytes, and real ones cut or with a byte changed,
        /// never panic and never yield content of another size than their header states.
        #[test]
        fn hostile_loose_objects_never_panic(
            content in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            noise in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
            cut in proptest::prelude::any::<usize>(),
            flip in proptest::prelude::any::<(usize, u8)>(),
        ) {
            let _ = inflate_loose_blob(&noise);
            let mut object = format!("blob {}\0", content.len()).into_bytes();
            object.extend_from_slice(&content);
            let mut file = deflate(&object);
            proptest::prop_assert_eq!(inflate_loose_blob(&file), Some(content.clone()));
            let _ = inflate_loose_blob(&file[..cut % (file.len() + 1)]);
            let at = flip.0 % file.len();
            file[at] ^= flip.1;
            if let Some(read) = inflate_loose_blob(&file) {
                let header = format!("blob {}\0", read.len());
                proptest::prop_assert!(read.len() <= 300 && header.len() <= 32);
            }
        }
    }
}
