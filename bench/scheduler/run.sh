#!/usr/bin/env bash
# Scheduling-cycle throughput and memory per pending job on a synthetic cluster (5,000 nodes,
# 50 queues in 5 cohorts, 50,000 pending gangs of 1-64 replicas), against a naive per-job full scan
# measured in the same run. Usage:
#   bench/scheduler/run.sh [--nodes 5000] [--queues 50] [--cohorts 5] [--jobs 50000] [--churn-cycles 20] [--repeats 3]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [[ -n "$candidate" && -x "$candidate/bin/java" ]] || continue
  major="$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
  if [[ "${major%%.*}" -ge 21 ]]; then export JAVA_HOME="$candidate"; break; fi
done
cd "$ROOT"
export OPT_OUT_TRACKING=true
mvn -q -B ${MAVEN_ARGS:-} -pl api,core install -DskipTests
mvn -q -B ${MAVEN_ARGS:-} -f bench/scheduler/pom.xml compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec "$JAVA_HOME/bin/java" -Xmx4g ${BENCH_JAVA_OPTS:-} \
  -cp "bench/scheduler/target/classes:$(cat bench/scheduler/target/classpath.txt)" \
  dev.capstan.bench.scheduler.SchedulerBench "$@"
