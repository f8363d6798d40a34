#!/usr/bin/env bash
# Checks the deployment files: docker-compose.yml parses in its default and
# `postgres` profiles (docker-compose, and podman-compose where it has a
# `config` command), and both Kubernetes renderings (deploy/k8s, external
# PostgreSQL; deploy/k8s/overlays/trial-postgres) build with kustomize;
# deploy_check.py then checks what they say: every carescore Deployment at
# two replicas with RollingUpdate, a PodDisruptionBudget each, the database
# URL from a Secret, no volume for state. Needs neither a Docker engine nor a
# cluster. Exits 77 (skipped) when neither docker-compose nor kubectl is here.
set -euo pipefail
cd "$(dirname "$0")/.."
python=/usr/bin/python3
[ -x "$python" ] || python=python3
check() { "$python" tests/deploy_check.py "$@"; }
checked=0
if command -v docker-compose >/dev/null 2>&1; then
  docker-compose -f docker-compose.yml config -q
  docker-compose -f docker-compose.yml --profile postgres config -q
  docker-compose -f docker-compose.yml config | check compose default
  docker-compose -f docker-compose.yml --profile postgres config | check compose postgres
  echo "docker-compose.yml: ok (default and postgres profiles)"
  checked=1
fi
if command -v podman-compose >/dev/null 2>&1; then
  # podman-compose 1.0.3 (Debian 12) has no `config` and no profiles.
  if podman-compose --help 2>&1 | grep -qw config; then
    podman-compose -f docker-compose.yml config >/dev/null
    podman-compose -f docker-compose.yml --profile postgres config >/dev/null
    echo "docker-compose.yml: ok for podman-compose"
  else
    echo "podman-compose has no config command: not checked with it"
  fi
fi
if command -v kubectl >/dev/null 2>&1; then
  # kustomize's warnings (newer kubectl calls `bases` deprecated) shown only
  # when it fails.
  render() {
    local err
    err=$(mktemp)
    if ! kubectl kustomize "$1" 2>"$err"; then cat "$err" >&2; rm -f "$err"; return 1; fi
    rm -f "$err"
  }
  render deploy/k8s | check k8s external
  render deploy/k8s/overlays/trial-postgres | check k8s trial
  echo "deploy/k8s: ok (external and trial-postgres)"
  checked=1
fi
[ "$checked" = 1 ] || { echo "neither docker-compose nor kubectl is installed: skipped"; exit 77; }
