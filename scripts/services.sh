#!/usr/bin/env bash
# Installs (from Debian's packages) and starts what the tests and the demo need, idempotently:
# Docker Engine, a registry on 127.0.0.1:5000, PostgreSQL, the FROM-scratch test images, and the
# test Kubernetes control plane (scripts/k8s.sh).
# Nothing here sends traffic beyond 127.0.0.0/8: dockerd runs without a bridge or iptables rules.
set -euo pipefail

STATE_DIR=${SAFE_DEPLOY_STATE_DIR:-/tmp/safe-deploy-services}
REGISTRY_ADDR=127.0.0.1:5000
# A second registry that demands a password, for the credential tests (test-only credentials).
AUTH_REGISTRY_ADDR=127.0.0.1:5001
AUTH_REGISTRY_USER=safe-deploy
AUTH_REGISTRY_PASSWORD=${SAFE_DEPLOY_REGISTRY_PASSWORD:-registry-secret-pass}
PG_VERSION=15
PG_PASSWORD=${SAFE_DEPLOY_PG_PASSWORD:-safe-deploy}
mkdir -p "$STATE_DIR"

log() { printf '[services] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- packages -------------------------------------------------------------------------------------
need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-registry >/dev/null || need+=(docker-registry)
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx httpd && [ -z "$(ldd /bin/busybox 2>/dev/null | grep '=>' || true)" ] || need+=(busybox-static)
command -v pg_ctlcluster >/dev/null && [ -d /usr/lib/postgresql/$PG_VERSION ] || need+=(postgresql)
command -v caddy >/dev/null || need+=(caddy)
command -v hey >/dev/null || need+=(hey)
command -v curl >/dev/null || need+=(curl)
command -v htpasswd >/dev/null || need+=(apache2-utils)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v kubectl >/dev/null || need+=(kubernetes-client)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- Docker Engine --------------------------------------------------------------------------------
# The docker CLI may be newer than the engine; pin the API so both agree.
docker_ok() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
if ! docker_ok; then
  log "starting dockerd (no bridge, no iptables: containers use host networking on loopback)"
  as_root rm -f /var/run/docker.pid
  setsid nohup dockerd --bridge=none --iptables=false --ip6tables=false \
    --host unix:///var/run/docker.sock >"$STATE_DIR/dockerd.log" 2>&1 < /dev/null &
  for _ in $(seq 1 60); do docker_ok && break; sleep 0.5; done
  docker_ok || { log "dockerd did not start; see $STATE_DIR/dockerd.log"; tail -20 "$STATE_DIR/dockerd.log"; exit 1; }
fi

# --- registries -----------------------------------------------------------------------------------
start_registry() { # name addr [htpasswd-file]
  local name=$1 addr=$2 htpasswd=${3:-}
  if curl -s -o /dev/null -w '%{http_code}' "http://$addr/v2/" | grep -qE '^(200|401)$'; then return; fi
  log "starting docker-registry '$name' on $addr"
  mkdir -p "$STATE_DIR/$name-data"
  {
    printf 'version: 0.1\nlog:\n  level: warn\n'
    printf 'storage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\n' "$STATE_DIR/$name-data"
    printf 'http:\n  addr: %s\n  secret: safe-deploy-test\n' "$addr"
    [ -n "$htpasswd" ] && printf 'auth:\n  htpasswd:\n    realm: safe-deploy-test\n    path: %s\n' "$htpasswd"
  } >"$STATE_DIR/$name.yml"
  setsid nohup docker-registry serve "$STATE_DIR/$name.yml" >"$STATE_DIR/$name.log" 2>&1 < /dev/null &
  for _ in $(seq 1 40); do
    curl -s -o /dev/null -w '%{http_code}' "http://$addr/v2/" | grep -qE '^(200|401)$' && return
    sleep 0.25
  done
  log "registry $name did not start; see $STATE_DIR/$name.log"; exit 1
}
start_registry registry "$REGISTRY_ADDR"
htpasswd -Bbn "$AUTH_REGISTRY_USER" "$AUTH_REGISTRY_PASSWORD" >"$STATE_DIR/htpasswd" 2>/dev/null
start_registry registry-auth "$AUTH_REGISTRY_ADDR" "$STATE_DIR/htpasswd"

# --- PostgreSQL -----------------------------------------------------------------------------------
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$PG_VERSION main"; then
  as_root pg_createcluster "$PG_VERSION" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $4}' | grep -qx online; then
  log "starting PostgreSQL $PG_VERSION"
  as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start
fi
# TCP on 127.0.0.1 needs a password: the tests connect as postgres with a known one.
as_root su postgres -c "psql -qAtc \"ALTER USER postgres PASSWORD '$PG_PASSWORD'\"" >/dev/null

