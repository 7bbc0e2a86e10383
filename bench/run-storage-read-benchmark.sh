#!/usr/bin/env bash
# Computed reads below HTTP (page of 50, one app, its deployments) on 1,000 apps: SQLite statements kept vs prepared
# every time, two engines in one JVM on copies of one database, alternating rounds;
# speed-up min/median/max printed. Usage: bench/run-storage-read-benchmark.sh [rounds]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# The server runs on exactly the classpath bin/ployer gives it (not the harness's, which adds the test kit).
mvn -q -B -ntp ${BENCH_MVN_FLAGS:-} -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-cp.txt -DincludeScope=runtime
exec java -Dbench.ployer.classpath="$root/ployer-server/target/ployer-server-0.1.0-SNAPSHOT.jar:$(cat "$root/ployer-server/target/runtime-cp.txt")" \
  -cp "$root/bench/target/ployer-bench-0.1.0-SNAPSHOT.jar:$(cat "$root/bench/target/runtime-cp.txt")" \
  io.ployer.bench.StorageReadBenchmark "${1:-5}"
