//! What agents say about a session in one event and need in a later one: the prompt (sent at
//! prompt-submit) and the model (Claude Code names it only at SessionStart, Gemini only before
//! a model call). One small file per (tool, session) under `lineage/sessions/`, replaced
//! atomically; files untouched for longer than [`SESSION_TTL`] are swept when one is written.

use std::fs;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Journal;
use crate::model::hex;

const SESSION_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionState {
    /// The latest prompt, secret-redacted.
    pub prompt: Option<String>,
    pub model: Option<String>,
}

impl Journal {
    fn session_path(&self, tool: &str, session: Option<&str>) -> PathBuf {
        let key = Sha256::digest(format!("{tool}\0{}", session.unwrap_or_default()));
        self.root()
            .join("sessions")
            .join(format!("{}.json", &hex(&key)[..32]))
    }

    /// The state of a session; empty when nothing was said about it yet.
    pub fn session(&self, tool: &str, session: Option<&str>) -> SessionState {
        fs::read(self.session_path(tool, session))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    pub fn save_session(&self, tool: &str, session: Option<&str>, state: &SessionState) -> Result<()> {
        let path = self.session_path(tool, session);
        let dir = path.parent().expect("a session file has a directory");
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut temp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
        serde_json::to_writer(&mut temp, state)?;
        temp.persist(&path).context("cannot save the session state")?;
        sweep(dir);
        Ok(())
    }
}

fn sweep(dir: &std::path::Path) {
    let now = SystemTime::now();
    for item in fs::read_dir(dir).into_iter().flatten().flatten() {
        let old = item
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > SESSION_TTL);
        if old {
            let _ = fs::remove_file(item.path());
        }
    }
}