# --- sshd on 127.0.0.1:2222, for docker-host: ssh:// tests -------------------------------------
# Its own host key, client key and authorized_keys under $STATE_DIR (root's ~/.ssh is untouched).
SSH_DIR="$STATE_DIR/ssh"
if ! pgrep -f "sshd -f $SSH_DIR/sshd_config" >/dev/null; then
  log "starting sshd on 127.0.0.1:2222 (test key in $SSH_DIR)"
  mkdir -p "$SSH_DIR" /run/sshd && chmod 700 "$SSH_DIR"
  [ -f "$SSH_DIR/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$SSH_DIR/host_key"
  [ -f "$SSH_DIR/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$SSH_DIR/id_ed25519"
  cp "$SSH_DIR/id_ed25519.pub" "$SSH_DIR/authorized_keys"
  cat >"$SSH_DIR/sshd_config" <<CONF
Port 2222
ListenAddress 127.0.0.1
HostKey $SSH_DIR/host_key
AuthorizedKeysFile $SSH_DIR/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $SSH_DIR/sshd.pid
CONF
  /usr/sbin/sshd -f "$SSH_DIR/sshd_config" -E "$SSH_DIR/sshd.log"
fi

# --- kernel setting the README recommends for hosts running the proxy on the host network ---
# Caddy re-opens its listening socket on every reload; with request migration the kernel hands
# connections queued on the old socket to the new one instead of resetting them.
if [ -w /proc/sys/net/ipv4/tcp_migrate_req ] && [ "$(cat /proc/sys/net/ipv4/tcp_migrate_req)" != 1 ]; then
  echo 1 >/proc/sys/net/ipv4/tcp_migrate_req
fi

# --- test images (FROM scratch; nothing can be pulled) --------------------------------------------
build_image() { # name dir
  if ! docker image inspect "$1" >/dev/null 2>&1 || [ "$(cat "$2/.stamp" 2>/dev/null)" != "$(docker image inspect -f '{{.Id}}' "$1")" ]; then
    log "building test image $1"
    DOCKER_BUILDKIT=0 docker build -q -t "$1" "$2" >/dev/null 2>&1
    docker image inspect -f '{{.Id}}' "$1" >"$2/.stamp"
  fi
}

# busybox: sh, wget, httpd: the base of every test app.
bb="$STATE_DIR/img-busybox"
if [ ! -f "$bb/Dockerfile" ]; then
  mkdir -p "$bb"
  cp /bin/busybox "$bb/busybox"
  cat >"$bb/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENV PATH=/bin
DOCKERFILE
fi
build_image safe-deploy-test/busybox:latest "$bb"

# caddy: Debian's binary is dynamically linked, so its loader and libraries go in at the same paths.
cd_dir="$STATE_DIR/img-caddy"
if [ ! -f "$cd_dir/Dockerfile" ]; then
  mkdir -p "$cd_dir/root/usr/bin" "$cd_dir/root/bin"
  cp /usr/bin/caddy "$cd_dir/root/usr/bin/caddy"
  cp /bin/busybox "$cd_dir/root/bin/busybox"
  for lib in $(ldd /usr/bin/caddy | grep -o '/[^ ]*'); do
    mkdir -p "$cd_dir/root$(dirname "$lib")"
    cp -L "$lib" "$cd_dir/root$lib"
  done
  mkdir -p "$cd_dir/root/etc/caddy" "$cd_dir/root/etc/ssl/certs" "$cd_dir/root/data" "$cd_dir/root/config"
  [ -f /etc/ssl/certs/ca-certificates.crt ] && cp /etc/ssl/certs/ca-certificates.crt "$cd_dir/root/etc/ssl/certs/"
  printf ':80 {\n\trespond "safe-deploy proxy"\n}\n' >"$cd_dir/root/etc/caddy/Caddyfile"
  cat >"$cd_dir/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY root/ /
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENV PATH=/usr/bin:/bin XDG_CONFIG_HOME=/config XDG_DATA_HOME=/data
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
DOCKERFILE
fi
build_image safe-deploy-test/caddy:latest "$cd_dir"

# --- Kubernetes test control plane (test/k8s; SAFE_DEPLOY_K8S=0 skips it) ---------------------------
# Its failure fails the Kubernetes tests (they say the control plane is missing), not the others.
if [ "${SAFE_DEPLOY_K8S:-1}" != 0 ]; then
  bash "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/k8s.sh" || log "the test control plane did not start (above); the Kubernetes tests will fail"
fi

log "ready: docker $(docker version --format '{{.Server.Version}}'), registries $REGISTRY_ADDR and $AUTH_REGISTRY_ADDR (auth), postgres $PG_VERSION on 127.0.0.1:5432"
