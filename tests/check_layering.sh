#!/bin/sh
# Fails when a module includes a module it must not depend on (DESIGN.md, "Architecture"):
# parser, storage and config depend on core only; crawler does not see parser, storage or cli;
# core depends on nothing of ours; app (the orchestration) sees every module but never cli.
root=${1:-.}
status=0
check() {  # check DIR FORBIDDEN...
  dir=$1; shift
  for other in "$@"; do
    hits=$(grep -rnE "#include +\"$other/" "$root/$dir" 2>/dev/null)
    if [ -n "$hits" ]; then
      echo "layering violation: $dir/ includes $other/:"; echo "$hits"; status=1
    fi
  done
}
check core config parser storage crawler cli app
check parser config storage crawler cli app
check storage config parser crawler cli app
check config parser storage crawler cli app
check crawler parser storage cli config app
check app cli
[ $status -eq 0 ] && echo "layering ok"
exit $status
