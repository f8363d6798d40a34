#!/usr/bin/env python3
"""Checks what the deployment files say, from their rendered form on stdin.

  deploy_check.py k8s external   < kubectl kustomize deploy/k8s
  deploy_check.py k8s trial      < kubectl kustomize deploy/k8s/overlays/trial-postgres
  deploy_check.py compose default  < docker-compose config
  deploy_check.py compose postgres < docker-compose --profile postgres config

Prints one line per problem and exits 1 if there is any; called by
deploy_check.sh, which renders the files.
"""

import sys

try:
    import yaml
except ImportError:
    sys.exit("deploy_check.py needs PyYAML (Debian: apt-get install python3-yaml)")

# The carescore services: stateless on PostgreSQL, so each runs replicated.
SERVICES = ("indicators", "benchmarks", "escalations", "reports")
# The only other Deployment: a disposable cache, one replica by design.
OTHER_DEPLOYMENTS = {"redis"}
NAMESPACE = "carescore"

problems = []


def problem(message):
    problems.append(message)


def env_of(container):
    return {e["name"]: e for e in container.get("env", [])}


def matches(selector, labels):
    wanted = (selector or {}).get("matchLabels", {})
    return bool(wanted) and all(labels.get(k) == v for k, v in wanted.items())


def check_deployment(d, pdbs, services):
    name = d["metadata"]["name"]
    spec = d["spec"]
    where = f"Deployment {name}"
    if spec.get("replicas") != 2:
        problem(f"{where}: replicas {spec.get('replicas')}, want 2")
    strategy = spec.get("strategy", {})
    rolling = strategy.get("rollingUpdate", {})
    if strategy.get("type") != "RollingUpdate":
        problem(f"{where}: strategy {strategy.get('type')}, want RollingUpdate")
    if rolling.get("maxUnavailable") != 0 or rolling.get("maxSurge") != 1:
        problem(f"{where}: rollingUpdate {rolling}, want maxUnavailable 0 and maxSurge 1")
    pod = spec["template"]["spec"]
    pod_labels = spec["template"]["metadata"].get("labels", {})
    if not matches(spec.get("selector"), pod_labels):
        problem(f"{where}: its selector does not match its pods")
    for v in pod.get("volumes", []):
        if "persistentVolumeClaim" in v:
            problem(f"{where}: volume {v['name']} is a PersistentVolumeClaim; state belongs in "
                    "PostgreSQL")
    containers = [c for c in pod["containers"] if c["name"] == name]
    if len(containers) != 1:
        problem(f"{where}: no container named {name}")
        return
    c = containers[0]
    env = env_of(c)
    ref = env.get("CARESCORE_DATABASE", {}).get("valueFrom", {}).get("secretKeyRef")
    if ref != {"name": "carescore-database", "key": "url"}:
        problem(f"{where}: CARESCORE_DATABASE must come from secretKeyRef carescore-database/url, "
                f"got {env.get('CARESCORE_DATABASE')}")
    for probe in ("readinessProbe", "livenessProbe"):
        if c.get(probe, {}).get("grpc", {}).get("port") != 8086:
            problem(f"{where}: {probe} is not the gRPC health check on port 8086")
    data_dir = env.get("CARESCORE_DATA_DIR", {}).get("value")
    mounted = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    if data_dir is not None and "emptyDir" not in volumes.get(mounted.get(data_dir), {}):
        problem(f"{where}: the data folder {data_dir} is not an emptyDir")
    covering = [p for p in pdbs if matches(p["spec"].get("selector"), pod_labels)]
    if len(covering) != 1:
        problem(f"{where}: {len(covering)} PodDisruptionBudgets select its pods, want 1")
    elif covering[0]["spec"].get("minAvailable") != 1:
        problem(f"{where}: PodDisruptionBudget minAvailable "
                f"{covering[0]['spec'].get('minAvailable')}, want 1")
    if not any(s["spec"].get("selector") and
               all(pod_labels.get(k) == v for k, v in s["spec"]["selector"].items())
               for s in services):
        problem(f"{where}: no Service selects its pods")


def check_postgres(docs):
    sets = [d for d in docs if d["kind"] == "StatefulSet" and d["metadata"]["name"] == "postgres"]
    if len(sets) != 1:
        problem("no StatefulSet postgres")
        return
    spec = sets[0]["spec"]
    if spec.get("replicas") != 1:
        problem(f"StatefulSet postgres: replicas {spec.get('replicas')}, want 1")
    c = spec["template"]["spec"]["containers"][0]
    image = c.get("image", "")
    if not image.startswith("postgres:15"):
        problem(f"StatefulSet postgres: image {image}, want postgres:15 pinned by tag")
    password = env_of(c).get("POSTGRES_PASSWORD", {}).get("valueFrom", {}).get("secretKeyRef")
    if not password:
        problem("StatefulSet postgres: POSTGRES_PASSWORD does not come from a Secret")
    claims = spec.get("volumeClaimTemplates", [])
    mounted = {m["name"] for m in c.get("volumeMounts", [])}
    if not any(t["metadata"]["name"] in mounted for t in claims):
        problem("StatefulSet postgres: its data is not on a volumeClaimTemplate")
    if not any(d["kind"] == "Service" and d["metadata"]["name"] == "postgres" and
               any(p.get("port") == 5432 for p in d["spec"].get("ports", [])) for d in docs):
        problem("no Service postgres on port 5432")


