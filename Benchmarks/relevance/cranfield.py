"""Cranfield 1400 reader: documents, queries (numbered by position 1..225) and graded qrels.

Usage: python cranfield.py to-jsonl OUT.jsonl [--dir /work/shared/eval/cranfield]
Writes one {"slug", "title", "url", "body"} object per document; a document whose
.T is empty gets the first words of its abstract as title, or "cranfield <id>" when the
abstract is empty too (docs 471 and 995); each such case is reported on stderr.
"""
import json
import os
import sys

DEFAULT_DIR = os.environ.get("CRANFIELD_DIR", "/work/shared/eval/cranfield")


def _records(path):
    """Yield ({field: text}, id) for each SMART record; handles CRLF and lone markers."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().replace("\r\n", "\n").replace("\r", "\n").split("\n")
    rec, rid, field = None, None, None
    for line in lines:
        if line.startswith(".I "):
            if rec is not None:
                yield rid, rec
            rec, rid, field = {}, line[3:].strip(), None
        elif len(line) == 2 and line[0] == "." and line[1] in "TABW":
            field = line[1]
            rec.setdefault(field, [])
        elif field is not None:
            rec[field].append(line)
    if rec is not None:
        yield rid, rec


def _text(lines):
    return " ".join(" ".join(lines or []).split())


def documents(d=DEFAULT_DIR):
    """List of (doc id as str, title, abstract), in file order."""
    return [(rid, _text(r.get("T")), _text(r.get("W")))
            for rid, r in _records(os.path.join(d, "cran.all.1400"))]


def queries(d=DEFAULT_DIR):
    """{position 1..225: query text}; the .I numbers in cran.qry are not used."""
    return {i: _text(r.get("W"))
            for i, (_, r) in enumerate(_records(os.path.join(d, "cran.qry")), 1)}


def qrels(d=DEFAULT_DIR):
    """{query position: {doc id: code}}, code -1 (source document) included as is."""
    out = {}
    with open(os.path.join(d, "cranqrel"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                out.setdefault(int(parts[0]), {})[parts[1]] = int(parts[2])
    return out


def to_jsonl(out_path, d=DEFAULT_DIR, title_words=8):
    n = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for did, title, body in documents(d):
            if not title:
                title = " ".join(body.split()[:title_words]) or f"cranfield {did}"
                print(f"cranfield: doc {did} has an empty title; using {title!r}", file=sys.stderr)
            out.write(json.dumps({"slug": did, "title": title, "url": f"/cranfield/{did}/",
                                  "body": body}) + "\n")
            n += 1
    return n


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "to-jsonl":
        d = args[args.index("--dir") + 1] if "--dir" in args else DEFAULT_DIR
        print(f"cranfield: wrote {to_jsonl(args[1], d)} documents to {args[1]}", file=sys.stderr)
    else:
        sys.exit(__doc__)
