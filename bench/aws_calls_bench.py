#!/usr/bin/env python3
"""API calls and wall time of a live scan, against moto_server behind a proxy that adds latency.

Seeds an estate with many revisions (default: 50 families x 100 ACTIVE revisions, 200 running
tasks on 2 revisions per family, 2 clusters, one service per family) into a fresh moto_server,
puts tests/aws/fault_proxy.py in front of it with --latency seconds per call (default 0.05), and
runs, one after the other:

  (a) ecsguard cold   a fresh revision cache
  (b) ecsguard warm   the same cache again: no DescribeTaskDefinition for known revisions
  (c) describe-every-ACTIVE-revision, the plan of Prowler and Steampipe: ListTaskDefinitions to
      the end, then DescribeTaskDefinition for every ARN (boto3 on a pool of --concurrency
      threads, the best case for that plan)
  (d) ecsguard --all-revisions --no-cache, the same plan in ecsguard's client, plus in use
  and ecsguard cold at --concurrency 1, 4 and 16, to show wall time follows concurrency.

Prints a markdown table (calls by kind, total, wall time) and the lower bound of calls:
clusters + task pages + ceil(tasks/100) per cluster + distinct revisions (+ context calls), for
the default controls, which are what it runs. Other control sets add to it: a latest-active
control (Security Hub ECS.1, 3-5, 8, 9, 17, 18, 20, 21) the ListTaskDefinitions pages and one
DescribeTaskDefinition per ACTIVE revision (run (d)); a service or task-set control (ECS.2, 10,
16) one ListServices page per cluster per 100 services and the DescribeServices of services no
task runs; ECS.19 one DescribeCapacityProviders per page of providers. ECS.12 adds no call.

    cmake --build build/release --target ecsguard -j2
    python3 bench/aws_calls_bench.py [--ecsguard build/release/src/cli/ecsguard]
        [--families 50] [--revisions 100] [--tasks 200] [--latency 0.05] [--concurrency 16]

Needs moto 5 and boto3 (not a test: it is never run by ctest).
"""

import argparse
import concurrent.futures
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "aws"))
import moto_estate  # noqa: E402
from fault_proxy import FaultProxy  # noqa: E402


def seed(endpoint, families, revisions, tasks):
    """Returns (distinct in-use revisions, clusters, tasks per cluster)."""
    moto_estate.keep_tasks_running(endpoint)
    r = moto_estate.Region(endpoint, "us-east-1", None, moto_estate.MANAGEMENT)
    sg = r.security_group("bench", 22, "10.0.0.0/8")
    clusters = [r.cluster(f"bench-{i}") for i in range(2)]
    cis = {c: [r.container_instance(c, r.instance(f"{c[-7:]}-{j}", sg, j == 0))
               for j in range(5)] for c in clusters}

    def register(f):
        return [r.task_definition(f"family-{f:02}", "host",
                                  moto_estate.container("c", privileged=(f % 5 == 0)))
                for _ in range(revisions)]

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        arns = list(pool.map(register, range(families)))
    in_use = set()
    per_family = max(1, tasks // families)
    for f in range(families):
        cluster = clusters[f % len(clusters)]
        for t in range(per_family):
            td = arns[f][-1] if t % 2 == 0 else arns[f][-2]  # latest and the one before
            in_use.add(td)
            r.start(cluster, td, cis[cluster][t % 5], f"service:svc-{f:02}")
    return len(in_use), len(clusters), per_family * families // len(clusters)


def run_ecsguard(binary, endpoint, home, *args):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "AWS_REGION": "us-east-1",
           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    start = time.monotonic()
    proc = subprocess.run([binary, "scan", "aws", "--endpoint-url", endpoint, "--region",
                           "us-east-1", "--db", os.path.join(home, "ecsguard.db"), *args],
                          env=env, capture_output=True, text=True, timeout=3600)
    wall = time.monotonic() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"ecsguard exited {proc.returncode}:\n{proc.stderr}")
    report = json.loads(proc.stdout)
    return report["scan"]["apiCalls"], wall, report


