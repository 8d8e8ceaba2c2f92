#!/usr/bin/python3
"""Generates a static podcast site for the crawl benchmark.

The site imitates a Next.js podcast directory (Goodpods style, as in
tests/data/corpus/sites/goodpods-*.html): show pages and episode pages of
100-150 KB each, most of it the bulk real pages carry (inline CSS, analytics
and webpack runtime scripts, SVG icons, a __NEXT_DATA__ state blob, header,
sign-up modal, footer, many cards). Every podcast page shows a show name, a
description, a rating ("4.6" and "1,234 ratings") and a "You may also like"
section of related shows with "N Listeners".

Layout (all links relative):
  index.html                       links to every browse page
  browse/page-K.html               50 shows each, prev/next
  podcasts/SLUG-ID.html            show page: its episodes, related shows
  podcasts/SLUG-ID/EPSLUG-EPID.html  episode page: its show, sibling
                                   episodes, related shows
  info/*.html                      a few footer pages
  robots.txt                       disallows /account/ and /search, which
                                   every page links to

It also writes expected.jsonl (one line per podcast page: path, kind and the
four fields as a reader sees them) so a benchmark can check what a crawler
extracted, and site.json (counts and sizes).

Usage: gen_site.py OUT_DIR [--pages N] [--seed S]
"""

import argparse
import html
import json
import os
import random
import sys

EPISODES_PER_SHOW = 9  # a show page plus 9 episode pages = 10 podcast pages
SHOWS_PER_BROWSE_PAGE = 50
RELATED_PER_PAGE = 24

ADJECTIVES = (
    "Quiet Deep Bright Hidden Lost Wild Little Golden Silver Northern Southern "
    "Midnight Morning Electric Curious Restless Gentle Hollow Open Brave Slow "
    "Rapid Second Last First Ancient Modern Urban Rural Coastal Salty Velvet "
    "Crimson Amber Copper Iron Paper Glass Stone Wooden Honest Strange Famous "
    "Secret Public Private Tiny Giant Distant Local Weekly Daily").split()
NOUNS = (
    "Harbour Current Signal Frontier Kitchen Library Archive Garden Engine "
    "Compass Lantern Orchard Workshop Observatory Station Bridge River Valley "
    "Island Market Theatre Atlas Almanac Ledger Notebook Field Forest Desert "
    "Ocean Mountain Circuit Network Canvas Chorus Studio Tavern Parlour Porch "
    "Attic Cellar Lighthouse Telescope Microscope Satellite Radio Hour Minute "
    "Decade Century").split()
SUFFIXES = ("", "", "", " Podcast", " Radio", " Show", " Hour", " Weekly",
            " Daily", " Stories", " Talks", " Club")
TOPICS = ("History", "Science", "True Crime", "Comedy", "News", "Business",
          "Technology", "Sports", "Health", "Fiction", "Music", "Education",
          "Society & Culture", "Arts", "Religion", "Kids & Family", "Leisure")
WORDS = (
    "the a of and to in is that for on with as it was by this are from at be "
    "an not or have they which one their has we more about when what who will "
    "there can all would been into some these story people history science "
    "episode guest interview conversation question answer research city world "
    "music film book author voice sound record archive letter journey river "
    "ocean mountain forest island market kitchen recipe garden season weather "
    "election economy company startup engineer doctor teacher student artist "
    "mystery evidence witness trial detective court century decade morning "
    "evening night week year month listener host producer team studio season "
    "finale special bonus live tour festival award prize discovery theory "
    "experiment data model machine network signal frequency orbit planet "
    "telescope fossil species climate energy water fire stone paper glass "
    "family friend neighbour village harbour bridge station tunnel road map "
    "compass lantern library museum theatre stage chorus band song album").split()
FIRST_NAMES = ("Ines Tom Maya Jonas Amara Felix Lena Omar Priya Hugo Sofia Kai "
               "Nadia Leo Clara Ravi Elena Sam Yara Ben").split()
LAST_NAMES = ("Marlow Achterberg Okafor Lindqvist Moreau Tanaka Silva Novak "
              "Haddad Brennan Kowalski Fischer Rossi Nguyen Patel Keller "
              "Duarte Ahmed Walsh Berg").split()
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def esc(s):
    return html.escape(s, quote=True)


