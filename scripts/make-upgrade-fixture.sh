#!/usr/bin/env bash
# Regenerates the upgrade-test fixture: the data directory (ployer.db + secret.key) of an earlier
# Ployer release, filled through that release's own REST API as a user would, and stopped cleanly.
#
#   scripts/make-upgrade-fixture.sh [COMMIT] [RELEASE-NAME]
#
# Defaults: COMMIT 9933c97b (2026-12-01, the last commit before the 2026-12-02 migrations V3..V17:
# schema V1..V2, what users of the first release ran), RELEASE-NAME 0.1.0-2026-12-01.
# It checks the commit out in a scratch worktree (/tmp/ployer-oldrel-<commit>), builds its server as
# that release's bin/ployer did (Maven; a copy of ~/.m2 is used as the local repository so the shared
# one stays as it is, and artifacts that release needs but ~/.m2 lacks are downloaded into the copy),
# starts it on a fresh data directory on a free loopback port, makes the records below, stops it
# (SIGTERM, the release's graceful shutdown), and copies ployer.db and secret.key to
# ployer-server/src/test/resources/upgrade/<release-name>/. Needs JDK 17, Maven, git, curl, jq,
# sqlite3 (to checkpoint the WAL into the file). UpgradeFromPreviousReleaseIT asserts every record.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
commit="${1:-9933c97b}"
release="${2:-0.1.0-2026-12-01}"
out="$root/ployer-server/src/test/resources/upgrade/$release"
old="${OLD_WORKTREE:-/tmp/ployer-oldrel-$commit}" # an existing checkout of COMMIT is used as it is
repo="${OLD_M2:-/tmp/ployer-oldrel-m2}"           # the copy of ~/.m2 (kept for the next run)
made_worktree=
data="$(mktemp -d)"
log="$data.log"

cleanup() {
  if [ -n "${server_pid:-}" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; wait "$server_pid" || true; fi
  if [ -n "$made_worktree" ]; then git -C "$root" worktree remove --force "$old" 2>/dev/null || true; fi
  rm -rf "$data" "$log"
}
trap cleanup EXIT

if [ ! -d "$old" ]; then git -C "$root" worktree add --detach "$old" "$commit" >/dev/null; made_worktree=1; fi
[ "$(git -C "$old" rev-parse HEAD)" = "$(git -C "$root" rev-parse "$commit^{commit}")" ] || { echo "$old is not at $commit" >&2; exit 1; }
[ -d "$repo" ] || cp -a "$HOME/.m2/repository" "$repo"
(cd "$old" && mvn -q -B -ntp -Dmaven.repo.local="$repo" -DskipTests -Dmaven.javadoc.skip=true -pl ployer-server -am \
   package dependency:build-classpath -Dmdep.outputFile="$old/ployer-server/target/runtime-classpath.txt" \
   -DincludeScope=runtime 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2)

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
# The configuration the test starts today's server with, too (a user keeps theirs across an upgrade).
PLOYER_DOMAINS_BASE=apps.example.test PLOYER_PORT="$port" PLOYER_DATA_DIR="$data/data" \
  java -cp "$old/ployer-server/target/ployer-server-0.1.0-SNAPSHOT.jar:$(cat "$old/ployer-server/target/runtime-classpath.txt")" \
  io.ployer.server.Main start --data-dir "$data/data" >"$log" 2>&1 &
server_pid=$!
api="http://127.0.0.1:$port/api/v1"
for _ in $(seq 1 120); do curl -sf "$api/health" >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf "$api/health" >/dev/null || { cat "$log" >&2; exit 1; }

call() { # METHOD PATH [BODY] -> body; fails on a non-2xx answer
  local answer status
  local auth=()
  [ -z "${TOKEN:-}" ] || auth=(-H "Authorization: Bearer $TOKEN")
  answer="$(curl -s -w '\n%{http_code}' -X "$1" "$api$2" "${auth[@]}" -H 'Content-Type: application/json' ${3:+-d "$3"})"
  status="${answer##*$'\n'}"
  [[ "$status" == 2* ]] || { echo "$1 $2 answered $status: ${answer%$'\n'*}" >&2; exit 1; }
  printf '%s' "${answer%$'\n'*}"
}

# The owner, as README's "Using the server" does (the first user is admin).
call POST /auth/register '{"email":"admin@example.test","password":"upgrade from the first release"}' >/dev/null
TOKEN="$(call POST /auth/login '{"email":"admin@example.test","password":"upgrade from the first release"}' | jq -r .token)"
api_key="$(call POST /auth/api-keys '{"name":"ci","scopes":["READ","WRITE"]}' | jq -r .key)"

# A remote server with an SSH key (stored encrypted).
ssh-keygen -q -t ed25519 -N '' -C fixture -f "$data/edge_key"
server_id="$(call POST /servers "$(jq -n --rawfile key "$data/edge_key" \
  '{name:"edge-1",host:"192.0.2.10",port:22,username:"deploy",ssh_private_key:$key}')" | jq -r .id)"

# shop-api: dockerfile build from GitHub, limits, env (one build-time), an https token, two domains, a
# health check, a GitHub webhook.
shop="$(call POST /applications '{"name":"shop-api","git_url":"https://github.com/example/shop-api.git",
  "branch":"main","build_strategy":"dockerfile","build_config":{"dockerfile":"deploy/Dockerfile"},"port":8080,
  "auto_deploy":true,"limits":{"memory_bytes":268435456,"cpus":0.5},"restart_policy":"ON_FAILURE"}' | jq -r .id)"
