#!/usr/bin/env python3
"""Validates register-task-definition input documents against botocore's ECS service model.

  check_register_input.py FILE...

Each FILE must be a JSON object that botocore's parameter validator accepts for
RegisterTaskDefinition: every key a member of RegisterTaskDefinitionRequest (recursively, of
each nested shape), the required members present, every value of the right type. Exit 0 when
all are valid, 1 with the errors otherwise, 77 when botocore is not installed.
"""

import json
import sys

try:
    import botocore.session
    from botocore.validate import ParamValidator
except ImportError:
    print("botocore is not installed", file=sys.stderr)
    sys.exit(77)


def main(paths):
    model = botocore.session.get_session().get_service_model("ecs")
    shape = model.operation_model("RegisterTaskDefinition").input_shape
    failed = False
    for path in paths:
        with open(path) as f:
            params = json.load(f)
        report = ParamValidator().validate(params, shape)
        missing = [m for m in shape.required_members if m not in params]
        if report.has_errors() or missing:
            failed = True
            print(f"{path}: {report.generate_report()} missing={missing}")
        else:
            print(f"{path}: valid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
