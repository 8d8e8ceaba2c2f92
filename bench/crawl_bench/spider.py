#!/usr/bin/python3
"""The Scrapy side of the crawl benchmark.

A spider that crawls the generated site the way `podcrawl crawl` does (every
same-host link followed, robots.txt obeyed, no delay) and extracts the same
four fields from each podcast page with CSS/XPath selectors: show name,
description, rating (value and count) and related shows (name, url,
listeners). Items go to a JSON Lines file.

Run it standalone (it starts its own CrawlerProcess):

  spider.py --url http://127.0.0.1:PORT/index.html --out items.jsonl \
            [--stats stats.json] [--concurrency 16] [--per-host 16]

or with `scrapy runspider spider.py -a start_url=URL -o items.jsonl`
(then the settings below come from custom_settings and the command line).
"""

import argparse
import json
import re
import sys

import scrapy
from scrapy.crawler import CrawlerProcess

_COUNT_RE = re.compile(r"([\d][\d,.\s]*)\s*([KkMm])?")


def parse_count(text):
    """'1,234 ratings' -> 1234, '1.2K Listeners' -> 1200, '845' -> 845."""
    if not text:
        return None
    m = _COUNT_RE.search(text)
    if not m:
        return None
    num, suffix = m.group(1).strip(), m.group(2)
    if suffix:
        value = float(num.replace(",", "."))
        return int(round(value * (1000 if suffix in "Kk" else 1000000)))
    digits = re.sub(r"[,.\s]", "", num)
    return int(digits) if digits else None


def parse_float(text):
    if not text:
        return None
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def clean(text):
    return " ".join(text.split()) if text else None


class PodcastSpider(scrapy.Spider):
    name = "podcasts"
    custom_settings = {
        "ROBOTSTXT_OBEY": True,
        "DOWNLOAD_DELAY": 0,
        "RANDOMIZE_DOWNLOAD_DELAY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "RETRY_ENABLED": True,
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }

    def __init__(self, start_url=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not start_url:
            raise ValueError("spider needs -a start_url=URL")
        self.start_urls = [start_url]
        self.seen = {start_url}
        host = re.match(r"https?://([^/:]+)", start_url).group(1)
        # Same scope as podcrawl's default: the seed's host.
        self.allowed_domains = [host]

    def start_requests(self):
        # Not dont_filter (Scrapy's default for start URLs): the index is linked
        # from every page and must not be fetched twice.
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response):
        if not isinstance(response, scrapy.http.HtmlResponse):
            return
        item = self.extract(response)
        if item is not None:
            yield item
        # Skip links this spider already requested before building a Request:
        # Scrapy's dupefilter would drop them too, but only after a Request,
        # the spider middlewares and a fingerprint per link (most of Scrapy's
        # time on pages with ~50 links). This makes the baseline faster.
        for href in response.xpath("//a/@href").getall():
            url = response.urljoin(href).split("#", 1)[0]
            # javascript:, mailto:, tel: ... are no pages (real pages have
            # them; a Request for one raises and ends the page's links).
            if not url.startswith(("http://", "https://")):
                continue
            if url not in self.seen:
                self.seen.add(url)
                yield scrapy.Request(url, callback=self.parse)

    def extract(self, response):
        show_hero = response.css('section[class^="ShowHero_root"]')
        ep_hero = response.css('section[class^="EpisodeHero_root"]')
        if show_hero:
            kind = "show"
            show_name = clean(show_hero.css('h1[class^="ShowHero_title"]::text').get())
            paras = show_hero.css('div[class^="ShowHero_about"] p::text').getall()
        elif ep_hero:
            kind = "episode"
            show_name = clean(ep_hero.css('div[class^="EpisodeHero_byline"] a::text').get())
            paras = response.css('div[class^="EpisodeDescription_body"] p::text').getall()
        else:
            return None
        description = "\n".join(clean(p) or "" for p in paras) or None
        value = parse_float(response.css('span[class^="Rating_value"]::text').get())
        count = parse_count(response.css('p[class^="Rating_count"]::text').get())
        rating = None if value is None and count is None else {"value": value, "count": count}
        # One query per list (not per card): parsel compiles every XPath it runs.
        section = response.xpath(
            '//section[h2[contains(translate(., "YMALIKE", "ymalike"), "you may also like")]]')
        cards = 'a[class^="PodcastCard_root"]'
        hrefs = section.css(f"{cards}::attr(href)").getall()
        names = section.css(f'{cards} p[class^="PodcastCard_title"]::text').getall()
        counts = section.css(f'{cards} p[class^="PodcastCard_listeners"] span::text').getall()
        related = [{"name": clean(n), "url": response.urljoin(h), "listeners": parse_count(c)}
                   for h, n, c in zip(hrefs, names, counts)]
        return {"url": response.url, "kind": kind, "show_name": show_name,
                "description": description, "rating": rating, "related_shows": related}


def main():
    ap = argparse.ArgumentParser(description="Scrapy half of bench/crawl_bench")
    ap.add_argument("--url", required=True, help="start URL")
    ap.add_argument("--out", required=True, help="items, JSON Lines")
    ap.add_argument("--stats", help="write Scrapy's crawl stats here (JSON)")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--per-host", type=int, default=None)
    args = ap.parse_args()
    per_host = args.per_host or args.concurrency
    process = CrawlerProcess(settings={
        "CONCURRENT_REQUESTS": args.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": per_host,
        "CONCURRENT_REQUESTS_PER_IP": 0,
        "FEEDS": {args.out: {"format": "jsonlines", "encoding": "utf8", "overwrite": True}},
        "LOG_LEVEL": "WARNING",
    })
    crawler = process.create_crawler(PodcastSpider)
    process.crawl(crawler, start_url=args.url)
    process.start()
    stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
             for k, v in crawler.stats.get_stats().items()}
    if args.stats:
        with open(args.stats, "w", encoding="utf-8") as f:
            json.dump(stats, f, indent=1, sort_keys=True)
    errors = stats.get("log_count/ERROR", 0)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
