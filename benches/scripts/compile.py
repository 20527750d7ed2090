"""Compile cost of generated crates: `cargo check` of the three crates from
scratch (their dependencies already built), per crate from cargo's
`--timings` data, and the peak memory of the largest rustc (wait4's
ru_maxrss over cargo and its children). With --experiments, also checks
altered copies of the types crate (serde derives removed or written by
hand, ...) to tell what its check time is made of.

    python3 compile.py --apiforge BIN --spec SPEC --name NAME --work DIR [--repeat N] [--experiments]

Writes DIR/compile.json.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def timed(command, cwd, env):
    """Runs `command`; returns wall s, CPU s, peak RSS MB, status, output."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output = child.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    child.stdout.close()
    return {
        "wall_s": round(time.perf_counter() - started, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "status": os.waitstatus_to_exitcode(status),
    }, output


def first_error(output):
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("error"):
            where = next((l.strip() for l in lines[i + 1 : i + 3] if "-->" in l), "")
            return f"{line} {where}".strip()
    return ""


def unit_times(target_dir):
    """Seconds per compilation unit from the newest `cargo --timings` report."""
    reports = sorted((target_dir / "cargo-timings").glob("cargo-timing-*.html"))
    if not reports:
        return {}
    html = reports[-1].read_text()
    match = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
    if not match:
        return {}
    return {unit["name"]: unit["duration"] for unit in json.loads(match.group(1))}


def workspace(directory, members):
    directory.mkdir(parents=True, exist_ok=True)
    quoted = ", ".join(f'"{m}"' for m in members)
    (directory / "Cargo.toml").write_text(f'[workspace]\nresolver = "2"\nmembers = [{quoted}]\n')
    # The main workspace's lock file: the same dependency versions as the
    # project's own builds (cargo drops what these crates do not use).
    shutil.copy(ROOT / "Cargo.lock", directory / "Cargo.lock")


def rust_lines(directory):
    return sum(
        sum(1 for _ in open(path, "rb"))
        for path in Path(directory).rglob("*.rs")
        if "target" not in path.relative_to(directory).parts
    )


def check_three(args, env):
    """`cargo check` of the three generated crates."""
    work = Path(args.work)
    ws = work / "ws"
    shutil.rmtree(ws, ignore_errors=True)
    subprocess.run(
        [args.apiforge, "generate", args.spec, "--out", str(ws), "--name", args.name],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    crates = [f"{args.name}-types", f"{args.name}-server", f"{args.name}-client"]
    workspace(ws, crates)
    result = {"lines": {crate: rust_lines(ws / crate) for crate in crates}, "runs": []}
    # Dependencies first (not timed): check once, whatever the outcome.
    warm, output = timed(["cargo", "check", "--workspace", "--quiet"], ws, env)
    result["warm"] = warm
    for _ in range(args.repeat):
        subprocess.run(
            ["cargo", "clean", "--quiet"] + [a for c in crates for a in ("-p", c)],
            cwd=ws, env=env, check=True,
        )
        run, output = timed(["cargo", "check", "--workspace", "--timings"], ws, env)
        run["units"] = {k: v for k, v in unit_times(Path(env["CARGO_TARGET_DIR"])).items() if k in crates}
        if run["status"] != 0:
            run["error"] = first_error(output)
        result["runs"].append(run)
        print(f"check {args.name} (3 crates): {json.dumps(run)}", flush=True)
    return result


# Experiments: each edits the types crate's sources (models.rs and
# operations.rs) and is checked as its own package.

DERIVE = re.compile(r"#\[derive\(([^)]*)\)\]")
SERDE_ATTR = re.compile(r"#\[serde\((?:[^()]|\([^()]*\))*\)\]\s*")


def drop_derives(names):
    def edit(text):
        def keep(match):
            kept = [d.strip() for d in match.group(1).split(",") if d.strip() not in names]
            return f"#[derive({', '.join(kept)})]" if kept else ""
        return DERIVE.sub(keep, text)
    return edit


def no_serde(text):
    return SERDE_ATTR.sub("", drop_derives({"serde::Serialize", "serde::Deserialize"})(text))


def no_deserialize(text):
    text = drop_derives({"serde::Deserialize"})(text)
    return re.sub(r',?\s*deserialize_with = "[^"]*"', "", text)


ENUM = re.compile(
    r"#\[derive\(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize\)\]\n"
    r"pub enum (\w+) \{\n(.*?)\n\}\n",
    re.S,
)
VARIANT = re.compile(r'#\[serde\(rename = ("(?:[^"\\]|\\.)*")\)\]\s*(\w+),')


def enums_by_hand(text):
    """String enums (unit variants plus an untagged `Unknown(String)`) with
    `Serialize`/`Deserialize` written as a `match` on the string instead of
    derived (serde derives an untagged variant through its buffered
    `Content` deserializer)."""

    def rewrite(match):
        name, body = match.group(1), match.group(2)
        variants = VARIANT.findall(body)
        plain = re.sub(r"\s*///[^\n]*", "", body)
        expected = len(variants) + 1
        if "#[serde(untagged)]\n    Unknown(String)," not in body or plain.count(",") != expected:
            return match.group(0)
        clean = re.sub(r"\s*#\[serde\([^\n]*\)\]", "", body)
        arms = "\n".join(f"            {wire} => Self::{variant}," for wire, variant in variants)
        return (
            f"#[derive(Debug, Clone, PartialEq, Eq, Hash)]\npub enum {name} {{\n{clean}\n}}\n\n"
            f"impl serde::Serialize for {name} {{\n"
            f"    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{\n"
            f"        serializer.serialize_str(self.as_str())\n    }}\n}}\n\n"
            f"impl<'de> serde::Deserialize<'de> for {name} {{\n"
            f"    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {{\n"
            f"        let value = <String as serde::Deserialize>::deserialize(deserializer)?;\n"
            f"        Ok(match value.as_str() {{\n{arms}\n            _ => Self::Unknown(value),\n        }})\n    }}\n}}\n"
        )

    return ENUM.sub(rewrite, text)


def no_docs(text):
    return re.sub(r"^\s*///[^\n]*\n", "", text, flags=re.M)


# Top-level items of models.rs: prettyplease separates them by a blank
# line, and an item's own blank lines are followed by indented lines.
ITEM_BREAK = re.compile(r"\n\n(?=\S)")


def stub_impls(header, signature, error):
    """The body of every written-out impl of one serde trait replaced by an
    error: what is left is what that trait's impls cost."""

    def edit(text):
        items = ITEM_BREAK.split(text)
        for index, item in enumerate(items):
            if re.search(header, item, re.M) and signature in item:
                start = item.index("\n    {\n", item.index(signature)) + len("\n    {\n")
                end = item.rindex("\n    }\n}")
                items[index] = item[:start] + error + item[end + 1 :]
        return "\n\n".join(items)

    return edit


def no_builders(text):
    """Without the inherent impls that hold `new` and the `with_` setters."""
    items = ITEM_BREAK.split(text)
    return "\n\n".join(
        item
        for item in items
        if not (re.search(r"^impl \w+ \{", item, re.M) and ("pub fn new(" in item or "pub fn with_" in item))
    )


EXPERIMENTS = {
    "baseline": lambda text: text,
    "enums-by-hand": enums_by_hand,
    "no-deserialize": no_deserialize,
    "no-serde": no_serde,
    "no-std-derives": drop_derives({"Debug", "Clone", "PartialEq", "Eq", "Hash"}),
    "no-debug": drop_derives({"Debug"}),
    "no-clone": drop_derives({"Clone"}),
    "no-partialeq": drop_derives({"PartialEq", "Eq"}),
    "stub-deserialize": stub_impls(
        r"^impl<'de> serde::Deserialize<'de>",
        "fn deserialize<D>",
        '        let _ = deserializer;\n        Err(serde::de::Error::custom("stub"))\n',
    ),
    "stub-serialize": stub_impls(
        r"^impl serde::Serialize for",
        "fn serialize<S>",
        '        let _ = serializer;\n        Err(serde::ser::Error::custom("stub"))\n',
    ),
    "no-builders": no_builders,
    "no-docs": no_docs,
    "no-nullable-wrapper": lambda text: re.sub(r',?\s*deserialize_with = "deserialize_nullable"', "", text),
}


def experiments(args, env):
    work = Path(args.work)
    source = work / "ws" / f"{args.name}-types"
    exp = work / "experiments"
    shutil.rmtree(exp, ignore_errors=True)
    names = [e for e in args.experiments.split(",") if e]
    members = []
    for name in names:
        crate = exp / name
        shutil.copytree(source, crate, ignore=shutil.ignore_patterns("target"))
        for file in ("models.rs", "operations.rs"):
            path = crate / "src" / file
            if path.exists():
                path.write_text(EXPERIMENTS[name](path.read_text()))
        manifest = crate / "Cargo.toml"
        manifest.write_text(
            manifest.read_text().replace(f'name = "{args.name}-types"', f'name = "types-{name}"')
        )
        members.append(name)
    # A crate with the same dependencies and no code: checking it first
    # builds what is missing of the dependencies, untimed.
    deps = exp / "dependencies"
    shutil.copytree(source, deps, ignore=shutil.ignore_patterns("target", "*.rs"))
    (deps / "src" / "lib.rs").write_text("//! Nothing: builds the dependencies.\n")
    manifest = deps / "Cargo.toml"
    manifest.write_text(manifest.read_text().replace(f'name = "{args.name}-types"', 'name = "dependencies"'))
    workspace(exp, members + ["dependencies"])
    timed(["cargo", "check", "--quiet", "-p", "dependencies"], exp, env)
    results = {}
    for name in names:
        package = f"types-{name}"
        runs = []
        for _ in range(args.repeat):
            subprocess.run(["cargo", "clean", "--quiet", "-p", package], cwd=exp, env=env, check=True)
            run, output = timed(["cargo", "check", "-p", package], exp, env)
            if run["status"] != 0:
                run["error"] = first_error(output)
            runs.append(run)
        results[name] = {"lines": rust_lines(exp / name), "runs": runs}
        print(f"experiment {name}: {json.dumps(results[name])}", flush=True)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--apiforge", required=True)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--experiments", default="", help="comma-separated: " + ",".join(EXPERIMENTS))
    parser.add_argument("--skip-three", action="store_true")
    args = parser.parse_args()

    env = dict(os.environ)
    env["CARGO_TARGET_DIR"] = str(Path(args.work).resolve() / "target")
    env["CARGO_TERM_COLOR"] = "never"
    report_path = Path(args.work) / "compile.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    if not args.skip_three:
        report["three"] = check_three(args, env)
    elif not (Path(args.work) / "ws").exists():
        sys.exit("--skip-three needs an earlier run's crates")
    if args.experiments:
        report.setdefault("experiments", {}).update(experiments(args, env))
    report_path.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    sys.exit(main())