def fmt_count(n):
    """1234 -> '1,234'."""
    return f"{n:,}"


def fmt_listeners(n):
    """Listener counts as the site shows them: 845, 1.2K, 12.5K, 4K."""
    if n < 1000:
        return str(n)
    k = n / 1000
    text = f"{k:.1f}".rstrip("0").rstrip(".")
    return text + "K"


def pick_listeners(rng):
    """A listener count whose display is exact (845, 1200 -> 1.2K)."""
    r = rng.random()
    if r < 0.4:
        return rng.randint(0, 999)
    if r < 0.9:
        return rng.randint(10, 99) * 100  # 1.0K .. 9.9K
    return rng.randint(100, 999) * 100  # 10K .. 99.9K


# --------------------------------------------------------------------------
# Shared bulk: the same on every page, as a real site's build output is.

SVG_STAR = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" '
            'width="16" height="16" aria-hidden="true" focusable="false">'
            '<path fill="currentColor" d="M12 2.8l2.8 5.9 6.4.8-4.7 4.4 1.2 '
            '6.4L12 17.2l-5.7 3.1 1.2-6.4-4.7-4.4 6.4-.8z"></path></svg>')
SVG_HEADPHONES = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="14" '
    'height="14" class="PodcastCard_icon__7YsmG" aria-hidden="true" '
    'focusable="false"><path fill="none" stroke="currentColor" '
    'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" '
    'd="M4.2 14.1v-2.3a7.8 7.8 0 0 1 15.6 0v2.3M4.2 14.1h2.9v6H5.4c-.7 0-1.2'
    '-.5-1.2-1.2zM19.8 14.1h-2.9v6h1.7c.7 0 1.2-.5 1.2-1.2z"></path></svg>')
SVG_PLAY = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" '
            'width="28" height="28" aria-hidden="true" focusable="false">'
            '<circle cx="12" cy="12" r="11" fill="currentColor"></circle>'
            '<path fill="#fff" d="M9.6 7.4v9.2l7.2-4.6z"></path></svg>')
SVG_LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 118 28" '
            'width="118" height="28" role="img" aria-label="podnest">'
            '<rect x="1" y="1" width="26" height="26" rx="7" fill="#7b3fe4">'
            '</rect><path d="M6 16 q4 -8 8 0 t8 0" fill="none" stroke="#fff" '
            'stroke-width="2.4" stroke-linecap="round"></path><text x="34" '
            'y="19" font-family="Inter,Arial,sans-serif" font-size="15" '
            'font-weight="700" fill="#7b3fe4">podnest</text></svg>')


def make_css(rng):
    """~24 KB of utility-class CSS, like a Tailwind build."""
    parts = []
    props = ("margin", "padding", "margin-top", "margin-bottom", "padding-left",
             "padding-right", "gap", "width", "height", "max-width", "top",
             "left", "border-radius", "font-size", "line-height")
    for prop in props:
        short = "".join(w[0] for w in prop.split("-"))
        for step in range(0, 40):
            parts.append(f".{short}-{step}{{{prop}:{step * 0.25:g}rem}}")
    colors = ("slate", "gray", "zinc", "red", "orange", "amber", "green",
              "teal", "sky", "blue", "indigo", "violet", "purple", "pink")
    for c in colors:
        for shade in (50, 100, 200, 300, 400, 500, 600, 700, 800, 900):
            hexv = "#%02x%02x%02x" % (rng.randrange(256), rng.randrange(256),
                                      rng.randrange(256))
            parts.append(f".text-{c}-{shade}{{color:{hexv}}}"
                         f".bg-{c}-{shade}{{background-color:{hexv}}}")
    return "".join(parts)


def make_js_chunk(rng, size):
    """Minified-looking JavaScript of about `size` bytes (webpack runtime)."""
    idents = ["e", "t", "n", "r", "o", "i", "a", "s", "u", "c", "l", "d", "f"]
    out = [f'(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[{rng.randrange(100, 999)}],{{']
    total = len(out[0])
    mod = 0
    while total < size:
        mod += 1
        a, b, c = rng.sample(idents, 3)
        word = rng.choice(WORDS)
        stmt = (f"{rng.randrange(1000, 99999)}:function({a},{b},{c}){{\"use strict\";"
                f"var {a}={c}({rng.randrange(1000, 99999)}),{b}={c}.n({a});"
                f"function _{word}{mod}({a}){{return {a}&&{a}.__esModule?{a}:"
                f"{{default:{a}}}}}{c}.d({b},{{Z:function(){{return _{word}{mod}}}}});"
                f"let {word}_{mod}=(0,{a}.useState)(!1);if({word}_{mod}[0]!==void 0)"
                f"{{{b}.default.track(\"{word}\",{{id:{mod},v:{rng.random():.6f}}})}}}},")
        out.append(stmt)
        total += len(stmt)
    out.append("}]);")
    return "".join(out)


