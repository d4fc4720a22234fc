#!/usr/bin/env python3
"""Fails when code in one layer uses a type of a layer it may not depend on (ARCHITECTURE.md, "Which way may code depend?").

The engine is one Swift module (cross-folder calls are inlined and specialised in its hot paths), so the compiler
cannot enforce the layers; this check does. Every top-level type, and every top-level function, belongs to the folder
that declares it; a file may name only those of its own folder and of the folders its layer may use.

Members count too. A member declared in `extension X` (or in a type nested in it) belongs to the folder of the
extension, not of X: an extension in Index that gives a Corpus type a method is Index code. A static member or a
nested type is used as `X.name`; an instance member as `.name`, which names a forbidden folder's member only when
no folder the file may use (its own included) declares a member of that name, in an extension or in a type's
body: the check cannot know the receiver's type, so a name shared with an allowed folder's member passes.
`private` and `fileprivate` members are not counted (no other file can use them).

Usage: check-layers.py [repository root]   (exit 1 and one line per violation when a rule is broken)
"""
import os
import re
import sys

# folder -> the folders it may use (besides itself). Support is beneath everything and uses nothing; Store (the
# generation files and their formats) uses only Support, so that the token pass (Analysis) may write postings and
# the vectors (Related) read them in the byte format the store defines (PostingBytes).
ALLOWED = {
    "Support": set(),
    "Store": {"Support"},
    "Analysis": {"Store", "Support"},
    "Corpus": {"Support"},
    "Related": {"Analysis", "Store", "Support"},
    "Index": {"Corpus", "Store", "Related", "Analysis", "Support"},
    "Search": {"Store", "Related", "Analysis", "Support"},
    "Analytics": {"Support"},
    "Server": {"Search", "Store", "Analytics", "Support"},
    "CLI": {"Corpus", "Store", "Related", "Index", "Search", "Analysis", "Analytics", "Support", "Server"},
    # The benchmark harness (Sources/blogsearch-bench): the engine and the server, not the CLI.
    "Bench": {"Corpus", "Store", "Related", "Index", "Search", "Analysis", "Analytics", "Support", "Server"},
}

# Single types a layer may use beyond its folders, each with the reason (also in ARCHITECTURE.md).
ALLOWED_TYPES = {
    # A post page shows the post's comments as the corpus defines them; the read path uses nothing else of Corpus.
    ("Search", "Comment"),
    # The corpus reader reports a synonyms file's bad lines, with their numbers, by the file's grammar, which is
    # Analysis's (the rest of Analysis splits the rules into terms); Corpus uses nothing else of Analysis.
    ("Corpus", "SynonymRules"),
}

ATTRIBUTES = r"(?:@\w+(?:\([^)]*\))?\s+)*"
DECLARATION = re.compile(
    r"^" + ATTRIBUTES + r"(?:(?:public|package|internal|fileprivate|private|final|indirect|nonisolated)\s+)*"
    r"(?:class|struct|enum|protocol|actor|typealias|func)\s+([A-Za-z_]\w*)")
# A declaration at the top level that opens a block whose members are counted.
EXTENSION = re.compile(r"^" + ATTRIBUTES + r"(?:(?:public|package|internal|fileprivate|private)\s+)*extension\s+([A-Za-z_][\w.]*)")
# A type's declaration, at the top level or nested in a type or an extension.
TYPE = re.compile(r"^\s*" + ATTRIBUTES + r"(?:(?:public|package|internal|fileprivate|private|final|indirect|nonisolated)\s+)*"
                  r"(?:class|struct|enum|protocol|actor)\s+(?!(?:func|var|let|subscript|init)\b)([A-Za-z_]\w*)")
# A member, one level inside such a block; `private` and `fileprivate` ones cannot be used from another file.
MEMBER = re.compile(
    r"^\s+" + ATTRIBUTES + r"((?:(?:public|package|internal|fileprivate|private(?:\(set\))?|final|static|class|override|"
    r"mutating|nonmutating|nonisolated|lazy|indirect|convenience|required|dynamic|weak|unowned)\s+)*)"
    r"(?:func|var|let|class|struct|enum|protocol|actor|typealias)\s+([A-Za-z_]\w*)")
# Enum cases, members of a type's body: `case a, b(Int), c = "c"`.
CASES = re.compile(r"^\s+" + ATTRIBUTES + r"(?:indirect\s+)?case\s+(.*)")
MEMBER_USE = re.compile(r"\.([A-Za-z_]\w*)\b")
QUALIFIED_USE = re.compile(r"\b([A-Za-z_]\w*)\.([A-Za-z_]\w*)\b")
STRING = re.compile(r'"""[\s\S]*?"""|"(?:\\.|[^"\\\n])*"')
COMMENT = re.compile(r"/\*[\s\S]*?\*/|//[^\n]*")
IDENTIFIER = re.compile(r"\b[A-Za-z_]\w*\b")


