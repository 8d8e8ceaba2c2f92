#!/usr/bin/python3
"""Builds a crawl-benchmark site out of the real corpus pages, served as they are.

The pages are tests/data/corpus/real/*.html: pages saved from podcast sites
(Apple, Spotify, Acast, Goodpods, iVoox, ... in many languages), byte for byte,
with the weight real pages carry (their scripts, styles, SVG, JSON state).
They are copied as many times as needed to reach --pages, each copy at its own
URL, and linked from browse pages:

  index.html                 links to every browse page
  browse/page-K.html         100 page links each
  real/COPY/NAME.html        a corpus page, unchanged
  robots.txt                 allows /index.html, /browse/ and /real/ only,
                             without query strings

The pages' own links are left as they are. Absolute ones point to their real
sites (out of scope for both crawlers); root-relative ones would land on this
server and 404, so robots.txt disallows everything but the three trees above,
and both crawlers obey it: neither fetches them.

It writes expected.jsonl (path, corpus name and the corpus's expected record
of each copied page) and site.json (counts and sizes), like gen_site.py.

Usage: gen_real_site.py OUT_DIR [--pages N] [--corpus DIR]
"""

import argparse
import html
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
LINKS_PER_BROWSE_PAGE = 100


def simple_page(title, body):
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"/>"
            f"<title>{html.escape(title)}</title></head><body>{body}</body></html>")


def generate(out, n_pages, corpus):
    names = sorted(f[:-5] for f in os.listdir(corpus) if f.endswith(".html"))
    if not names:
        raise SystemExit(f"no .html pages in {corpus}")
    os.makedirs(out, exist_ok=True)
    sizes = []
    paths = []
    with open(os.path.join(out, "expected.jsonl"), "w", encoding="utf-8") as exp:
        for i in range(n_pages):
            copy, name = divmod(i, len(names))
            name = names[name]
            path = f"real/{copy}/{name}.html"
            dest = os.path.join(out, path)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(os.path.join(corpus, name + ".html"), dest)
            sizes.append(os.path.getsize(dest))
            paths.append(path)
            expected_path = os.path.join(corpus, name + ".expected.json")
            record = {}
            if os.path.exists(expected_path):
                with open(expected_path, encoding="utf-8") as f:
                    record = json.load(f)
            exp.write(json.dumps({"path": path, "name": name, "expected": record},
                                 ensure_ascii=False) + "\n")
    n_browse = -(-len(paths) // LINKS_PER_BROWSE_PAGE)
    os.makedirs(os.path.join(out, "browse"), exist_ok=True)
    for p in range(n_browse):
        chunk = paths[p * LINKS_PER_BROWSE_PAGE:(p + 1) * LINKS_PER_BROWSE_PAGE]
        links = "".join(f'<li><a href="../{x}">{html.escape(x)}</a></li>' for x in chunk)
        with open(os.path.join(out, "browse", f"page-{p + 1}.html"), "w",
                  encoding="utf-8") as f:
            f.write(simple_page(f"Pages, part {p + 1}", f"<ul>{links}</ul>"))
    links = "".join(f'<li><a href="browse/page-{p + 1}.html">Part {p + 1}</a></li>'
                    for p in range(n_browse))
    with open(os.path.join(out, "index.html"), "w", encoding="utf-8") as f:
        f.write(simple_page("Real podcast pages", f"<h1>Real pages</h1><ul>{links}</ul>"))
    with open(os.path.join(out, "robots.txt"), "w", encoding="utf-8") as f:
        # A query string on a static file is the same file: /real/*? keeps
        # "?page=2"-style links from fetching a page again.
        f.write("User-agent: *\nAllow: /index.html\nAllow: /browse/\nAllow: /real/\n"
                "Disallow: /real/*?\nDisallow: /\n")
    info = {
        "mode": "real",
        "podcast_pages": len(sizes),
        "corpus_pages": len(names),
        "other_pages": n_browse + 1,
        "html_pages": len(sizes) + n_browse + 1,
        "podcast_bytes": sum(sizes),
        "mean_page_bytes": sum(sizes) // max(1, len(sizes)),
        "min_page_bytes": min(sizes),
        "max_page_bytes": max(sizes),
    }
    with open(os.path.join(out, "site.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)
    return info


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", help="output directory (created)")
    ap.add_argument("--pages", type=int, default=10000,
                    help="pages to serve, the corpus pages repeated (default 10000)")
    ap.add_argument("--corpus", default=os.path.join(REPO, "tests/data/corpus/real"))
    args = ap.parse_args()
    if args.pages < 1:
        ap.error("--pages must be at least 1")
    json.dump(generate(args.out, args.pages, args.corpus), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
