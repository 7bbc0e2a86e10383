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
command -v debootstrap >/dev/null 2>&1 || need_packages+=(debootstrap)   # the database images below
command -v nginx >/dev/null 2>&1 || need_packages+=(nginx)   # the out-of-reactor nginx plugin example (ployer-examples/nginx-proxy-plugin)
command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || need_packages+=(openssh-server)   # the remote-server tests' sshd

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

# The Debian nginx package may start a system instance on :80; the nginx plugin's tests run their own
# nginx (own prefix, pid file and loopback ports), so the packaged one is stopped.
if pgrep -f 'nginx: master process /usr/sbin/nginx -g daemon on; master_process on;' >/dev/null 2>&1; then
  log "stopping the packaged nginx service (tests run their own)"
  (systemctl stop nginx 2>/dev/null || /usr/sbin/nginx -s quit) || true
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

# Database images for the databases-and-backups tests, built from Debian's own packages (no registry
# is reachable): one Debian rootfs with PostgreSQL 15, MariaDB and Redis, imported three times with
# an entrypoint each. The entrypoints take the official images' variables (POSTGRES_USER,
# POSTGRES_PASSWORD, POSTGRES_DB; MARIADB_*/MYSQL_*; redis-server arguments) and data directories
# (/var/lib/postgresql/data, /var/lib/mysql, /data), so Ployer drives them exactly like the
# official images it uses by default.
database_rootfs_tar=/var/cache/ployer/database-rootfs.tar

