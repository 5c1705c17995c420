#!/usr/bin/env python3
"""Generate a large, deterministic ECS estate as JSON Lines for the snapshot benchmark.

Each line is one awscli response object, as `jq -c .` would print it:

  {"taskDefinition": {...}, "tags": [...]}    aws ecs describe-task-definition --include TAGS
  {"tasks": [...], "failures": []}            aws ecs describe-tasks --include TAGS (<= 100 tasks)

Task definitions come first, then the describe-tasks pages (or, with --tasks-out, the pages go
to a file of their own). About 5% of revisions use the host network mode, with a realistic
mix of privileged flags and users, including the user forms that trip substring matching
("rootless", "nonroot", "1000:root", "ROOT", "0", "0:0"). Running tasks reference a few
thousand revisions, mostly the latest of their family, some older and some deregistered
(INACTIVE); a few stopped or stopping tasks reference violating revisions and must not count.

Beside the data it writes <out>.seed-expected.txt: the sorted ARNs the seed control must
report (in use, host mode, a container privileged or with "root" in its user), so that jq,
the simdjson floor and ecsguard can be checked against each other.

  python3 bench/gen_estate.py                              # 100k revisions, 3000 running tasks
  python3 bench/gen_estate.py --revisions 2000 --running 200 --out bench/data/small.jsonl
"""
import argparse
import json
import os
import random
import sys
import time

IN_USE_STATUSES = ("PROVISIONING", "PENDING", "ACTIVATING", "RUNNING")
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2")
TEAMS = ("payments", "search", "checkout", "identity", "platform", "data", "ml", "growth",
         "frontend", "mobile-api", "billing", "risk", "sre", "catalog", "notifications")
WORDS = ("api", "worker", "web", "consumer", "scheduler", "gateway", "indexer", "exporter",
         "sync", "router", "proxy", "ingest", "reporter", "cron", "stream", "cache", "auth")
SIDECARS = (
    ("log-router", "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2.20240820", 2020),
    ("envoy", "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod", 9901),
    ("xray-daemon", "public.ecr.aws/xray/aws-xray-daemon:3.3.12", 2000),
    ("datadog-agent", "public.ecr.aws/datadog/agent:7.56.2", 8126),
    ("otel-collector", "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0", 4317),
)
ENV = {
    "LOG_LEVEL": ("info", "warn", "debug"), "APP_ENV": ("production", "staging"),
    "PORT": ("8080", "3000", "9000"), "AWS_REGION": None, "HTTP_TIMEOUT_MS": ("5000", "30000"),
    "FEATURE_FLAGS": ("search_v2,checkout_async", "new_pricing", ""),
    "MAX_CONNECTIONS": ("128", "256", "1024"), "CACHE_TTL_SECONDS": ("60", "300", "3600"),
    "JAVA_OPTS": ("-Xmx768m -XX:+UseG1GC", "-Xmx1536m -XX:MaxRAMPercentage=75"),
    "NODE_OPTIONS": ("--max-old-space-size=896",), "TZ": ("UTC",),
    "OTEL_EXPORTER_OTLP_ENDPOINT": ("http://localhost:4317",),
    "UPSTREAM_URL": ("https://api.internal.example.com/v2", "http://inventory.internal:8080"),
    "WORKER_CONCURRENCY": ("4", "8", "16"), "DB_POOL_SIZE": ("10", "20"), "GOMAXPROCS": ("2", "4"),
}
ENV_NAMES = tuple(ENV)
SECRET_NAMES = ("DB_PASSWORD", "API_TOKEN", "SESSION_SECRET", "STRIPE_API_KEY", "SMTP_PASSWORD",
                "JWT_SIGNING_KEY")
