#!/bin/sh
# bench/crawl_bench: podcrawl against Scrapy on a generated podcast site served
# by nginx on 127.0.0.1. See README.md. All options go to bench.py (--help).
set -eu
here=$(cd "$(dirname "$0")" && pwd)

# Which halves run decides which packages are needed.
need_scrapy=1
for arg in "$@"; do
  case "$arg" in
    --frontier-1m|--only=podcrawl) need_scrapy=0 ;;
  esac
done
prev=""
for arg in "$@"; do
  if [ "$prev" = "--only" ] && [ "$arg" = "podcrawl" ]; then need_scrapy=0; fi
  prev=$arg
done

missing=""
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  missing="$missing nginx-light"
fi
if [ ! -x /usr/bin/time ]; then
  missing="$missing time"
fi
if [ ! -x /usr/bin/python3 ]; then
  missing="$missing python3"
elif [ "$need_scrapy" = 1 ] && ! /usr/bin/python3 -c 'import scrapy' >/dev/null 2>&1; then
  missing="$missing python3-scrapy"
fi
if [ -n "$missing" ]; then
  echo "crawl_bench: missing Debian packages:$missing" >&2
  echo "install them with: apt-get install -y$missing" >&2
  exit 2
fi

exec /usr/bin/python3 "$here/bench.py" "$@"
