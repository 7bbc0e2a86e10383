#!/usr/bin/env bash
# Cold-start benchmark: launch to first 200 on /api/v1/health of the Ployer server (restarted on its data
# directory) against the JDK's own HTTP server with the same JVM flags (bin/jvm.options), alternating,
# min/median/max and ratios printed. Usage: bench/run-cold-start-benchmark.sh [rounds]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# The server runs on exactly the classpath bin/ployer gives it (not the harness's, which adds the test kit).
mvn -q -B -ntp ${BENCH_MVN_FLAGS:-} -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-cp.txt -DincludeScope=runtime
exec java -Dbench.ployer.classpath="$root/ployer-server/target/ployer-server-0.1.0-SNAPSHOT.jar:$(cat "$root/ployer-server/target/runtime-cp.txt")" \
  -cp "$root/bench/target/ployer-bench-0.1.0-SNAPSHOT.jar:$(cat "$root/bench/target/runtime-cp.txt")" \
  io.ployer.bench.ColdStartBenchmark "${1:-5}"