# (value, weight). None = absent. Host-mode containers draw from here.
USERS = ((None, 38), ("root", 7), ("0", 5), ("0:0", 4), ("root:root", 3), ("1000:1000", 15),
         ("1000", 8), ("nobody", 5), ("nonroot", 4), ("rootless", 2), ("1000:root", 2),
         ("app", 5), ("ROOT", 1), ("65534:65534", 1))
PRIVILEGED = ((None, 70), (False, 15), (True, 15))
REQUIRES = ("com.amazonaws.ecs.capability.logging-driver.awslogs", "ecs.capability.execution-role-awslogs",
            "com.amazonaws.ecs.capability.ecr-auth", "com.amazonaws.ecs.capability.docker-remote-api.1.19",
            "com.amazonaws.ecs.capability.task-iam-role", "ecs.capability.execution-role-ecr-pull",
            "ecs.capability.secrets.asm.environment-variables", "ecs.capability.container-health-check")


class FastRandom(random.Random):
    """random.Random with choice/randint/randrange/sample drawn from one random() call each:
    several times faster than the rejection-sampling originals, and just as deterministic."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randrange(self, start, stop=None):
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))

    def sample(self, seq, k):
        pool, n = list(seq), len(seq)
        for i in range(k):
            j = i + int(self.random() * (n - i))
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]


def weighted(rng, table):
    values, weights = zip(*table)
    cum, total = [], 0
    for w in weights:
        total += w
        cum.append(total)

    def draw():
        x = rng.random() * total
        for v, c in zip(values, cum):
            if x < c:
                return v
        return values[-1]
    return draw


def hexid(rng, n):
    return "%0*x" % (n, rng.getrandbits(4 * n))


def iso(epoch_ms):
    """As awscli prints a timestamp on a UTC machine (no fraction when it is zero)."""
    t = time.gmtime(epoch_ms // 1000)
    if epoch_ms % 1000 == 0:
        return "%04d-%02d-%02dT%02d:%02d:%02d+00:00" % t[:6]
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03d000+00:00" % (t[:6] + (epoch_ms % 1000,))


class Gen:
    def __init__(self, args):
        self.rng = FastRandom(args.seed)
        self.args = args
        self.user = weighted(self.rng, USERS)
        self.priv = weighted(self.rng, PRIVILEGED)
        self.accounts = ["%012d" % self.rng.randrange(10**11, 10**12) for _ in range(args.accounts)]

    def container(self, name, image, port, mode, region, family, host):
        rng = self.rng
        c = {"name": name, "image": image, "cpu": rng.choice((64, 128, 256, 512)),
             "memory": rng.choice((128, 256, 512, 1024))}
        c["portMappings"] = ([{"containerPort": port, "hostPort": 0 if mode == "bridge" else port,
                               "protocol": "tcp"}] if port else [])
        c["essential"] = rng.random() < 0.8
        c["environment"] = [{"name": n, "value": region if ENV[n] is None else rng.choice(ENV[n])}
                            for n in rng.sample(ENV_NAMES, rng.randint(2, 6))]
        c["mountPoints"] = []
        c["volumesFrom"] = []
        if rng.random() < 0.5:
            acct = family[1]
            c["secrets"] = [{"name": s, "valueFrom": "arn:aws:secretsmanager:%s:%s:secret:%s/%s-%s"
                             % (region, acct, family[0], s.lower(), hexid(rng, 6))}
                            for s in rng.sample(SECRET_NAMES, rng.randint(1, 2))]
        # Host-mode containers get the full user/privileged mix; others mostly leave them unset.
        user = self.user() if (host or rng.random() < 0.3) else None
        priv = self.priv() if (host or rng.random() < 0.2) else None
        if user is not None:
            c["user"] = user
        if priv is not None:
            c["privileged"] = priv
        if rng.random() < 0.3:
            c["readonlyRootFilesystem"] = rng.random() < 0.7
        c["logConfiguration"] = {"logDriver": "awslogs", "options": {
            "awslogs-group": "/ecs/%s" % family[0], "awslogs-region": region,
            "awslogs-stream-prefix": name}, "secretOptions": []}
        if port and rng.random() < 0.6:
            c["healthCheck"] = {"command": ["CMD-SHELL", "curl -fsS http://localhost:%d/health || exit 1" % port],
                                "interval": 30, "timeout": 5, "retries": 3, "startPeriod": 10}
        c["systemControls"] = []
        return c

    def revision(self, fam, rev, status, registered_ms, deregistered_ms):
        rng = self.rng
        name, acct, region, mode, team, n_side = fam
        arn = "arn:aws:ecs:%s:%s:task-definition/%s:%d" % (region, acct, name, rev)
        host = mode == "host"
        image = "%s.dkr.ecr.%s.amazonaws.com/%s:%d.%d.%d" % (acct, region, name, rev // 10, rev % 10, rng.randrange(50))
        containers = [self.container(name.rsplit("-", 1)[0], image, rng.choice((80, 3000, 8000, 8080, 9000)),
                                     mode, region, fam, host)]
        for s_name, s_image, s_port in SIDECARS[:n_side]:
            containers.append(self.container(s_name, s_image, s_port if rng.random() < 0.5 else None,
                                             mode, region, fam, host))
        td = {"taskDefinitionArn": arn, "containerDefinitions": containers, "family": name,
              "taskRoleArn": "arn:aws:iam::%s:role/%s-task" % (acct, name),
              "executionRoleArn": "arn:aws:iam::%s:role/ecsTaskExecutionRole" % acct,
              "networkMode": mode, "revision": rev, "volumes": [], "status": status,
              "requiresAttributes": [{"name": r} for r in REQUIRES[:rng.randint(4, len(REQUIRES))]]
              + ([{"name": "ecs.capability.task-eni"}] if mode == "awsvpc" else []),
              "placementConstraints": [],
              "compatibilities": ["EC2", "FARGATE"] if mode == "awsvpc" else ["EXTERNAL", "EC2"],
              "requiresCompatibilities": ["EC2"],
              "cpu": rng.choice(("256", "512", "1024", "2048")),
              "memory": rng.choice(("512", "1024", "2048", "4096")),
              "registeredAt": iso(registered_ms)}
        if deregistered_ms:
            td["deregisteredAt"] = iso(deregistered_ms)
        td["registeredBy"] = "arn:aws:sts::%s:assumed-role/deploy/%s" % (acct, hexid(rng, 8))
        tags = [{"key": "team", "value": team},
                {"key": "environment", "value": "production" if int(acct) % 2 else "staging"},
                {"key": "service", "value": name}]
        bad = host and any(c.get("privileged") is True or "root" in c.get("user", "") for c in containers)
        return arn, {"taskDefinition": td, "tags": tags}, bad

    def task(self, td_arn, cluster_arn, desired, last, image, started_ms):
        rng = self.rng
        region, acct = td_arn.split(":")[3:5]
        cluster = cluster_arn.rsplit("/", 1)[1]
        tid = hexid(rng, 32)
        task_arn = "arn:aws:ecs:%s:%s:task/%s/%s" % (region, acct, cluster, tid)
        family = td_arn.rsplit("/", 1)[1].split(":")[0]
        t = {"attachments": [], "attributes": [{"name": "ecs.cpu-architecture", "value": "x86_64"}],
             "availabilityZone": region + rng.choice("abc"), "clusterArn": cluster_arn,
             "connectivity": "CONNECTED", "connectivityAt": iso(started_ms - 30000),
             "containerInstanceArn": "arn:aws:ecs:%s:%s:container-instance/%s/%s" % (region, acct, cluster, hexid(rng, 32)),
             "containers": [{"containerArn": "arn:aws:ecs:%s:%s:container/%s/%s/%s" % (region, acct, cluster, tid, hexid(rng, 32)),
                             "taskArn": task_arn, "name": family.rsplit("-", 1)[0], "image": image,
                             "lastStatus": last, "networkBindings": [], "networkInterfaces": [],
                             "healthStatus": "UNKNOWN", "cpu": "256", "memory": "512"}],
             "cpu": "512", "createdAt": iso(started_ms - 30000), "desiredStatus": desired,
             "enableExecuteCommand": False, "group": "family:" + family, "healthStatus": "UNKNOWN",
             "lastStatus": last, "launchType": "EC2", "memory": "1024",
             "overrides": {"containerOverrides": [{"name": family.rsplit("-", 1)[0]}], "inferenceAcceleratorOverrides": []}}
        if last not in ("PENDING", "PROVISIONING"):
            t["startedAt"] = iso(started_ms)
        t["startedBy"] = "ecs-svc/%019d" % rng.randrange(10**18, 10**19)
        if desired == "STOPPED":
            t["stoppingAt"] = iso(started_ms + 3600000)
            t["stopCode"] = "EssentialContainerExited"
            t["stoppedReason"] = "Essential container in task exited"
        t["tags"] = []
        t["taskArn"] = task_arn
        t["taskDefinitionArn"] = td_arn
        t["version"] = 3
        return t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--revisions", type=int, default=100000, help="task-definition revisions (default 100000)")
    ap.add_argument("--running", type=int, default=3000, help="running tasks (default 3000)")
    ap.add_argument("--stopped", type=int, default=None, help="stopped or stopping tasks (default running/20)")
    ap.add_argument("--undescribed", type=int, default=0,
                    help="running tasks whose revision is not in the file (default 0)")
    ap.add_argument("--host-fraction", type=float, default=0.05, help="share of families in host mode")
    ap.add_argument("--accounts", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=None, help="default bench/data/estate-<revisions>.jsonl")
    ap.add_argument("--tasks-out", default=None, help="write describe-tasks pages here instead of --out")
    args = ap.parse_args()
    if args.stopped is None:
        args.stopped = args.running // 20
    here = os.path.dirname(os.path.abspath(__file__))
    out = args.out or os.path.join(here, "data", "estate-%d.jsonl" % args.revisions)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    t0 = time.time()
    g = Gen(args)
    rng = g.rng
    base_ms = 1_700_000_000_000

    # Families: (name, account, region, mode, team, sidecars), each with 1..40 revisions.
    families, sizes, total = [], [], 0
    while total < args.revisions:
        acct, region = rng.choice(g.accounts), rng.choice(REGIONS)
        x = rng.random()
        mode = "host" if x < args.host_fraction else ("awsvpc" if x < 0.6 else "bridge")
        name = "%s-%s-%d" % (rng.choice(TEAMS), rng.choice(WORDS), len(families))
        fam = (name, acct, region, mode, rng.choice(TEAMS), rng.choice((1, 1, 2, 2, 3)))
        n = min(rng.randint(1, 40), args.revisions - total)
        families.append(fam)
        sizes.append(n)
        total += n

    defs_out = open(out, "w", buffering=1 << 20)
    tasks_out = open(args.tasks_out, "w", buffering=1 << 20) if args.tasks_out else defs_out
    info = {}          # family index -> list of (arn, status, bad, image)
    n_host = n_bad = 0
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    for fi, (fam, n) in enumerate(zip(families, sizes)):
        revs = []
        reg = base_ms + rng.randrange(0, 200 * 86400000)
        for rev in range(1, n + 1):
            reg += rng.randrange(3600000, 14 * 86400000)
            # The newest two revisions stay ACTIVE; older ones were deregistered half the time.
            inactive = rev <= n - 2 and rng.random() < 0.5
            arn, doc, bad = g.revision(fam, rev, "INACTIVE" if inactive else "ACTIVE", reg,
                                       reg + 86400000 if inactive else None)
            defs_out.write(dumps(doc))
            defs_out.write("\n")
            revs.append((arn, inactive, bad, doc["taskDefinition"]["containerDefinitions"][0]["image"]))
            n_host += fam[3] == "host"
            n_bad += bad
        info[fi] = revs

    # Tasks. Host families are over-represented a little (they are what the bench is about).
    clusters = {}
    now_ms = base_ms + 400 * 86400000
    tasks, in_use = [], set()

    def cluster_for(arn):
        region, acct = arn.split(":")[3:5]
        key = (acct, region)
        if key not in clusters:
            clusters[key] = ["arn:aws:ecs:%s:%s:cluster/%s-%d" % (region, acct, region, i) for i in range(3)]
        return rng.choice(clusters[key])

    def pick_revision(revs):
        x = rng.random()
        if x < 0.7 or len(revs) == 1:
            return revs[-1]
        if x < 0.85:
            return revs[-2]
        return rng.choice(revs[:-1])          # older, possibly INACTIVE

    fam_ids = list(info)
    for _ in range(args.running):
        revs = info[rng.choice(fam_ids)]
        arn, _inactive, _bad, image = pick_revision(revs)
        last = "PENDING" if rng.random() < 0.03 else "RUNNING"
        tasks.append(g.task(arn, cluster_for(arn), "RUNNING", last, image, now_ms - rng.randrange(1, 90 * 86400000)))
        in_use.add(arn)
    bad_revs = [r for revs in info.values() for r in revs if r[2]]
    for i in range(args.stopped):
        arn, _inactive, _bad, image = rng.choice(bad_revs) if bad_revs else pick_revision(info[rng.choice(fam_ids)])
        last = "STOPPED" if i % 2 else "RUNNING"          # stopped, or being stopped
        tasks.append(g.task(arn, cluster_for(arn), "STOPPED", last, image, now_ms - 7200000))
    undescribed = []
    for _ in range(args.undescribed):
        fi = rng.choice(fam_ids)
        name, acct, region = families[fi][:3]
        arn = "arn:aws:ecs:%s:%s:task-definition/%s:%d" % (region, acct, name, sizes[fi] + 1 + rng.randrange(5))
        tasks.append(g.task(arn, cluster_for(arn), "RUNNING", "RUNNING", "legacy:1", now_ms - 86400000))
        undescribed.append(arn)
    rng.shuffle(tasks)
    by_cluster = {}
    for t in tasks:
        by_cluster.setdefault(t["clusterArn"], []).append(t)
    for c in sorted(by_cluster):
        ts = by_cluster[c]
        for i in range(0, len(ts), 100):
            tasks_out.write(dumps({"tasks": ts[i:i + 100], "failures": []}))
            tasks_out.write("\n")
    defs_out.close()
    if tasks_out is not defs_out:
        tasks_out.close()

    expected = sorted(a for revs in info.values() for (a, _i, bad, _im) in revs if bad and a in in_use)
    exp_path = os.path.splitext(out)[0] + ".seed-expected.txt"
    with open(exp_path, "w") as f:
        f.write("".join(a + "\n" for a in expected))
    size = os.path.getsize(out) + (os.path.getsize(args.tasks_out) if args.tasks_out else 0)
    inactive_in_use = sum(1 for revs in info.values() for (a, i, _b, _im) in revs if i and a in in_use)
    print("wrote %s: %d revisions (%d host, %d host+privileged/root), %d families, %d tasks "
          "(%d running on %d revisions, %d of them INACTIVE; %d stopped/stopping; %d undescribed), "
          "%.1f MB, %.0f bytes/revision avg, %.1fs; seed expects %d ARNs -> %s"
          % (out, args.revisions, n_host, n_bad, len(families), len(tasks), args.running, len(in_use),
             inactive_in_use, args.stopped, len(undescribed), size / 1e6,
             size / max(1, args.revisions),
             time.time() - t0, len(expected), exp_path), file=sys.stderr)


if __name__ == "__main__":
    main()