def describe_every_revision(endpoint, concurrency):
    ecs = moto_estate.client("ecs", endpoint, "us-east-1")
    calls = {"ecs:ListTaskDefinitions": 0, "ecs:DescribeTaskDefinition": 0}
    start = time.monotonic()
    arns, token = [], None
    while True:
        kw = {"status": "ACTIVE", "maxResults": 100}
        if token:
            kw["nextToken"] = token
        page = ecs.list_task_definitions(**kw)
        calls["ecs:ListTaskDefinitions"] += 1
        arns += page["taskDefinitionArns"]
        token = page.get("nextToken")
        if not token:
            break

    def describe(arn):
        return ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])

    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        for _ in pool.map(describe, arns):
            calls["ecs:DescribeTaskDefinition"] += 1
    return calls, time.monotonic() - start


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ecsguard", default=os.path.join(HERE, "..", "build", "release", "src",
                                                      "cli", "ecsguard"))
    p.add_argument("--families", type=int, default=50)
    p.add_argument("--revisions", type=int, default=100)
    p.add_argument("--tasks", type=int, default=200)
    p.add_argument("--latency", type=float, default=0.05)
    p.add_argument("--concurrency", type=int, default=16)
    args = p.parse_args()
    why = moto_estate.moto_available()
    if why:
        sys.exit(why)

    home = tempfile.mkdtemp(prefix="ecsguard-bench-")
    try:
        with moto_estate.MotoServer() as moto:
            t0 = time.monotonic()
            distinct, clusters, tasks_per_cluster = seed(moto.url, args.families,
                                                         args.revisions, args.tasks)
            print(f"seeded {args.families} x {args.revisions} revisions, {args.tasks} tasks "
                  f"({distinct} distinct revisions in use) in {time.monotonic() - t0:.0f} s",
                  file=sys.stderr)
            rows = []
            # moto answers every list in one page; AWS pages ListTaskDefinitions by 100.
            with FaultProxy(moto.url, page_size=100, latency=args.latency) as proxy:
                c = ["--concurrency", str(args.concurrency)]
                # moto loads a service's backend on its first call: not part of any run.
                warmup = os.path.join(home, "warmup")
                os.makedirs(warmup)
                run_ecsguard(args.ecsguard, proxy.url, warmup, *c)
                rows.append(("(a) ecsguard cold",) + run_ecsguard(args.ecsguard, proxy.url, home,
                                                                  *c)[:2])
                rows.append(("(b) ecsguard warm",) + run_ecsguard(args.ecsguard, proxy.url, home,
                                                                  *c)[:2])
                rows.append(("(c) describe every ACTIVE revision (boto3)",) +
                            describe_every_revision(proxy.url, args.concurrency))
                rows.append(("(d) ecsguard --all-revisions --no-cache",) +
                            run_ecsguard(args.ecsguard, proxy.url, home, "--all-revisions",
                                         "--no-cache", *c)[:2])
                scaling = []
                for n in (1, 4, 16):
                    calls, wall, _ = run_ecsguard(args.ecsguard, proxy.url, home, "--no-cache",
                                                  "--concurrency", str(n))
                    scaling.append((n, sum(calls.values()), wall))
    finally:
        shutil.rmtree(home, ignore_errors=True)

    task_pages = clusters * math.ceil(tasks_per_cluster / 100)  # ListTasks pages, and batches
    bound = 1 + task_pages + task_pages + distinct
    kinds = ["ecs:ListTaskDefinitions", "ecs:DescribeTaskDefinition", "ecs:ListClusters",
             "ecs:ListTasks", "ecs:DescribeTasks"]
    print(f"\n{args.families} families x {args.revisions} ACTIVE revisions, {args.tasks} running "
          f"tasks on {distinct} distinct revisions, {clusters} clusters; {args.latency * 1000:.0f}"
          f" ms added per call; concurrency {args.concurrency}.\n")
    print("| run | " + " | ".join(k.split(":")[1] for k in kinds) +
          " | context | total calls | wall (s) |")
    print("|---|" + "---:|" * (len(kinds) + 3))
    for name, calls, wall in rows:
        context = sum(n for k, n in calls.items() if k not in kinds)
        cells = [str(calls.get(k, 0)) for k in kinds]
        print(f"| {name} | " + " | ".join(cells) +
              f" | {context} | {sum(calls.values())} | {wall:.2f} |")
    print(f"\nLower bound (clusters + task pages + describe-task batches + distinct revisions): "
          f"{bound} calls, plus context calls.\n")
    print("| ecsguard cold, --concurrency | total calls | wall (s) |")
    print("|---:|---:|---:|")
    for n, total, wall in scaling:
        print(f"| {n} | {total} | {wall:.2f} |")


if __name__ == "__main__":
    main()