def check_k8s(form, docs):
    for d in docs:
        if d["kind"] != "Namespace" and d["metadata"].get("namespace") != NAMESPACE:
            problem(f"{d['kind']} {d['metadata']['name']}: namespace "
                    f"{d['metadata'].get('namespace')}, want {NAMESPACE}")
    deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
    pdbs = [d for d in docs if d["kind"] == "PodDisruptionBudget"]
    services = [d for d in docs if d["kind"] == "Service"]
    for name in SERVICES:
        if name not in deployments:
            problem(f"no Deployment {name}")
    for name, d in deployments.items():
        if name in SERVICES:
            check_deployment(d, pdbs, services)
        elif name not in OTHER_DEPLOYMENTS:
            problem(f"Deployment {name}: unknown; add it to SERVICES (replicated) or "
                    "OTHER_DEPLOYMENTS")
    if any(d["kind"] == "PersistentVolumeClaim" for d in docs):
        problem("a PersistentVolumeClaim is rendered; the services' state is in PostgreSQL")
    has_postgres = any(d["kind"] == "StatefulSet" for d in docs)
    if form == "external" and has_postgres:
        problem("a StatefulSet is rendered; PostgreSQL is external in this form")
    if form == "trial":
        check_postgres(docs)


def depends(services, name):
    """Every service `name` waits for, transitively."""
    seen = set()
    todo = [name]
    while todo:
        for dep in services.get(todo.pop(), {}).get("depends_on", {}) or {}:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def volume_target(volume):
    """Where a compose volume is mounted: "SOURCE:TARGET[:MODE]" (compose 1)
    or {source:, target:} (compose 2)."""
    if isinstance(volume, dict):
        return volume.get("target")
    parts = str(volume).split(":")
    return parts[1] if len(parts) > 1 else parts[0]


def check_compose(profile, config):
    services = config.get("services", {})
    active = {n for n, s in services.items()
              if not s.get("profiles") or profile in s.get("profiles", [])}
    default = {n for n, s in services.items() if not s.get("profiles")}
    if default != {"carescored", "redis"}:
        problem(f"the default profile runs {sorted(default)}, want carescored and redis")
    if "CARESCORE_DATABASE" in (services.get("carescored", {}).get("environment") or {}):
        problem("carescored left its embedded store in the default profile")
    if profile != "postgres":
        return
    pg = services.get("postgres")
    if pg is None or "postgres" not in active:
        problem("no postgres service in the profile")
        return
    if not str(pg.get("image", "")).startswith("postgres:15"):
        problem(f"postgres: image {pg.get('image')}, want postgres:15")
    test = (pg.get("healthcheck") or {}).get("test", [])
    if "pg_isready" not in (test if isinstance(test, str) else " ".join(map(str, test))):
        problem("postgres: no pg_isready healthcheck")
    if "/var/lib/postgresql/data" not in map(volume_target, pg.get("volumes", [])):
        problem("postgres: its data is not on a volume")
    for name in SERVICES:
        s = services.get(name)
        if s is None or name not in active:
            problem(f"no {name} service in the profile")
            continue
        url = str((s.get("environment") or {}).get("CARESCORE_DATABASE", ""))
        if not url.startswith("postgresql://") or "@postgres:5432/" not in url:
            problem(f"{name}: CARESCORE_DATABASE is not the postgres service ({url!r})")
        if "postgres" not in depends(services, name):
            problem(f"{name}: does not wait for postgres")
    replicas = (services.get("indicators", {}).get("deploy") or {}).get("replicas") or \
        services.get("indicators", {}).get("scale")
    if replicas != 2:
        problem(f"indicators: {replicas} replicas, want 2")
    reports_env = services.get("reports", {}).get("environment") or {}
    for var, peer in (("CARESCORE_INDICATORS", "indicators"),
                      ("CARESCORE_BENCHMARKS", "benchmarks"),
                      ("CARESCORE_ESCALATIONS", "escalations")):
        if reports_env.get(var) != f"{peer}:50051":
            problem(f"reports: {var} is {reports_env.get(var)!r}, want {peer}:50051")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("k8s", "compose"):
        sys.exit(__doc__)
    kind, form = sys.argv[1], sys.argv[2]
    if kind == "k8s":
        if form not in ("external", "trial"):
            sys.exit(__doc__)
        check_k8s(form, [d for d in yaml.safe_load_all(sys.stdin) if d])
    else:
        check_compose(form, yaml.safe_load(sys.stdin))
    for p in problems:
        print(f"{kind} {form}: {p}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
