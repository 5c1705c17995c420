"""The deployment files under deploy/ (docs/scale.md): the Kubernetes Indexed Job, the AWS
Batch array job and the GitHub Actions matrix. Checks their structure (the shard count agrees
everywhere, the index comes from where the engine puts it, the database URL from a secret) and
runs each command line they run through the ecsguard binary with placeholders filled in: it must
get past argument parsing and validation and fail only because no AWS answers (exit 2, "could
not start"), or for the report, because the run is not in the empty database.

    ECSGUARD_BIN=build/.../ecsguard python3 tests/deploy/test_deploy.py
Exits 77 (ctest: skipped) when PyYAML is missing.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

try:
    import yaml
except ImportError:  # pragma: no cover
    yaml = None

ECSGUARD = os.environ.get("ECSGUARD_BIN", "")
DEPLOY = os.environ.get("ECSGUARD_DEPLOY_DIR",
                        os.path.join(os.path.dirname(__file__), "..", "..", "deploy"))


def load(*path):
    with open(os.path.join(DEPLOY, *path)) as f:
        return f.read()


def shard_count(args):
    value = args[args.index("--shard") + 1]
    m = re.fullmatch(r"(auto|\d+)/(\d+)", value)
    assert m, value
    return int(m.group(2))


class DeployTest(unittest.TestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="ecsguard-deploy-")
        self.addCleanup(shutil.rmtree, self.home, ignore_errors=True)

    def run_ecsguard(self, args, **env):
        """Runs `args` with no AWS reachable and an empty SQLite database in ECSGUARD_DB."""
        args = [a.replace("/tmp/report", os.path.join(self.home, "report")) for a in args]
        full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.home,
                "AWS_ACCESS_KEY_ID": "AKIDDEPLOYTEST", "AWS_SECRET_ACCESS_KEY": "deploy-test",
                "AWS_CONFIG_FILE": os.path.join(self.home, "none"),
                "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.home, "none"),
                "AWS_MAX_ATTEMPTS": "1", "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
                "ECSGUARD_DB": "sqlite:" + os.path.join(self.home, "e.db")}
        full.update(env)
        return subprocess.run([ECSGUARD, *args], env=full, capture_output=True, text=True,
                              timeout=60, cwd=self.home)

    def assert_scan_parses(self, args, **env):
        proc = self.run_ecsguard(args, **env)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("sts:GetCallerIdentity failed, the scan could not start", proc.stderr)

    def test_kubernetes_indexed_job(self):
        docs = [d for d in yaml.safe_load_all(load("kubernetes", "scan-job.yaml")) if d]
        kinds = {d["kind"]: d for d in docs}
        self.assertEqual(set(kinds), {"ServiceAccount", "Job"})
        sa, job = kinds["ServiceAccount"], kinds["Job"]
        self.assertRegex(sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"],
                         r"^arn:aws:iam::\d{12}:role/")
        spec = job["spec"]
        self.assertEqual(spec["completionMode"], "Indexed")
        pod = spec["template"]["spec"]
        self.assertEqual(pod["serviceAccountName"], sa["metadata"]["name"])
        self.assertEqual(pod["restartPolicy"], "Never")
        self.assertEqual(job["metadata"]["namespace"], sa["metadata"]["namespace"])
        (container,) = pod["containers"]
        args = container["args"]
        self.assertEqual(args[:2], ["scan", "aws"])
        self.assertEqual(args[args.index("--shard") + 1].split("/")[0], "auto")
        self.assertEqual(shard_count(args), spec["completions"])
        self.assertEqual(spec["parallelism"], spec["completions"])
        env = {e["name"]: e for e in container["env"]}
        self.assertEqual(env["ECSGUARD_DB"]["valueFrom"]["secretKeyRef"]["key"], "url")
        self.assertIn("job-name", env["RUN_ID"]["valueFrom"]["fieldRef"]["fieldPath"])
        self.assertEqual(args[args.index("--run-id") + 1], "$(RUN_ID)")
        # Kubernetes expands $(RUN_ID) and sets JOB_COMPLETION_INDEX.
        args = [a.replace("$(RUN_ID)", "ecsguard-scan") for a in args]
        self.assert_scan_parses(args, JOB_COMPLETION_INDEX=str(spec["completions"] - 1))

    def test_aws_batch_array_job(self):
        definition = json.loads(load("aws-batch", "job-definition.json"))
        submit = json.loads(load("aws-batch", "submit-job.json"))
        self.assertEqual(definition["type"], "container")
        self.assertEqual(submit["jobDefinition"], definition["jobDefinitionName"])
        props = definition["containerProperties"]
        secrets = {s["name"]: s["valueFrom"] for s in props["secrets"]}
        self.assertRegex(secrets["ECSGUARD_DB"], r"^arn:aws:secretsmanager:")
        self.assertRegex(props["jobRoleArn"], r"^arn:aws:iam::\d{12}:role/")
        params = dict(definition["parameters"], **submit["parameters"])
        # Batch substitutes Ref::NAME from the parameters and sets AWS_BATCH_JOB_ARRAY_INDEX.
        args = [params[a[5:]] if a.startswith("Ref::") else a for a in props["command"]]
        self.assertEqual(args[args.index("--shard") + 1].split("/")[0], "auto")
        self.assertEqual(shard_count(args), submit["arrayProperties"]["size"])
        self.assert_scan_parses(args, AWS_BATCH_JOB_ARRAY_INDEX="0")

    def test_github_actions_matrix(self):
        workflow = yaml.safe_load(load("github-actions", "scan.yml"))
        shard_job, report_job = workflow["jobs"]["shard"], workflow["jobs"]["report"]
        self.assertEqual(report_job["needs"], "shard")
        shards = shard_job["strategy"]["matrix"]["shard"]
        self.assertEqual(shards, list(range(len(shards))))

        def command(job, marker):
            (step,) = [s for s in job["steps"] if marker in s.get("run", "")]
            text = step["run"].replace("${{ matrix.shard }}", str(shards[-1]))
            text = re.sub(r"\$\{\{ github\.[a-z_]+ \}\}", "1", text)
            args = text.split()
            self.assertEqual(args[0], "./ecsguard")
            return args[1:]

        scan = command(shard_job, "scan aws")
        self.assertEqual(shard_count(scan), len(shards))
        self.assert_scan_parses(scan)
        report = command(report_job, "report")
        self.assertEqual(report[report.index("--run-id") + 1],
                         scan[scan.index("--run-id") + 1])
        proc = self.run_ecsguard(report)
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertIn('no shard of run "gha-1"', proc.stderr)


if __name__ == "__main__":
    if yaml is None:
        print("SKIP: PyYAML is not installed")
        sys.exit(77)
    if not os.access(ECSGUARD, os.X_OK):
        print(f"SKIP: ECSGUARD_BIN is not an executable: {ECSGUARD!r}")
        sys.exit(77)
    unittest.main(verbosity=2)
