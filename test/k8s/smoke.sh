#!/usr/bin/env bash
# A check of the test control plane with kubectl, as a person would do it: a Deployment rolls,
# a missing image and a crash loop show the kubelet's reasons, undo and pause behave, Jobs succeed
# and fail from exit codes, pods/log works, and the deployer user is refused by RBAC.
# Needs the control plane running (bash scripts/k8s.sh) and the registry on 127.0.0.1:5000.
# Prints "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
K8S_DIR=${SAFE_DEPLOY_STATE_DIR:-/tmp/safe-deploy-services}/k8s
export KUBECONFIG="$K8S_DIR/admin.kubeconfig"
REG=127.0.0.1:5000
NS=k8s-smoke-$RANDOM
passed=0 failed=0

check() { # description command...
  local what=$1
  shift
  if "$@" >/tmp/k8s-smoke.out 2>&1; then
    passed=$((passed + 1))
    echo "ok   $what"
  else
    failed=$((failed + 1))
    echo "FAIL $what"
    sed 's/^/     /' /tmp/k8s-smoke.out | tail -5
  fi
}
# until seconds command...: retries command every second
until_ok() {
  local n=$1
  shift
  for _ in $(seq 1 "$n"); do "$@" && return 0; sleep 1; done
  "$@"
}
k() { kubectl -n "$NS" "$@"; }
jpath() { k get "$1" -o "jsonpath=$2"; }

[ -f "$K8S_DIR/ready" ] || { echo "the control plane is not running: bash scripts/k8s.sh"; exit 1; }

# Images in the local registry: busybox, and the example app as v1 and v2.
docker tag safe-deploy-test/busybox:latest $REG/safe-deploy-test/busybox:latest
docker push -q $REG/safe-deploy-test/busybox:latest >/dev/null
for v in v1 v2; do
  DOCKER_BUILDKIT=0 docker build -q --build-arg VERSION=$v -t $REG/k8s-smoke-hello:$v "$ROOT/examples/hello-app" >/dev/null 2>&1
  docker push -q $REG/k8s-smoke-hello:$v >/dev/null
done

kubectl create namespace "$NS" >/dev/null
trap 'kubectl delete namespace "$NS" --wait=false >/dev/null 2>&1' EXIT

k apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: hello}
spec:
  replicas: 2
  progressDeadlineSeconds: 20
  selector: {matchLabels: {app: hello}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: hello}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: hello
        image: $REG/k8s-smoke-hello:v1
        ports: [{containerPort: 3000, name: http}]
        readinessProbe: {httpGet: {path: /health, port: http}, periodSeconds: 1, failureThreshold: 1}
YAML
check "first version becomes available" k rollout status deploy/hello --timeout=90s

versions() { # every pod of the Deployment answers /version on its own PORT
  local p port out=""
  for p in $(k get pods -l app=hello -o jsonpath='{.items[*].metadata.name}'); do
    port=$(docker inspect "k8s_${NS}_${p}_hello" --format '{{range .Config.Env}}{{println .}}{{end}}' | sed -n 's/^PORT=//p')
    out+="$(curl -s --max-time 2 "127.0.0.1:$port/version") "
  done
  echo "$out"
}
k set image deploy/hello hello=$REG/k8s-smoke-hello:v2 >/dev/null
check "second version rolls out" k rollout status deploy/hello --timeout=90s
check "both pods serve v2 on their own PORT" bash -c "[ \"\$1\" = 'v2 v2 ' ]" _ "$(versions)"

k set image deploy/hello hello=$REG/k8s-smoke-hello:missing >/dev/null
pod_reason() { k get pods -o jsonpath='{range .items[*]}{.status.containerStatuses[0].state.waiting.reason}{" "}{end}' | grep -qw "$1"; }
check "a missing image is ImagePullBackOff" until_ok 30 pod_reason ImagePullBackOff
check "a stuck rollout exceeds its progress deadline" until_ok 40 bash -c \
  "kubectl -n $NS get deploy hello -o jsonpath='{.status.conditions[?(@.type==\"Progressing\")].reason}' | grep -qx ProgressDeadlineExceeded"
