//! Hooks in a TOML file (Codex's `config.toml`): `[[hooks.<event>]]` groups with an optional
//! `matcher` and `[[hooks.<event>.hooks]]` handlers. Edited with `toml_edit`, which keeps the
//! user's comments and layout.

use std::path::Path;

use anyhow::Result;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use super::{Outcome, is_lineage_command, read_config, remove_file, write_file};
use crate::error::user_error;

pub struct Spec {
    events: &'static [(&'static str, Option<&'static str>)],
}

pub const CODEX: Spec = Spec {
    events: &[
        ("PostToolUse", Some("^apply_patch$")),
        ("UserPromptSubmit", None),
        ("SessionStart", None),
    ],
};

fn read(path: &Path) -> Result<Option<DocumentMut>> {
    let Some(text) = read_config(path)? else {
        return Ok(None);
    };
    text.parse::<DocumentMut>().map(Some).map_err(|e| {
        user_error(
            format!("cannot read {}: {e}", path.display()),
            "fix the file's TOML (or move it aside), then install again",
        )
    })
}

fn holds_lineage(group: &Table) -> bool {
    group
        .get("hooks")
        .and_then(Item::as_array_of_tables)
        .is_some_and(|handlers| handlers.iter().any(is_lineage_handler))
}

fn is_lineage_handler(handler: &Table) -> bool {
    handler
        .get("command")
        .and_then(Item::as_str)
        .is_some_and(is_lineage_command)
}

fn wrong_shape(path: &Path, what: &str) -> anyhow::Error {
    user_error(
        format!(
            "{what} in {} is not an array of tables, so it was left alone",
            path.display()
        ),
        "fix that key by hand ([[hooks.<event>]] groups), then install again",
    )
}

pub fn install(path: &Path, spec: &Spec, command: &str) -> Result<Outcome> {
    let mut doc = read(path)?.unwrap_or_default();
    let hooks = doc
        .entry("hooks")
        .or_insert_with(|| {
            let mut table = Table::new();
            table.set_implicit(true);
            Item::Table(table)
        })
        .as_table_mut()
        .ok_or_else(|| wrong_shape(path, "[hooks]"))?;
    let mut added = 0;
    for (event, matcher) in spec.events {
        let groups = hooks
            .entry(event)
            .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()))
            .as_array_of_tables_mut()
            .ok_or_else(|| wrong_shape(path, &format!("hooks.{event}")))?;
        if groups.iter().any(holds_lineage) {
            continue;
        }
        let mut handler = Table::new();
        handler.insert("type", value("command"));
        handler.insert("command", value(command));
        handler.insert("timeout", value(10));
        let mut handlers = ArrayOfTables::new();
        handlers.push(handler);
        let mut group = Table::new();
        if let Some(matcher) = matcher {
            group.insert("matcher", value(*matcher));
        }
        group.insert("hooks", Item::ArrayOfTables(handlers));
        groups.push(group);
        added += 1;
    }
    if added == 0 {
        return Ok(Outcome::Unchanged);
    }
    write_file(path, &doc.to_string())?;
    Ok(Outcome::Added(added))
}

pub fn uninstall(path: &Path, spec: &Spec) -> Result<Outcome> {
    let Some(mut doc) = read(path)? else {
        return Ok(Outcome::NotInstalled);
    };
    let Some(hooks) = doc.get_mut("hooks").and_then(Item::as_table_mut) else {
        return Ok(Outcome::NotInstalled);
    };
    let mut removed = 0;
    for (event, _) in spec.events {
        let Some(groups) = hooks.get_mut(event).and_then(Item::as_array_of_tables_mut) else {
            continue;
        };
        for group in groups.iter_mut() {
            if let Some(handlers) = group.get_mut("hooks").and_then(Item::as_array_of_tables_mut) {
                let before = handlers.len();
                handlers.retain(|h| !is_lineage_handler(h));
                removed += before - handlers.len();
            }
        }
        groups.retain(|group| {
            group
                .get("hooks")
                .and_then(Item::as_array_of_tables)
                .is_none_or(|h| !h.is_empty())
        });
        if groups.is_empty() {
            hooks.remove(event);
        }
    }
    if removed == 0 {
        return Ok(Outcome::NotInstalled);
    }
    if hooks.is_empty() {
        doc.remove("hooks");
    }
    if doc.as_table().is_empty() && doc.to_string().trim().is_empty() {
        remove_file(path)?;
    } else {
        write_file(path, &doc.to_string())?;
    }
    Ok(Outcome::Removed(removed))
}

pub fn installed(path: &Path, spec: &Spec) -> bool {
    let Ok(Some(doc)) = read(path) else { return false };
    spec.events.iter().all(|(event, _)| {
        doc.get("hooks")
            .and_then(|h| h.get(event))
            .and_then(Item::as_array_of_tables)
            .is_some_and(|groups| groups.iter().any(holds_lineage))
    })
}
