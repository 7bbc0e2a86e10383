#!/usr/bin/env bash
# Health monitor benchmark: CPU share of one core with 200 healthy apps checked every 15 s, against the
# same JVM idling, in the same run. Usage: bench/run-health-benchmark.sh [seconds] (default 300)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export LOG_LEVEL="${LOG_LEVEL:-WARN}"
mvn -q -B -ntp -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile="$root/bench/target/classpath.txt" -DincludeScope=runtime
exec java $(grep -v '^#' "$root/bin/jvm.options" | tr '\n' ' ') -cp "$root/bench/target/ployer-bench-0.1.0-SNAPSHOT.jar:$(cat "$root/bench/target/classpath.txt")" \
  io.ployer.bench.HealthMonitorBenchmark "${1:-300}"
