#!/usr/bin/env python3
"""Checks a `podcrawl report` page as Chromium rendered it (tests/report_browser_test.sh).

Usage: check_report.py DB DOM CONSOLE_LOG PNG...

- CONSOLE_LOG (Chromium's --enable-logging=stderr) holds no console message from the page (a
  script error or any console output);
- in DOM (--dump-dom, after the page's script ran), each show section's charts have one circle
  and one polyline vertex per snapshot the database holds for that show in the report's window,
  with the database's values, and data-points says the same;
- each PNG is a picture with content: many colours, and a share of non-white pixels.
Exits 1 naming every failure. Standard library only.
"""
import html.parser
import re
import sqlite3
import struct
import sys
import zlib


class Dom(html.parser.HTMLParser):
    """Collects the charts of each show section: {show_id: {series: {"points": n, ...}}}."""

    def __init__(self):
        super().__init__()
        self.shows = {}
        self.show = None
        self.depth = 0
        self.chart = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and a.get("class") == "show":
            self.show = int(a["id"].split("-")[1])
            self.shows[self.show] = {}
            self.depth = 0
        if self.show is not None and tag == "div":
            self.depth += 1
        if tag == "svg" and self.show is not None and "chart" in a.get("class", "").split():
            self.chart = {"points": int(a["data-points"]), "circles": [], "vertices": 0}
            self.shows[self.show][a["data-series"]] = self.chart
        if tag == "polyline" and self.chart is not None:
            self.chart["vertices"] = len(a["points"].split())
        if tag == "circle" and self.chart is not None and a.get("class") == "pt":
            self.chart["circles"].append(a["data-value"])

    def handle_endtag(self, tag):
        if tag == "svg":
            self.chart = None
        if tag == "div" and self.show is not None:
            self.depth -= 1
            if self.depth == 0:
                self.show = None


def fmt(value):
    """The report's FormatValue: 12,400 for whole numbers, else up to two decimals."""
    if abs(value - round(value)) < 1e-9:
        return f"{int(round(value)):,}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def png_pixels(path):
    """Returns (width, height, rows of RGB tuples) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), f"unexpected PNG type {depth}/{ctype}"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            up = prev[x]
            ul = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + left) & 255
            elif f == 2:
                line[x] = (line[x] + up) & 255
            elif f == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif f == 4:
                p = left + up - ul
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else ul)) & 255
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, bpp)])
        prev = line
    return width, height, rows


def main():
    db_path, dom_path, log_path, *pngs = sys.argv[1:]
    failures = []
    for line in open(log_path, errors="replace"):
        if ":CONSOLE" in line or "Uncaught" in line:
            failures.append("console: " + line.strip())

    text = open(dom_path, encoding="utf-8").read()
    window = re.search(r"window since (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)", text)
    if not window:
        failures.append("the page does not say its window")
    dom = Dom()
    dom.feed(text)
    if not dom.shows:
        failures.append("no show section in the page")
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    since = db.execute("SELECT unixepoch(?) * 1000", (window.group(1),)).fetchone()[0] if window else 0
    queries = {
        "listeners": "SELECT listeners FROM listener_snapshots WHERE show_id = ? AND observed_ms >= ? ORDER BY observed_ms",
        "ratings": "SELECT count FROM rating_snapshots WHERE show_id = ? AND observed_ms >= ? AND count IS NOT NULL ORDER BY observed_ms",
        "rating": "SELECT value FROM rating_snapshots WHERE show_id = ? AND observed_ms >= ? AND value IS NOT NULL ORDER BY observed_ms",
    }
    points = 0
    for show, charts in dom.shows.items():
        for series, query in queries.items():
            chart = charts.get(series)
            if chart is None:
                failures.append(f"show {show}: no {series} chart")
                continue
            expected = [fmt(v) for (v,) in db.execute(query, (show, since))]
            points += len(expected)
            if chart["circles"] != expected or chart["points"] != len(expected) or (
                    expected and chart["vertices"] != len(expected)):
                failures.append(f"show {show} {series}: the page has {chart['circles']} "
                                f"({chart['points']} points, {chart['vertices']} vertices), "
                                f"the database {expected}")
    if points < 10:
        failures.append(f"only {points} points in all the charts; the demo makes more")
    if 'class="graph"' not in text:
        failures.append("no related-shows graph")

    for png in pngs:
        width, height, rows = png_pixels(png)
        colours = set()
        ink = 0
        for row in rows[::4]:
            for px in row[::4]:
                colours.add(px)
                if px != (255, 255, 255):
                    ink += 1
        share = ink / max(1, (len(rows[::4]) * len(rows[0][::4])))
        if len(colours) < 8 or share < 0.01:
            failures.append(f"{png}: looks blank ({len(colours)} colours, {share:.1%} not white)")
        else:
            print(f"{png}: {width}x{height}, {len(colours)} colours, {share:.1%} not white")

    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    print(f"{len(dom.shows)} shows, {points} chart points checked against the database")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
