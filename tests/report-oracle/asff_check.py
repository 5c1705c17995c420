"""Checks ASFF batch files against Security Hub's own API model, as shipped in botocore.

    python3 asff_check.py asff-0001.json [asff-0002.json ...]

Each file must be a JSON array that botocore accepts as the `Findings` parameter of
BatchImportFindings (required members, types, enums and minimum lengths of AwsSecurityFinding,
checked by botocore's parameter validator), with at most 100 findings, and each string must fit
the maximum length the model declares. Prints one line per problem. Exit status: 0 valid, 1
problems found, 77 botocore is not installed (the caller skips).
"""
import json
import sys

try:
    import botocore.session
    from botocore.validate import ParamValidator
except ImportError:
    print("botocore is not installed", file=sys.stderr)
    sys.exit(77)

MAX_BATCH = 100


def max_lengths(shape, value, path, problems):
    """Walks `value` along `shape`; reports strings longer than the model's max."""
    if shape.type_name == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                max_lengths(member, value[name], f"{path}.{name}", problems)
    elif shape.type_name == "list" and isinstance(value, list):
        limit = shape.metadata.get("max")
        if limit is not None and len(value) > limit:
            problems.append(f"{path}: {len(value)} items, at most {limit}")
        for i, item in enumerate(value):
            max_lengths(shape.member, item, f"{path}[{i}]", problems)
    elif shape.type_name == "map" and isinstance(value, dict):
        for k, v in value.items():
            max_lengths(shape.key, k, f"{path} key", problems)
            max_lengths(shape.value, v, f"{path}[{k}]", problems)
    elif shape.type_name == "string" and isinstance(value, str):
        limit = shape.metadata.get("max")
        if limit is not None and len(value) > limit:
            problems.append(f"{path}: {len(value)} characters, at most {limit}")


def main(paths):
    model = botocore.session.get_session().get_service_model("securityhub")
    operation = model.operation_model("BatchImportFindings")
    findings_shape = operation.input_shape.members["Findings"]
    problems = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            batch = json.load(f)
        if not isinstance(batch, list) or not batch:
            problems.append(f"{path}: not a non-empty JSON array")
            continue
        if len(batch) > MAX_BATCH:
            problems.append(f"{path}: {len(batch)} findings, BatchImportFindings takes {MAX_BATCH}")
        report = ParamValidator().validate({"Findings": batch}, operation.input_shape)
        if report.has_errors():
            problems.append(f"{path}: {report.generate_report()}")
        max_lengths(findings_shape, batch, f"{path}: Findings", problems)
        required = findings_shape.member.required_members
        for i, finding in enumerate(batch):
            missing = [m for m in required if m not in finding]
            if missing:
                problems.append(f"{path}: Findings[{i}] lacks {missing}")
    for p in problems:
        print(p)
    print(f"checked {len(paths)} file(s) against securityhub {model.api_version}: "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