def make_i18n(rng):
    """A translations blob, as Next.js apps ship in their page state."""
    msgs = {}
    for i in range(220):
        key = f"{rng.choice(WORDS)}.{rng.choice(WORDS)}_{i}"
        msgs[key] = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))
    return msgs


class Bulk:
    def __init__(self, rng):
        self.css = make_css(rng)
        # A pool of runtime chunks; each page inlines a few of them.
        self.chunks = [make_js_chunk(rng, rng.randint(6000, 14000))
                       for _ in range(24)]
        self.i18n = make_i18n(rng)
        self.flags = {f"flag_{rng.choice(WORDS)}_{i}": rng.random() < 0.5
                      for i in range(60)}
        self.sentences = []
        for _ in range(4000):
            n = rng.randint(8, 24)
            words = [rng.choice(WORDS) for _ in range(n)]
            words[0] = words[0].capitalize()
            self.sentences.append(" ".join(words) + rng.choice(".....?!"))


# --------------------------------------------------------------------------
# The model: shows with episodes and related shows.


class Show:
    __slots__ = ("sid", "name", "slug", "author", "topic", "paras", "rating",
                 "count", "listeners", "episodes", "related", "browse_page")


class Episode:
    __slots__ = ("eid", "title", "slug", "paras", "date", "minutes")


def slugify(s):
    out = []
    for ch in s.lower():
        if ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def paragraphs(rng, bulk, n_min, n_max):
    paras = []
    for _ in range(rng.randint(n_min, n_max)):
        paras.append(" ".join(rng.choice(bulk.sentences)
                              for _ in range(rng.randint(2, 5))))
    return paras


def build_model(rng, bulk, n_pages):
    n_shows = max(1, -(-n_pages // (EPISODES_PER_SHOW + 1)))
    shows = []
    used_names = set()
    for i in range(n_shows):
        s = Show()
        s.sid = 100000 + i * 7 + rng.randrange(7)
        while True:
            name = ("The " if rng.random() < 0.3 else "") + \
                rng.choice(ADJECTIVES) + " " + rng.choice(NOUNS) + \
                rng.choice(SUFFIXES)
            if name not in used_names:
                break
            name = f"{name} {rng.randint(2, 99)}"
            if name not in used_names:
                break
        used_names.add(name)
        s.name = name
        s.slug = f"{slugify(name)}-{s.sid}"
        s.author = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        s.topic = rng.choice(TOPICS)
        s.paras = paragraphs(rng, bulk, 2, 4)
        s.rating = round(rng.uniform(3.0, 5.0), 1)
        s.count = int(rng.paretovariate(1.2) * 20)
        s.listeners = pick_listeners(rng)
        s.episodes = []
        s.browse_page = i // SHOWS_PER_BROWSE_PAGE + 1
        shows.append(s)
    # Episodes, trimmed so that shows + episodes == n_pages.
    budget = max(0, n_pages - n_shows)
    for s in shows:
        k = min(EPISODES_PER_SHOW, budget)
        budget -= k
        for j in range(k):
            e = Episode()
            e.eid = s.sid * 1000 + j
            e.title = (f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}: "
                       f"{' '.join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))).capitalize()}")
            e.slug = f"{slugify(e.title)}-{e.eid}"
            e.paras = paragraphs(rng, bulk, 4, 8)
            e.date = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2019, 2025)}"
            e.minutes = rng.randint(3, 95)
            s.episodes.append(e)
    # Related shows: a ring neighbour (so every show is reachable through
    # related links too) plus random ones.
    for i, s in enumerate(shows):
        rel = []
        if n_shows > 1:
            rel.append(shows[(i + 1) % n_shows])
        k = min(RELATED_PER_PAGE, n_shows - 1)
        while len(rel) < k:
            o = shows[rng.randrange(n_shows)]
            if o is not s and o not in rel:
                rel.append(o)
        s.related = rel
    return shows


