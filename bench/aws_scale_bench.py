#!/usr/bin/env python3
"""One machine against an organization: `ecsguard scan aws --organization --region all` over
the rate-limit-faithful fake AWS (tests/aws/fake_aws_server.py), 200 accounts x 17 regions by
default, with a fixed latency per call. The fake throttles like AWS (a token bucket per
account, region and API group) and counts requests per second per bucket.

Prints a markdown row: accounts, cells, calls, wall time, throttles received, the busiest
second of any one account's bucket, and whether every cell was evaluated.

    cmake --build build/release --target ecsguard -j2
    python3 bench/aws_scale_bench.py [--ecsguard build/release/src/cli/ecsguard]
        [--accounts 200] [--regions 17] [--latency 0.05] [--concurrency 64] [--max-rate ecs=5/s]

Not a test (ctest runs a small estate in tests/aws/test_scale.py).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "aws"))
from fake_aws_server import CALLER_KEY, Estate, FakeAwsServer  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--ecsguard", default=os.path.join(HERE, "..", "build", "release", "src",
                                                      "cli", "ecsguard"))
    p.add_argument("--accounts", type=int, default=200)
    p.add_argument("--regions", type=int, default=17)
    p.add_argument("--latency", type=float, default=0.05)
    p.add_argument("--concurrency", type=int, default=0)
    p.add_argument("--max-rate", action="append", default=[])
    a = p.parse_args()

    estate = Estate(a.accounts, a.regions, busy_every=8, hot_accounts=max(1, a.accounts // 100),
                    suspended_every=97)
    with tempfile.TemporaryDirectory(prefix="ecsguard-scale-") as home, \
            FakeAwsServer(estate, latency=a.latency) as aws:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "NO_COLOR": "1",
               "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": CALLER_KEY,
               "AWS_SECRET_ACCESS_KEY": "fake-caller-secret",
               "AWS_CONFIG_FILE": os.path.join(home, "none"),
               "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "none")}
        cmd = [os.path.abspath(a.ecsguard), "scan", "aws", "--endpoint-url", aws.url, "--organization",
               "--role", "Scanner", "--region", "all", "--no-cache", "--no-history", "-f", "json"]
        if a.concurrency:
            cmd += ["--concurrency", str(a.concurrency)]
        for rate in a.max_rate:
            cmd += ["--max-rate", rate]
        start = time.monotonic()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=home)
        wall = time.monotonic() - start
        stats = aws.stats()
    report = json.loads(proc.stdout) if proc.stdout.startswith("{") else None
    if report is None:
        sys.exit(f"ecsguard exited {proc.returncode}:\n{proc.stderr}")
    cells = report["coverage"]
    evaluated = sum(1 for c in cells if c["state"] == "evaluated")
    print("| accounts x regions | cells | calls | wall | throttled | busiest bucket second | "
          "evaluated |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {a.accounts} x {a.regions} | {len(cells)} | {stats['total']} | {wall:.1f} s | "
          f"{stats['throttled']} | {stats['peak']} | {evaluated}/{len(cells)} |")
    print(f"\nbusiest second by category: {stats['peak_by_category']}", file=sys.stderr)
    print(proc.stderr.strip().splitlines()[-3:], file=sys.stderr)


if __name__ == "__main__":
    main()
