//! A [`Report`] for people (`human`) or for CI (`json`).

use std::fmt::Write as _;

use super::{CrateBump, Report};

/// The report as text: one block per change, then the bump of each crate.
pub fn human(report: &Report) -> String {
    let mut out = String::new();
    let count = report.changes.len();
    let _ = writeln!(
        out,
        "{} -> {}: {count} change{}",
        report.old,
        report.new,
        if count == 1 { "" } else { "s" }
    );
    for change in &report.changes {
        let i = &change.impact;
        let _ = writeln!(out);
        let _ = write!(out, "{}: {}", change.kind.name(), change.subject);
        if !change.detail.is_empty() {
            let _ = write!(out, " ({})", change.detail);
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "  old: {}", change.old_pointer);
        let _ = writeln!(out, "  new: {}", change.new_pointer);
        let _ = writeln!(
            out,
            "  client code: {}, server code: {}, deployed client: {}, deployed server: {}",
            i.client_code.as_str(),
            i.server_code.as_str(),
            i.deployed_client.as_str(),
            i.deployed_server.as_str()
        );
        let _ = writeln!(
            out,
            "  types: {}, client: {}, server: {}",
            i.types.as_str(),
            i.client.as_str(),
            i.server.as_str()
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "bumps:");
    let width = [
        &report.bumps.types,
        &report.bumps.client,
        &report.bumps.server,
    ]
    .iter()
    .map(|b| b.package.len())
    .max()
    .unwrap_or(0);
    for bump in [
        &report.bumps.types,
        &report.bumps.client,
        &report.bumps.server,
    ] {
        let CrateBump {
            package,
            bump,
            reason,
        } = bump;
        let _ = writeln!(out, "  {package:width$}  {:5}  {reason}", bump.as_str());
    }
    out
}

/// The report as pretty JSON: `old`, `new`, `changes` (each with `kind`,
/// `subject`, `detail`, `old-pointer`, `new-pointer` and `impact`) and
/// `bumps`.
pub fn json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}
