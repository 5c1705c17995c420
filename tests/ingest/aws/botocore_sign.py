#!/usr/bin/env python3
"""Signs requests with botocore's SigV4Auth, for sigv4_botocore_test.cpp.

Reads JSON Lines from argv[1], one request per line:
  {"method", "origin", "path", "query": [[k, v]...] (decoded), "headers": [[k, v]...],
   "body_hex", "access_key", "secret_key", "token" (or ""), "region", "service",
   "timestamp": "20150830T123600Z"}
and writes to argv[2], one line per request: {"authorization", "canonical_request"}.
"""

import datetime
import json
import sys
from unittest import mock

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


class RecordingSigV4Auth(SigV4Auth):
    def canonical_request(self, request):
        self.last_canonical_request = super().canonical_request(request)
        return self.last_canonical_request


def sign(spec):
    request = AWSRequest(method=spec["method"], url=spec["origin"] + spec["path"],
                         data=bytes.fromhex(spec["body_hex"]))
    request.params = [tuple(p) for p in spec["query"]]
    for name, value in spec["headers"]:
        request.headers[name] = value  # HTTPMessage appends: repeated names stay repeated
    credentials = Credentials(spec["access_key"], spec["secret_key"], spec["token"] or None)
    auth = RecordingSigV4Auth(credentials, spec["service"], spec["region"])
    when = datetime.datetime.strptime(spec["timestamp"], "%Y%m%dT%H%M%SZ")
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        auth.add_auth(request)
    return {"authorization": request.headers["Authorization"],
            "canonical_request": auth.last_canonical_request}


def main():
    with open(sys.argv[1], encoding="utf-8") as src, \
            open(sys.argv[2], "w", encoding="utf-8") as out:
        for line in src:
            if line.strip():
                out.write(json.dumps(sign(json.loads(line))) + "\n")


if __name__ == "__main__":
    main()
