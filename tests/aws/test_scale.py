"""Organization-scale tests of `ecsguard scan aws` against the rate-limit-faithful fake AWS
(fake_aws_server.py), run by ctest. Small estates, so they fit CI time; the 200-account run and
the projections are bench/aws_scale_bench.py and bench/scale_sim.cpp.

    python3 tests/aws/test_scale.py [TestClass[.test]]   # ECSGUARD_BIN names the binary

OneMachineTest: an organization with a busy account, SUSPENDED accounts, opt-in regions not
enabled and sessions that expire mid-scan: no throttle received with the default limits, no
account's requests above its limit in any second, every cell evaluated.

ShardedTest (needs PostgreSQL: ECSGUARD_TEST_POSTGRES_STATE from tests/store's fixture): four
shard processes as a Kubernetes Indexed Job runs them (--shard auto/4, JOB_COMPLETION_INDEX),
one killed with SIGKILL and run again; the merged report equals a single-process run finding
for finding, and while the killed shard is missing the run says so and is incomplete.
Exits 77 (ctest: skipped) when a requirement is missing.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fake_aws_server import CALLER_KEY, Estate, FakeAwsServer  # noqa: E402

ECSGUARD = os.environ.get("ECSGUARD_BIN", "")
CONTROLS = ["aws-ecs-1-privileged-network-mode", "aws-ecs-1-strict"]
# The default limits (half of AWS's documented sustained rates), by the fake's categories.
DEFAULT_LIMITS = {"ecs": 10, "ec2": 10, "elbv2": 5, "sts": 100, "organizations": 5}


def env_for(aws, home, **extra):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "NO_COLOR": "1",
           "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": CALLER_KEY,
           "AWS_SECRET_ACCESS_KEY": "fake-caller-secret",
           "AWS_CONFIG_FILE": os.path.join(home, "none"),
           "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "none")}
    env.update(extra)
    return env


def scan_args(aws, regions, db):
    args = [ECSGUARD, "scan", "aws", "--endpoint-url", aws.url, "--organization", "--role",
            "Scanner", "--region", ",".join(regions), "--db", db, "-f", "json"]
    for c in CONTROLS:
        args += ["--control", c]
    return args


def findings(report):
    return sorted((f["id"], f["controlId"], f["status"], f["resource"].get("arn", ""))
                  for f in report["findings"])


def coverage(report):
    return sorted((c["accountId"], c["region"], c["state"]) for c in report.get("coverage", []))


class ScaleTestCase(unittest.TestCase):
    def setUp(self):
        if not os.access(ECSGUARD, os.X_OK):
            self.skipTest(f"ECSGUARD_BIN is not an executable: {ECSGUARD!r}")
        self.home = tempfile.mkdtemp(prefix="ecsguard-scale-")
        self.addCleanup(shutil.rmtree, self.home, ignore_errors=True)

    def run_json(self, args, env, timeout=120):
        proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout,
                              cwd=self.home)
        report = json.loads(proc.stdout) if proc.stdout.startswith("{") else None
        return proc, report


class OneMachineTest(ScaleTestCase):
    def test_organization_within_limits(self):
        estate = Estate(accounts=24, regions=4, busy_every=4, hot_accounts=1, suspended_every=10)
        # Each account's first session ends after 12 requests: the busy account meets
        # ExpiredToken mid-scan, assumes its role again and retries.
        with FakeAwsServer(estate, latency=0.02, key_uses=12) as aws:
            db = "sqlite:" + os.path.join(self.home, "e.db")
            start = time.monotonic()
            proc, report = self.run_json(scan_args(aws, estate.regions, db),
                                         env_for(aws, self.home))
            wall = time.monotonic() - start
            stats = aws.stats()
        self.assertIn(proc.returncode, (0, 1), proc.stderr)
        self.assertIsNotNone(report, proc.stderr)
        print(f"\n24 accounts x 4 regions: {wall:.1f} s, {stats['total']} calls, "
              f"{stats['throttled']} throttled, {stats['expired']} expired sessions answered, "
              f"peak {stats['peak']}/s per account, region and category "
              f"({stats['peak_by_category']})", file=sys.stderr)
        self.assertEqual(stats["throttled"], 0)
        self.assertGreater(stats["expired"], 0)  # the re-assume path ran
        # One request of tolerance: the fake stamps arrivals from its own threads, which a
        # loaded machine may schedule late (the exact bound is the limiter's unit test).
        for category, peak in stats["peak_by_category"].items():
            self.assertLessEqual(peak, DEFAULT_LIMITS[category.split(":")[0]] + 1, category)
        # The busy account's cells did press on the limit.
        self.assertGreaterEqual(stats["peak_by_category"]["ecs:task-definition-read"], 9)
        active = [a for a in estate.accounts if a not in estate.suspended]
        cells = coverage(report)
        self.assertEqual(len(cells), len(active) * len(estate.regions))
        self.assertEqual({state for _, _, state in cells}, {"evaluated"})
        warnings = "\n".join(report["warnings"])
        self.assertIn("2 accounts not ACTIVE, skipped: 100000000009 (SUSPENDED), "
                      "100000000019 (SUSPENDED)", warnings)
        self.assertTrue(any(f["status"] == "FAIL" for f in report["findings"]))


class ShardedTest(ScaleTestCase):
    @classmethod
    def setUpClass(cls):
        why = postgres_unavailable()
        if why:
            raise unittest.SkipTest(why)
        with open(os.environ["ECSGUARD_TEST_POSTGRES_STATE"]) as f:
            cls.admin = f.read().splitlines()[1]

    def fresh_database(self):
        name = f"scale_{os.getpid()}_{int(time.time() * 1000) % 100000}"
        subprocess.run(["psql", self.admin, "-q", "-c", f"CREATE DATABASE {name}"], check=True,
                       capture_output=True)
        return self.admin[:self.admin.rfind("/") + 1] + name

    def merged_run(self, db, env, exit_code, missing):
        """`history run r1` (its exit code and missing shards), then the merged report."""
        history = subprocess.run([ECSGUARD, "history", "run", "r1", "--db", db], env=env,
                                 capture_output=True, text=True)
        self.assertEqual(history.returncode, exit_code, history.stdout + history.stderr)
        self.assertIn(f"missing shards: {missing}", history.stdout)
        proc, report = self.run_json(
            [ECSGUARD, "report", "--db", db, "--run-id", "r1", "-f", "json"], env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return report

    def test_four_shards_one_killed_and_rerun(self):
        estate = Estate(accounts=8, regions=4, busy_every=3, hot_accounts=0)
        db = self.fresh_database()
        with FakeAwsServer(estate, latency=0.02) as aws:
            env = env_for(aws, self.home)
            base = scan_args(aws, estate.regions, db)
            single, single_report = self.run_json(base, env)
            self.assertIn(single.returncode, (0, 1), single.stderr)

            # The shards share the revision cache in the database with each other (and this run).
            shard_args = base + ["--shard", "auto/4", "--run-id", "r1"]
            for index in (0, 1, 3):
                proc, _ = self.run_json(shard_args, dict(env, JOB_COMPLETION_INDEX=str(index)))
                self.assertIn(proc.returncode, (0, 1), proc.stderr)
            # Shard 2 is killed mid-run (as a node failure would), before it records anything.
            before = aws.stats()["total"]
            killed = subprocess.Popen(shard_args, env=dict(env, JOB_COMPLETION_INDEX="2"),
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 30
            while aws.stats()["total"] < before + 10 and time.monotonic() < deadline:
                time.sleep(0.01)
            killed.send_signal(signal.SIGKILL)
            killed.wait()

            partial_report = self.merged_run(db, env, exit_code=2, missing="2/4")
            self.assertIn("run r1: shard 2/4 not recorded; its cells are failed in the coverage, "
                          "not evaluated", partial_report["warnings"])
            missing_cells = [c for c in partial_report["coverage"] if c["state"] != "evaluated"]
            self.assertEqual(len(missing_cells), 8)  # 32 cells, every 4th
            self.assertNotIn("PASS", {f["status"] for f in partial_report["findings"]
                                      if f["resource"].get("region") and
                                      (f["resource"].get("accountId"), f["resource"]["region"])
                                      in {(c["accountId"], c["region"]) for c in missing_cells}})

            # The engine retries the pod: twice, to show a re-run replaces its own cells.
            for _ in range(2):
                proc, _ = self.run_json(shard_args, dict(env, JOB_COMPLETION_INDEX="2"))
                self.assertIn(proc.returncode, (0, 1), proc.stderr)

        merged_report = self.merged_run(db, env, exit_code=0, missing="none")
        self.assertEqual(findings(merged_report), findings(single_report))
        self.assertEqual(coverage(merged_report), coverage(single_report))
        self.assertTrue(findings(single_report))


def postgres_unavailable():
    state = os.environ.get("ECSGUARD_TEST_POSTGRES_STATE", "")
    lines = open(state).read().splitlines() if state and os.path.exists(state) else []
    if len(lines) < 2 or lines[1].startswith("skip"):
        return "no PostgreSQL server (tests/store's fixture)"
    if not shutil.which("psql"):
        return "psql is not installed"
    return ""


if __name__ == "__main__":
    why = "" if os.access(ECSGUARD, os.X_OK) else f"ECSGUARD_BIN is not an executable: {ECSGUARD!r}"
    if not why and sys.argv[1:2] == ["ShardedTest"]:
        why = postgres_unavailable()
    if why:
        print(f"SKIP: {why}")
        sys.exit(77)
    unittest.main(verbosity=2)
