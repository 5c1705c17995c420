#!/usr/bin/env python3
"""How much of real IaC `ecsguard scan iac` decides: a corpus of repositories, one per subfolder.

Reads FOLDER (it fetches nothing: check the repositories out there yourself, e.g.
`git archive HEAD | tar -x -C FOLDER/<owner>+<name>`), runs, per subfolder,

  <binary> scan iac <repo> --root <repo> --control aws-ecs-1-privileged-network-mode \
      -f json -o <tmp> --no-history -q

and prints a markdown table: IaC files (.tf, .tf.json, and .json/.yaml/.yml/.template files that
name an AWS:: resource type, as the scan's walker would find them), task-definition records of
the seed control, how many are NOT_EVALUATED and their share, then the NOT_EVALUATED reasons
grouped (a reason with its names and quoted values replaced, so that one cause in many
resources counts once per resource under one heading). The last line says whether the target
of at most 10% NOT_EVALUATED over the whole corpus is met. Exit codes 1 and 2 of the scan are
expected; any other, or a report that is not JSON, stops the run.

--install stands in for `terraform init`, offline, from the corpus itself: each repository is
scanned from a temporary copy in which every root module's registry and git module calls whose
repository is also in FOLDER (registry `ns/name/provider` is GitHub's `ns/terraform-provider-name`,
`git::https://github.com/owner/repo.git`) are copied into `.terraform/modules/<key>` with a
`modules.json`, as `terraform init` lays them out, recursively for the calls those modules make.
The module is the corpus's commit, not the version the call asks for. FOLDER is not modified.

Usage: python3 bench/iac_corpus.py FOLDER [--binary build/release/src/cli/ecsguard] [--top 8]
                                          [--install]
"""
import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = "aws-ecs-1-privileged-network-mode"
TARGET = 0.10


def iac_files(repo):
    n = 0
    for dp, dns, fns in os.walk(repo):
        # the walker's rule: hidden folders and node_modules are not inputs
        dns[:] = sorted(d for d in dns if not d.startswith(".") and d != "node_modules")
        for f in fns:
            if f.endswith(".tf") or f.endswith(".tf.json"):
                n += 1
            elif f.endswith((".json", ".yaml", ".yml", ".template")):
                try:
                    with open(os.path.join(dp, f), "rb") as fh:
                        head = fh.read(1 << 20)
                except OSError:
                    continue
                if b"AWS::" in head:
                    n += 1
    return n


# The first rule that matches names the group; the order puts the root cause before the
# wrappers around it ("container #1 is unknown (function try() ...)").
GROUPS = [
    (r"function (\w+)\(\) is not evaluated", lambda m: f"missing function: {m.group(1)}()"),
    (r"terraform init", lambda m: "registry/git module, no `terraform init` (.terraform/modules)"),
    # the wording before `terraform init` was read
    (r"module source \"[^\"]*\" is not a local path", lambda m: "registry/git module not read"),
    (r"var\.[\w-]+ has no default", lambda m: "variable without default (root module)"),
    (r"(count|for_each) is unknown", lambda m: f"{m.group(1)} is unknown"),
    (r"for_each is not a map or set", lambda m: "for_each is not a map or set of strings"),
    (r"module\.[\w-]+", lambda m: "module output"),
    (r"\b(data\.|aws_)[\w-]+\.[\w-]+", lambda m: "data source or resource attribute"),
    (r"!?(Ref|GetAtt|ImportValue)\b|Fn::\w+", lambda m: f"CloudFormation {m.group(0)}"),
    (r"parameter \S+ has no default|Parameters?\b", lambda m: "CloudFormation parameter"),
    (r"evaluation budget", lambda m: "evaluation budget"),
]


def group(reason):
    for pattern, name in GROUPS:
        m = re.search(pattern, reason)
        if m:
            return name(m)
    # unknown shape: keep the words, drop names and values
    g = re.sub(r"\"[^\"]*\"|'[^']*'|`[^`]*`", "…", reason)
    g = re.sub(r"\b(var|local|module|each|count)\.[\w.\[\]\"-]+", r"\1.…", g)
    g = re.sub(r"#\d+", "#n", g)
    return g[:120]


MODULE_CALL = re.compile(r'^module\s+"([^"]+)"\s*\{(.*?)^\}', re.S | re.M)
SOURCE = re.compile(r'^\s*source\s*=\s*"([^"]+)"', re.M)


def module_calls(folder):
    """(name, source) of the module blocks of the .tf files directly in `folder`."""
    calls = []
    for f in sorted(os.listdir(folder)):
        if not f.endswith(".tf"):
            continue
        with open(os.path.join(folder, f), errors="replace") as fh:
            text = fh.read()
        for m in MODULE_CALL.finditer(text):
            src = SOURCE.search(m.group(2))
            if src:
                calls.append((m.group(1), src.group(1)))
    return calls


def corpus_folder(corpus, source):
    """(repository folder in the corpus, //subdir) that a registry or git source names, or None."""
    if source.startswith(("./", "../")):
        return None
    m = re.match(r"git::https://github\.com/([^/]+)/([^/?]+?)(?:\.git)?(//[^?]*)?(\?.*)?$", source)
    if m:
        owner, repo, sub = m.group(1), m.group(2), m.group(3) or ""
    else:
        m = re.match(r"([\w-]+)/([\w-]+)/([\w-]+)(//.*)?$", source)
        if not m:
            return None
        owner, repo, sub = m.group(1), f"terraform-{m.group(3)}-{m.group(2)}", m.group(4) or ""
    for d in os.listdir(corpus):
        if d.lower() == f"{owner}+{repo}".lower():
            return os.path.join(corpus, d), sub.strip("/")
    return None


