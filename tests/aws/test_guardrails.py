"""`ecsguard guardrails scp` against AWS's own models and moto_server's Organizations, run by ctest.

    python3 tests/aws/test_guardrails.py     # ECSGUARD_BIN names the binary

The policy must be valid JSON within the SCP size limit (5,120 characters, counted as written
and minified), name only actions that exist in botocore's service models (the API operations
of ECS and AWS Config), use only global condition keys, and be accepted by Organizations'
create-policy and attach-policy (moto). Exits 77 (ctest: skipped) when boto3/moto are missing.
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import moto_estate  # noqa: E402

ECSGUARD = os.environ.get("ECSGUARD_BIN", "")
DEPLOY = "arn:aws:iam::*:role/ecs-deploy"
SECURITY = "arn:aws:iam::123456789012:role/security-admin"
# The global condition keys an SCP may use that this policy could need (IAM User Guide,
# "AWS global condition context keys"); a service key (ecs:..., config:...) is not accepted.
GLOBAL_KEYS = {"aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID",
               "aws:PrincipalTag", "aws:PrincipalType", "aws:RequestedRegion"}
SCP_MAX = 5120


def guardrails(*args):
    return subprocess.run([ECSGUARD, "guardrails", "scp", *args], capture_output=True, text=True,
                          timeout=60)


class ScpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        run = guardrails("--deployment-role", DEPLOY, "--security-role", SECURITY)
        assert run.returncode == 0, run.stderr
        cls.text = run.stdout
        cls.commands = run.stderr
        cls.policy = json.loads(run.stdout)

    def test_valid_json_within_the_size_limit(self):
        self.assertEqual(self.policy["Version"], "2012-10-17")
        self.assertLessEqual(len(self.text), SCP_MAX)
        self.assertLessEqual(len(json.dumps(self.policy, separators=(",", ":"))), SCP_MAX)
        self.assertEqual([s["Sid"] for s in self.policy["Statement"]],
                         ["EcsguardDeployOnlyThroughThePipeline", "EcsguardKeepAwsConfigRecording"])
        for s in self.policy["Statement"]:
            self.assertEqual(s["Effect"], "Deny")
            self.assertEqual(s["Resource"], "*")
        deploy, config = self.policy["Statement"]
        self.assertEqual(deploy["Condition"], {"ArnNotLike": {"aws:PrincipalArn": [DEPLOY]}})
        self.assertEqual(config["Condition"], {"ArnNotLike": {"aws:PrincipalArn": [SECURITY]}})
        self.assertIn("aws organizations create-policy", self.commands)

    def test_every_action_is_an_api_operation(self):
        import botocore.session
        session = botocore.session.get_session()
        operations = {prefix: set(session.get_service_model(service).operation_names)
                      for prefix, service in (("ecs", "ecs"), ("config", "config"))}
        actions = [a for s in self.policy["Statement"] for a in s["Action"]]
        self.assertEqual(len(actions), 10)
        for action in actions:
            prefix, name = action.split(":")
            self.assertIn(name, operations[prefix], action)

    def test_only_global_condition_keys(self):
        for s in self.policy["Statement"]:
            for operator, keys in s.get("Condition", {}).items():
                self.assertEqual(operator, "ArnNotLike")
                self.assertLessEqual(set(keys), GLOBAL_KEYS)

    def test_without_a_security_role_config_is_denied_to_everyone(self):
        run = guardrails()
        self.assertEqual(run.returncode, 0, run.stderr)
        policy = json.loads(run.stdout)
        self.assertEqual(len(policy["Statement"]), 1)
        self.assertNotIn("Condition", policy["Statement"][0])
        self.assertIn("No --deployment-role", run.stderr)

    def test_a_bad_role_and_an_oversized_policy_are_usage_errors(self):
        run = guardrails("--deployment-role", "ecs-deploy")
        self.assertEqual(run.returncode, 3)
        self.assertIn('"ecs-deploy" is not an IAM role ARN', run.stderr)
        many = [a for i in range(100)
                for a in ("--deployment-role", f"arn:aws:iam::{i:012d}:role/deploy")]
        run = guardrails(*many)
        self.assertEqual(run.returncode, 3)
        self.assertIn("over the 5120 an SCP may have", run.stderr)

    def test_organizations_accepts_it(self):
        import boto3
        with moto_estate.MotoServer() as moto, tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "scp.json")
            run = guardrails("--deployment-role", DEPLOY, "--security-role", SECURITY,
                             "-o", path)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn(f"--content file://{path}", run.stdout)
            org = boto3.client("organizations", region_name="us-east-1", endpoint_url=moto.url,
                               aws_access_key_id="testing", aws_secret_access_key="testing")
            org.create_organization(FeatureSet="ALL")
            root = org.list_roots()["Roots"][0]["Id"]
            with open(path) as f:
                content = f.read()
            policy = org.create_policy(Content=content, Description="ecsguard",
                                       Name="ecsguard-ecs-guardrails",
                                       Type="SERVICE_CONTROL_POLICY")["Policy"]
            policy_id = policy["PolicySummary"]["Id"]
            org.attach_policy(PolicyId=policy_id, TargetId=root)
            attached = org.list_policies_for_target(TargetId=root,
                                                    Filter="SERVICE_CONTROL_POLICY")["Policies"]
            self.assertIn(policy_id, [p["Id"] for p in attached])
            self.assertEqual(json.loads(org.describe_policy(PolicyId=policy_id)["Policy"]
                                        ["Content"]), json.loads(content))


if __name__ == "__main__":
    moto_estate.exit_77_unless_runnable(ECSGUARD)
    unittest.main(verbosity=2)
