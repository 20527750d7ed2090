//! What generation costs in a build script: `Builder::write_modules_to` (what
//! `build.rs` calls through `write_modules`) on one spec, timed.
//!
//! A build script's dependencies are compiled without optimisations and with
//! debug assertions, as this crate's own dev profile compiles the generator:
//! `cargo build -p apiforge-benches --bin build_step` gives the figure a
//! consumer's `build.rs` pays; a `--release` build gives the optimised one.
//!
//! ```text
//! build_step SPEC --name NAME --out DIR [--server] [--repeat N]
//! ```
//!
//! Prints one JSON object: the median, minimum and maximum milliseconds over
//! `N` runs, the bytes written, and the heap's peak (MiB, the highest of
//! the runs; counted by the global allocator, the system's, as a build
//! script's). Without `--server` the modules are the
//! types and the client (`.server(false)`, as `examples/consumer` asks).

use std::time::Instant;

use apiforge::Builder;
use apiforge_benches::spec_args::SpecArgs;
use apiforge_benches::{counting, stats};

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args =
        SpecArgs::from_env("usage: build_step SPEC --name NAME --out DIR [--server] [--repeat N]")?;
    let server = args.has("--server");
    let SpecArgs {
        spec,
        name,
        out,
        repeat,
        ..
    } = args;

    let mut ms = Vec::new();
    let mut bytes = 0;
    let mut peak_bytes = 0;
    for _ in 0..repeat {
        // A fresh directory each run, so every run writes its file.
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir_all(&out)?;
        counting::restart_peak();
        let start = Instant::now();
        Builder::new(&spec)
            .name(&name)
            .server(server)
            .no_config_file()
            .write_modules_to(&out)?;
        ms.push(start.elapsed().as_secs_f64() * 1000.0);
        peak_bytes = peak_bytes.max(counting::peak());
        bytes = std::fs::read_dir(&out)?
            .map(|entry| Ok(entry?.metadata()?.len()))
            .sum::<std::io::Result<u64>>()?;
    }
    let (min, max) = ms
        .iter()
        .fold((f64::MAX, 0.0_f64), |(lo, hi), &m| (lo.min(m), hi.max(m)));
    println!(
        "{}",
        serde_json::json!({
            "spec": spec.display().to_string(),
            "server": server,
            "runs": ms.len(),
            "median_ms": stats::median(&ms),
            "min_ms": min,
            "max_ms": max,
            "bytes": bytes,
            "heap_peak_mb": peak_bytes as f64 / (1024.0 * 1024.0),
        })
    );
    Ok(())
}
