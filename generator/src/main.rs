//! The `apiforge` command line: `generate` writes the three crates for a
//! spec, `check` tells whether the crates on disk are what `generate` would
//! write (for CI), `init` writes a starting `apiforge.toml`, `warnings`
//! explains the kinds of warning. `generate` and `check` read the
//! configuration named with `--config`, else `apiforge.toml` beside the
//! spec when there is one.
//!
//! Exit status: 0 success, 1 `check` found drift, 2 error (bad spec, I/O,
//! bad arguments). The work is done by the library; this file only parses
//! arguments and prints.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use apiforge::diff::{self, Bump, Effect, SpecSource};
use apiforge::write::{self, DriftKind};
use apiforge::{config, Config, Error, Output, WarningKind};
use clap::{Parser, Subcommand, ValueEnum};

/// Generation is mostly allocating and freeing small token trees, strings
/// and syntax nodes; mimalloc does that with a third less CPU time than the
/// system allocator and a fifth less peak memory (GitHub spec: 1.46 -> 0.99
/// s user, 230 -> 179 MB). Set in the binary only: the library leaves the
/// choice to whoever embeds it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns transparent huge pages off for this process.
///
/// mimalloc asks the kernel for huge pages on its memory (`MADV_HUGEPAGE`);
/// the kernel then zeroes 2 MiB at a time on first touch, most of it never
/// used by a run that lives under a second: a sixth to a quarter of the CPU of a
/// generation, and memory held for nothing. The process-wide switch is
/// what mimalloc itself uses for `MIMALLOC_ALLOW_THP=0`, which it only
/// reads from the environment before `main`. Pages touched later are
/// ordinary 4 KiB pages, whatever madvise said. Failure (an old kernel)
/// leaves things as they were.
#[cfg(target_os = "linux")]
fn without_transparent_huge_pages() {
    use std::os::raw::{c_int, c_ulong};
    /// `PR_SET_THP_DISABLE`, from `<linux/prctl.h>` (Linux 3.15).
    const PR_SET_THP_DISABLE: c_int = 41;
    extern "C" {
        fn prctl(option: c_int, ...) -> c_int;
    }
    // SAFETY: `prctl` with PR_SET_THP_DISABLE reads its four unsigned long
    // arguments by value and touches no memory of the caller.
    unsafe {
        prctl(
            PR_SET_THP_DISABLE,
            1 as c_ulong,
            0 as c_ulong,
            0 as c_ulong,
            0 as c_ulong,
        );
    }
}

/// Has mimalloc return freed memory to the kernel 10 ms after it is freed.
///
/// mimalloc 3 waits a second before it purges freed pages (mimalloc 2 waited
/// 10 ms); a generation lives a second or two, so pages freed by one stage
/// (the spec's text and trees, the tokens of a file once printed) stayed
/// resident while the next stage took fresh ones, and the peak RSS was the
/// sum. Measured on GitHub's spec: 160-162 MB -> 148-149 MB, same CPU time.
/// `mi_option_purge_delay` of `mimalloc.h` (its `mi_option_t` enum):
/// libmimalloc-sys does not name it. A test checks that the option with
/// this number has the purge delay's default.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn purge_freed_memory_soon() {
    // SAFETY: called first thing in `main`, before any other thread exists
    // (mimalloc's options are not synchronised); the option takes any
    // number of milliseconds.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 10) };
}

