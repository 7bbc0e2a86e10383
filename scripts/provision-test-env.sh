#!/usr/bin/env bash
# Provisions what Ployer's integration tests need on a fresh Debian machine (run as root):
# Docker Engine, Caddy, a static busybox, headless Chromium with its WebDriver (the dashboard's
# browser tests), and the local base images the tests build on.
# Idempotent: every step checks before it acts. Debian's docker-registry (and htpasswd from
# apache2-utils) is installed for the image-strategy tests, which start their own registry on a
# free loopback port; the packaged service is stopped.
set -euo pipefail

log() { printf '[provision] %s\n' "$*"; }

need_packages=()
command -v dockerd >/dev/null 2>&1 || need_packages+=(docker.io)
command -v caddy >/dev/null 2>&1 || need_packages+=(caddy)
dpkg -s busybox-static >/dev/null 2>&1 || need_packages+=(busybox-static)
command -v curl >/dev/null 2>&1 || need_packages+=(curl)
command -v docker-registry >/dev/null 2>&1 || need_packages+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need_packages+=(apache2-utils)
command -v jq >/dev/null 2>&1 || need_packages+=(jq)   # README's commands (scripts/run-readme-commands.sh)
command -v chromium >/dev/null 2>&1 || need_packages+=(chromium)   # the dashboard's browser tests (DashboardBrowserIT)
command -v chromedriver >/dev/null 2>&1 || need_packages+=(chromium-driver)

if [ ${#need_packages[@]} -gt 0 ]; then
  log "installing: ${need_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null
fi

# The Debian caddy package may start a system instance on :80/:2019; tests start their own
# instances on free ports and never depend on it, so it is stopped to keep ports free.
if pgrep -f '/usr/bin/caddy run --environ --config /etc/caddy/Caddyfile' >/dev/null 2>&1; then
  log "stopping the packaged caddy service (tests run their own)"
  (systemctl stop caddy 2>/dev/null || pkill -f '/usr/bin/caddy run --environ --config /etc/caddy/Caddyfile') || true
fi

# The docker-registry package may start a system instance on :5000; tests run their own.
if pgrep -f '^/usr/bin/docker-registry serve /etc/docker/registry/config.yml' >/dev/null 2>&1; then
  log "stopping the packaged docker-registry service (tests run their own)"
  (systemctl stop docker-registry 2>/dev/null || pkill -f '^/usr/bin/docker-registry serve /etc/docker/registry/config.yml') || true
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/ployer-dockerd.log)"
  # containerd is started by dockerd itself when not running.
  nohup dockerd >/var/log/ployer-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
fi
docker info >/dev/null 2>&1 || { log "dockerd did not answer within 60 s; see /var/log/ployer-dockerd.log"; tail -n 30 /var/log/ployer-dockerd.log || true; exit 1; }
log "dockerd answers: $(docker version --format '{{.Server.Version}}')"

busybox_bin=/bin/busybox
[ -x "$busybox_bin" ] || busybox_bin=$(command -v busybox)

make_image() { # name, builder function
  local name=$1 builder=$2
  if docker image inspect "$name" >/dev/null 2>&1; then
    log "image $name present"
    return
  fi
  local dir
  dir=$(mktemp -d)
  "$builder" "$dir"
  tar -C "$dir" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/sh"]' - "$name" >/dev/null
  rm -rf "$dir"
  log "image $name imported"
}

busybox_rootfs() {
  local dir=$1
  mkdir -p "$dir/bin" "$dir/tmp" "$dir/etc" "$dir/www" "$dir/usr/bin" "$dir/sbin"
  cp "$busybox_bin" "$dir/bin/busybox"
  for applet in $("$busybox_bin" --list); do
    [ "$applet" = busybox ] || ln -sf /bin/busybox "$dir/bin/$applet"
  done
  chmod 1777 "$dir/tmp"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$dir/etc/passwd"
  echo 'root:x:0:' >"$dir/etc/group"
}

caddy_rootfs() {
  local dir=$1
  busybox_rootfs "$dir"
  cp "$(command -v caddy)" "$dir/bin/caddy"
  # Debian's caddy is dynamically linked: bring its loader and libraries along.
  for lib in $(ldd "$(command -v caddy)" | grep -oE '/[^ ]+'); do
    mkdir -p "$dir$(dirname "$lib")"
    cp -L "$lib" "$dir$lib"
  done
  mkdir -p "$dir/srv" "$dir/data" "$dir/config"
}

# A JRE 17 image (the base of the server's own image in ployer-dist's ContainerImageIT, since no
# eclipse-temurin can be pulled here): busybox, bash, and a jlink runtime of this host's JDK with the
# C libraries it links against.
jre_rootfs() {
  local dir=$1 jdk
  busybox_rootfs "$dir"
  jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac || command -v java)")")")
  "$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules ALL-MODULE-PATH --strip-debug --no-man-pages \
    --no-header-files --compress=2 --output "$dir/opt/java"
  rm -f "$dir/bin/bash" && cp /bin/bash "$dir/bin/bash"
  for binary in /bin/bash "$dir/opt/java/bin/java" $(find "$dir/opt/java/lib" -name '*.so'); do
    ldd "$binary" 2>/dev/null | grep -oE '/[^ ]+' || true
  done | # and the C libraries that native code shipped in jars (sqlite-jdbc, JNA) loads at run time
    { cat; for extra in libpthread.so.0 libdl.so.2 librt.so.1 libm.so.6 libstdc++.so.6 libgcc_s.so.1 libz.so.1; do
             ls /lib/x86_64-linux-gnu/"$extra" /usr/lib/x86_64-linux-gnu/"$extra" 2>/dev/null || true; done; } \
    | sort -u | while read -r lib; do
    [ -e "$dir$lib" ] || { mkdir -p "$dir$(dirname "$lib")" && cp -L "$lib" "$dir$lib"; }
  done
  ln -sf /opt/java/bin/java "$dir/bin/java"
  ln -sf /bin/busybox "$dir/usr/bin/env" # scripts start with #!/usr/bin/env bash
  mkdir -p "$dir/root"
}

make_image ployer/busybox:latest busybox_rootfs
make_image ployer/caddy-static:latest caddy_rootfs
if command -v jlink >/dev/null 2>&1 || ls /usr/lib/jvm/*/bin/jlink >/dev/null 2>&1; then
  make_image ployer/jre17:latest jre_rootfs
else
  log "no JDK with jlink: the ployer/jre17 image is not made (ContainerImageIT needs it)"
fi
log "ready"