k rollout undo deploy/hello >/dev/null
check "rollout undo brings v2 back" k rollout status deploy/hello --timeout=60s
check "undo restored the v2 template" bash -c "[ \"\$1\" = $REG/k8s-smoke-hello:v2 ]" _ "$(jpath deploy/hello '{.spec.template.spec.containers[0].image}')"

k patch deploy hello --type=json \
  -p='[{"op":"add","path":"/spec/template/spec/containers/0/command","value":["sh","-c","echo dying; exit 3"]}]' >/dev/null
check "a crashing container is CrashLoopBackOff" until_ok 40 pod_reason CrashLoopBackOff
crashing=$(k get pods -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.containerStatuses[0].lastState.terminated.exitCode}{"\n"}{end}' | awk '$2 == 3 {print $1; exit}')
check "its last state has the real exit code" test -n "$crashing"
check "kubectl logs --previous shows its output" bash -c "kubectl -n $NS logs --previous $crashing | grep -qx dying"
k rollout undo deploy/hello >/dev/null
check "undo after the crash loop" k rollout status deploy/hello --timeout=60s

k rollout pause deploy/hello >/dev/null
k set image deploy/hello hello=$REG/k8s-smoke-hello:v1 >/dev/null
check "a paused Deployment says DeploymentPaused" until_ok 10 bash -c \
  "kubectl -n $NS get deploy hello -o jsonpath='{.status.conditions[?(@.type==\"Progressing\")].reason}' | grep -qx DeploymentPaused"
check "and does not roll" bash -c "[ \"\$1\" = 'v2 v2 ' ]" _ "$(versions)"
k rollout resume deploy/hello >/dev/null
check "resumed, it rolls" k rollout status deploy/hello --timeout=90s

k create secret generic db --from-literal=DATABASE_URL=postgres://smoke@127.0.0.1/db >/dev/null
k apply -f - >/dev/null <<YAML
apiVersion: batch/v1
kind: Job
metadata: {name: ok}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: m, image: $REG/safe-deploy-test/busybox:latest, command: [sh, -c, 'echo "url=\$DATABASE_URL"'], envFrom: [{secretRef: {name: db}}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: bad}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: m, image: $REG/safe-deploy-test/busybox:latest, command: [sh, -c, 'exit 7']}
YAML
check "a Job whose command exits 0 completes" k wait --for=condition=complete job/ok --timeout=60s
check "its pod saw the Secret through envFrom" bash -c "kubectl -n $NS logs job/ok | grep -qx 'url=postgres://smoke@127.0.0.1/db'"
check "a Job whose command exits 7 fails" k wait --for=condition=failed job/bad --timeout=60s
check "its pod's exit code is 7" bash -c "[ \"\$1\" = 7 ]" _ \
  "$(k get pods -l job-name=bad -o jsonpath='{.items[0].status.containerStatuses[0].state.terminated.exitCode}')"
k delete job bad --cascade=background >/dev/null
check "deleting a Job removes its pods (garbage collector)" until_ok 30 bash -c \
  "[ -z \"\$(kubectl -n $NS get pods -l job-name=bad -o name)\" ]"

D="$K8S_DIR/deployer.kubeconfig"
check "deployer is refused, the verb named (RBAC)" bash -c \
  "kubectl --kubeconfig $D -n $NS get deploy hello 2>&1 | grep -q 'User \"deployer\" cannot get resource \"deployments\"'"
k create role patcher --verb=get,patch --resource=deployments >/dev/null
k create rolebinding patcher --role=patcher --user=deployer >/dev/null
check "granted a Role, deployer may" until_ok 10 kubectl --kubeconfig "$D" -n "$NS" auth can-i patch deployments

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
