#!/usr/bin/env python3
"""Writes round N of the demo site's changes: a copy of SRC (demo/site) in DST with the ratings,
listener counts and related lists that the demo's shows have at round N, so that recrawls of DST
build a history (README "Example queries", demo/history-demo.sh).

Usage: demo/change-site.py SRC DST ROUND   (ROUND 0 is SRC as it is; 1, 2, 3 are the changes)

Only files whose text changes are written, each with a modification time later than the one it
had, so the demo server's Last-Modified moves and a conditional GET fetches it again; files that
stay the same keep theirs and answer 304.
"""
import os
import re
import shutil
import sys
import time

# Per show directory: (average, number of ratings) at rounds 0..3.
RATINGS = {
    "harbour-lights": [(4.7, 312), (4.7, 329), (4.7, 341), (4.8, 366)],
    "tidewater-tales": [(4.4, 1288), (4.5, 1301), (4.5, 1309), (4.4, 1322)],
    "night-ferry": [(4.9, 5406), (4.9, 5406), (4.9, 5431), (4.9, 5460)],
}
# Per listed show: the listener count its cards show at rounds 0..3 (round 0 as the site has it).
LISTENERS = {
    "tidewater-tales": ["1.8K", "1,912", "2,040", "2,315"],
    "night-ferry": ["12.4K", "12,460", "12,520", "12,610"],
    "harbour-lights": ["2.2K", "2,240", "2,390", "2,420"],
    "salt-and-signal": ["87", "95", "131", "160"],
}
# Harbour Lights' related list (by show directory) at rounds 0..3: Night Ferry moves to the top
# and Salt & Signal leaves at round 2, and comes back at round 3.
HARBOUR_RELATED = [
    ["tidewater-tales", "night-ferry", "salt-and-signal"],
    ["tidewater-tales", "night-ferry", "salt-and-signal"],
    ["night-ferry", "tidewater-tales"],
    ["night-ferry", "tidewater-tales", "salt-and-signal"],
]

CARD = re.compile(r'<li class="card"><a href="/podcasts/([^/]+)/">.*?</li>', re.S)


def change(text, show, round_):
    if show in RATINGS:
        value, count = RATINGS[show][round_]
        text = re.sub(r'"ratingValue": [0-9.]+', f'"ratingValue": {value}', text)
        text = re.sub(r'"ratingCount": [0-9]+', f'"ratingCount": {count}', text)
        text = re.sub(r'class="value">[0-9.]+<', f'class="value">{value}<', text)
        text = re.sub(r'class="count">[0-9,]+ ratings<', f'class="count">{count:,} ratings<', text)
    cards = {m.group(1): m.group(0) for m in CARD.finditer(text)}
    for slug, card in cards.items():
        if slug in LISTENERS:
            new = re.sub(r'class="listeners">[^<]*<',
                         f'class="listeners">{LISTENERS[slug][round_]} Listeners<', card)
            text = text.replace(card, new)
            cards[slug] = new
    if show == "harbour-lights" and cards:
        # Every page of the show carries its list (the list is the show's), so all change alike.
        found = list(CARD.finditer(text))
        templates = {m.group(1): m.group(0) for m in found}
        if "salt-and-signal" not in templates:
            return text
        order = HARBOUR_RELATED[round_]
        joined = "\n      ".join(templates[slug] for slug in order)
        text = text[:found[0].start()] + joined + text[found[-1].end():]
    return text


def main():
    if len(sys.argv) != 4 or not sys.argv[3].isdigit() or int(sys.argv[3]) > 3:
        sys.exit(__doc__)
    src, dst, round_ = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for root, _, files in os.walk(src):
        rel = os.path.relpath(root, src)
        os.makedirs(os.path.join(dst, rel), exist_ok=True)
        parts = rel.split(os.sep)
        show = parts[1] if len(parts) > 1 and parts[0] == "podcasts" else None
        for name in files:
            source = os.path.join(root, name)
            target = os.path.join(dst, rel, name)
            if not name.endswith(".html"):
                if not os.path.exists(target):
                    shutil.copy2(source, target)
                continue
            with open(source, encoding="utf-8") as f:
                text = change(f.read(), show, round_)
            old = None
            if os.path.exists(target):
                with open(target, encoding="utf-8") as f:
                    old = f.read()
            if old == text:
                continue
            before = os.stat(target).st_mtime if old is not None else 0
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)
            stamp = max(time.time(), before + 1)
            os.utime(target, (stamp, stamp))


if __name__ == "__main__":
    main()