def install(corpus, root):
    """Lays out root/.terraform/modules as `terraform init` would, from the corpus."""
    entries = [{"Key": "", "Source": "", "Dir": "."}]
    todo = [("", root)]
    while todo:
        key, folder = todo.pop()
        if key.count(".") >= 8 or not os.path.isdir(folder):
            continue
        for name, source in module_calls(folder):
            k = f"{key}.{name}" if key else name
            if source.startswith(("./", "../")):
                todo.append((k, os.path.normpath(os.path.join(folder, source))))
                continue
            found = corpus_folder(corpus, source)
            if not found:
                continue
            # the whole repository, as init downloads it; the call's folder is the //subdir
            repo, sub = found
            download = os.path.join(".terraform", "modules", k)
            if not os.path.exists(os.path.join(root, download)):
                shutil.copytree(repo, os.path.join(root, download),
                                ignore=shutil.ignore_patterns(".terraform", ".git"))
            rel = os.path.join(download, sub) if sub else download
            if not os.path.isdir(os.path.join(root, rel)):
                continue
            entries.append({"Key": k, "Source": source, "Dir": rel})
            todo.append((k, os.path.join(root, rel)))
    if len(entries) > 1:
        os.makedirs(os.path.join(root, ".terraform", "modules"), exist_ok=True)
        with open(os.path.join(root, ".terraform", "modules", "modules.json"), "w") as f:
            json.dump({"Modules": entries}, f)


def installed_copy(corpus, repo, into):
    """A copy of `repo` in which every root module has its modules installed from the corpus."""
    shutil.copytree(repo, into, symlinks=True, ignore=shutil.ignore_patterns(".terraform", ".git"))
    for dp, dns, fns in os.walk(into):
        dns[:] = [d for d in dns if not d.startswith(".")]
        if any(f.endswith(".tf") for f in fns) and any(
                not s.startswith(("./", "../")) for _, s in module_calls(dp)):
            install(corpus, dp)


def scan(binary, repo):
    with tempfile.TemporaryDirectory(prefix="iac-corpus-") as out:
        cmd = [binary, "scan", "iac", repo, "--root", repo, "--control", SEED, "-f", "json",
               "-o", out, "--no-history", "-q"]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode not in (0, 1, 2):
            sys.exit(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stderr[-2000:]}")
        with open(os.path.join(out, "ecsguard.json")) as f:
            return json.load(f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", help="a folder whose subfolders are repositories")
    ap.add_argument("--binary", default=os.path.join(ROOT, "build/release/src/cli/ecsguard"))
    ap.add_argument("--top", type=int, default=8, help="reason groups shown per repository")
    ap.add_argument("--install", action="store_true",
                    help="stand in for `terraform init` from the corpus (see above)")
    args = ap.parse_args()

    repos = sorted(d for d in os.listdir(args.folder)
                   if os.path.isdir(os.path.join(args.folder, d)))
    if not repos:
        sys.exit(f"no repositories under {args.folder}")
    rows, reasons_by_repo, all_reasons = [], {}, collections.Counter()
    tot_files = tot_records = tot_ne = tot_problems = 0
    for name in repos:
        repo = os.path.join(args.folder, name)
        if args.install:
            with tempfile.TemporaryDirectory(prefix="iac-corpus-init-") as tmp:
                copy = os.path.join(tmp, name)
                installed_copy(args.folder, repo, copy)
                report = scan(args.binary, copy)
        else:
            report = scan(args.binary, repo)
        findings = [f for f in report["findings"] if f["controlId"] == SEED]
        ne = [f for f in findings if f["status"] == "NOT_EVALUATED"]
        reasons = collections.Counter(group(f.get("reason") or "") for f in ne)
        files = iac_files(repo)
        problems = len(report.get("problems") or [])
        share = len(ne) / len(findings) if findings else 0.0
        rows.append((name, files, len(findings), len(ne), share, problems))
        reasons_by_repo[name] = reasons
        all_reasons.update(reasons)
        tot_files += files
        tot_records += len(findings)
        tot_ne += len(ne)
        tot_problems += problems

    print(f"binary: {os.path.relpath(args.binary, ROOT)}; control: {SEED}"
          + ("; modules installed from the corpus (--install)" if args.install else ""))
    print()
    print("| repository | IaC files | task-definition records | NOT_EVALUATED | share | problems |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, files, records, ne, share, problems in rows:
        print(f"| {name} | {files} | {records} | {ne} | {share:.0%} | {problems} |")
    total_share = tot_ne / tot_records if tot_records else 0.0
    print(f"| **total** | {tot_files} | {tot_records} | {tot_ne} | {total_share:.1%} | "
          f"{tot_problems} |")
    print()
    print("NOT_EVALUATED reasons (records), per repository:")
    for name, *_ in rows:
        reasons = reasons_by_repo[name]
        if not reasons:
            continue
        print(f"- {name}: " + "; ".join(f"{g} ({n})" for g, n in reasons.most_common(args.top)))
    print()
    print("NOT_EVALUATED reasons over the corpus:")
    for g, n in all_reasons.most_common():
        print(f"- {n:4d}  {g}")
    print()
    met = total_share <= TARGET
    print(f"target: at most {TARGET:.0%} of the seed control's records NOT_EVALUATED: "
          f"{'met' if met else 'NOT met'} ({tot_ne} of {tot_records}, {total_share:.1%})")


if __name__ == "__main__":
    main()
