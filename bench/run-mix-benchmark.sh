#!/usr/bin/env bash
# Mix benchmark: 1,000 applications, 20 clients reading pages/apps/deployments and one write a second,
# against bare Undertow serving the same bytes, alternating; then the default rate limit with paced clients. Usage: bench/run-mix-benchmark.sh [rounds]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export LOG_LEVEL="${LOG_LEVEL:-WARN}"
# Each module writes its own target/runtime-cp.txt; the server runs on exactly the classpath
# bin/ployer gives it (not the harness's, which adds the test kit).
mvn -q -B -ntp ${BENCH_MVN_FLAGS:-} -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-cp.txt -DincludeScope=runtime
exec java -Dbench.ployer.classpath="$root/ployer-server/target/ployer-server-0.1.0-SNAPSHOT.jar:$(cat "$root/ployer-server/target/runtime-cp.txt")" \
  -cp "$root/bench/target/ployer-bench-0.1.0-SNAPSHOT.jar:$(cat "$root/bench/target/runtime-cp.txt")" \
  io.ployer.bench.MixBenchmark "${1:-5}"