/// Generates serde types, an axum server and a reqwest client from an
/// OpenAPI 3.0 or 3.1 description.
#[derive(Debug, Parser)]
#[command(name = "apiforge", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the crates NAME-types, NAME-server and NAME-client into DIR.
    Generate(Args),
    /// Exit 1 if the crates in DIR differ from what `generate` would write.
    Check(Args),
    /// List every change from OLD to NEW, what it does to code and
    /// deployments built on the crates, and the bump each crate needs.
    Diff(DiffArgs),
    /// Write a commented starting configuration: every key with its
    /// default. Refuses to overwrite an existing file.
    Init {
        /// Where to write it.
        #[arg(default_value = config::FILE_NAME)]
        path: PathBuf,
    },
    /// Explain each kind of warning: when it is given, and what the
    /// generated code does instead.
    Warnings {
        /// Only this kind, as printed in `warning[KIND]`.
        kind: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
struct Args {
    /// The OpenAPI 3.0 or 3.1 description, YAML or JSON.
    spec: PathBuf,
    /// The directory that holds the generated crates.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Base name of the crates; default: the configuration's `name`, else
    /// the spec's file name without its extension.
    #[arg(long)]
    name: Option<String>,
    /// The configuration file; default: `apiforge.toml` beside the spec,
    /// when there is one.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// The previous version of the spec (a file, or `git:REV:PATH`): the
    /// crates' version is the previous one bumped by what `diff` finds
    /// (sets `version = "computed"` with this `previous`).
    #[arg(long, value_name = "SPEC")]
    previous: Option<String>,
}

#[derive(Debug, clap::Args)]
struct DiffArgs {
    /// The old version: a file, or `git:REV:PATH` (read with `git show`).
    old: String,
    /// The new version: a file, or `git:REV:PATH`.
    new: String,
    /// Base name of the crates; default: the configuration's `name`, else
    /// the new spec's file name without its extension.
    #[arg(long)]
    name: Option<String>,
    /// The configuration file, read for both versions; default:
    /// `apiforge.toml` beside the new spec, when there is one.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// `human` (the default) or `json`.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit 1 when a change is breaking for any audience (`breaking`), or
    /// when a crate needs at least this bump (`major`, `minor`, `patch`).
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<FailOn>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Breaking,
    Major,
    Minor,
    Patch,
}

/// Exit statuses.
const SUCCESS: u8 = 0;
const DRIFT: u8 = 1;
/// `diff --fail-on` found what it fails on.
const FAIL_ON: u8 = 1;
const FAILURE: u8 = 2;

fn main() -> ExitCode {
    purge_freed_memory_soon();
    #[cfg(target_os = "linux")]
    without_transparent_huge_pages();
    // `parse` prints usage errors itself and exits with status 2.
    let cli = Cli::parse();
    let code = run(&cli, &mut io::stdout().lock(), &mut io::stderr().lock());
    ExitCode::from(code)
}

/// Runs a command, printing results to `out` and diagnostics to `err`;
/// returns the exit status. Write errors (a closed pipe) are ignored: they
/// must not turn into a panic, and there is nowhere left to report them.
fn run(cli: &Cli, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let result = match &cli.command {
        Command::Generate(args) => generate(args, out, err),
        Command::Check(args) => check(args, out, err),
        Command::Diff(args) => diff(args, out),
        Command::Init { path } => init(path, out),
        Command::Warnings { kind } => warnings(kind.as_deref(), out),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            FAILURE
        }
    }
}

