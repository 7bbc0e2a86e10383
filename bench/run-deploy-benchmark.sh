#!/usr/bin/env bash
# Deploy-time benchmark: the engine against a hand-written shell baseline, alternating pairs on a warm
# build cache, median ratio printed. Needs Docker, Caddy and the local base images
# (scripts/provision-test-env.sh). Usage: bench/run-deploy-benchmark.sh [pairs]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export LOG_LEVEL="${LOG_LEVEL:-WARN}"
mvn -q -B -ntp -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile="$root/bench/target/classpath.txt" -DincludeScope=runtime
exec java -cp "$root/bench/target/ployer-bench-0.1.0-SNAPSHOT.jar:$(cat "$root/bench/target/classpath.txt")" \
  io.ployer.bench.DeployBenchmark "${1:-10}"
