"""`ecsguard guardrails cfn-guard` run by AWS CloudFormation Guard itself, run by ctest.

    python3 tests/remediate/test_cfn_guard.py     # ECSGUARD_BIN and CFN_GUARD name the binaries

The rules are checked against ecsguard's own IaC verdicts: every case template below is scanned
with `ecsguard scan iac` (each translated control) and validated with `cfn-guard validate`
(cfn-guard 3.1.1 from tests/guard-oracle); a rule must FAIL exactly where the control FAILs.
The cases are the AWS Guard Rules Registry's unit tests of its
ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK rule (in the registry's test shape: name, input,
expected rule status), whose expectations must also hold for the translation of
aws-securityhub-ecs-1 (the same AWS Config rule) but where they name UID 0 or a root group
(REGISTRY_DIFFERENCES), and cases of ours for every other property a control reads. Exits 77 (ctest: skipped) when cfn-guard or PyYAML is missing.
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ECSGUARD = os.environ.get("ECSGUARD_BIN", "")
CFN_GUARD = os.environ.get("CFN_GUARD") or os.path.join(
    ROOT, "tests/guard-oracle/node_modules/@cdklabs/cdk-validator-cfnguard/bin/ubuntu/x86_64/"
    "cfn-guard")
REGISTRY_TESTS = os.path.join(
    ROOT, "tests/data/corpus/peers/aws-guard-rules-registry/rules/aws/amazon_ecs/tests/"
    "ecs_task_definition_user_for_host_mode_check_tests.yml")
REGISTRY_RULE = "ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK"
# The controls shipped today with an iac check on task definitions: each must translate.
TRANSLATED = {"aws-ecs-1-privileged-network-mode", "aws-ecs-1-strict", "aws-securityhub-ecs-1",
              "aws-securityhub-ecs-3", "aws-securityhub-ecs-4", "aws-securityhub-ecs-5",
              "aws-securityhub-ecs-17"}


# Where the registry's Guard rule and AWS Config's managed rule (which aws-securityhub-ecs-1
# reproduces, docs/guardrails.md) disagree: the registry counts UID 0 and root with a group as
# root; the managed rule only the literal "root" (or no user). Each is a FAIL in the registry and
# a PASS for the control's rule; aws-ecs-1-strict flags them all.
REGISTRY_DIFFERENCES = {
    "registry-09": "User 0:0",
    "registry-11": "User 0:0, Privileged false",
    "registry-12": "User root:root, Privileged false",
    "registry-13": "User root:root",
    "registry-14": "User root:abcd",
    "registry-15": "User 0:abcd",
}


def td(network_mode=None, pid_mode=None, containers=()):
    props = {"ContainerDefinitions": list(containers)}
    if network_mode is not None:
        props["NetworkMode"] = network_mode
    if pid_mode is not None:
        props["PidMode"] = pid_mode
    return {"Resources": {"TaskDefinition": {"Type": "AWS::ECS::TaskDefinition",
                                             "Properties": props}}}


# Properties the registry's cases leave out: PID mode, read-only root filesystems, Booleans
# written as strings, user names with "root" inside, numeric users.
OUR_CASES = {
    "pid-host": td(pid_mode="host", containers=[{"Name": "a", "User": "1000"}]),
    "pid-task": td(pid_mode="task", containers=[{"Name": "a"}]),
    "readonly-true": td("awsvpc", containers=[{"Name": "a", "ReadonlyRootFilesystem": True}]),
    "readonly-false": td("awsvpc", containers=[{"Name": "a", "ReadonlyRootFilesystem": False}]),
    "readonly-absent": td("awsvpc", containers=[{"Name": "a", "User": "app"}]),
    "readonly-string": td("awsvpc", containers=[{"Name": "a", "ReadonlyRootFilesystem": "TRUE"}]),
    "privileged-string": td("bridge", containers=[{"Name": "a", "Privileged": "true"}]),
    "host-privileged-string": td("host", containers=[{"Name": "a", "Privileged": "True",
                                                      "User": "app"}]),
    "host-rootless": td("host", containers=[{"Name": "a", "User": "rootless"}]),
    "host-uid-0-string": td("host", containers=[{"Name": "a", "User": "0"}]),
    "host-uid-000-group": td("host", containers=[{"Name": "a", "User": "000:wheel"}]),
    "host-nonroot": td("host", containers=[{"Name": "a", "User": "1000:1000",
                                            "Privileged": False}]),
    "bridge-root": td("bridge", containers=[{"Name": "a", "User": "root"}]),
}


def yaml12(value):
    """A BaseLoader tree (all scalars strings) typed as YAML 1.2's core schema does, as
    cfn-guard and ecsguard read YAML: `1000:0` stays a string (YAML 1.1 would read 60000)."""
    if isinstance(value, dict):
        return {k: yaml12(v) for k, v in value.items()}
    if isinstance(value, list):
        return [yaml12(v) for v in value]
    if value in ("true", "false"):
        return value == "true"
    if value.isdigit():
        return int(value)
    return value


def registry_cases():
    import yaml
    with open(REGISTRY_TESTS) as f:
        cases = yaml.load(f, Loader=yaml.BaseLoader)
    out = {}
    for i, case in enumerate(cases, 1):
        template = yaml12(case["input"])
        resources = template.get("Resources") if isinstance(template, dict) else None
        # Cases without a task definition SKIP in Guard and have no record in ecsguard.
        if not resources or "Properties" not in resources.get("TaskDefinition", {}):
            continue
        out[f"registry-{i:02d}"] = (template, case["expectations"]["rules"][REGISTRY_RULE])
    return out


def unavailable():
    try:
        import yaml  # noqa: F401
    except ImportError:
        return "PyYAML is not installed"
    if not os.access(ECSGUARD, os.X_OK):
        return f"ECSGUARD_BIN is not an executable: {ECSGUARD!r}"
    if not os.access(CFN_GUARD, os.X_OK):
        return f"cfn-guard is not installed (npm ci in tests/guard-oracle): {CFN_GUARD}"
    return None


class CfnGuardTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="ecsguard-guard-")
        tmp = cls.tmp.name
        cls.rules = os.path.join(tmp, "ecsguard.guard")
        run = subprocess.run([ECSGUARD, "guardrails", "cfn-guard", "-o", cls.rules],
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        cls.stderr = run.stderr
        with open(cls.rules) as f:
            cls.text = f.read()
        cls.registry = registry_cases()
        cases = {name: t for name, (t, _) in cls.registry.items()}
        cases.update(OUR_CASES)
        data = os.path.join(tmp, "cases")
        os.mkdir(data)
        for name, template in cases.items():
            with open(os.path.join(data, name + ".json"), "w") as f:
                json.dump(template, f)
        cls.cases = sorted(cases)

        # Every control that got a rule, the shipped ones and any added since.
        run = subprocess.run([ECSGUARD, "controls", "list", "--format", "json"],
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        cls.ruled = sorted(c["id"] for c in json.loads(run.stdout)
                           if f"\nrule {cls.rule_name(c['id'])} when " in cls.text)
        scan = [ECSGUARD, "scan", "iac", data, "-f", "json", "-q", "--no-history"]
        for control in cls.ruled:
            scan += ["--control", control]
        run = subprocess.run(scan, capture_output=True, text=True, timeout=120)
        assert run.returncode in (0, 1), run.stderr
        cls.ecsguard = {}
        for f in json.loads(run.stdout)["findings"]:
            case = os.path.basename(f["resource"]["id"].split("#")[0])[:-len(".json")]
            cls.ecsguard[(case, f["controlId"])] = f["status"]

        run = subprocess.run([CFN_GUARD, "validate", "--rules", cls.rules, "--data", data,
                              "--output-format", "json", "--structured", "--show-summary", "none"],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode in (0, 19), run.stderr  # 19: some rule failed
        cls.guard = {}
        for doc in json.loads(run.stdout):
            case = os.path.basename(doc["name"])[:-len(".json")]
            for status, rules in (("FAIL", [r["Rule"]["name"] for r in doc["not_compliant"]]),
                                  ("PASS", doc["compliant"]), ("SKIP", doc["not_applicable"])):
                for rule in rules:
                    cls.guard[(case, rule)] = status

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @staticmethod
    def rule_name(control):
        return control.upper().replace("-", "_").replace(".", "_")

    def test_every_shipped_task_definition_control_translates(self):
        for control in TRANSLATED:
            self.assertIn(f"\nrule {self.rule_name(control)} when ", self.text, control)
            self.assertNotIn(f"{control} has no Guard rule", self.stderr)

    def test_guard_fails_exactly_where_ecsguard_fails(self):
        self.assertGreaterEqual(len(self.cases), 30)
        self.assertLessEqual(TRANSLATED, set(self.ruled))
        for case in self.cases:
            for control in self.ruled:
                ours = self.ecsguard.get((case, control))
                guard = self.guard.get((case, self.rule_name(control)))
                self.assertIn(ours, ("FAIL", "PASS"), (case, control))
                self.assertEqual(guard == "FAIL", ours == "FAIL",
                                 f"{case} {control}: ecsguard {ours}, cfn-guard {guard}")

    def test_the_registry_expectations_hold_for_security_hub_ecs_1(self):
        self.assertEqual(len(self.registry), 21)  # 24 less the three without a task definition
        for case, (_, expected) in sorted(self.registry.items()):
            guard = self.guard[(case, "AWS_SECURITYHUB_ECS_1")]
            if case in REGISTRY_DIFFERENCES:
                self.assertEqual((expected, guard), ("FAIL", "PASS"), case)
                self.assertEqual(self.guard[(case, "AWS_ECS_1_STRICT")], "FAIL", case)
            else:
                self.assertEqual(guard == "FAIL", expected == "FAIL", f"{case}: expected {expected}")


if __name__ == "__main__":
    why = unavailable()
    if why:
        print(f"SKIP: {why}")
        sys.exit(77)
    unittest.main(verbosity=2)
