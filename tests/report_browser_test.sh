#!/usr/bin/env bash
# The report in a real browser (issue 16): builds a database with history by running the demo's
# schedule over the demo site and its changes (demo/history-demo.sh, loopback only), writes
# `podcrawl report`, opens it in headless Chromium (Debian's chromium; no network: the page loads
# nothing), and checks with tests/check_report.py that it logged no console message, that each
# chart's SVG has one point per snapshot in the database with the database's values, and that
# the screenshots (a laptop's and a phone's width) are not blank.
# Usage: tests/report_browser_test.sh SOURCE_DIR PODCRAWL [SCREENSHOT_DIR]
set -euo pipefail
src=$1
bin=$2
shots=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "report_browser_test: chromium is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi

DEMO_DB="$work/demo.db" ROUNDS=2 REPORT="$work/report.html" \
  "$src/demo/history-demo.sh" "$bin" >"$work/demo.log" 2>&1 || {
  cat "$work/demo.log" >&2
  exit 1
}

# Chromium as root needs --no-sandbox; its own profile in the temp dir, nothing of $HOME.
# Sanitizer options of the podcrawl run are not meant for the browser.
run_browser() {
  env -u ASAN_OPTIONS -u UBSAN_OPTIONS -u LD_PRELOAD timeout 60 "$browser" --headless \
    --no-sandbox --disable-gpu --no-first-run --disable-extensions --disable-sync \
    --user-data-dir="$work/profile" --enable-logging=stderr --v=0 "$@"
}
url="file://$work/report.html"
run_browser --dump-dom "$url" >"$work/dom.html" 2>"$work/console.log"
run_browser --screenshot="$work/laptop.png" --window-size=1280,2400 --hide-scrollbars "$url" \
  >/dev/null 2>>"$work/console.log"
run_browser --screenshot="$work/phone.png" --window-size=390,1600 --hide-scrollbars "$url" \
  >/dev/null 2>>"$work/console.log"
python3 "$src/tests/check_report.py" "$work/demo.db" "$work/dom.html" "$work/console.log" \
  "$work/laptop.png" "$work/phone.png"
if [ -n "$shots" ]; then
  mkdir -p "$shots"
  cp "$work/laptop.png" "$work/phone.png" "$work/report.html" "$shots/"
fi
