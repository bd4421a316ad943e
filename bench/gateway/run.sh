#!/usr/bin/env bash
# One command, one run, figures side by side:
#   bench/gateway/run.sh [SECONDS_PER_POINT [coldstart|overhead|rollout|local ...]]
# Needs /usr/bin/python3 with torch and onnx (python3-torch, python3-onnx); wrk and h2load are used
# when installed (apt-get install -y wrk nghttp2-client), and their rows are skipped otherwise.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$here/../.."
export JAVA_HOME="${JAVA_HOME:-$(ls -d /usr/lib/jvm/*25* /usr/lib/jvm/*21* 2>/dev/null | head -1)}"
export OPT_OUT_TRACKING=true
work="$here/target/bench"; mkdir -p "$work"
[[ -f "$work/v2/model.onnx" ]] || /usr/bin/python3 "$here/make_models.py" "$work" 2>/dev/null
for module in api core serve gateway; do
  mvn -B -q -f "$root/$module/pom.xml" install -DskipTests
done
(cd "$here" && mvn -B -q package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
# a jar, not target/classes: a class-data-sharing archive cannot be made over a directory on the class path
cp="$(ls "$here"/target/capstan-bench-gateway-*.jar):$(cat "$here/target/classpath.txt")"
exec "$JAVA_HOME/bin/java" -Dai.djl.offline=true -Dcapstan.root="$root" -cp "$cp" dev.capstan.bench.gateway.GatewayBenchmark "$work" "${1:-5}" "${@:2}"
