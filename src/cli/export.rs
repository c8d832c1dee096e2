//! `lineage export`: provenance as data for other tools.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::error::user_error;
use crate::query::export::{CSV_COLUMNS, csv_cells, csv_line, rows};
use crate::query::history::{self, By};
use crate::query::standards;
use crate::store::signing::Signer;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// JSON Lines for warehouses (DuckDB, ClickHouse, BigQuery): a row per commit and per
    /// attributed range, the columns of docs/export.md.
    Jsonl,
    /// CSV for spreadsheets: a header row, then a row per attributed range.
    Csv,
    /// Agent Trace records (JSON Lines): one per commit with AI lines.
    AgentTrace,
    /// An in-toto Statement v1 about the range's commits (a DSSE envelope with `--sign`).
    InToto,
}

/// Export provenance as JSON Lines, CSV, Agent Trace records or an in-toto statement.
///
/// Export the provenance of a range as data: `--format jsonl` writes one row per commit and
/// one per attributed range, with a documented, versioned schema (docs/export.md), so many
/// repositories load into one table; `--format csv` a header row and a row per attributed
/// range, for spreadsheets; `--format agent-trace` Agent Trace records (one per commit with AI
/// lines); `--format in-toto` an in-toto Statement v1 whose subjects are the commits
/// (`--sign`: in a DSSE envelope signed with git's SSH signing key). Paths under `[stats] ignore` in `.lineage.toml` are left
/// out, as in `stats`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The commits (default: HEAD's history).
    range: Option<String>,
    /// Only these paths.
    #[arg(last = true, value_name = "PATHS")]
    paths: Vec<String>,
    #[arg(long, value_enum)]
    format: Format,
    /// Write to FILE (replaced whole, never half-written) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The `repository` column (default: the work tree's directory name).
    #[arg(long, value_name = "NAME")]
    repository: Option<String>,
    /// With `--format in-toto`: wrap the statement in a DSSE envelope signed with git's SSH
    /// signing key (`user.signingkey`).
    #[arg(long, requires = "format")]
    sign: bool,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = super::open_repo(cwd)?;
    let paths = super::repo_paths(&repo, cwd, &args.paths)?;
    let ignore = super::ignored_paths(&repo, &[])?;
    let repository = match args.repository {
        Some(name) => name,
        None => repo
            .workdir()?
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let format = args.format;
    if args.sign && format != Format::InToto {
        return Err(user_error(
            "--sign signs an in-toto statement",
            "add --format in-toto",
        ));
    }
    let signer = args.sign.then(|| Signer::configured(&repo)).transpose()?;
    let range = args.range.clone().unwrap_or_else(|| "HEAD".into());
    super::write_output(cwd, args.output.as_deref(), out, &mut |sink| {
        if format == Format::Csv {
            sink.write_all(csv_line(CSV_COLUMNS).as_bytes())?;
        }
        let progress = super::Progress::new("export", 2_000);
        let wanted = |path: &str| history::wanted(path, &paths, &ignore);
        let mut facts = Vec::new();
        history::for_each_commit(
            &repo,
            args.range.as_deref(),
            &paths,
            &ignore,
            &mut |done, total| progress.update(done, total),
            &mut |commit, note| {
                match format {
                    Format::Jsonl | Format::Csv => {
                        for row in rows(&repository, &commit, note, &wanted) {
                            if format == Format::Jsonl {
                                serde_json::to_writer(&mut *sink, &row)?;
                                sink.write_all(b"\n")?;
                            } else if let Some(cells) = csv_cells(&row) {
                                sink.write_all(csv_line(&cells).as_bytes())?;
                            }
                        }
                    }
                    Format::AgentTrace => {
                        if let Some(record) = standards::agent_trace(&repo, &commit, note, &wanted)? {
                            serde_json::to_writer(&mut *sink, &record)?;
                            sink.write_all(b"\n")?;
                        }
                    }
                    Format::InToto => facts.push(commit),
                }
                Ok(())
            },
        )?;
        if format == Format::InToto {
            let statement = standards::in_toto(
                &range,
                &facts,
                &history::total(&facts),
                &history::group(&facts, By::Model),
                &history::group(&facts, By::Tool),
            );
            let document = match &signer {
                None => statement,
                Some(signer) => dsse(signer, &statement)?,
            };
            serde_json::to_writer(&mut *sink, &document)?;
            sink.write_all(b"\n")?;
        }
        Ok(())
    })
}

/// The DSSE envelope of an in-toto statement: the signature is over DSSE's pre-authentication
/// encoding, made by `ssh-keygen -Y sign` (namespace `in-toto`); `sig` is the SSHSIG blob in
/// base64 (the armored signature's body), `keyid` the signer's principal.
fn dsse(signer: &Signer, statement: &serde_json::Value) -> Result<serde_json::Value> {
    use base64::Engine;
    const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
    let body = serde_json::to_vec(statement)?;
    let mut pae = format!("DSSEv1 {} {PAYLOAD_TYPE} {} ", PAYLOAD_TYPE.len(), body.len()).into_bytes();
    pae.extend_from_slice(&body);
    let armored = signer.sign_bytes("in-toto", &pae)?;
    let blob: String = armored.lines().filter(|l| !l.starts_with("-----")).collect();
    Ok(serde_json::json!({
        "payloadType": PAYLOAD_TYPE,
        "payload": base64::engine::general_purpose::STANDARD.encode(&body),
        "signatures": [{"keyid": signer.principal(), "sig": blob}],
    }))
}
