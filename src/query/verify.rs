//! `lineage verify`: whether each note's lines are covered by valid signatures of allowed
//! signers (DESIGN §3.6).

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;

use crate::error::user_error;
use crate::git::Repo;
use crate::model::{NoteRecord, ObjectId, ParsedNote};
use crate::store::notes::Notes;
use crate::store::signing::{Checked, check, line_hash};

/// A commit's verdict, worst first when several apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// A signature that is not one of this payload's.
    InvalidSignature,
    /// A line a valid signature covers was changed or removed after signing.
    AlteredLines,
    /// A good signature by a key the allowed signers do not list for its signer.
    UnknownSigner,
    /// No signature, or lines no valid signature covers.
    Unsigned,
    /// Every line is covered by a valid signature of an allowed signer.
    SignedValid,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::InvalidSignature => "invalid signature",
            Verdict::AlteredLines => "altered lines",
            Verdict::UnknownSigner => "unknown signer",
            Verdict::Unsigned => "unsigned",
            Verdict::SignedValid => "signed-valid",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Verified {
    pub commit: ObjectId,
    pub verdict: Verdict,
    /// The signers of valid signatures.
    pub signers: Vec<String>,
    /// Signers whose good signatures the allowed signers file does not vouch for.
    pub unknown_signers: Vec<String>,
    /// Lines of the note no valid signature covers (an altered line shows here in its new
    /// form).
    pub uncovered: Vec<String>,
    /// How many lines valid signatures cover that the note no longer holds.
    pub missing: usize,
    pub invalid_signatures: usize,
}

/// The allowed signers file git uses (`gpg.ssh.allowedSignersFile`).
pub fn allowed_signers(repo: &Repo) -> Result<PathBuf> {
    let file = repo.config_string("gpg.ssh.allowedSignersFile").ok_or_else(|| {
        user_error(
            "git has no gpg.ssh.allowedSignersFile to check signatures against",
            "git config gpg.ssh.allowedSignersFile ~/.config/git/allowed_signers (lines of `email ssh-ed25519 AAAA…`)",
        )
    })?;
    let path = match (file.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => repo
            .workdir()
            .map(|w| w.join(&file))
            .unwrap_or_else(|_| PathBuf::from(&file)),
    };
    if !path.is_file() {
        return Err(user_error(
            format!("the allowed signers file {} does not exist", path.display()),
            "create it (lines of `email ssh-ed25519 AAAA…`) or fix gpg.ssh.allowedSignersFile",
        ));
    }
    Ok(path)
}

/// The verdict of every commit of `commits` that has a note.
pub fn verify(repo: &Repo, commits: &[ObjectId]) -> Result<Vec<Verified>> {
    let allowed = allowed_signers(repo)?;
    let notes = Notes::open(repo)?;
    let mut out = Vec::new();
    for &commit in commits {
        let Some(text) = notes.text(commit)? else { continue };
        out.push(verify_note(commit, &text, &allowed)?);
    }
    Ok(out)
}

fn verify_note(commit: ObjectId, text: &str, allowed: &std::path::Path) -> Result<Verified> {
    // Every line lineage reads, but the signatures themselves.
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter(|l| {
            let parsed = ParsedNote::parse(l);
            parsed.records.len() == 1 && !matches!(parsed.records[0], NoteRecord::Sig(_))
        })
        .collect();
    let present: HashSet<String> = lines.iter().map(|l| line_hash(l)).collect();
    let note = ParsedNote::parse(text);
    let mut covered: HashSet<String> = HashSet::new();
    let mut verified = Verified {
        commit,
        verdict: Verdict::SignedValid,
        signers: Vec::new(),
        unknown_signers: Vec::new(),
        uncovered: Vec::new(),
        missing: 0,
        invalid_signatures: 0,
    };
    let mut any_sig = false;
    for sig in note.records.iter().filter_map(|r| match r {
        NoteRecord::Sig(s) => Some(s),
        _ => None,
    }) {
        any_sig = true;
        match check(sig, commit, allowed)? {
            Checked::Valid => {
                if !verified.signers.contains(&sig.signer) {
                    verified.signers.push(sig.signer.clone());
                }
                verified.missing += sig.lines.iter().filter(|h| !present.contains(*h)).count();
                covered.extend(sig.lines.iter().cloned());
            }
            Checked::UnknownSigner => {
                if !verified.unknown_signers.contains(&sig.signer) {
                    verified.unknown_signers.push(sig.signer.clone());
                }
            }
            Checked::Invalid => verified.invalid_signatures += 1,
        }
    }
    verified.uncovered = lines
        .iter()
        .filter(|l| !covered.contains(&line_hash(l)))
        .map(|l| l.to_string())
        .collect();
    verified.verdict = if verified.invalid_signatures > 0 {
        Verdict::InvalidSignature
    } else if verified.missing > 0 {
        Verdict::AlteredLines
    } else if !verified.unknown_signers.is_empty() {
        Verdict::UnknownSigner
    } else if !any_sig || !verified.uncovered.is_empty() {
        Verdict::Unsigned
    } else {
        Verdict::SignedValid
    };
    Ok(verified)
}