call POST "/applications/$shop/envs" '{"key":"DATABASE_URL","value":"postgres://shop:s3cr3t-p4ss@db.internal:5432/shop","build_time":false}' >/dev/null
call POST "/applications/$shop/envs" '{"key":"STRIPE_SECRET_KEY","value":"sk_live_51FixtureOnlyNotARealKey","build_time":false}' >/dev/null
call POST "/applications/$shop/envs" '{"key":"NPM_TOKEN","value":"npm_fixtureBuildTimeToken","build_time":true}' >/dev/null
call POST "/applications/$shop/envs" '{"key":"LOG_LEVEL","value":"info","build_time":false}' >/dev/null
call PUT "/applications/$shop/git-token" '{"token":"ghp_fixtureTokenForTheUpgradeTest"}' >/dev/null
call POST "/applications/$shop/domains" '{"domain":"shop.example.test"}' >/dev/null
call POST "/applications/$shop/domains" '{"domain":"www.shop.example.test"}' >/dev/null
call POST "/applications/$shop/domains/shop.example.test/primary" >/dev/null
call POST "/applications/$shop/health-check" '{"path":"/healthz","expected_status_min":200,"expected_status_max":299,
  "interval_seconds":30,"timeout_seconds":4,"healthy_threshold":2,"unhealthy_threshold":5,"retries":6,
  "start_period_seconds":20,"enabled":true}' >/dev/null
webhook_secret="$(call POST "/applications/$shop/webhooks" '{"provider":"github"}' | jq -r .secret)"
# One delivery from GitHub: a push to another branch, recorded as skipped (no deployment).
push='{"ref":"refs/heads/feature","after":"0123456789abcdef0123456789abcdef01234567","head_commit":{"author":{"name":"Ada"},"message":"Try a feature"},"repository":{"clone_url":"https://github.com/example/shop-api.git"}}'
signature="$(printf '%s' "$push" | openssl dgst -sha256 -hmac "$webhook_secret" | sed 's/^.* //')"
delivery="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$api/webhooks/github?app_id=$shop" -H 'Content-Type: application/json' \
  -H 'X-GitHub-Event: push' -H 'X-GitHub-Delivery: fixture-delivery-1' -H "X-Hub-Signature-256: sha256=$signature" --data-binary "$push")"
[[ "$delivery" == 2* ]] || { echo "the signed push answered $delivery" >&2; exit 1; }

# worker: over SSH with a generated deploy key, on the remote server, image-less defaults.
worker="$(call POST /applications "{\"name\":\"worker\",\"git_url\":\"git@github.com:example/worker.git\",
  \"branch\":\"production\",\"port\":9000,\"auto_deploy\":false,\"server_id\":\"$server_id\"}" | jq -r .id)"
call POST "/applications/$worker/deploy-key" '{"algorithm":"ED25519"}' >/dev/null
call POST "/applications/$worker/envs" '{"key":"QUEUE_PASSWORD","value":"w0rker-queue-p@ss=;\"quoted\"","build_time":false}' >/dev/null

# docs: a static site whose one deployment failed (the repository does not exist): a deployment with logs.
docs="$(call POST /applications '{"name":"docs","git_url":"https://git.invalid/example/docs.git","build_strategy":"static","port":80}' | jq -r .id)"
deployment="$(call POST "/applications/$docs/deploy" '{}' | jq -r .id)"
for _ in $(seq 1 120); do
  status="$(call GET "/deployments/$deployment" | jq -r .status)"
  case "$status" in SUCCEEDED|FAILED|CANCELLED) break ;; esac
  sleep 0.5
done
[ "$status" = FAILED ] || { echo "the docs deployment ended $status, expected FAILED" >&2; exit 1; }

kill "$server_pid"; wait "$server_pid" || true; server_pid=
sqlite3 "$data/data/ployer.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
mkdir -p "$out"
rm -f "$out/ployer.db" "$out/secret.key"
cp "$data/data/ployer.db" "$data/data/secret.key" "$out/"
# What the test needs and cannot read back through the API: secrets shown only once.
cat >"$out/fixture.properties" <<PROPERTIES
# Made by scripts/make-upgrade-fixture.sh from commit $(git -C "$root" rev-parse "$commit^{commit}")
# with PLOYER_DOMAINS_BASE=apps.example.test (today's server is started with the same setting).
release=$release
commit=$(git -C "$root" rev-parse "$commit^{commit}")
admin.email=admin@example.test
admin.password=upgrade from the first release
api-key=$api_key
webhook.secret=$webhook_secret
PROPERTIES
echo "fixture written to $out (release $release, commit $(git -C "$root" rev-parse --short "$commit"))"
