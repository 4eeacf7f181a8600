#!/usr/bin/env python3
"""Splits one `cargo test` run over several packages into per-package counts.

Usage: cargo-test-counts.py ARTIFACTS.json TEST.log

ARTIFACTS.json is the output of `cargo test --no-run --message-format=json-render-diagnostics`
(one JSON message per line); it says which package each test executable belongs to. TEST.log
is the output of the `cargo test` run itself. Prints one line per package:
`<package> <passed> <failed> <failed test names, comma-separated>`.
"""

import json
import os
import re
import sys

def executables(path):
    """Test executable file name -> package name."""
    owners = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if msg.get("reason") == "compiler-artifact" and msg.get("executable"):
                package = msg["package_id"].split("#")[-1].split("@")[0]
                # package_id is "path+file:///…/core#opcorp@0.1.0" (or "…#0.1.0" when the
                # directory is the package name); the manifest path is the reliable source.
                manifest = msg.get("manifest_path", "")
                name = package_name(manifest) or package
                owners[os.path.basename(msg["executable"])] = name
    return owners

_names = {}

def package_name(manifest):
    """The `name` in a Cargo.toml's [package] table (cached)."""
    if not manifest:
        return None
    if manifest not in _names:
        name = None
        with open(manifest, encoding="utf-8") as f:
            in_package = False
            for line in f:
                stripped = line.strip()
                if stripped.startswith("["):
                    in_package = stripped == "[package]"
                elif in_package and stripped.startswith("name"):
                    name = stripped.split("=", 1)[1].strip().strip('"')
                    break
        _names[manifest] = name
    return _names[manifest]

def main(artifacts, log):
    owners = executables(artifacts)
    packages = sorted(set(owners.values()))
    by_crate = {p.replace("-", "_"): p for p in packages}
    counts = {p: [0, 0, []] for p in packages}
    current = None
    running = re.compile(r"^\s*Running .*\((.*)\)\s*$")
    doc = re.compile(r"^\s*Doc-tests (\S+)")
    result = re.compile(r"^test result: \S+ (\d+) passed; (\d+) failed")
    failed = re.compile(r"^test (.*) \.\.\. FAILED$")
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if m := running.match(line):
                current = owners.get(os.path.basename(m.group(1)))
            elif m := doc.match(line):
                current = by_crate.get(m.group(1))
            elif current and (m := result.match(line)):
                counts[current][0] += int(m.group(1))
                counts[current][1] += int(m.group(2))
            elif current and (m := failed.match(line)):
                counts[current][2].append(m.group(1))
    for p in packages:
        passed, fails, names = counts[p]
        print(p, passed, fails, ",".join(names))

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
