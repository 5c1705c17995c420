#!/usr/bin/env python3
"""IaC scan benchmark: a repository-sized input, ecsguard vs cfn-lint, side by side in one run.

Generates (seeded, deterministic) N CloudFormation YAML templates and N Terraform .tf files
under bench/data/iac-repo/ (git-ignored), then measures:

  * ecsguard: `taskset -c 0 <binary> scan iac <repo> -f json -o <out> --no-history -q`,
    wall time over --runs runs (min and median) and peak RSS from `/usr/bin/time -v`.
    Exit codes 1 (failing controls) and 2 (unresolvable values) are expected, not errors.
  * cfn-lint on a deterministic sample of the CloudFormation templates: one invocation over
    --batch templates, and --single templates one invocation each (as a pipeline step runs it).
    Both also pinned to core 0 with taskset.

Prints a markdown table with seconds per template and the ratios.

Usage: python3 bench/iac_bench.py [--n 2000] [--seed 42] [--binary build/release/src/cli/ecsguard]
"""
import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

IMAGES = [
    "public.ecr.aws/nginx/nginx:1.27",
    "quay.io/prometheus/node-exporter:v1.8.2",
    "public.ecr.aws/datadog/agent:7",
    "envoyproxy/envoy:v1.31.0",
    "public.ecr.aws/docker/library/redis:7",
    "public.ecr.aws/aws-observability/aws-otel-collector:latest",
]
MODES = ["host", "awsvpc", "bridge"]
USERS = [None, "root", "0", "1000", "1000:1000", "65534", "nobody"]


def yq(s):
    return '"' + s + '"'