database_rootfs() {
  [ -s "$database_rootfs_tar" ] && return
  local dir
  dir=$(mktemp -d)
  log "building the database rootfs with debootstrap (a few minutes)"
  debootstrap --variant=minbase bookworm "$dir" http://deb.debian.org/debian >/var/log/ployer-debootstrap.log 2>&1
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
  chmod +x "$dir/usr/sbin/policy-rc.d"
  cp /etc/apt/sources.list.d/* "$dir/etc/apt/sources.list.d/" 2>/dev/null || true
  chroot "$dir" sh -c 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq &&
    apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-client-15 mariadb-server mariadb-client \
      redis-server redis-tools gzip >/dev/null && apt-get clean && rm -rf /var/lib/apt/lists/*' >>/var/log/ployer-debootstrap.log 2>&1
  # Debian's packages made a default cluster and data dirs: the entrypoints make their own.
  rm -rf "$dir/var/lib/postgresql/15" "$dir/etc/postgresql/15/main" "$dir/var/lib/mysql"/* "$dir/usr/sbin/policy-rc.d"
  mkdir -p "$dir/var/lib/postgresql/data" "$dir/var/lib/mysql" "$dir/data" "$dir/run/postgresql" "$dir/run/mysqld"
  mkdir -p "$(dirname "$database_rootfs_tar")"
  tar -C "$dir" -c . >"$database_rootfs_tar.partial"
  mv "$database_rootfs_tar.partial" "$database_rootfs_tar"
  rm -rf "$dir"
}


# The entrypoints, written apart from the rootfs so a change to them re-imports the images (their
# checksum is a label of each image) without another debootstrap.
database_entrypoints() {
  local dir=$1
  cat >"$dir/postgres-entrypoint" <<'SCRIPT'
#!/bin/sh
set -e
export PATH=/usr/lib/postgresql/15/bin:$PATH
PGDATA=${PGDATA:-/var/lib/postgresql/data}
user=${POSTGRES_USER:-postgres}
database=${POSTGRES_DB:-$user}
mkdir -p "$PGDATA" /run/postgresql
chown -R postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" >"$pwfile"
  chown postgres "$pwfile"
  setpriv --reuid=postgres --regid=postgres --init-groups initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  if [ "$database" != postgres ]; then
    echo "CREATE DATABASE \"$database\";" | setpriv --reuid=postgres --regid=postgres --init-groups postgres --single -D "$PGDATA" postgres >/dev/null
  fi
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" "$@"
SCRIPT
  cat >"$dir/mariadb-entrypoint" <<'SCRIPT'
#!/bin/sh
set -e
root_password=${MARIADB_ROOT_PASSWORD:-$MYSQL_ROOT_PASSWORD}
database=${MARIADB_DATABASE:-$MYSQL_DATABASE}
user=${MARIADB_USER:-$MYSQL_USER}
password=${MARIADB_PASSWORD:-$MYSQL_PASSWORD}
mkdir -p /var/lib/mysql /run/mysqld
chown -R mysql:mysql /var/lib/mysql /run/mysqld
if [ ! -d /var/lib/mysql/mysql ]; then
  mariadb-install-db --user=mysql --datadir=/var/lib/mysql --auth-root-authentication-method=normal >/dev/null
  {
    # --bootstrap reads one statement per line.
    echo "FLUSH PRIVILEGES;"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$root_password';"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY '$root_password';"
    echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    if [ -n "$database" ]; then echo "CREATE DATABASE IF NOT EXISTS \`$database\`;"; fi
    if [ -n "$user" ]; then
      echo "CREATE USER '$user'@'%' IDENTIFIED BY '$password';"
      if [ -n "$database" ]; then echo "GRANT ALL ON \`$database\`.* TO '$user'@'%';"; fi
    fi
  } | mariadbd --user=mysql --datadir=/var/lib/mysql --bootstrap >/tmp/mariadb-bootstrap.log 2>&1 || { cat /tmp/mariadb-bootstrap.log >&2; exit 1; }
fi
exec mariadbd --user=mysql --datadir=/var/lib/mysql --bind-address=0.0.0.0 "$@"
SCRIPT
  cat >"$dir/redis-entrypoint" <<'SCRIPT'
#!/bin/sh
cd /data
if [ "${1#-}" != "$1" ] || [ $# -eq 0 ]; then set -- redis-server --protected-mode no "$@"; fi
exec "$@"
SCRIPT
  chmod +x "$dir"/*-entrypoint
}

import_database_image() { # name, entrypoint, command, port, extra change
  local name=$1 entrypoint=$2 command=$3 port=$4 extra=${5:-}
  local scripts checksum
  scripts=$(mktemp -d)
  mkdir -p "$scripts/usr/local/bin"
  database_entrypoints "$scripts/usr/local/bin"
  checksum=$(cat "$scripts"/usr/local/bin/*-entrypoint | sha256sum | cut -c1-16)
  if [ "$(docker image inspect "$name" --format '{{index .Config.Labels "io.ployer.test-entrypoints"}}' 2>/dev/null)" = "$checksum" ]; then
    log "image $name present"
    rm -rf "$scripts"
    return
  fi
  database_rootfs
  local combined
  combined=$(mktemp --suffix=.tar)
  cp "$database_rootfs_tar" "$combined"
  # docker import refuses a path twice: the rootfs must not hold the entrypoints (an older cache did).
  tar --delete -f "$combined" ./usr/local/bin/postgres-entrypoint ./usr/local/bin/mariadb-entrypoint \
    ./usr/local/bin/redis-entrypoint 2>/dev/null || true
  (cd "$scripts" && tar -rf "$combined" ./usr/local/bin/postgres-entrypoint ./usr/local/bin/mariadb-entrypoint \
    ./usr/local/bin/redis-entrypoint)
  docker import \
    --change "LABEL io.ployer.test-entrypoints=$checksum" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENTRYPOINT [\"$entrypoint\"]" --change "CMD $command" --change "EXPOSE $port" \
    ${extra:+--change "$extra"} \
    "$combined" "$name" >/dev/null
  rm -rf "$scripts" "$combined"
  log "image $name imported"
}

if [ "${PLOYER_SKIP_DATABASE_IMAGES:-false}" != true ]; then
  import_database_image ployer-test/postgres:15 /usr/local/bin/postgres-entrypoint '[]' 5432 \
    'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  import_database_image ployer-test/mariadb:10.11 /usr/local/bin/mariadb-entrypoint '[]' 3306
  import_database_image ployer-test/redis:7 /usr/local/bin/redis-entrypoint '["redis-server"]' 6379 'WORKDIR /data'
  # A "minor version" of the same server for the database upgrade test (same binaries, another tag).
  docker tag ployer-test/postgres:15 ployer-test/postgres:15.1
  # ...and a "minor version" that never answers pg_isready (a Redis server), for the upgrade's way back.
  docker tag ployer-test/redis:7 ployer-test/postgres:15.99
  log "images ployer-test/postgres:15.1 and 15.99 tagged"
fi
# An S3-compatible store for the s3-store template's test (S3StoreTemplateIT): S3Proxy, a real S3 API
# server backed by a directory, on the ployer/jre17 image (no registry image can be pulled here). Its
# jars come from Maven Central through Maven, at the version the build uses (the parent pom's
# dependencyManagement); the entrypoint takes the variables of the upstream andrewgaul/s3proxy image
# (S3PROXY_IDENTITY, S3PROXY_CREDENTIAL, S3PROXY_ENDPOINT, JCLOUDS_FILESYSTEM_BASEDIR, ...), so the
# template runs on either. Rebuilt only when its recipe changes (a label holds its checksum).
s3proxy_image() {
  local name=ployer-test/s3proxy:latest repo_root dir checksum maven version
  repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  docker image inspect ployer/jre17:latest >/dev/null 2>&1 || { log "no ployer/jre17 image: $name is not made"; return; }
  version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$repo_root/pom.xml" | head -n 1)
  dir=$(mktemp -d)
  cat >"$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>io.ployer</groupId><artifactId>ployer-parent</artifactId><version>$version</version>
    <relativePath>$repo_root/pom.xml</relativePath></parent>
  <artifactId>s3proxy-image</artifactId><packaging>pom</packaging>
  <dependencies><dependency><groupId>org.gaul</groupId><artifactId>s3proxy</artifactId></dependency></dependencies>
</project>
POM
  cat >"$dir/s3proxy-entrypoint" <<'SCRIPT'
#!/bin/sh
# The upstream image's variables, written to S3Proxy's properties file (owner-only: it holds the credential).
set -e
umask 077
basedir=${JCLOUDS_FILESYSTEM_BASEDIR:-/data}
mkdir -p "$basedir"
cat >/tmp/s3proxy.conf <<PROPERTIES
s3proxy.endpoint=${S3PROXY_ENDPOINT:-http://0.0.0.0:80}
s3proxy.authorization=${S3PROXY_AUTHORIZATION:-aws-v2-or-v4}
s3proxy.identity=${S3PROXY_IDENTITY:-local-identity}
s3proxy.credential=${S3PROXY_CREDENTIAL:-local-credential}
jclouds.provider=${JCLOUDS_PROVIDER:-filesystem}
jclouds.identity=${JCLOUDS_IDENTITY:-remote-identity}
jclouds.credential=${JCLOUDS_CREDENTIAL:-remote-credential}
jclouds.filesystem.basedir=$basedir
PROPERTIES
exec java ${JAVA_OPTS:--Xmx256m} -Dlogback.configurationFile=/opt/s3proxy/logback.xml -cp '/opt/s3proxy/lib/*' org.gaul.s3proxy.Main --properties /tmp/s3proxy.conf
SCRIPT
  cat >"$dir/logback.xml" <<'LOGBACK'
<configuration>
  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{ISO8601} %-5level %logger{20} %msg%n</pattern></encoder>
  </appender>
  <root level="${LOG_LEVEL:-info}"><appender-ref ref="out"/></root>
</configuration>
LOGBACK
  cat >"$dir/Dockerfile" <<'DOCKERFILE'
FROM ployer/jre17:latest
COPY lib/ /opt/s3proxy/lib/
COPY logback.xml /opt/s3proxy/logback.xml
COPY s3proxy-entrypoint /usr/local/bin/s3proxy-entrypoint
VOLUME /data
EXPOSE 80
ENTRYPOINT ["/usr/local/bin/s3proxy-entrypoint"]
DOCKERFILE
  chmod +x "$dir/s3proxy-entrypoint"
  checksum=$(cat "$dir/pom.xml" "$dir/s3proxy-entrypoint" "$dir/logback.xml" "$dir/Dockerfile" <(grep '<s3proxy.version>' "$repo_root/pom.xml") | sha256sum | cut -c1-16)
  if [ "$(docker image inspect "$name" --format '{{index .Config.Labels "io.ployer.recipe"}}' 2>/dev/null)" = "$checksum" ]; then
    log "image $name present"
    rm -rf "$dir"
    return
  fi
  maven=$(command -v mvn || echo "$repo_root/mvnw")
  "$maven" -q -B -f "$dir/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$dir/lib" >/dev/null
  docker build -q --label "io.ployer.recipe=$checksum" -t "$name" "$dir" >/dev/null
  rm -rf "$dir"
  log "image $name built"
}
if [ "${PLOYER_SKIP_DATABASE_IMAGES:-false}" != true ]; then
  s3proxy_image
fi

# The remote-server tests (RemoteDeployIT): a "remote" machine on this one. A second Docker Engine
# with its own socket, data-root, exec-root, pidfile and containerd namespace, no iptables rules and
# a bridge of its own (ployer-rbr0, 10.213.0.1/24: the first engine keeps docker0; published ports
# go through Docker's userland proxy on 127.0.0.1, which needs no iptables), and a user `ployer-remote` who may use that engine only (its socket's
# group) and whose SSH sessions point DOCKER_HOST at it (~/.ssh/environment, read by the tests' own
# sshd with PermitUserEnvironment). The tests start that sshd on 127.0.0.1 on a free port; the
# packaged sshd is stopped so no SSH service listens beyond the tests.
remote_socket=/run/ployer-remote-docker/docker.sock
remote_user=ployer-remote
remote_group=ployer-remote-docker
if pgrep -x sshd >/dev/null 2>&1 && [ -f /run/sshd.pid ]; then
  log "stopping the packaged sshd (the tests run their own on 127.0.0.1)"
  (systemctl stop ssh 2>/dev/null || kill "$(cat /run/sshd.pid)") || true
fi
mkdir -p /run/sshd && chmod 755 /run/sshd   # sshd's privilege-separation directory
getent group "$remote_group" >/dev/null || groupadd --system "$remote_group"
if ! id "$remote_user" >/dev/null 2>&1; then
  useradd --create-home --shell /bin/sh --groups "$remote_group" "$remote_user"
  log "user $remote_user created"
fi
# OpenSSH refuses a locked account (a "!" password) even for key logins: no password, not locked.
usermod -p '*' "$remote_user"
remote_home=$(getent passwd "$remote_user" | cut -d: -f6)
install -d -m 700 -o "$remote_user" -g "$remote_user" "$remote_home/.ssh"
printf 'DOCKER_HOST=unix://%s\n' "$remote_socket" >"$remote_home/.ssh/environment"
chown "$remote_user:$remote_user" "$remote_home/.ssh/environment"
chmod 600 "$remote_home/.ssh/environment"
if ! ip link show ployer-rbr0 >/dev/null 2>&1; then
  ip link add ployer-rbr0 type bridge
  ip addr add 10.213.0.1/24 dev ployer-rbr0
  log "bridge ployer-rbr0 made for the second dockerd"
fi
ip link set ployer-rbr0 up
if ! docker -H "unix://$remote_socket" info >/dev/null 2>&1; then
  log "starting the second dockerd at $remote_socket (log: /var/log/ployer-remote-dockerd.log)"
  mkdir -p /run/ployer-remote-docker /var/lib/ployer-remote-docker
  nohup dockerd --host "unix://$remote_socket" --group "$remote_group" \
    --data-root /var/lib/ployer-remote-docker --exec-root /run/ployer-remote-docker/exec \
    --pidfile /run/ployer-remote-docker/docker.pid --iptables=false --ip-masq=false --bridge=ployer-rbr0 \
    --containerd-namespace ployer-remote --containerd-plugins-namespace ployer-remote-plugins \
    >/var/log/ployer-remote-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker -H "unix://$remote_socket" info >/dev/null 2>&1 && break
    sleep 1
  done
fi
docker -H "unix://$remote_socket" info >/dev/null 2>&1 || { log "the second dockerd did not answer; see /var/log/ployer-remote-dockerd.log"; exit 1; }
for image in ployer/busybox:latest ployer/caddy-static:latest; do
  if [ "$(docker -H "unix://$remote_socket" image inspect --format '{{.Id}}' "$image" 2>/dev/null)" != "$(docker image inspect --format '{{.Id}}' "$image")" ]; then
    docker save "$image" | docker -H "unix://$remote_socket" load >/dev/null
    log "image $image loaded into the second dockerd"
  fi
done
log "second dockerd answers at $remote_socket: $(docker -H "unix://$remote_socket" version --format '{{.Server.Version}}')"

log "ready"
