#!/usr/bin/env bash
# Runs every test of every module on a JDK >= 21 found under /usr/lib/jvm (or JAVA_HOME).
set -euo pipefail
cd "$(dirname "$0")"
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [[ -n "$candidate" && -x "$candidate/bin/java" ]] || continue
  major="$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
  if [[ "${major%%.*}" -ge 21 ]]; then export JAVA_HOME="$candidate"; break; fi
done
export OPT_OUT_TRACKING=true
exec mvn -B install "$@"
