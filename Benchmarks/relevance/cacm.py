"""CACM 3204 reader: documents, queries (numbered by their .I ids 1..64) and binary qrels.

Usage: python cacm.py to-jsonl OUT.jsonl [--dir /work/shared/eval/cacm]
Writes one {"slug", "title", "url", "body"} object per document: title = .T, body = .W
(the abstract; empty for about half of the records). The other fields (.B date, .A authors,
.K keywords, .C categories, .N entry, .X citations) are not indexed, as in the reference figures.
Only 52 of the 64 queries have judgments; the stray `.I 0` record that ends query.text has
no text and is skipped.
"""
import os

import score
import smart

NAME = "cacm"
DEFAULT_DIR = os.environ.get("CACM_DIR", "/work/shared/eval/cacm")
GAIN = score.binary  # every judged document is relevant, gain 1


def documents(d=DEFAULT_DIR):
    """List of (doc id as str, title, abstract), in file order."""
    return [(rid, smart.text(r.get("T")), smart.text(r.get("W")))
            for rid, r in smart.records(os.path.join(d, "cacm.all"))]


def queries(d=DEFAULT_DIR):
    """{query id 1..64: query text}, as written; records without text (`.I 0`) skipped."""
    out = {}
    for rid, r in smart.records(os.path.join(d, "query.text")):
        t = smart.text(r.get("W"))
        if t:
            out[int(rid)] = t
    return out


def qrels(d=DEFAULT_DIR):
    """{query id: {doc id: 1}} for the judged queries; `qid docid 0 0` lines, both
    zero-padded in the file (`01 0756`), normalised to match the .I ids."""
    out = {}
    with open(os.path.join(d, "qrels.text"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                out.setdefault(int(parts[0]), {})[str(int(parts[1]))] = 1
    return out


def to_jsonl(out_path, d=DEFAULT_DIR, title_words=8):
    return smart.to_jsonl(out_path, documents(d), NAME, title_words)


if __name__ == "__main__":
    smart.main(NAME, documents, DEFAULT_DIR, __doc__)