fn generate(args: &Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8, Error> {
    let output = run_pipeline(args, err)?;
    let report = write::write(&args.out, &output)?;
    for path in &report.removed {
        let _ = writeln!(out, "removed: {} (no longer generated)", path.display());
    }
    for path in &report.foreign {
        let _ = writeln!(
            err,
            "note: {} is not generated by apiforge; `apiforge check` reports it until it is removed",
            path.display()
        );
    }
    let mut summary = format!(
        "{}: {} written, {} unchanged",
        args.out.display(),
        count(report.written.len(), "file"),
        report.unchanged.len()
    );
    if !report.removed.is_empty() {
        summary.push_str(&format!(", {} removed", report.removed.len()));
    }
    summary.push_str(&format!(", {}", count(output.warnings.len(), "warning")));
    let _ = writeln!(out, "{summary}");
    Ok(SUCCESS)
}

fn check(args: &Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8, Error> {
    let output = run_pipeline(args, err)?;
    let drifts = write::check(&args.out, &output)?;
    if drifts.is_empty() {
        let _ = writeln!(
            out,
            "{}: up to date ({}), {}",
            args.out.display(),
            count(output.files.len(), "file"),
            count(output.warnings.len(), "warning")
        );
        return Ok(SUCCESS);
    }
    for drift in &drifts {
        let _ = writeln!(out, "{drift}");
    }
    let _ = writeln!(out, "to regenerate, run: {}", regenerate_command(args));
    if drifts.iter().any(|d| d.kind == DriftKind::Unexpected) {
        let _ = writeln!(
            out,
            "(generate removes unexpected files it wrote itself; remove any others by hand)"
        );
    }
    Ok(DRIFT)
}

/// Compares two versions and prints the report; `--fail-on` turns what
/// it names into exit status 1.
fn diff(args: &DiffArgs, out: &mut dyn Write) -> Result<u8, Error> {
    let old = SpecSource::parse(&args.old);
    let new = SpecSource::parse(&args.new);
    let beside = match &new {
        SpecSource::File(path) => Config::beside(path),
        SpecSource::Git { .. } => None,
    };
    let mut config = match args.config.clone().or(beside) {
        Some(path) => Config::load(&path)?,
        None => Config::default(),
    };
    if let Some(name) = &args.name {
        config.name = Some(name.clone());
    }
    let report = diff::diff(&old, &new, &config)?;
    let text = match args.format {
        Format::Human => diff::report::human(&report),
        Format::Json => diff::report::json(&report),
    };
    let _ = out.write_all(text.as_bytes());
    let failed = match args.fail_on {
        None => false,
        Some(FailOn::Breaking) => report.worst_effect() == Effect::Breaking,
        Some(FailOn::Major) => report.bumps.max() >= Bump::Major,
        Some(FailOn::Minor) => report.bumps.max() >= Bump::Minor,
        Some(FailOn::Patch) => report.bumps.max() >= Bump::Patch,
    };
    Ok(if failed { FAIL_ON } else { SUCCESS })
}

/// Prints every kind of warning (or the one named `kind`), each with when
/// it is given and the fallback.
fn warnings(kind: Option<&str>, out: &mut dyn Write) -> Result<u8, Error> {
    let kinds = match kind {
        None => WarningKind::ALL.to_vec(),
        Some(name) => match WarningKind::from_name(name) {
            Some(kind) => vec![kind],
            None => {
                return Err(Error::other(format!(
                    "no warning kind is named `{name}`; `apiforge warnings` lists them"
                )))
            }
        },
    };
    for (i, kind) in kinds.iter().enumerate() {
        let blank = if i == 0 { "" } else { "\n" };
        let _ = writeln!(
            out,
            "{blank}{kind}\n  when:     {}\n  fallback: {}",
            kind.when(),
            kind.fallback()
        );
    }
    Ok(SUCCESS)
}

/// Writes the starting configuration to `path`, unless a file is there.
fn init(path: &Path, out: &mut dyn Write) -> Result<u8, Error> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => Error::other(format!(
                "{} already exists; remove it first to start again",
                path.display()
            )),
            _ => Error::other(format!("cannot create {}: {e}", path.display())),
        })?;
    file.write_all(config::STARTER.as_bytes())
        .map_err(|e| Error::other(format!("cannot write {}: {e}", path.display())))?;
    let _ = writeln!(out, "{}: written", path.display());
    Ok(SUCCESS)
}

/// The configuration `args` ask for: `--config`, else `apiforge.toml`
/// beside the spec, else the default; `--name` overrides its `name`.
fn configuration(args: &Args) -> Result<Config, Error> {
    let mut config = match args.config.clone().or_else(|| Config::beside(&args.spec)) {
        Some(path) => Config::load(&path)?,
        None => Config::default(),
    };
    if let Some(name) = &args.name {
        config.name = Some(name.clone());
    }
    if let Some(previous) = &args.previous {
        // A file named on the command line is relative to the current
        // directory, not to the configuration file.
        let previous = match SpecSource::parse(previous) {
            SpecSource::File(path) => std::path::absolute(&path)
                .map_err(|e| Error::other(format!("{}: {e}", path.display())))?
                .to_string_lossy()
                .into_owned(),
            SpecSource::Git { .. } => previous.clone(),
        };
        config.package.previous = Some(previous);
        config.package.version = config::VersionPolicy::Computed;
    }
    Ok(config)
}

/// Generates in memory and prints the warnings.
fn run_pipeline(args: &Args, err: &mut dyn Write) -> Result<Output, Error> {
    let config = configuration(args)?;
    let output = apiforge::generate_with_config(&args.spec, &config)?;
    for warning in &output.warnings {
        let _ = writeln!(err, "{warning}");
    }
    Ok(output)
}

/// `3 files`, `1 warning`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The `apiforge generate` command that fixes what `check` found, ready to
/// paste into a shell.
fn regenerate_command(args: &Args) -> String {
    let mut command = format!(
        "apiforge generate {} --out {}",
        shell_quote_path(&args.spec),
        shell_quote_path(&args.out)
    );
    if let Some(name) = &args.name {
        command.push_str(" --name ");
        command.push_str(&shell_quote(name));
    }
    if let Some(config) = &args.config {
        command.push_str(" --config ");
        command.push_str(&shell_quote_path(config));
    }
    if let Some(previous) = &args.previous {
        command.push_str(" --previous ");
        command.push_str(&shell_quote(previous));
    }
    command
}

fn shell_quote_path(path: &Path) -> String {
    shell_quote(&path.to_string_lossy())
}