# ---------------------------------------------------------------- CloudFormation
def cfn_template(i, rng):
    lines = ['AWSTemplateFormatVersion: "2010-09-09"',
             f"Description: generated benchmark template {i}"]
    use_params = rng.random() < 0.4
    params, conds = [], []
    mode = rng.choice(MODES)
    if use_params:
        params += ["  Environment:", "    Type: String", f"    Default: {rng.choice(['prod', 'dev'])}",
                   "    AllowedValues: [prod, dev]",
                   "  NetworkMode:", "    Type: String", f"    Default: {mode}",
                   "    AllowedValues: [host, bridge, awsvpc]"]
        conds += ["  IsProd: !Equals [!Ref Environment, prod]"]
    if params:
        lines.append("Parameters:")
        lines += params
    if conds:
        lines.append("Conditions:")
        lines += conds
    lines.append("Resources:")
    ntasks = 1 if rng.random() < 0.8 else 2
    for t in range(ntasks):
        name = f"Task{i}x{t}"
        lines += [f"  {name}:", "    Type: AWS::ECS::TaskDefinition", "    Properties:"]
        if use_params:
            lines.append(f'      Family: !Sub "${{Environment}}-svc{i}-{t}"')
            lines.append("      NetworkMode: !Ref NetworkMode")
        else:
            lines.append(f"      Family: svc{i}-{t}")
            lines.append(f"      NetworkMode: {mode}")
        if mode == "awsvpc" and rng.random() < 0.5:
            lines += ["      RequiresCompatibilities: [FARGATE]", '      Cpu: "256"', '      Memory: "512"']
        else:
            lines.append("      RequiresCompatibilities: [EC2]")
        lines.append("      ContainerDefinitions:")
        for c in range(rng.randint(1, 3)):
            lines.append(f"        - Name: c{c}")
            if use_params and rng.random() < 0.5:
                lines.append(f'          Image: !Sub "${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.amazonaws.com/app{i}:{c}"')
            else:
                lines.append(f"          Image: {rng.choice(IMAGES)}")
            lines.append(f"          Memory: {rng.choice([128, 256, 512])}")
            lines.append(f"          Essential: {'true' if c == 0 else 'false'}")
            r = rng.random()
            if use_params and r < 0.3:
                lines.append("          Privileged: !If [IsProd, true, false]")
            elif r < 0.5:
                lines.append(f"          Privileged: {rng.choice(['true', 'false'])}")
            u = rng.choice(USERS)
            if u is not None:
                lines.append(f"          User: {yq(u)}")
            if rng.random() < 0.4:
                lines += ["          PortMappings:", f"            - ContainerPort: {rng.choice([80, 443, 8080, 9100])}"]
            if rng.random() < 0.3:
                lines += ["          Environment:", "            - Name: STAGE",
                          "              Value: " + ("!Ref Environment" if use_params else "prod")]
    # unrelated resources
    for k in range(rng.randint(0, 3)):
        kind = rng.choice(["bucket", "role", "log"])
        if kind == "bucket":
            lines += [f"  Bucket{i}x{k}:", "    Type: AWS::S3::Bucket", "    Properties:",
                      "      VersioningConfiguration:", "        Status: Enabled"]
        elif kind == "role":
            lines += [f"  Role{i}x{k}:", "    Type: AWS::IAM::Role", "    Properties:",
                      "      AssumeRolePolicyDocument:", '        Version: "2012-10-17"',
                      "        Statement:", "          - Effect: Allow",
                      "            Principal:", "              Service: ecs-tasks.amazonaws.com",
                      "            Action: sts:AssumeRole"]
        else:
            lines += [f"  Logs{i}x{k}:", "    Type: AWS::Logs::LogGroup", "    Properties:",
                      f"      LogGroupName: /ecs/svc{i}-{k}", "      RetentionInDays: 30"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- Terraform
def tf_container_hcl(i, c, rng, user_expr=None):
    out = ["    {", f'      name       = "c{c}"', f'      image      = "{rng.choice(IMAGES)}"',
           f"      memory     = {rng.choice([128, 256, 512])}",
           f"      essential  = {'true' if c == 0 else 'false'}"]
    if rng.random() < 0.5:
        out.append(f"      privileged = {rng.choice(['true', 'false'])}")
    if user_expr:
        out.append(f"      user       = {user_expr}")
    else:
        u = rng.choice(USERS)
        if u is not None:
            out.append(f'      user       = "{u}"')
    if rng.random() < 0.4:
        out.append(f"      portMappings = [{{ containerPort = {rng.choice([80, 443, 8080])} }}]")
    out.append("    }")
    return out


def tf_container_json(c, rng):
    fields = [f'"name": "c{c}"', f'"image": "{rng.choice(IMAGES)}"',
              f'"memory": {rng.choice([128, 256, 512])}', f'"essential": {"true" if c == 0 else "false"}']
    if rng.random() < 0.5:
        fields.append(f'"privileged": {rng.choice(["true", "false"])}')
    u = rng.choice(USERS)
    if u is not None:
        fields.append(f'"user": "{u}"')
    return "      {" + ", ".join(fields) + "}"


def tf_file(i, rng):
    # Every name carries the file index: files sharing a module directory stay valid Terraform.
    mode = rng.choice(MODES)
    form = rng.random()
    lines = [f"# generated benchmark file {i}"]
    n = rng.randint(1, 3)
    if form < 0.45:  # inline jsonencode
        lines += [f'resource "aws_ecs_task_definition" "t{i}" {{', f'  family       = "svc{i}"',
                  f'  network_mode = "{mode}"', "", "  container_definitions = jsonencode(["]
        for c in range(n):
            lines += tf_container_hcl(i, c, rng)
            if c < n - 1:
                lines[-1] += ","
        lines += ["  ])", "}"]
    elif form < 0.75:  # variables + locals
        uid = rng.choice([0, 1000, 65534])
        lines += [f'variable "network_mode_{i}" {{', "  type    = string", f'  default = "{mode}"', "}", "",
                  f'variable "uid_{i}" {{', "  type    = number", f"  default = {uid}", "}", "",
                  "locals {", f'  user_{i} = "${{var.uid_{i}}}:${{var.uid_{i}}}"', f"  containers_{i} = ["]
        for c in range(n):
            lines += tf_container_hcl(i, c, rng, user_expr=f"local.user_{i}")
            if c < n - 1:
                lines[-1] += ","
        lines += ["  ]", "}", "",
                  f'resource "aws_ecs_task_definition" "t{i}" {{', f'  family                = "svc{i}"',
                  f"  network_mode          = var.network_mode_{i}",
                  f"  container_definitions = jsonencode(local.containers_{i})", "}"]
    else:  # heredoc JSON
        lines += [f'resource "aws_ecs_task_definition" "t{i}" {{', f'  family       = "svc{i}"',
                  f'  network_mode = "{mode}"', "", "  container_definitions = <<-JSON", "    ["]
        lines.append(",\n".join(tf_container_json(c, rng) for c in range(n)))
        lines += ["    ]", "  JSON", "}"]
    if rng.random() < 0.3:
        lines += ["", f'resource "aws_s3_bucket" "b{i}" {{', f'  bucket = "bench-bucket-{i}"', "}"]
    return "\n".join(lines) + "\n"


def generate(repo, n, seed):
    if os.path.isdir(repo):
        shutil.rmtree(repo)
    rng = random.Random(seed)
    cfn_paths = []
    for i in range(n):
        d = os.path.join(repo, "cloudformation", f"stack{i // 100:02d}")
        os.makedirs(d, exist_ok=True)
        p = os.path.join(d, f"template{i:05d}.yaml")
        with open(p, "w") as f:
            f.write(cfn_template(i, rng))
        cfn_paths.append(p)
    for i in range(n):
        d = os.path.join(repo, "terraform", f"module{i // 100:02d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"svc{i:05d}.tf"), "w") as f:
            f.write(tf_file(i, rng))
    return cfn_paths


def timed(cmd, ok_codes=(0,)):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t0
    if r.returncode not in ok_codes:
        sys.stderr.write(f"command failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr[-2000:]}\n")
        sys.exit(1)
    return dt, r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000, help="templates and .tf files each")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--binary", default=os.path.join(ROOT, "build/release/src/cli/ecsguard"))
    ap.add_argument("--repo", default=os.path.join(ROOT, "bench/data/iac-repo"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=40, help="templates in one cfn-lint invocation")
    ap.add_argument("--single", type=int, default=5, help="templates linted one per invocation")
    ap.add_argument("--cfn-lint", default="cfn-lint")
    args = ap.parse_args()

    cfn = generate(args.repo, args.n, args.seed)
    total_files = 2 * args.n
    size = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(args.repo) for f in fs)
    print(f"generated {args.n} CloudFormation templates + {args.n} .tf files "
          f"({size / 1e6:.2f} MB) under {os.path.relpath(args.repo, ROOT)} (seed {args.seed})")

    out = tempfile.mkdtemp(prefix="iac-bench-out-")
    scan = ["taskset", "-c", "0", args.binary, "scan", "iac", args.repo,
            "-f", "json", "-o", out, "--no-history", "-q"]
    print("$ " + " ".join(scan))
    walls, codes = [], set()
    for _ in range(args.runs):
        dt, r = timed(scan, ok_codes=(0, 1, 2))
        walls.append(dt)
        codes.add(r.returncode)
    _, r = timed(["/usr/bin/time", "-v"] + scan, ok_codes=(0, 1, 2))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    rss_mb = int(m.group(1)) / 1024 if m else float("nan")
    assets = findings = None
    try:
        import json
        js = [f for f in os.listdir(out) if f.endswith(".json")]
        if js:
            with open(os.path.join(out, js[0])) as f:
                doc = json.load(f)
            findings = len(doc.get("findings", []))
            problems = doc.get("problems") or []
            if problems:
                # a generator bug would make the scan cheap for the wrong reason: refuse to report
                sys.stderr.write(f"ecsguard reported {len(problems)} problem(s), e.g. {problems[:3]}\n")
                sys.exit(1)
    except (OSError, ValueError) as e:
        sys.stderr.write(f"could not read the JSON report: {e}\n")
    shutil.rmtree(out, ignore_errors=True)

    # deterministic cfn-lint sample: every k-th template
    k = max(1, len(cfn) // args.batch)
    batch = cfn[::k][: args.batch]
    singles = cfn[k // 2 :: max(1, len(cfn) // args.single)][: args.single]
    lint = ["taskset", "-c", "0", args.cfn_lint]
    # cfn-lint exits non-zero (2/4/8...) when it reports errors/warnings/informational: expected.
    ok = tuple(range(0, 32))
    print("$ " + " ".join(lint) + f" <{len(batch)} templates>")
    bdt, br = timed(lint + ["--"] + batch, ok_codes=ok)
    sdts = []
    for p in singles:
        dt, _ = timed(lint + ["--", p], ok_codes=ok)
        sdts.append(dt)
    print(f"$ {' '.join(lint)} <one template> x{len(singles)}")

    eg_min, eg_med = min(walls), statistics.median(walls)
    eg_per = eg_min / total_files
    eg_per_cfn_med = eg_med / total_files
    lint_batch_per = bdt / len(batch)
    lint_single_per = statistics.median(sdts)

    print()
    print(f"ecsguard exit code(s): {sorted(codes)}; runs (s): {', '.join(f'{w:.3f}' for w in walls)}"
          + (f"; findings in JSON: {findings}" if findings is not None else ""))
    print(f"cfn-lint single-invocation times (s): {', '.join(f'{d:.2f}' for d in sdts)}")
    print()
    print("| tool | input | wall (s) | per template (ms) | ecsguard faster by |")
    print("|---|---|---:|---:|---:|")
    print(f"| ecsguard `scan iac` (1 core), min of {args.runs} | {args.n} CFN + {args.n} .tf | "
          f"{eg_min:.3f} | {eg_per * 1e3:.3f} | — |")
    print(f"| ecsguard `scan iac` (1 core), median of {args.runs} | {args.n} CFN + {args.n} .tf | "
          f"{eg_med:.3f} | {eg_per_cfn_med * 1e3:.3f} | — |")
    print(f"| cfn-lint, one invocation | {len(batch)} CFN | {bdt:.2f} | {lint_batch_per * 1e3:.1f} | "
          f"{lint_batch_per / eg_per:,.0f}× (min) / {lint_batch_per / eg_per_cfn_med:,.0f}× (median) |")
    print(f"| cfn-lint, one invocation per template (median) | {len(singles)} CFN | "
          f"{sum(sdts):.2f} | {lint_single_per * 1e3:.1f} | "
          f"{lint_single_per / eg_per:,.0f}× (min) / {lint_single_per / eg_per_cfn_med:,.0f}× (median) |")
    # Conservative view: charge the whole scan (CFN and .tf) to the CloudFormation templates only.
    eg_cfn_only = eg_med / args.n
    print(f"| ecsguard, whole median wall charged to the {args.n} CFN templates only | {args.n} CFN | "
          f"{eg_med:.3f} | {eg_cfn_only * 1e3:.3f} | "
          f"{lint_batch_per / eg_cfn_only:,.0f}× vs batched / {lint_single_per / eg_cfn_only:,.0f}× vs per-invocation |")
    print()
    print(f"ecsguard peak RSS: {rss_mb:.1f} MB")
    print(f"target 'whole repository well under 1 s on one core': under 1 s: "
          f"{'yes' if eg_med < 1.0 else 'NO'}; well under (<= 0.5 s): {'yes' if eg_med <= 0.5 else 'NO'} "
          f"(median {eg_med:.3f} s, min {eg_min:.3f} s)")
    worst = lint_batch_per / eg_cfn_only
    print(f"target '>= 100x faster per template than cfn-lint': "
          f"{'met' if worst >= 100 else 'NOT met'} (worst case {worst:,.0f}×: batched cfn-lint vs the median "
          f"ecsguard wall divided by the CFN templates alone)")


if __name__ == "__main__":
    main()
