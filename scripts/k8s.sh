#!/usr/bin/env bash
# Builds (when test/k8s changed) and starts the test Kubernetes control plane, idempotently:
# a real etcd, kube-apiserver and controllers, and a kubelet stand-in that runs pods on the local
# Docker engine (see test/k8s/main.go). Everything listens on 127.0.0.1 only: the API server on
# :6443, the kubelet stand-in on :10250, etcd on :12379/:12380.
# Writes $STATE_DIR/k8s/{admin,deployer}.kubeconfig, control-plane.log and ready.
# `scripts/k8s.sh restart` stops a running one first (a new, empty cluster with new credentials);
# `scripts/k8s.sh stop` only stops it (its pods' containers are removed).
# The Go build and module caches stay in Go's default places, so a warm rebuild takes seconds.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE_DIR=${SAFE_DEPLOY_STATE_DIR:-/tmp/safe-deploy-services}
K8S_DIR="$STATE_DIR/k8s"
BIN_DIR="$STATE_DIR/k8s-bin"
BIN="$BIN_DIR/control-plane"
mkdir -p "$K8S_DIR" "$BIN_DIR"

log() { printf '[k8s] %s\n' "$*"; }

# One caller at a time (several engineers' services.sh may run at once).
exec 9>"$K8S_DIR/lock"
flock 9

healthy() {
  [ -f "$K8S_DIR/ready" ] && [ -f "$K8S_DIR/admin.kubeconfig" ] || return 1
  local token
  token=$(awk '$1 == "token:" {print $2; exit}' "$K8S_DIR/admin.kubeconfig")
  [ "$(curl -s --max-time 5 --cacert "$K8S_DIR/pki/ca.crt" -H "Authorization: Bearer $token" \
    https://127.0.0.1:6443/readyz 2>/dev/null)" = ok ]
}

stop() {
  [ -f "$K8S_DIR/pid" ] || return 0
  local old
  old=$(cat "$K8S_DIR/pid")
  if kill -0 "$old" 2>/dev/null && [ "$(cat /proc/"$old"/comm 2>/dev/null)" = control-plane ]; then
    log "stopping the control plane (pid $old)"
    kill "$old" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$old" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$old" 2>/dev/null || true
  fi
  rm -f "$K8S_DIR/pid" "$K8S_DIR/ready"
}

case "${1:-start}" in
  start) ;;
  restart) stop ;;
  stop) stop; exit 0 ;;
  *) log "usage: $0 [start|restart|stop]"; exit 2 ;;
esac

stamp=$(cd "$ROOT/test/k8s" && cat go.mod go.sum ./*.go | sha256sum | cut -d' ' -f1)

if healthy; then
  log "already running (pid $(cat "$K8S_DIR/ready")); kubeconfigs in $K8S_DIR"
  if [ "$(cat "$K8S_DIR/running-stamp" 2>/dev/null)" != "$stamp" ]; then
    log "test/k8s changed since it started: bash scripts/k8s.sh restart (a new, empty cluster) to run the new code"
  fi
  exit 0
fi

command -v go >/dev/null || { log "Go is needed to build test/k8s (the polyglot machine has it)"; exit 1; }

# Rebuild only when the program's sources changed.
if [ ! -x "$BIN" ] || [ "$(cat "$BIN_DIR/stamp" 2>/dev/null)" != "$stamp" ]; then
  log "building test/k8s (cold: several minutes on 2 cores; warm: seconds)"
  start=$(date +%s)
  (cd "$ROOT/test/k8s" && go build -o "$BIN.new" .)
  mv "$BIN.new" "$BIN"
  echo "$stamp" >"$BIN_DIR/stamp"
  log "built in $(($(date +%s) - start))s"
fi

# A process of an earlier start that no longer answers is ended first (it holds the ports).
stop

log "starting the control plane (log: $K8S_DIR/control-plane.log)"
rm -f "$K8S_DIR/ready" "$K8S_DIR/pid"
[ -f "$K8S_DIR/control-plane.log" ] && mv "$K8S_DIR/control-plane.log" "$K8S_DIR/control-plane.log.1"
cp "$BIN_DIR/stamp" "$K8S_DIR/running-stamp"
# The program writes its own pid file (k8s/pid) as it starts.
setsid nohup "$BIN" --state-dir "$STATE_DIR" >>"$K8S_DIR/control-plane.log" 2>&1 </dev/null 9>&- &
for _ in $(seq 1 360); do
  if healthy; then
    log "ready: https://127.0.0.1:6443, kubeconfigs $K8S_DIR/admin.kubeconfig (context safe-deploy-test)" \
      "and $K8S_DIR/deployer.kubeconfig (context safe-deploy-deployer)"
    exit 0
  fi
  if [ -f "$K8S_DIR/pid" ] && ! kill -0 "$(cat "$K8S_DIR/pid")" 2>/dev/null; then break; fi
  sleep 0.5
done
log "the control plane did not become ready; last lines of $K8S_DIR/control-plane.log:"
tail -30 "$K8S_DIR/control-plane.log"
exit 1