/// `text` as one POSIX shell word: unchanged when it is plainly safe, else
/// in single quotes (a single quote inside becomes `'\''`).
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// The option `purge_freed_memory_soon` sets is mimalloc's purge delay:
    /// the option with that number has the purge delay's default, 1,000 ms
    /// in mimalloc 3, which no other option has.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reading an option; nothing in this test sets one.
        let delay = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("apiforge").chain(args.iter().copied()))
    }

    fn run_args(args: &[&str]) -> (u8, String, String) {
        let cli = parse(args).expect("arguments parse");
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(&cli, &mut out, &mut err);
        (
            code,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_both_commands() {
        let cli = parse(&["generate", "spec.yaml", "--out", "gen", "--name", "pets"])
            .expect("generate parses");
        let Command::Generate(args) = cli.command else {
            panic!("not generate: {cli:?}");
        };
        assert_eq!(args.spec, PathBuf::from("spec.yaml"));
        assert_eq!(args.out, PathBuf::from("gen"));
        assert_eq!(args.name.as_deref(), Some("pets"));

        let cli = parse(&["check", "spec.yaml", "--out", "gen"]).expect("check parses");
        assert!(matches!(
            cli.command,
            Command::Check(Args { name: None, .. })
        ));
        assert!(
            parse(&["generate", "spec.yaml"]).is_err(),
            "--out is required"
        );
    }

    #[test]
    fn errors_exit_2_with_the_message() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("missing.yaml");
        let out_dir = dir.path().join("out");
        let missing = missing.to_string_lossy();
        let out_dir = out_dir.to_string_lossy();
        for command in ["generate", "check"] {
            let (code, out, err) = run_args(&[command, &missing, "--out", &out_dir]);
            assert_eq!(code, FAILURE);
            assert!(out.is_empty(), "{out}");
            assert!(err.starts_with("error: cannot read "), "{err}");
        }
    }

    #[test]
    fn generate_then_check_round_trip() {
        let spec = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../spec/customer-identification-processes.yaml"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let out_dir = dir.path().to_string_lossy().into_owned();

        let (code, out, err) = run_args(&["check", spec, "--out", &out_dir]);
        assert_eq!(code, DRIFT, "{out}{err}");
        assert!(
            out.contains("missing: customer-identification-processes-types/src/lib.rs\n"),
            "{out}"
        );
        assert!(
            out.contains("to regenerate, run: apiforge generate "),
            "{out}"
        );

        let (code, out, err) = run_args(&["generate", spec, "--out", &out_dir]);
        assert_eq!(code, SUCCESS, "{out}{err}");
        // No warning: the spec's `minimum` and `maximum` are enforced.
        assert!(out.ends_with(" unchanged, 0 warnings\n"), "{out}");
        assert!(err.is_empty(), "{err}");
        let (code, out, err) = run_args(&["check", spec, "--out", &out_dir]);
        assert_eq!(code, SUCCESS, "{out}{err}");
        assert!(out.contains(": up to date ("), "{out}");

        let lib = dir
            .path()
            .join("customer-identification-processes-types/src/lib.rs");
        std::fs::write(&lib, "edited").expect("edit lib.rs");
        let (code, out, _) = run_args(&["check", spec, "--out", &out_dir]);
        assert_eq!(code, DRIFT);
        assert!(
            out.starts_with("differs: customer-identification-processes-types/src/lib.rs\n"),
            "{out}"
        );
        let (code, out, _) = run_args(&["generate", spec, "--out", &out_dir]);
        assert_eq!(code, SUCCESS);
        assert!(out.contains(": 1 file written, "), "{out}");
    }

    /// Names that make no package name would all become the same crates;
    /// each is refused, naming the value, before anything is written.
    #[test]
    fn names_without_letters_or_digits_are_refused() {
        let spec = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../spec/customer-identification-processes.yaml"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let out_dir = dir.path().to_string_lossy().into_owned();
        for name in ["", "..", "-", "日本", "__", " / "] {
            for command in ["generate", "check"] {
                let (code, out, err) =
                    run_args(&[command, spec, "--out", &out_dir, "--name", name]);
                assert_eq!(code, FAILURE, "{name:?}: {out}{err}");
                assert!(
                    err.starts_with(&format!("error: the name {name:?} makes no crate name")),
                    "{err}"
                );
            }
        }
        assert_eq!(std::fs::read_dir(dir.path()).expect("out dir").count(), 0);
    }

    #[test]
    fn regenerate_command_is_shell_safe() {
        let args = Args {
            spec: PathBuf::from("spec/my api's.yaml"),
            out: PathBuf::from("generated"),
            name: Some("pets".to_owned()),
            config: Some(PathBuf::from("ci/apiforge.toml")),
            previous: None,
        };
        assert_eq!(
            regenerate_command(&args),
            r"apiforge generate 'spec/my api'\''s.yaml' --out generated --name pets --config ci/apiforge.toml"
        );
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a$b"), "'a$b'");
    }

    #[test]
    fn warnings_explains_every_kind_or_the_one_named() {
        let (code, out, err) = run_args(&["warnings"]);
        assert_eq!(code, SUCCESS, "{err}");
        assert!(err.is_empty(), "{err}");
        let names: Vec<&str> = out
            .lines()
            .filter(|line| !line.is_empty() && !line.starts_with(' '))
            .collect();
        let expected: Vec<&str> = WarningKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names, expected);

        let (code, out, _) = run_args(&["warnings", "unknown-type"]);
        assert_eq!(code, SUCCESS);
        assert_eq!(
            out,
            format!(
                "unknown-type\n  when:     {}\n  fallback: {}\n",
                WarningKind::UnknownType.when(),
                WarningKind::UnknownType.fallback()
            )
        );

        let (code, out, err) = run_args(&["warnings", "no-such-kind"]);
        assert_eq!(code, FAILURE);
        assert!(out.is_empty(), "{out}");
        assert_eq!(
            err,
            "error: no warning kind is named `no-such-kind`; `apiforge warnings` lists them\n"
        );
    }

    /// `init` writes the starting file, which reads back as the default,
    /// and refuses to overwrite it.
    #[test]
    fn init_writes_the_starting_file_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("apiforge.toml");
        let path_text = path.to_string_lossy().into_owned();
        let (code, out, err) = run_args(&["init", &path_text]);
        assert_eq!(code, SUCCESS, "{out}{err}");
        assert_eq!(out, format!("{path_text}: written\n"));
        assert_eq!(Config::load(&path).expect("reads"), Config::default());
        std::fs::write(&path, "name = \"mine\"\n").expect("edit");
        let (code, out, err) = run_args(&["init", &path_text]);
        assert_eq!(code, FAILURE, "{out}");
        assert!(err.contains("already exists"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).expect("kept"),
            "name = \"mine\"\n"
        );
        let cli = parse(&["init"]).expect("default path");
        assert!(
            matches!(cli.command, Command::Init { ref path } if path == Path::new("apiforge.toml"))
        );
    }

    /// `apiforge.toml` beside the spec is read; `--config` names another;
    /// `--name` overrides the file's `name`; a bad file is an error naming
    /// its line.
    #[test]
    fn the_configuration_is_found_beside_the_spec_or_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let spec = dir.path().join("petstore.yaml");
        std::fs::copy(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../tests/fixtures/petstore.yaml"
            ),
            &spec,
        )
        .expect("copy spec");
        let spec_text = spec.to_string_lossy().into_owned();
        let out_dir = dir.path().join("out");
        let out_text = out_dir.to_string_lossy().into_owned();
        std::fs::write(dir.path().join("apiforge.toml"), "name = \"beside\"\n").expect("write");
        let other = dir.path().join("other.toml");
        std::fs::write(&other, "name = \"named\"\n[parts]\nserver = false\n").expect("write");
        let other_text = other.to_string_lossy().into_owned();

        let (code, out, err) = run_args(&["generate", &spec_text, "--out", &out_text]);
        assert_eq!(code, SUCCESS, "{out}{err}");
        assert!(out_dir.join("beside-types/Cargo.toml").is_file());
        let (code, out, err) = run_args(&[
            "generate",
            &spec_text,
            "--out",
            &out_text,
            "--config",
            &other_text,
        ]);
        assert_eq!(code, SUCCESS, "{out}{err}");
        assert!(out_dir.join("named-client/Cargo.toml").is_file());
        assert!(!out_dir.join("named-server").exists());
        // With every part (the client's README and dev-dependencies show the
        // server crate when there is one).
        std::fs::write(&other, "name = \"named\"\n").expect("write");
        let (code, out, err) = run_args(&[
            "check",
            &spec_text,
            "--out",
            &out_text,
            "--config",
            &other_text,
            "--name",
            "beside",
        ]);
        // `--name` wins over the file: the `beside` crates from the first
        // run are what this configuration generates under that name.
        assert_eq!(code, SUCCESS, "{out}{err}");
        assert!(out.contains(": up to date (25 files)"), "{out}");

        std::fs::write(&other, "name = \"x\"\n[select]\ntag = [\"pets\"]\n").expect("write");
        let (code, _, err) = run_args(&[
            "generate",
            &spec_text,
            "--out",
            &out_text,
            "--config",
            &other_text,
        ]);
        assert_eq!(code, FAILURE);
        assert!(err.contains("other.toml (line 3, column 1)"), "{err}");
        assert!(err.contains("unknown field `tag`"), "{err}");
    }

    fn pair(kind: &str) -> (String, String) {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/diff/");
        (
            format!("{dir}{kind}/old.yaml"),
            format!("{dir}{kind}/new.yaml"),
        )
    }

    /// `diff --fail-on` exits 1 when a change is breaking for an audience
    /// (`breaking`) or a crate needs at least the bump named, else 0; an
    /// error is 2.
    #[test]
    fn diff_exits_1_on_what_fail_on_names() {
        let cases = [
            // Minor, nothing breaking.
            ("property-added-optional", None, SUCCESS),
            ("property-added-optional", Some("breaking"), SUCCESS),
            ("property-added-optional", Some("major"), SUCCESS),
            ("property-added-optional", Some("minor"), FAIL_ON),
            ("property-added-optional", Some("patch"), FAIL_ON),
            // Major, and breaking for deployed clients.
            ("property-added-required", Some("breaking"), FAIL_ON),
            ("property-added-required", Some("major"), FAIL_ON),
            // Patch for the crates, breaking on the wire.
            ("operation-path-changed", Some("major"), SUCCESS),
            ("operation-path-changed", Some("breaking"), FAIL_ON),
            // Documentation only.
            ("documentation-changed", Some("breaking"), SUCCESS),
            ("documentation-changed", Some("minor"), SUCCESS),
            ("documentation-changed", Some("patch"), FAIL_ON),
        ];
        for (kind, fail_on, expected) in cases {
            let (old, new) = pair(kind);
            let mut args = vec!["diff", old.as_str(), new.as_str()];
            if let Some(level) = fail_on {
                args.extend(["--fail-on", level]);
            }
            let (code, out, err) = run_args(&args);
            assert_eq!(code, expected, "{kind} {fail_on:?}: {out}{err}");
            assert!(out.contains(&format!("\n{kind}: ")), "{out}");
        }
        let (old, new) = pair("enum-value-added");
        let (code, out, err) =
            run_args(&["diff", &old, &new, "--format", "json", "--name", "shop"]);
        assert_eq!(code, SUCCESS, "{err}");
        let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(json["changes"][0]["kind"], "enum-value-added");
        assert_eq!(json["bumps"]["types"]["package"], "shop-types");
        assert_eq!(json["bumps"]["types"]["bump"], "minor");
        let (code, out, err) = run_args(&["diff", &old, "missing.yaml", "--fail-on", "breaking"]);
        assert_eq!(code, FAILURE, "{out}");
        assert!(err.starts_with("error: cannot read missing.yaml"), "{err}");
        assert!(parse(&["diff", &old, &new, "--fail-on", "sometimes"]).is_err());
    }

    /// `--previous` computes the version from the previous spec; `check`
    /// with the same arguments finds the crates up to date (the version
    /// depends on the two specs only, not on what is on disk).
    #[test]
    fn generate_with_previous_bumps_the_version_and_checks_clean() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out_dir = dir.path().to_string_lossy().into_owned();
        let (old, new) = pair("property-added-optional");
        let args = ["--out", &out_dir, "--name", "shop", "--previous", &old];
        let (code, out, err) = run_args(&[&["generate", &new][..], &args].concat());
        assert_eq!(code, SUCCESS, "{out}{err}");
        let manifest =
            std::fs::read_to_string(dir.path().join("shop-client/Cargo.toml")).expect("manifest");
        // 1.0.0 (the old spec's info.version), one minor bump.
        assert!(manifest.contains("version = \"1.1.0\""), "{manifest}");
        assert!(manifest.contains("version = \"=1.1.0\""), "{manifest}");
        let (code, out, err) = run_args(&[&["check", &new][..], &args].concat());
        assert_eq!(code, SUCCESS, "{out}{err}");
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(count(1, "warning"), "1 warning");
        assert_eq!(count(0, "warning"), "0 warnings");
    }
}
