#!/usr/bin/env bash
# Checks that the deployment files parse: the compose file with
# docker-compose and the Kubernetes manifests with kustomize. Neither needs a
# Docker engine or a cluster. Exits 77 (skipped) when neither tool is here.
set -euo pipefail
cd "$(dirname "$0")/.."
checked=0
if command -v docker-compose >/dev/null 2>&1; then
  docker-compose -f docker-compose.yml config -q
  echo "docker-compose.yml: ok"
  checked=1
fi
if command -v kubectl >/dev/null 2>&1; then
  out=$(kubectl kustomize deploy/k8s)
  for kind in Namespace PersistentVolumeClaim Deployment Service; do
    grep -q "^kind: $kind$" <<<"$out" || { echo "deploy/k8s: no $kind rendered" >&2; exit 1; }
  done
  echo "deploy/k8s: ok"
  checked=1
fi
[ "$checked" = 1 ] || { echo "neither docker-compose nor kubectl is installed: skipped"; exit 77; }
