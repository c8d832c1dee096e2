//! `lineage verify`: check the signatures of notes.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::error::user_error;
use crate::query::verify::{Verdict, verify};
use crate::render;

/// Check that the notes of a range are signed by allowed signers and unaltered.
///
/// With `git config lineage.sign true`, every write of note lines adds a `sig` line: an SSH
/// signature (`ssh-keygen -Y sign` with git's `user.signingkey`, namespace `lineage-notes`)
/// over the commit, the signer and the sha256 of each line written. `verify` checks each
/// against `gpg.ssh.allowedSignersFile` and reports per commit: signed-valid, unsigned,
/// invalid signature, altered lines (a covered line changed or removed after signing), unknown
/// signer. It exits 1 when any commit is not signed-valid.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The commits (default: HEAD): a revision, or a range (`main..topic`, `HEAD~50..`).
    #[arg(default_value = "HEAD")]
    range: String,
    /// Print JSON (docs/json.md): `{"schema":1,"commits":[{"commit","verdict",…}]}`.
    #[arg(long)]
    json: bool,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = super::open_repo(cwd)?;
    let commits = match args.range.contains("..") {
        true => repo.rev_list(&args.range)?,
        false => vec![repo.resolve_commit(&args.range)?],
    };
    let verified = verify(&repo, &commits)?;
    if args.json {
        render::json_list(out, "commits", &verified)?;
    } else {
        render::verify(out, &verified)?;
    }
    let failed = verified
        .iter()
        .filter(|v| v.verdict != Verdict::SignedValid)
        .count();
    if failed > 0 {
        return Err(user_error(
            format!("{failed} of {} noted commit(s) do not verify", verified.len()),
            "the lines above say why; `git notes --ref=lineage show <commit>` shows a note",
        ));
    }
    Ok(())
}
