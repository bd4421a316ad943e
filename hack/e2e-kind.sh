#!/usr/bin/env bash
# End-to-end check of cluster mode on a real cluster (kind). Not run in CI: it needs docker,
# kind and kubectl, and pulls images. Usage: hack/e2e-kind.sh [cluster-name]
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:-capstan-e2e}"
for tool in kind kubectl java mvn; do
  command -v "$tool" >/dev/null || { echo "e2e-kind: $tool is required" >&2; exit 2; }
done

kind get clusters | grep -qx "$name" || kind create cluster --name "$name"
kubectl config use-context "kind-$name"

# Images as tar files with Jib (no Docker daemon needed to build them), then loaded into kind.
mvn -B -q -pl kubernetes,cli -am package -Pimages -DskipTests
kind load image-archive kubernetes/target/jib-operator.tar --name "$name"
kind load image-archive cli/target/jib-replica.tar --name "$name"

kubectl apply -f deploy/crds -f deploy/namespace.yaml -f deploy/rbac.yaml -f deploy/operator.yaml
kubectl -n capstan-system rollout status deployment/capstan-operator --timeout=180s

kubectl create namespace e2e --dry-run=client -o yaml | kubectl apply -f -
kubectl label namespace e2e pod-security.kubernetes.io/enforce=restricted --overwrite
cat <<'YAML' | kubectl apply -f -
apiVersion: capstan.dev/v1alpha1
kind: TrainingJob
metadata: {name: hello, namespace: e2e}
spec:
  framework: pytorch
  runPolicy: {backoffLimit: 1, ttlSecondsAfterFinished: 600}
  replicas:
    Master:
      replicas: 1
      template:
        spec:
          containers:
          - name: pytorch
            image: busybox:1.36
            command: [sh, -c, 'echo MASTER_ADDR=$MASTER_ADDR RANK=$RANK WORLD_SIZE=$WORLD_SIZE; sleep 5']
    Worker:
      replicas: 2
      template:
        spec:
          containers:
          - name: pytorch
            image: busybox:1.36
            command: [sh, -c, 'nslookup hello-master-0 >/dev/null 2>&1 || true; echo RANK=$RANK; sleep 5']
YAML

kubectl -n e2e wait trainingjob/hello --for=jsonpath='{.status.state}'=Succeeded --timeout=300s
kubectl -n e2e get trainingjobs
kubectl -n e2e logs hello-master-0 | grep -q 'MASTER_ADDR=hello-master-0 RANK=0 WORLD_SIZE=3'
echo "e2e-kind: passed"
