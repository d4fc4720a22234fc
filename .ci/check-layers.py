#!/usr/bin/env python3
"""Fails when code in one layer uses a type of a layer it may not depend on (ARCHITECTURE.md, "Which way may code depend?").

The engine is one Swift module (cross-folder calls are inlined and specialised in its hot paths), so the compiler
cannot enforce the layers; this check does. Every top-level type, and every top-level function, belongs to the folder
that declares it; a file may name only those of its own folder and of the folders its layer may use.

Usage: check-layers.py [repository root]   (exit 1 and one line per violation when a rule is broken)
"""
import os
import re
import sys

# folder -> the folders it may use (besides itself). Support is beneath everything and uses nothing.
ALLOWED = {
    "Support": set(),
    "Analysis": {"Support"},
    "Store": {"Support"},
    "Corpus": {"Support"},
    "Related": {"Analysis", "Support"},
    "Index": {"Corpus", "Store", "Related", "Analysis", "Support"},
    "Search": {"Store", "Related", "Analysis", "Support"},
    "Analytics": {"Support"},
    "Server": {"Search", "Store", "Analytics", "Support"},
    "CLI": {"Corpus", "Store", "Related", "Index", "Search", "Analysis", "Analytics", "Support", "Server"},
}

# Single types a layer may use beyond its folders, each with the reason (also in ARCHITECTURE.md).
ALLOWED_TYPES = {
    # A post page shows the post's comments as the corpus defines them; the read path uses nothing else of Corpus.
    ("Search", "Comment"),
}

DECLARATION = re.compile(
    r"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private|final|indirect|nonisolated)\s+)*"
    r"(?:class|struct|enum|protocol|actor|typealias|func)\s+([A-Za-z_]\w*)")
STRING = re.compile(r'"""[\s\S]*?"""|"(?:\\.|[^"\\\n])*"')
COMMENT = re.compile(r"/\*[\s\S]*?\*/|//[^\n]*")
IDENTIFIER = re.compile(r"\b[A-Za-z_]\w*\b")


def layer_of(path):
    parts = path.split(os.sep)
    if "BlogSearchServer" in parts:
        return "Server"
    if "blogsearch" in parts:
        return "CLI"
    if "BlogSearch" in parts:
        folder = parts[parts.index("BlogSearch") + 1]
        return folder if folder in ALLOWED else None
    return None


def swift_files(root):
    for base, _, names in os.walk(os.path.join(root, "Sources")):
        for name in sorted(names):
            if name.endswith(".swift"):
                yield os.path.join(base, name)


def strip(text):
    # Interpolations inside strings are code, but rare across layers; comments and literals are not.
    return STRING.sub('""', COMMENT.sub("", text))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    declared = {}  # name -> set of layers
    files = []
    for path in swift_files(root):
        layer = layer_of(os.path.relpath(path, root))
        if layer is None:
            continue
        with open(path, encoding="utf-8") as f:
            text = strip(f.read())
        files.append((path, layer, text))
        for line in text.splitlines():
            match = DECLARATION.match(line)  # top level only: no indentation
            if match:
                declared.setdefault(match.group(1), set()).add(layer)
    violations = []
    for path, layer, text in files:
        seen = set()
        for number, line in enumerate(text.splitlines(), 1):
            for name in IDENTIFIER.findall(line):
                owners = declared.get(name)
                if not owners or layer in owners or (name, layer) in seen or (layer, name) in ALLOWED_TYPES:
                    continue
                if not owners & (ALLOWED[layer] | {layer}):
                    seen.add((name, layer))
                    rel = os.path.relpath(path, root)
                    violations.append(f"{rel}:{number}: {layer} uses {name} from {'/'.join(sorted(owners))}, "
                                      f"which {layer} may not depend on")
    for line in violations:
        print(line)
    if violations:
        print(f"{len(violations)} layering violation(s); the rules are in ARCHITECTURE.md and .ci/check-layers.py")
        return 1
    print(f"layers ok: {len(files)} files, {len(declared)} top-level names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
