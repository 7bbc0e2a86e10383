#!/usr/bin/env bash
# Server benchmark: resident memory and GET /api/v1/applications throughput of the reference server
# against a bare Undertow handler with the same JVM flags, in the same run. Usage: bench/run-server-benchmark.sh [rounds]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -ntp -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile="$root/bench/target/classpath.txt" -Dmdep.includeScope=runtime
exec java -cp "$root/bench/target/ployer-bench-0.1.0-SNAPSHOT.jar:$(cat "$root/bench/target/classpath.txt")" \
  io.ployer.bench.ServerBenchmark "${1:-3}"
