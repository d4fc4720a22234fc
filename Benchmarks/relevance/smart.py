"""Shared pieces of the collection readers (cranfield.py, cacm.py): the SMART record
reader, whitespace normalisation, the JSONL writer, the readers' command line, and the
collection registry used by peers.py and blogsearch_run.py."""
import importlib
import json
import os
import sys

# Each is a reader module with NAME, DEFAULT_DIR, GAIN (for score.evaluate),
# documents(), queries(), qrels() and to_jsonl().
COLLECTIONS = ("cranfield", "cacm")


def collection(name):
    """The reader module of a collection named in COLLECTIONS."""
    if name not in COLLECTIONS:
        raise ValueError(f"unknown collection {name!r} (known: {', '.join(COLLECTIONS)})")
    return importlib.import_module(name)


def records(path):
    """Yield (id, {field letter: [lines]}) for each SMART record, in file order.

    Handles CRLF and LF. `.I <id>` starts a record; a line that is a lone `.X` marker
    (X an upper-case letter) starts field X, and the lines after it are its text.
    """
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().replace("\r\n", "\n").replace("\r", "\n").split("\n")
    rec, rid, field = None, None, None
    for line in lines:
        if line.startswith(".I "):
            if rec is not None:
                yield rid, rec
            rec, rid, field = {}, line[3:].strip(), None
        elif len(line) == 2 and line[0] == "." and "A" <= line[1] <= "Z" and rec is not None:
            field = line[1]
            rec.setdefault(field, [])
        elif field is not None:
            rec[field].append(line)
    if rec is not None:
        yield rid, rec


def text(lines):
    """The lines joined with single spaces ("" for a missing field)."""
    return " ".join(" ".join(lines or []).split())


def to_jsonl(out_path, docs, name, title_words=8):
    """Write (id, title, body) as {"slug", "title", "url", "body"} lines; an empty title
    becomes the first words of the body, or "<name> <id>" (reported on stderr)."""
    n = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for did, title, body in docs:
            if not title:
                title = " ".join(body.split()[:title_words]) or f"{name} {did}"
                print(f"{name}: doc {did} has an empty title; using {title!r}", file=sys.stderr)
            out.write(json.dumps({"slug": did, "title": title, "url": f"/{name}/{did}/",
                                  "body": body}) + "\n")
            n += 1
    return n


def main(name, documents, default_dir, usage):
    """`python <reader>.py to-jsonl OUT.jsonl [--dir DIR]`"""
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "to-jsonl":
        d = args[args.index("--dir") + 1] if "--dir" in args else default_dir
        n = to_jsonl(args[1], documents(d), name)
        print(f"{name}: wrote {n} documents to {args[1]}", file=sys.stderr)
    else:
        sys.exit(usage)
