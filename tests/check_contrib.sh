#!/bin/sh
# Checks contrib/'s cron line and systemd timer (issue 13, item 13):
# - the crontab line runs under cron's environment (sh, PATH=/usr/bin:/bin,
#   HOME as working directory): podcrawl is named by an absolute path or the
#   crontab sets a PATH holding it, and the line makes its log folder. The line
#   is run as written, with only podcrawl's path and the config's replaced by
#   the built binary and a test config;
# - the timer's Persistent= fits its trigger: systemd.timer(5) applies it to
#   OnCalendar= only, so Persistent=true needs an OnCalendar= line (checked with
#   systemd-analyze calendar when it is installed).
# Usage: check_contrib.sh SOURCE_DIR PODCRAWL_BINARY
root=$1
binary=$2
crontab="$root/contrib/cron/podcrawl.crontab"
timer="$root/contrib/systemd/podcrawl-run.timer"
fail() { echo "contrib check: $*"; exit 1; }

# The job: the one line that is neither a comment, blank, nor NAME=VALUE.
job=$(grep -vE '^[[:space:]]*(#|$)' "$crontab" | grep -vE '^[A-Za-z_]+=')
[ "$(printf '%s\n' "$job" | wc -l)" -eq 1 ] || fail "expected one job line in $crontab"
command=$(printf '%s\n' "$job" | cut -d' ' -f6-)
path_line=$(grep -E '^PATH=' "$crontab")
program=$(printf '%s\n' "$command" | grep -oE '[^ ;&|]*podcrawl run' | head -n1 | cut -d' ' -f1)
case $program in
  /*) ;;
  *) [ -n "$path_line" ] || fail "'$program' needs a PATH= line: cron's PATH is /usr/bin:/bin";;
esac
config=$(printf '%s\n' "$command" | grep -oE -- '--config [^ ]+' | cut -d' ' -f2)
[ -n "$config" ] || fail "no --config in the cron line"

home=$(mktemp -d) || fail "mktemp"
trap 'rm -rf "$home"' EXIT
cat >"$home/test.json" <<JSON
{"db": "podcasts.db", "crawl": {"max_attempts": 1},
 "schedules": [{"name": "t", "seeds": ["http://127.0.0.1:1/"], "every": "1d"}]}
JSON
# The line as written, with the binary and the config replaced.
run=$(printf '%s\n' "$command" | sed -e "s#$program #$binary #" -e "s#--config $config#--config $home/test.json#")
cron_path=/usr/bin:/bin
[ -n "$path_line" ] && cron_path=${path_line#PATH=}
(cd "$home" && env -i PATH="$cron_path" HOME="$home" SHELL=/bin/sh LOGNAME=podcrawl /bin/sh -c "$run")
code=$?
[ $code -ne 126 ] && [ $code -ne 127 ] || fail "the cron line could not run its program (exit $code)"
[ -d "$home/log" ] || fail "the cron line did not make its log folder"
ls "$home"/log/* >/dev/null 2>&1 || fail "the cron line wrote no log file"
[ -f "$home/podcasts.db" ] || fail "the cron line's run made no database in HOME"

if grep -qE '^Persistent=(true|yes|1|on)' "$timer"; then
  calendar=$(grep -E '^OnCalendar=' "$timer" | head -n1 | cut -d= -f2-)
  [ -n "$calendar" ] || fail "Persistent=true in $timer needs an OnCalendar= trigger"
  if command -v systemd-analyze >/dev/null 2>&1; then
    systemd-analyze calendar "$calendar" >/dev/null 2>&1 || fail "OnCalendar=$calendar is not a valid calendar spec"
  fi
fi
echo "contrib ok"
