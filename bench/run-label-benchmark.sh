#!/usr/bin/env bash
# Build-time cost of image labels on a changed build, in the same run, alternating (classic builder, as Ployer
# drives it through the API): (a) three labels given to the build API (dockerd appends one LABEL step per label
# after the last instruction, each through an intermediate container), (b) the same labels in one LABEL step
# at the end (what the Docker plugin does since 2026-12-02), (c) no labels.
# Usage: bench/run-label-benchmark.sh [rounds]
set -euo pipefail
rounds="${1:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"; docker rmi -f perf-label-a perf-label-b perf-label-c >/dev/null 2>&1 || true' EXIT
mkdir -p "$work/a" "$work/b" "$work/c"
body='COPY version.txt /www/version.txt
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]'
printf 'FROM ployer/busybox:latest\n%s\n' "$body" > "$work/a/Dockerfile"
printf 'FROM ployer/busybox:latest\n%s\nLABEL "io.ployer.app"="a1" "io.ployer.instance"="i1" "io.ployer.managed"="true"\n' "$body" > "$work/b/Dockerfile"
printf 'FROM ployer/busybox:latest\n%s\n' "$body" > "$work/c/Dockerfile"
ms() { echo $(( ($2 - $1) / 1000000 )); }
build() { # variant
  date +%s%N > "$work/$1/version.txt" # a changed commit
  local extra=()
  [ "$1" = a ] && extra=(--label io.ployer.app=a1 --label io.ployer.instance=i1 --label io.ployer.managed=true)
  DOCKER_BUILDKIT=0 docker build -q "${extra[@]}" -t "perf-label-$1" "$work/$1" >/dev/null 2>&1
}
for v in a b c; do build $v; done # warm the cache
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  line="round $round:"
  order="a b c"; [ $((round % 2)) = 0 ] && order="c b a"
  declare -A t
  for v in $order; do s=$(date +%s%N); build $v; e=$(date +%s%N); t[$v]=$(ms "$s" "$e"); done
  echo "$line API labels ${t[a]} ms, one LABEL ${t[b]} ms, no labels ${t[c]} ms"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