# --------------------------------------------------------------------------
# Page templates.


def head(bulk, rng, title, desc, canonical, css_href):
    chunk_files = "".join(
        f'<script src="{css_href}_next/static/chunks/{rng.randrange(100, 999)}-'
        f'{rng.getrandbits(64):016x}.js" defer=""></script>' for _ in range(8))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=5"/>'
        f'<title>{esc(title)} | Podnest</title>'
        f'<meta name="description" content="{esc(desc)}"/>'
        '<meta name="robots" content="index,follow"/>'
        f'<meta property="og:title" content="{esc(title)} | Podnest"/>'
        f'<meta property="og:description" content="{esc(desc)}"/>'
        '<meta property="og:type" content="website"/><meta property="og:site_name" content="Podnest"/>'
        '<meta name="twitter:card" content="summary_large_image"/>'
        '<meta name="theme-color" content="#16141f"/>'
        f'<link rel="canonical" href="{canonical}"/>'
        f'<link rel="icon" href="{css_href}favicon.ico"/>'
        f'<link rel="stylesheet" href="{css_href}_next/static/css/9e3f526d91fc08d4.css" data-n-g=""/>'
        f'{chunk_files}'
        "<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),"
        "event:'gtm.js'});var f=d.getElementsByTagName(s)[0],j=d.createElement(s),"
        "dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src='https://www.googletagmanager.com/gtm.js?id='"
        "+i+dl;f.parentNode.insertBefore(j,f);})(window,document,'script','dataLayer','GTM-PODNEST');</script>"
        f'<style>{bulk.css}</style></head>')


def header(root):
    return (
        '<div id="__next"><div class="Layout_root__aTzpX"><header class="Header_root__6BWwc">'
        f'<a class="Header_logo__9--mj" href="{root}index.html" aria-label="Podnest home">{SVG_LOGO}</a>'
        '<nav class="Header_nav__32FV2">'
        f'<a class="Header_navLink__FRHkY" href="{root}browse/page-1.html">Discover</a>'
        f'<a class="Header_navLink__FRHkY" href="{root}info/charts.html">Top charts</a>'
        f'<a class="Header_navLink__FRHkY" href="{root}info/lists.html">Lists</a>'
        f'<a class="Header_navLink__FRHkY" href="{root}info/creators.html">Creators</a>'
        f'<a class="Header_navLink__FRHkY" href="{root}search?q=">Search</a></nav>'
        '<div class="Header_actions__Apodl">'
        f'<a class="Header_loginBtn__MXkUk" href="{root}account/login">Log in</a>'
        f'<a class="Header_signupBtn__ldM2Z" href="{root}account/signup">Sign up</a></div></header>'
        '<div class="AuthModal_overlay__lbDgt" role="dialog" aria-modal="true" hidden="">'
        '<div class="AuthModal_card__ZuqZM"><h2 class="AuthModal_title__QMYPX">Sign up to save your podcasts</h2>'
        '<div class="AuthModal_providers__b00Et">'
        '<button class="AuthModal_provider__62Qh8" type="button" aria-label="Continue with Google"></button>'
        '<button class="AuthModal_provider__62Qh8" type="button" aria-label="Continue with Apple"></button></div>'
        '<div class="AuthModal_divider__L9P0G"><span>Or</span></div>'
        f'<form class="AuthModal_form__CNCqq" action="{root}account/email" method="post">'
        '<input class="AuthModal_input__PrWPq" type="email" name="email" placeholder="Email address"/>'
        '</form></div></div><main class="Layout_main__ZYrXF"><div class="Layout_container__oldvd">')


FOOTER_PAGES = (("about", "About us"), ("careers", "Careers"), ("press", "Press"),
                ("charts", "Top charts"), ("lists", "Podcast lists"),
                ("creators", "Creators"), ("terms", "Terms of service"),
                ("privacy", "Privacy policy"))


