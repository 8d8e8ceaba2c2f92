#!/bin/sh
# Installs everything podcrawl needs to build, test and run its demo on Debian 12 (bookworm).
# Debian packages only; nothing is downloaded at configure or build time. chromium (headless) is
# for the test that opens `podcrawl report` in a browser (tests/report_browser_test.sh).
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential cmake pkg-config ca-certificates python3 sqlite3 \
  libcurl4-openssl-dev libgumbo-dev nlohmann-json3-dev libsqlite3-dev zlib1g-dev libzstd-dev \
  libexpat1-dev libxxhash-dev libjemalloc-dev \
  libre2-dev libpsl-dev \
  libcli11-dev libfmt-dev libspdlog-dev \
  libgtest-dev libgmock-dev libcpp-httplib-dev libbenchmark-dev \
  clang-format clang-tidy \
  chromium fonts-dejavu-core >/dev/null
echo "install-deps: done"
