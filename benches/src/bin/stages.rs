//! Where generation spends its time and memory: runs the pipeline of
//! `apiforge::generate` stage by stage (load, resolve, emit of each crate,
//! render, write) on one spec and times each, counting heap bytes with a
//! wrapping allocator.
//!
//! ```text
//! stages SPEC --name NAME --out DIR [--repeat N]
//! ```
//!
//! Prints one JSON object: per stage the median milliseconds over `N` runs,
//! the heap peak during the stage and the heap still live after it (from
//! the first run), plus the lines and bytes generated.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use apiforge::stages::{self as pipeline, CrateKind};
use apiforge::{write, CrateNames, Output};
use apiforge_benches::spec_args::SpecArgs;
use apiforge_benches::{counting, stats};

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// One stage's cost in one run.
struct Measure {
    ms: f64,
    peak_bytes: usize,
    live_after_bytes: usize,
}

/// Runs `stage`, measuring it.
fn measure<T>(stage: impl FnOnce() -> T) -> (T, Measure) {
    counting::restart_peak();
    let started = Instant::now();
    let value = stage();
    let ms = started.elapsed().as_secs_f64() * 1e3;
    let measure = Measure {
        ms,
        peak_bytes: counting::peak(),
        live_after_bytes: counting::live(),
    };
    (value, measure)
}

type Stages = Vec<(&'static str, Measure)>;

/// One run of the pipeline, as `apiforge::generate` and the CLI's
/// `generate` do it.
fn run_once(spec: &Path, name: &str, out: &Path) -> Result<(Stages, Output), apiforge::Error> {
    let mut stages = Vec::new();
    let (loaded, m) = measure(|| pipeline::load(spec));
    stages.push(("load", m));
    let loaded = loaded?;
    let crates = CrateNames::from_name(name)?;
    let (resolved, m) = measure(|| pipeline::resolve(&loaded));
    stages.push(("resolve", m));
    let mut resolved = resolved?;
    let mut files = BTreeMap::new();
    for (stage, kind) in [
        ("emit types", CrateKind::Types),
        ("emit server", CrateKind::Server),
        ("emit client", CrateKind::Client),
    ] {
        let (emitted, m) = measure(|| pipeline::emit(&mut resolved, &crates, kind));
        stages.push((stage, m));
        files.extend(emitted);
    }
    let (rendered, m) = measure(|| pipeline::render(&resolved, &crates));
    stages.push(("render", m));
    files.extend(rendered?);
    let output = pipeline::finish(resolved, files);
    let (written, m) = measure(|| write::write(out, &output));
    stages.push(("write", m));
    written?;
    Ok((stages, output))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: stages SPEC --name NAME --out DIR [--repeat N]";
    let SpecArgs {
        spec,
        name,
        out,
        repeat,
        ..
    } = SpecArgs::from_env(usage)?;

    let mut runs = Vec::new();
    let mut output = None;
    for _ in 0..repeat {
        // A fresh directory each run, so `write` always writes every file.
        let _ = std::fs::remove_dir_all(&out);
        let (stages, generated) = run_once(&spec, &name, &out)?;
        runs.push(stages);
        output = Some(generated);
    }
    let output = output.ok_or(usage)?;

    let mut stages = serde_json::Map::new();
    for (i, (stage, first)) in runs[0].iter().enumerate() {
        let ms: Vec<f64> = runs.iter().map(|run| run[i].1.ms).collect();
        stages.insert(
            (*stage).to_owned(),
            serde_json::json!({
                "median_ms": stats::median(&ms),
                "peak_mb": mb(first.peak_bytes),
                "live_after_mb": mb(first.live_after_bytes),
            }),
        );
    }
    let total: Vec<f64> = runs
        .iter()
        .map(|run| run.iter().map(|(_, m)| m.ms).sum())
        .collect();
    let rust_files = output
        .files
        .iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "rs"));
    let (lines, bytes) = rust_files.fold((0, 0), |(lines, bytes), (_, text)| {
        (lines + text.lines().count(), bytes + text.len())
    });
    let report = serde_json::json!({
        "spec": spec.display().to_string(),
        "runs": runs.len(),
        "median_total_ms": stats::median(&total),
        "stages": stages,
        "rust_lines": lines,
        "rust_bytes": bytes,
        "warnings": output.warnings.len(),
    });
    println!("{report}");
    Ok(())
}

fn mb(bytes: usize) -> f64 {
    (bytes as f64 / 1e6 * 10.0).round() / 10.0
}
