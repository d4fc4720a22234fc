"""Cranfield 1400 reader: documents, queries (numbered by position 1..225) and graded qrels.

Usage: python cranfield.py to-jsonl OUT.jsonl [--dir /work/shared/eval/cranfield]
Writes one {"slug", "title", "url", "body"} object per document; a document whose
.T is empty gets the first words of its abstract as title, or "cranfield <id>" when the
abstract is empty too (docs 471 and 995); each such case is reported on stderr.
"""
import os

import score
import smart

NAME = "cranfield"
DEFAULT_DIR = os.environ.get("CRANFIELD_DIR", "/work/shared/eval/cranfield")
GAIN = score.graded  # gain 5 - code for codes 1..4; code -1 (source document) is not relevant


def documents(d=DEFAULT_DIR):
    """List of (doc id as str, title, abstract), in file order."""
    return [(rid, smart.text(r.get("T")), smart.text(r.get("W")))
            for rid, r in smart.records(os.path.join(d, "cran.all.1400"))]


def queries(d=DEFAULT_DIR):
    """{position 1..225: query text}; the .I numbers in cran.qry are not used."""
    return {i: smart.text(r.get("W"))
            for i, (_, r) in enumerate(smart.records(os.path.join(d, "cran.qry")), 1)}


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
    return smart.to_jsonl(out_path, documents(d), NAME, title_words)


if __name__ == "__main__":
    smart.main(NAME, documents, DEFAULT_DIR, __doc__)