def layer_of(path):
    parts = path.split(os.sep)
    if "blogsearch-bench" in parts:
        return "Bench"
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


def case_names(text):
    """The names of `a, b(Int), c = "c"`: what follows the start or a comma outside parentheses."""
    names, level, expect = [], 0, True
    for token in re.findall(r"[A-Za-z_]\w*|[(),=]|[^\s\w(),=]", text):
        if token == "(":
            level += 1
        elif token == ")":
            level -= 1
        elif token == "," and level == 0:
            expect = True
        elif expect and level == 0 and re.match(r"[A-Za-z_]", token):
            names.append(token)
            expect = False
    return names


def declarations(text):
    """What a file declares: its top-level names; the members of its extensions (and of the types nested in
    them), as (type, name, static) with the type the extension extends or the nested type; the names of the
    members of its types' bodies (nested types included)."""
    top, extension_members, type_members = [], [], []
    depth = 0
    containers = []  # (the depth of their members, in an extension?, the type's name), innermost last
    for line in text.splitlines():
        start = depth
        inside = containers[-1] if containers and containers[-1][0] == start else None
        opens = None
        if start == 0:
            match = DECLARATION.match(line)  # top level only: no indentation
            if match:
                top.append(match.group(1))
            extension, declared_type = EXTENSION.match(line), TYPE.match(line)
            if extension:
                opens = (True, extension.group(1).split(".")[-1])
            elif declared_type:
                opens = (False, declared_type.group(1))
        elif inside is not None:
            _, in_extension, type_name = inside
            match, cases, nested = MEMBER.match(line), CASES.match(line), TYPE.match(line)
            found = []
            if match and not re.search(r"\b(?:private|fileprivate)\s", match.group(1) + " "):
                found.append((match.group(2), bool(re.search(r"\b(?:static|class)\s", match.group(1))) or bool(nested)))
            elif cases:
                found += [(name, True) for name in case_names(cases.group(1))]
            for name, static in found:
                if in_extension:
                    extension_members.append((type_name, name, static))
                else:
                    type_members.append(name)
            if nested:
                opens = (in_extension, nested.group(1))  # a nested type's members go where its container's do
        depth = max(0, depth + line.count("{") - line.count("}"))
        if opens is not None and depth > start:
            containers.append((start + 1,) + opens)
        while containers and containers[-1][0] > depth:
            containers.pop()
    return top, extension_members, type_members


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    declared = {}  # top-level name -> set of layers
    instance_members = {}  # name of an instance member of an extension -> the layers of those extensions
    static_members = {}  # (type, name) of a static member or nested type of an extension -> the layers
    members = {}  # member name -> layers declaring it anywhere (extensions and types' bodies)
    files = []
    for path in swift_files(root):
        layer = layer_of(os.path.relpath(path, root))
        if layer is None:
            continue
        with open(path, encoding="utf-8") as f:
            text = strip(f.read())
        files.append((path, layer, text))
        top, in_extensions, in_types = declarations(text)
        for name in top:
            declared.setdefault(name, set()).add(layer)
        for type_name, name, static in in_extensions:
            if static:
                static_members.setdefault((type_name, name), set()).add(layer)
            else:
                instance_members.setdefault(name, set()).add(layer)
            members.setdefault(name, set()).add(layer)
        for name in in_types:
            members.setdefault(name, set()).add(layer)
    violations = []
    for path, layer, text in files:
        seen = set()
        may_use = ALLOWED[layer] | {layer}
        rel = os.path.relpath(path, root)

        def report(number, used, owners, what):
            if (used, layer) in seen or owners & may_use:
                return
            seen.add((used, layer))
            violations.append(f"{rel}:{number}: {layer} uses {used}{what} {'/'.join(sorted(owners))}, "
                              f"which {layer} may not depend on")

        for number, line in enumerate(text.splitlines(), 1):
            for name in IDENTIFIER.findall(line):
                owners = declared.get(name)
                if owners and (layer, name) not in ALLOWED_TYPES:
                    report(number, name, owners, " from")
            # Static members by their type (`Manifest.read`); instance members by `.name`, unless a folder the
            # file may use declares a member of the same name (the receiver's type is unknown).
            for type_name, name in QUALIFIED_USE.findall(line):
                owners = static_members.get((type_name, name))
                if owners:
                    report(number, f"{type_name}.{name}", owners, ", declared in an extension in")
            for name in MEMBER_USE.findall(line):
                owners = instance_members.get(name)
                if owners and not members[name] & may_use:
                    report(number, "." + name, owners, ", a member declared in an extension in")
    for line in violations:
        print(line)
    if violations:
        print(f"{len(violations)} layering violation(s); the rules are in ARCHITECTURE.md and .ci/check-layers.py")
        return 1
    print(f"layers ok: {len(files)} files, {len(declared)} top-level names, "
          f"{len(instance_members) + len(static_members)} extension members")
    return 0


if __name__ == "__main__":
    sys.exit(main())
