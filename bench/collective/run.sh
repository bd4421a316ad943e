#!/usr/bin/env bash
# All-reduce bus bandwidth (1 MB..256 MB, 2 and 4 processes) against a raw loopback TCP stream
# measured in the same run, then training samples/s with 1 and 2 workers. Usage:
#   bench/collective/run.sh [--sizes-mb 1,4,16,64,256] [--iterations 5] [--skip-training]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [[ -n "$candidate" && -x "$candidate/bin/java" ]] || continue
  major="$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
  if [[ "${major%%.*}" -ge 21 ]]; then export JAVA_HOME="$candidate"; break; fi
done
cd "$ROOT"
mvn -q -B -pl train install -DskipTests
mvn -q -B -f bench/collective/pom.xml compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
export OPT_OUT_TRACKING=true
exec "$JAVA_HOME/bin/java" -Dai.djl.offline=true \
  -cp "bench/collective/target/classes:$(cat bench/collective/target/classpath.txt)" \
  dev.capstan.bench.collective.CollectiveBench "$@"
