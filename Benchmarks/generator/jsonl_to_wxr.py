#!/usr/bin/env python3
"""Writes the posts of a generator JSON Lines corpus as a WordPress export (WXR 1.2), for the memory benchmark
of the WXR reader against the JSON Lines reader on the same posts (BENCHMARKS.md, "Reading imports").

Usage:
    python jsonl_to_wxr.py CORPUS.jsonl OUT.xml

Each line becomes a published <item> (post_name = slug, the body wrapped in CDATA, categories and tags by
domain, dc:creator = the author's login with the display name in the author list, GMT dates), each comment
an approved <wp:comment> with its parent, a made-up e-mail and IP address (as real exports carry). Streams:
memory stays flat whatever the size. Needs only the standard library.
"""
import json
import sys
from xml.sax.saxutils import escape


def cdata(text):
    return "<![CDATA[" + (text or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


def login(name):
    return "".join(c for c in (name or "anonymous").lower() if c.isalnum()) or "anonymous"


def main(source, target):
    authors = {}
    with open(source, encoding="utf-8") as f:
        for line in f:
            post = json.loads(line)
            if post.get("author"):
                authors[login(post["author"])] = post["author"]
    with open(source, encoding="utf-8") as f, open(target, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
                  'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
                  'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                  'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
                  "<channel>\n<title>Generated</title>\n<link>https://generated.example</link>\n"
                  "<wp:wxr_version>1.2</wp:wxr_version>\n")
        for i, (key, name) in enumerate(sorted(authors.items()), 1):
            out.write(f"<wp:author><wp:author_id>{i}</wp:author_id><wp:author_login>{cdata(key)}</wp:author_login>"
                      f"<wp:author_display_name>{cdata(name)}</wp:author_display_name></wp:author>\n")
        for n, line in enumerate(f, 1):
            post = json.loads(line)
            date = (post.get("date") or "2020-01-01") + " 09:00:00"
            out.write(f"<item>\n<title>{cdata(post['title'])}</title>\n"
                      f"<link>https://generated.example{escape(post.get('url') or '/posts/' + post['slug'] + '/')}</link>\n"
                      f"<dc:creator>{cdata(login(post.get('author')))}</dc:creator>\n"
                      f"<content:encoded>{cdata(post['body'])}</content:encoded>\n"
                      f"<wp:post_id>{n}</wp:post_id>\n<wp:post_date_gmt>{date}</wp:post_date_gmt>\n"
                      f"<wp:post_name>{cdata(post['slug'])}</wp:post_name>\n<wp:status>publish</wp:status>\n"
                      "<wp:post_type>post</wp:post_type>\n<wp:post_password></wp:post_password>\n")
            for c in post.get("categories") or []:
                out.write(f'<category domain="category" nicename="{escape(login(c))}">{cdata(c)}</category>\n')
            for t in post.get("tags") or []:
                out.write(f'<category domain="post_tag" nicename="{escape(login(t))}">{cdata(t)}</category>\n')
            for c in post.get("comments") or []:
                when = (c.get("date") or date).replace("T", " ").replace("Z", "")
                out.write(f"<wp:comment><wp:comment_id>{escape(str(c['id']))}</wp:comment_id>"
                          f"<wp:comment_author>{cdata(c.get('author'))}</wp:comment_author>"
                          f"<wp:comment_author_email>{cdata(login(c.get('author')) + '@readers.example')}</wp:comment_author_email>"
                          f"<wp:comment_author_IP>203.0.113.{n % 250}</wp:comment_author_IP>"
                          f"<wp:comment_date_gmt>{when}</wp:comment_date_gmt>"
                          f"<wp:comment_content>{cdata(c['body'])}</wp:comment_content>"
                          "<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>"
                          f"<wp:comment_parent>{escape(str(c.get('replyTo') or 0))}</wp:comment_parent></wp:comment>\n")
            out.write("</item>\n")
        out.write("</channel>\n</rss>\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
