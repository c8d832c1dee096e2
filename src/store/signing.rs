//! SSH signatures over note lines (`git config lineage.sign true`), made with the key git signs
//! with (`user.signingkey`, as for `gpg.format=ssh`) by `ssh-keygen -Y sign`, in lineage's own
//! namespace ([`SIG_NAMESPACE`]), and checked by `ssh-keygen -Y verify` against git's
//! `gpg.ssh.allowedSignersFile`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::error::user_error;
use crate::git::Repo;
use crate::model::{NoteRecord, ObjectId, SIG_NAMESPACE, SigRecord, hex};

/// The key and principal that sign this repository's note writes.
pub struct Signer {
    key: PathBuf,
    /// Holds a `key::` literal's public key file while the signer lives.
    _literal: Option<tempfile::NamedTempFile>,
    principal: String,
}

/// sha256 hex of a note line, as signatures name it.
pub fn line_hash(line: &str) -> String {
    hex(&Sha256::digest(line.trim().as_bytes()))
}

impl Signer {
    /// The signer when `lineage.sign` is true; an error when it is but git has no signing key
    /// or no email to name the signer by.
    pub fn from_config(repo: &Repo) -> Result<Option<Signer>> {
        let on = repo
            .config_string("lineage.sign")
            .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "yes" | "on" | "1"));
        if !on {
            return Ok(None);
        }
        Signer::configured(repo).map(Some)
    }

    /// The signer git's configuration names, whether or not notes are signed (for signing an
    /// export on request).
    pub fn configured(repo: &Repo) -> Result<Signer> {
        let key = repo.config_string("user.signingkey").ok_or_else(|| {
            user_error(
                "lineage.sign is on, but git has no user.signingkey",
                "git config user.signingkey ~/.ssh/id_ed25519 (an SSH key, as for gpg.format=ssh)",
            )
        })?;
        let principal = repo.committer_email().ok_or_else(|| {
            user_error(
                "lineage.sign is on, but git has no user.email to name the signer by",
                "git config user.email you@example.com (the principal of your allowed signers line)",
            )
        })?;
        let (key, literal) = match key.strip_prefix("key::") {
            Some(public) => {
                // A public key literal: the private half is in the agent.
                let mut file =
                    tempfile::NamedTempFile::new().context("cannot write the signing key's public half")?;
                writeln!(file, "{public}")?;
                (file.path().to_path_buf(), Some(file))
            }
            None => (expand_home(&key), None),
        };
        Ok(Signer {
            key,
            _literal: literal,
            principal,
        })
    }

    /// A `sig` record over `lines` of `commit`'s note.
    pub fn sign(&self, commit: ObjectId, lines: &[String]) -> Result<NoteRecord> {
        let mut hashes: Vec<String> = lines.iter().map(|l| line_hash(l)).collect();
        hashes.sort();
        hashes.dedup();
        let payload = SigRecord::payload(&commit.to_hex(), &self.principal, &hashes);
        Ok(NoteRecord::Sig(SigRecord {
            signer: self.principal.clone(),
            lines: hashes,
            signature: self.sign_bytes(SIG_NAMESPACE, payload.as_bytes())?,
        }))
    }

    /// The principal signatures name (git's `user.email`).
    pub fn principal(&self) -> &str {
        &self.principal
    }

    /// `ssh-keygen -Y sign` of `payload` in `namespace`: the armored signature.
    pub fn sign_bytes(&self, namespace: &str, payload: &[u8]) -> Result<String> {
        let mut child = Command::new("ssh-keygen")
            .args(["-q", "-Y", "sign", "-n", namespace, "-f"])
            .arg(&self.key)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot run ssh-keygen to sign the note")?;
        child
            .stdin
            .take()
            .context("ssh-keygen's input is piped")?
            .write_all(payload)?;
        let out = child.wait_with_output()?;
        if !out.status.success() {
            anyhow::bail!(
                "ssh-keygen could not sign with {}: {}",
                self.key.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// What `ssh-keygen` says of a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// Made by a key the allowed signers file lists for the signer.
    Valid,
    /// A good signature by a key the allowed signers file does not list for the signer (or
    /// not for lineage's namespace).
    UnknownSigner,
    /// Not a signature of this payload.
    Invalid,
}

/// Checks `sig` over its payload for `commit` against `allowed_signers`.
pub fn check(sig: &SigRecord, commit: ObjectId, allowed_signers: &std::path::Path) -> Result<Checked> {
    let payload = SigRecord::payload(&commit.to_hex(), &sig.signer, &sig.lines);
    let mut file = tempfile::NamedTempFile::new().context("cannot write the signature to check")?;
    file.write_all(sig.signature.as_bytes())?;
    file.flush()?;
    let run = |args: &[&std::ffi::OsStr]| -> Result<bool> {
        let mut child = Command::new("ssh-keygen")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot run ssh-keygen to verify")?;
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(payload.as_bytes());
        }
        Ok(child.wait()?.success())
    };
    let sig_path = file.path().as_os_str();
    let verified = run(&[
        "-Y".as_ref(),
        "verify".as_ref(),
        "-f".as_ref(),
        allowed_signers.as_os_str(),
        "-I".as_ref(),
        sig.signer.as_ref(),
        "-n".as_ref(),
        SIG_NAMESPACE.as_ref(),
        "-s".as_ref(),
        sig_path,
    ])?;
    if verified {
        return Ok(Checked::Valid);
    }
    let good = run(&[
        "-Y".as_ref(),
        "check-novalidate".as_ref(),
        "-n".as_ref(),
        SIG_NAMESPACE.as_ref(),
        "-s".as_ref(),
        sig_path,
    ])?;
    Ok(if good {
        Checked::UnknownSigner
    } else {
        Checked::Invalid
    })
}
