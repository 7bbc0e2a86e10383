#!/usr/bin/env bash
# Webhook-to-live benchmark: a signed GitHub push to the Ployer server until the new commit answers through Caddy,
# against a shell baseline (clone, build, run, one Caddy call) started at the same moment, changed commit each round;
# min/median/max, the time Ployer adds and ratios printed. Needs Docker and Caddy. Usage: bench/run-webhook-benchmark.sh [rounds]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# The server runs on exactly the classpath bin/ployer gives it (not the harness's, which adds the test kit).
mvn -q -B -ntp ${BENCH_MVN_FLAGS:-} -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-cp.txt -DincludeScope=runtime
exec java -Dbench.ployer.classpath="$root/ployer-server/target/ployer-server-0.1.0-SNAPSHOT.jar:$(cat "$root/ployer-server/target/runtime-cp.txt")" \
  -cp "$root/bench/target/ployer-bench-0.1.0-SNAPSHOT.jar:$(cat "$root/bench/target/runtime-cp.txt")" \
  io.ployer.bench.WebhookBenchmark "${1:-3}"
