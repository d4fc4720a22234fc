#!/usr/bin/env python3
"""Check a generated corpus (and optionally its truth and query files) line by line.

Usage: python validate.py CORPUS.jsonl [--truth truth.jsonl] [--queries queries.jsonl] [--df]

Checks every line parses with json.loads into a post of the shape blogsearch reads (slug, title, url, date,
author, categories, tags, body, comments), slugs unique and in order, comment ids unique within a post, every
`replyTo` naming an EARLIER comment of the same post, and comment times never before the post's day or the
comment they answer. With --truth: one mixture per post, same slugs, weights summing to 1. With --queries:
the classes, and with --df the fraction of posts holding each query term (lower-cased words, whole post:
title, body, comments; no stemming) per class, and that every phrase occurs in some post.
Exit status 1 when any check fails.
"""
import argparse
import collections
import json
import re
import statistics
import sys
import time

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
WORD = re.compile(r"[a-z0-9]+")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--truth")
    ap.add_argument("--queries")
    ap.add_argument("--df", action="store_true", help="measure query-term document frequencies (slower)")
    a = ap.parse_args()
    t0 = time.perf_counter()
    errors = []

    def err(msg):
        if len(errors) < 20:
            print("ERROR", msg, file=sys.stderr)
        errors.append(msg)

    queries = []
    if a.queries:
        with open(a.queries, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                q = json.loads(line)
                if set(q) != {"class", "text"} or not q["text"]:
                    err(f"queries:{n}: bad query {q}")
                queries.append(q)
    terms, phrases = set(), {}
    for q in queries:
        if q["class"] == "phrase":
            phrases[q["text"].strip('"').lower()] = 0
        else:
            terms.update(w for w in WORD.findall(q["text"].lower()) if w != "or")
    term_df = collections.Counter()

    posts = comments = replies = 0
    slugs = []
    prev = None
    with open(a.corpus, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                p = json.loads(line)
            except json.JSONDecodeError as e:
                err(f"{n}: not JSON: {e}")
                continue
            posts += 1
            for key, typ in (("slug", str), ("title", str), ("url", str), ("date", str), ("author", str),
                             ("categories", list), ("tags", list), ("body", str), ("comments", list)):
                if not isinstance(p.get(key), typ):
                    err(f"{n}: `{key}` missing or not {typ.__name__}")
            slug = p.get("slug", "")
            slugs.append(slug)
            if prev is not None and slug <= prev:
                err(f"{n}: slug {slug} not after {prev}")
            prev = slug
            if p.get("url") != f"/posts/{slug}/":
                err(f"{n}: url {p.get('url')}")
            if not DATE.match(p.get("date", "")):
                err(f"{n}: date {p.get('date')}")
            if not (1 <= len(p.get("categories", [])) <= 2) or not (2 <= len(p.get("tags", [])) <= 5):
                err(f"{n}: {len(p.get('categories', []))} categories, {len(p.get('tags', []))} tags")
            if not (4 <= len(p.get("title", "").split()) <= 10):
                err(f"{n}: title of {len(p.get('title', '').split())} words")
            seen = {}
            for c in p.get("comments", []):
                comments += 1
                cid = c.get("id")
                if not isinstance(cid, str) or cid in seen:
                    err(f"{n}: comment id {cid!r} missing or repeated")
                if not DATETIME.match(c.get("date") or "") or c["date"][:10] < p.get("date", ""):
                    err(f"{n}: comment {cid} date {c.get('date')}")
                if not c.get("body"):
                    err(f"{n}: comment {cid} has no body")
                r = c.get("replyTo")
                if r is not None:
                    replies += 1
                    if r not in seen:
                        err(f"{n}: comment {cid} replies to {r!r}, not an earlier comment of {slug}")
                    elif seen[r] > c["date"]:
                        err(f"{n}: comment {cid} is older than {r}, which it answers")
                seen[cid] = c.get("date") or ""
            if not (0 <= len(seen) <= 30):
                err(f"{n}: {len(seen)} comments")
            if a.df:
                text = " ".join([p["title"], p["body"]] + [c["body"] for c in p["comments"]]).lower()
                words = set(WORD.findall(text))
                term_df.update(words & terms)
                if phrases:
                    flat = " " + " ".join(WORD.findall(text)) + " "
                    for ph in phrases:
                        if " " + " ".join(WORD.findall(ph)) + " " in flat:
                            phrases[ph] += 1
    if len(set(slugs)) != len(slugs):
        err("slugs repeat")
    print(f"{posts} posts, {comments} comments ({comments / max(1, posts):.1f} per post), "
          f"{replies} replies ({replies / max(1, comments):.0%}), all replyTo earlier: "
          f"{'yes' if not any('replies to' in e for e in errors) else 'NO'}")

    if a.truth:
        with open(a.truth, encoding="utf-8") as f:
            truth = [json.loads(line) for line in f]
        if [t["slug"] for t in truth] != slugs:
            err("truth slugs differ from the corpus")
        bad = [t["slug"] for t in truth
               if abs(sum(t["topics"].values()) - 1) > 1e-6 or not (1 <= len(t["topics"]) <= 3)]
        if bad:
            err(f"truth: {len(bad)} mixtures not summing to 1 or not 1-3 topics, e.g. {bad[:3]}")
        sizes = collections.Counter(len(t["topics"]) for t in truth)
        print(f"truth: {len(truth)} mixtures, topics per post {dict(sorted(sizes.items()))}")

    if queries:
        by = collections.defaultdict(list)
        for q in queries:
            by[q["class"]].append(q["text"])
        print(f"queries: {len(queries)}: " + ", ".join(f"{c} {len(v)}" for c, v in by.items()))
        if a.df:
            for c, texts in by.items():
                if c == "phrase":
                    found = [phrases[t.strip('"').lower()] for t in texts]
                    print(f"  phrase: {sum(x > 0 for x in found)}/{len(found)} occur; posts holding them: "
                          f"median {statistics.median(found)}")
                    if any(x == 0 for x in found):
                        err("a phrase query occurs in no post")
                    continue
                fr = [term_df[w] / posts for t in texts for w in WORD.findall(t.lower()) if w != "or"]
                if c in ("rare", "medium", "common"):
                    print(f"  {c}: term df (fraction of posts) min {min(fr):.4%} median "
                          f"{statistics.median(fr):.4%} max {max(fr):.4%}")
    print(f"{time.perf_counter() - t0:.1f} s; {'OK' if not errors else f'{len(errors)} ERRORS'}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