def footer(root):
    links = "".join(f'<li><a class="Footer_link__uqV_t" href="{root}info/{p}.html">{t}</a></li>'
                    for p, t in FOOTER_PAGES)
    return (
        '</div></main><div class="Player_root__kj-pR" aria-hidden="true"><div class="Player_bar__iVfNG">'
        '</div></div><footer class="Footer_root__uoquk"><div class="Footer_cols__Pxwiz">'
        f'<div class="Footer_col__Gkjm1"><h4>Podnest</h4><ul>{links}</ul></div></div>'
        '<div class="Footer_bottom__O2nRK"><a href="https://apps.apple.com/app/podnest/id1512303234" '
        'aria-label="Download on the App Store">App Store</a><p>© 2025 Podnest Inc. All rights reserved.'
        '</p></div></footer></div></div>')


def tail_scripts(bulk, rng, state):
    chunks = "".join(f"<script>{c}</script>"
                     for c in rng.sample(bulk.chunks, rng.randint(4, 7)))
    return (f'<script id="__NEXT_DATA__" type="application/json">{state}</script>'
            f"{chunks}</body></html>")


def rating_html(s):
    return (
        '<div class="Rating_root__lP9Pq flex items-center">'
        '<img class="Rating_star__Ghlud" src="/images/icons/star-filled.svg" alt="star filled" width="16" height="16"/>'
        f'<span class="Rating_value__9issf">{s.rating:.1f}</span></div>'
        f'<p class="Rating_count__a3iY2">{fmt_count(s.count)} ratings</p>')


def related_html(s, prefix):
    cards = []
    for o in s.related:
        cards.append(
            f'<a class="PodcastCard_root___WSA1" href="{prefix}{o.slug}.html">'
            f'<img class="PodcastCard_cover__5urJm" src="https://cdn.podnest.example/podcasts/{o.sid}/cover-200.jpg" '
            'alt="" loading="lazy" width="120" height="120"/>'
            f'<p class="PodcastCard_title__61-lr">{esc(o.name)}</p>'
            f'<p class="PodcastCard_listeners__HXX_t">{SVG_HEADPHONES}'
            f'<span>{fmt_listeners(o.listeners)} Listeners</span></p></a>')
    return ('<section class="Related_root__7-BAf"><h2 class="Related_heading__GqNYn">You may also like</h2>'
            f'<div class="Related_grid__HEeqY">{"".join(cards)}</div></section>')


def related_state(s):
    return [{"id": o.sid, "title": o.name, "slug": o.slug,
             "description": o.paras[0][:180],
             "num_unique_listeners": o.listeners,
             "summary_listen_data": {"display_listen_count": o.listeners}}
            for o in s.related]


def show_state(bulk, s):
    return {
        "id": s.sid, "title": s.name, "artist": s.author, "slug": s.slug,
        "description": "\n\n".join(s.paras), "review_average": s.rating,
        "total_reviews": s.count, "num_unique_listeners": s.listeners,
        "episode_count": len(s.episodes), "category": s.topic,
    }


