#!/usr/bin/env bash
# One command, one run, figures side by side: bench/serve/run.sh [SECONDS_PER_POINT [small|large ...]]
# Needs /usr/bin/python3 with torch (python3-torch) and wrk (apt-get install wrk).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$here/../.."
export JAVA_HOME="${JAVA_HOME:-$(ls -d /usr/lib/jvm/*25* /usr/lib/jvm/*21* 2>/dev/null | head -1)}"
export OPT_OUT_TRACKING=true
work="$here/target/bench"; mkdir -p "$work"
[[ -f "$work/large/model.onnx" ]] || /usr/bin/python3 "$here/make_models.py" "$work" 2>/dev/null
mvn -B -q -f "$root/serve/pom.xml" install -DskipTests
(cd "$here" && mvn -B -q package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
exec "$JAVA_HOME/bin/java" -Dai.djl.offline=true -cp "$cp" dev.capstan.bench.serve.ServeBenchmark "$work" "${1:-8}" "${@:2}"
