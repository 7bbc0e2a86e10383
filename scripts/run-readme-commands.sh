#!/usr/bin/env bash
# Runs README.md's ```bash blocks as a user would, so the README cannot drift from the server:
#   - the `bin/ployer start` block starts the server (in the background, in a scratch directory,
#     so ./data is a fresh one; PLOYER_PORT picks the port);
#   - the `mvn verify` block is not run here: it is the test command itself (.ci/run runs it);
#   - every other block runs with bash -euo pipefail, its commands exactly as written except the
#     port (localhost:8080 -> localhost:$PORT), and curl failing on any answer that is not 2xx.
# Environment: README_PORT (default: a free port), PLOYER_LAUNCHER (default: this checkout's
# bin/ployer; the server tests hand in a launcher for the classes they built).
# Needs bash, curl and jq (scripts/provision-test-env.sh installs them).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readme="$root/README.md"
launcher="${PLOYER_LAUNCHER:-$root/bin/ployer}"
for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "run-readme-commands: $tool is missing (scripts/provision-test-env.sh installs it)" >&2; exit 2; }
done

port="${README_PORT:-}"
if [ -z "$port" ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18080)
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Split the README into its ```bash blocks: block-1.sh, block-2.sh, ...
awk -v dir="$work" '
  /^```bash[[:space:]]*$/ { n++; file = sprintf("%s/block-%d.sh", dir, n); inside = 1; next }
  /^```[[:space:]]*$/ && inside { inside = 0; close(file); next }
  inside { print > file }
' "$readme"

mkdir -p "$work/home/bin"
printf '#!/usr/bin/env bash\nexec "%s" "$@"\n' "$launcher" > "$work/home/bin/ployer"
chmod +x "$work/home/bin/ployer"

server_block="" commands=()
for block in "$work"/block-*.sh; do
  [ -e "$block" ] || continue
  text="$(sed -e 's/[[:space:]]*$//' "$block" | grep -v '^$')"
  case "$text" in
    "bin/ployer start") server_block="$block" ;;
    "mvn verify") echo "not run: $(basename "$block") ($text) is the test command itself; .ci/run runs it" ;;
    *) commands+=("$block") ;;
  esac
done
[ -n "$server_block" ] || { echo "run-readme-commands: README has no 'bin/ployer start' block" >&2; exit 1; }
[ ${#commands[@]} -gt 0 ] || { echo "run-readme-commands: README has no command block to run" >&2; exit 1; }

# bin/ployer builds on its first run: do that now, so the server below starts without Maven.
(cd "$work/home" && bin/ployer --help > "$work/build.log" 2>&1) || { echo "run-readme-commands: bin/ployer --help failed:" >&2; cat "$work/build.log" >&2; exit 1; }
echo "starting the server as README says: $(cat "$server_block") (port $port, in $work/home)"
# README's example app lives on github.com: its deploy is accepted and then fails to clone through
# a proxy on a closed loopback port, so the run sends nothing off this machine.
offline="-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=9 -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=9"
# exec all the way down (this subshell -> bash -> bin/ployer -> java): one process to stop at the end.
(cd "$work/home" && PLOYER_PORT="$port" JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} $offline" \
   exec bash -c "exec $(cat "$server_block")" > "$work/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 1 600); do
  if curl -fsS "http://localhost:$port/api/v1/health" >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "run-readme-commands: the server exited:" >&2; cat "$work/server.log" >&2; exit 1
  fi
  sleep 1
done
curl -fsS "http://localhost:$port/api/v1/health" >/dev/null || { echo "run-readme-commands: the server did not come up:" >&2; cat "$work/server.log" >&2; exit 1; }

for block in "${commands[@]}"; do
  echo "running $(basename "$block"):"
  sed "s/localhost:8080/localhost:$port/g" "$block" > "$work/run.sh"
  sed 's/^/  | /' "$work/run.sh"
  (cd "$work/home" && bash -euo pipefail -c 'curl() { command curl --fail-with-body "$@"; }; export -f curl; source "$1"' run "$work/run.sh") \
    || { echo "run-readme-commands: $(basename "$block") failed (server log below)" >&2; tail -n 50 "$work/server.log" >&2; exit 1; }
  echo
done
echo "every README command ran and succeeded"