def next_data(bulk, page, props):
    return json.dumps({
        "props": {"pageProps": props, "messages": bulk.i18n,
                  "featureFlags": bulk.flags, "user": None},
        "page": page, "query": {}, "buildId": "05zm93H0ro4iGUnDXBeW2",
        "isFallback": False, "gsp": True, "locale": "en",
    }, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def show_page(bulk, rng, s):
    root = "../"
    desc_meta = s.paras[0][:150] + "…"
    eps = "".join(
        '<li class="EpisodeList_item__GlUGt">'
        f'<a class="EpisodeList_itemTitle__hGRaS" href="{s.slug}/{e.slug}.html">{esc(e.title)}</a>'
        f'<div class="EpisodeList_itemMeta__F89y7"><time>{e.date}</time> · <span>{e.minutes} min</span></div>'
        f'<p class="EpisodeList_itemDesc__kXSct line-clamp-2">{esc(e.paras[0][:110])}…</p>'
        f'<button class="EpisodeList_play__x1" type="button" aria-label="Play">{SVG_PLAY}</button></li>'
        for e in s.episodes)
    about = "".join(f"<p>{esc(p)}</p>" for p in s.paras)
    body = (
        '<body>' + header(root) +
        f'<nav class="Breadcrumb_root__q1"><a href="{root}index.html">Home</a> › '
        f'<a href="{root}browse/page-{s.browse_page}.html">Discover</a> › <span>{esc(s.name)}</span></nav>'
        '<section class="ShowHero_root___AriU">'
        f'<img class="ShowHero_cover__oUrje" src="https://cdn.podnest.example/podcasts/{s.sid}/cover-400.jpg" '
        f'alt="{esc(s.name)} podcast cover" width="200" height="200"/><div>'
        f'<h1 class="ShowHero_title__myaO-">{esc(s.name)}</h1>'
        f'<p class="ShowHero_categories__uFDKU">{esc(s.topic)} · {len(s.episodes)} episodes</p>'
        + rating_html(s) +
        '<div class="ShowHero_about__ZEKNZ"><h2 class="sr-only">About this podcast</h2>'
        f'{about}</div></div></section>'
        '<section class="EpisodeList_root__O0Nsx"><h2 class="EpisodeList_heading__sgxPi">Episodes</h2>'
        f'<ul>{eps}</ul></section>' + related_html(s, "") + footer(root))
    state = next_data(bulk, "/podcasts/[slug]", {
        "podcast": show_state(bulk, s),
        "episodes": [{"title": e.title, "slug": e.slug, "published_date": e.date,
                      "description_preview": e.paras[0][:110] + "…"} for e in s.episodes],
        "relatedPodcasts": related_state(s)})
    return (head(bulk, rng, f"{s.name} - Podcast", desc_meta, f"{s.slug}.html", root)
            + body + tail_scripts(bulk, rng, state))


def episode_page(bulk, rng, s, idx):
    e = s.episodes[idx]
    root = "../../"
    desc = "".join(f"<p>{esc(p)}</p>" for p in e.paras)
    clamp = "".join(f"<p>{esc(p)}</p>" for p in e.paras[:2])
    more = "".join(
        f'<li><a class="MoreEpisodes_link__p2" href="{o.slug}.html">{esc(o.title)}</a>'
        f'<time>{o.date}</time></li>'
        for j, o in enumerate(s.episodes) if j != idx)
    body = (
        '<body>' + header(root) +
        '<section class="EpisodeHero_root__mfkDJ">'
        f'<img class="EpisodeHero_cover__RF1ow" src="https://cdn.podnest.example/podcasts/{s.sid}/cover-400.jpg" '
        f'alt="{esc(s.name)} podcast cover" width="180" height="180"/><div class="EpisodeHero_info__USdJh">'
        f'<h1 class="EpisodeHero_title__CGjI4">{esc(e.title)}</h1>'
        f'<div class="EpisodeHero_meta__cxklY"><time>{e.date}</time><span aria-hidden="true">·</span>'
        f'<span>{e.minutes} min</span></div>'
        f'<div class="EpisodeHero_desc___Zz3N line-clamp-3">{clamp}</div>'
        f'<div class="EpisodeHero_byline__f8KeS flex items-center"><span>By <a href="../{s.slug}.html">'
        f'{esc(s.name)}</a></span>' + rating_html(s) + '</div>'
        f'<button class="EpisodeHero_playBtn__WEzP-" type="button" aria-label="Play episode">{SVG_PLAY}</button>'
        '</div></section>'
        f'<section class="EpisodeDescription_root__xPEGv"><div class="EpisodeDescription_body__Mp6Ni">{desc}</div></section>'
        '<section class="MoreEpisodes_root__m1"><h2>More episodes</h2>'
        f'<ul>{more}</ul></section>' + related_html(s, "../") + footer(root))
    state = next_data(bulk, "/podcasts/[slug]/[episode]", {
        "episode": {"id": e.eid, "title": e.title, "slug": e.slug,
                    "description": "\n\n".join(e.paras), "published_date": e.date,
                    "duration": e.minutes * 60},
        "podcast": show_state(bulk, s),
        "relatedPodcasts": related_state(s)})
    return (head(bulk, rng, f"{e.title} - {s.name}", e.paras[0][:150] + "…",
                 f"{e.slug}.html", root)
            + body + tail_scripts(bulk, rng, state))


def simple_page(bulk, rng, root, title, content):
    return (head(bulk, rng, title, title, "", root) + "<body>" + header(root) +
            content + footer(root) + "</body></html>")


def browse_page(bulk, rng, shows, page, n_pages):
    lo = (page - 1) * SHOWS_PER_BROWSE_PAGE
    items = "".join(
        f'<li><a href="../podcasts/{s.slug}.html">{esc(s.name)}</a> '
        f'<span>{esc(s.topic)}</span></li>'
        for s in shows[lo:lo + SHOWS_PER_BROWSE_PAGE])
    nav = []
    if page > 1:
        nav.append(f'<a rel="prev" href="page-{page - 1}.html">Previous</a>')
    if page < n_pages:
        nav.append(f'<a rel="next" href="page-{page + 1}.html">Next</a>')
    return simple_page(bulk, rng, "../", f"Discover podcasts, page {page}",
                       f"<h1>Discover podcasts</h1><ul>{items}</ul>"
                       f'<nav class="Pager">{" ".join(nav)}</nav>')


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return len(text.encode("utf-8"))


def generate(out, n_pages, seed):
    rng = random.Random(seed)
    bulk = Bulk(rng)
    shows = build_model(rng, bulk, n_pages)
    os.makedirs(os.path.join(out, "podcasts"), exist_ok=True)
    os.makedirs(os.path.join(out, "browse"), exist_ok=True)
    os.makedirs(os.path.join(out, "info"), exist_ok=True)
    n_browse = -(-len(shows) // SHOWS_PER_BROWSE_PAGE)
    sizes = []
    with open(os.path.join(out, "expected.jsonl"), "w", encoding="utf-8") as exp:
        for s in shows:
            related = [{"name": o.name, "url": f"podcasts/{o.slug}.html",
                        "listeners": o.listeners} for o in s.related]
            rating = {"value": s.rating, "count": s.count}
            path = f"podcasts/{s.slug}.html"
            sizes.append(write(os.path.join(out, path), show_page(bulk, rng, s)))
            exp.write(json.dumps({"path": path, "kind": "show", "show_name": s.name,
                                  "description": "\n".join(s.paras), "rating": rating,
                                  "related_shows": related}, ensure_ascii=False) + "\n")
            if s.episodes:
                os.makedirs(os.path.join(out, "podcasts", s.slug), exist_ok=True)
            for j, e in enumerate(s.episodes):
                path = f"podcasts/{s.slug}/{e.slug}.html"
                sizes.append(write(os.path.join(out, path), episode_page(bulk, rng, s, j)))
                exp.write(json.dumps({"path": path, "kind": "episode", "show_name": s.name,
                                      "description": "\n".join(e.paras), "rating": rating,
                                      "related_shows": related}, ensure_ascii=False) + "\n")
    for p in range(1, n_browse + 1):
        write(os.path.join(out, "browse", f"page-{p}.html"),
              browse_page(bulk, rng, shows, p, n_browse))
    for p, t in FOOTER_PAGES:
        write(os.path.join(out, "info", f"{p}.html"),
              simple_page(bulk, rng, "../", t, f"<h1>{t}</h1><p>{esc(bulk.sentences[0])}</p>"))
    pages = "".join(f'<li><a href="browse/page-{p}.html">Page {p}</a></li>'
                    for p in range(1, n_browse + 1))
    write(os.path.join(out, "index.html"),
          simple_page(bulk, rng, "", "Podnest: discover podcasts",
                      f"<h1>Discover podcasts</h1><ul>{pages}</ul>"))
    write(os.path.join(out, "robots.txt"),
          "User-agent: *\nDisallow: /account/\nDisallow: /search\n")
    info = {
        "podcast_pages": len(sizes),
        "shows": len(shows),
        "episodes": len(sizes) - len(shows),
        "other_pages": n_browse + len(FOOTER_PAGES) + 1,
        "html_pages": len(sizes) + n_browse + len(FOOTER_PAGES) + 1,
        "podcast_bytes": sum(sizes),
        "mean_page_bytes": sum(sizes) // max(1, len(sizes)),
        "min_page_bytes": min(sizes) if sizes else 0,
        "max_page_bytes": max(sizes) if sizes else 0,
        "seed": seed,
    }
    with open(os.path.join(out, "site.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)
    return info


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", help="output directory (created)")
    ap.add_argument("--pages", type=int, default=10000,
                    help="number of podcast (show + episode) pages (default 10000)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.pages < 1:
        ap.error("--pages must be at least 1")
    info = generate(args.out, args.pages, args.seed)
    json.dump(info, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
