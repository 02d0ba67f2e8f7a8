#!/usr/bin/env python3
"""Checks that the tree keeps the layout and the dependency arrows of ../shared/DESIGN.md.

  check_layout.py --source DIR --links BUILD/layout/links.txt

links.txt (written by cmake/LayoutReport.cmake at configure time) has one line per target:
"<target> <source folder> <every library it links, transitively>". The rules:

  - router/, tools/, policies/, sandbox/ link no target of workers/ (the router never links the
    engine) and include no header of workers/;
  - workers/engine/ links nothing of gRPC, protobuf, proto/, common/, router/, tools/,
    policies/, sandbox/ or workers/service/, and includes none of their headers;
  - base/ depends on the standard library, Abseil, CLI11 and OpenSSL's libcrypto only;
  - schema/ depends on base/ (and what base/ links), Abseil and nlohmann-json only;
  - common/ links nothing of workers/ or router/;
  - proto/ holds .proto files and build files only;
  - no .cc or .h file under router/ is longer than 500 lines.

Prints one line per violation ("layout: ...") and exits 1 if there is any, 0 otherwise.
"""
import argparse
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)
MAX_ROUTER_FILE_LINES = 500
ROUTER_SIDE = ("router", "tools", "policies", "sandbox")
ENGINE = "workers/engine"
ENGINE_FORBIDDEN_FOLDERS = ("proto", "common", "router", "tools", "policies", "sandbox", "workers/service")
ENGINE_FORBIDDEN_LIBS = re.compile(r"^(gRPC::|protobuf::)")
BASE_ALLOWED_LIBS = re.compile(r"^(absl::|CLI11::CLI11$|OpenSSL::Crypto$|Threads::Threads$|switchyard_options$|switchyard_base$)")
SCHEMA_ALLOWED_LIBS = re.compile(
    r"^(absl::|nlohmann_json::nlohmann_json$|CLI11::CLI11$|OpenSSL::Crypto$|Threads::Threads$|switchyard_options$|switchyard_base$|switchyard_schema$)")
SOURCE_EXT = (".cc", ".h", ".cu", ".cuh")


def under(path, folder):
    return path == folder or path.startswith(folder + "/")


def read_links(path):
    targets = {}  # name -> (folder, [deps])
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                targets[parts[0]] = (parts[1], parts[2:])
    return targets


def check_links(targets):
    problems = []
    for name, (folder, deps) in sorted(targets.items()):
        dep_folders = {d: targets[d][0] for d in deps if d in targets}
        if any(under(folder, f) for f in ROUTER_SIDE):
            for d, f in sorted(dep_folders.items()):
                if under(f, "workers"):
                    problems.append(f"{name} ({folder}) links {d} ({f}): the router side never links workers/")
        if under(folder, ENGINE):
            for d in deps:
                f = dep_folders.get(d)
                if ENGINE_FORBIDDEN_LIBS.match(d) or (f is not None and any(under(f, x) for x in ENGINE_FORBIDDEN_FOLDERS)):
                    problems.append(f"{name} ({folder}) links {d}: the engine knows nothing of gRPC, the wire or the router")
        if under(folder, "base"):
            for d in deps:
                if not BASE_ALLOWED_LIBS.match(d):
                    problems.append(f"{name} ({folder}) links {d}: base/ depends on the standard library, Abseil, CLI11 and libcrypto only")
        if under(folder, "schema"):
            for d in deps:
                if not SCHEMA_ALLOWED_LIBS.match(d):
                    problems.append(f"{name} ({folder}) links {d}: schema/ depends on base/, Abseil and nlohmann-json only")
        if under(folder, "common"):
            for d, f in sorted(dep_folders.items()):
                if under(f, "workers") or under(f, "router"):
                    problems.append(f"{name} ({folder}) links {d} ({f}): common/ is shared by router and worker")
    return problems


def source_files(root, folder):
    top = os.path.join(root, folder)
    for dirpath, _, files in os.walk(top):
        for name in files:
            path = os.path.join(dirpath, name)
            yield os.path.relpath(path, root), path


def check_sources(root):
    problems = []
    for folder in ROUTER_SIDE + (ENGINE, "base"):
        for rel, path in source_files(root, folder):
            if not rel.endswith(SOURCE_EXT):
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            for inc in INCLUDE.findall(text):
                if any(under(rel, f) for f in ROUTER_SIDE) and inc.startswith("workers/"):
                    problems.append(f"{rel} includes {inc}: the router side never includes workers/")
                if under(rel, ENGINE) and (inc.startswith(tuple(x + "/" for x in ENGINE_FORBIDDEN_FOLDERS)) or
                                           inc.startswith(("switchyard/v1/", "grpc", "grpcpp/"))):
                    problems.append(f"{rel} includes {inc}: the engine knows nothing of gRPC, the wire or the router")
                if under(rel, "base") and inc.startswith(("workers/", "router/", "common/", "tools/", "policies/",
                                                          "sandbox/", "schema/", "proto/", "switchyard/v1/")):
                    problems.append(f"{rel} includes {inc}: base/ depends on nothing of the project")
            if under(rel, "router") and rel.endswith((".cc", ".h")):
                lines = text.count("\n")
                if lines > MAX_ROUTER_FILE_LINES:
                    problems.append(f"{rel} has {lines} lines: router/ files stay under {MAX_ROUTER_FILE_LINES} "
                                    "(split it by concept)")
    for rel, _ in source_files(root, "proto"):
        if not (rel.endswith(".proto") or os.path.basename(rel) == "CMakeLists.txt"):
            problems.append(f"{rel}: proto/ holds .proto files and their build only")
    return problems


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--source", required=True, help="the source tree's root")
    p.add_argument("--links", required=True, help="links.txt written by cmake/LayoutReport.cmake")
    a = p.parse_args()
    if not os.path.isfile(a.links):
        print(f"layout: {a.links} is missing: configure the build first (cmake writes it)", file=sys.stderr)
        return 2
    problems = check_links(read_links(a.links)) + check_sources(a.source)
    for line in problems:
        print(f"layout: {line}")
    if not problems:
        print("layout: the tree keeps DESIGN.md's layout and arrows")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
