"""A fault-injecting HTTP proxy between ecsguard and moto_server, on loopback only.

It forwards every request unchanged (so SigV4 signatures still verify) and can, by rule:

  throttle   answer ThrottlingException / Throttling / RequestLimitExceeded (HTTP 400), with an
             optional Retry-After header
  error500   answer HTTP 500 (ServerException / InternalError)
  deny       answer AccessDeniedException / AccessDenied / UnauthorizedOperation
  reset      drop the connection without an answer (TCP RST)
  delay      wait, then forward
  hang       accept the request and never answer (until the proxy stops)

Rules match on the operation (X-Amz-Target or Action=), the signing region, the access key
(prefix) and a substring of the body, and apply to the first `times` matches, to every `every`-th
match (every=4: the 4th, 8th, ...; counted across all the threads), or to every match. Independently it

  * splits ECS list answers into pages of `page_size` (moto answers in one page): the answer is
    sliced and given a nextToken "proxy:<offset>"; a request carrying one gets the next slice;
  * enforces AWS's limits (maxResults <= 100, DescribeTasks <= 100, DescribeServices <= 10,
    DescribeContainerInstances <= 100, DescribeClusters <= 100, ELBv2 <= 20 ARNs) by answering
    InvalidParameterException / ValidationError, and counts violations;
  * adds `latency` seconds to every answer (benchmarks);
  * counts requests per operation (retries included) and the faults it injected.

    with FaultProxy("http://127.0.0.1:5000", page_size=2) as proxy:
        proxy.add_rule("DescribeTaskDefinition", "throttle", times=2)
        run(["ecsguard", "scan", "aws", "--endpoint-url", proxy.url])
        print(proxy.stats())
"""

import http.client
import json
import socket
import struct
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ECS_LISTS = {
    "ListClusters": "clusterArns",
    "ListTasks": "taskArns",
    "ListServices": "serviceArns",
    "ListContainerInstances": "containerInstanceArns",
    "ListTaskDefinitions": "taskDefinitionArns",
    "ListTaskDefinitionFamilies": "families",
}
JSON_BATCH_LIMITS = {
    "DescribeTasks": ("tasks", 100),
    "DescribeServices": ("services", 10),
    "DescribeContainerInstances": ("containerInstances", 100),
    "DescribeClusters": ("clusters", 100),
}
ELB_BATCH_LIMITS = {
    "DescribeTargetGroups": "TargetGroupArns.member.",
    "DescribeLoadBalancers": "LoadBalancerArns.member.",
    "DescribeTags": "ResourceArns.member.",
}


class Rule:
    def __init__(self, operation, action, times=None, region=None, key_prefix=None,
                 body_contains=None, retry_after=None, seconds=0.0, every=None):
        self.operation, self.action, self.times = operation, action, times
        self.region, self.key_prefix, self.body_contains = region, key_prefix, body_contains
        self.retry_after, self.seconds, self.every = retry_after, seconds, every
        self.applied = 0
        self.matched = 0  # for `every`

    def matches(self, request):
        if self.operation not in ("*", request["operation"]):
            return False
        if self.region and self.region != request["region"]:
            return False
        if self.key_prefix and not request["access_key"].startswith(self.key_prefix):
            return False
        if self.body_contains and self.body_contains not in request["body"]:
            return False
        if self.every:
            self.matched += 1  # called under the proxy's lock
            return self.matched % self.every == 0
        return self.times is None or self.applied < self.times


class FaultProxy:
    def __init__(self, upstream, page_size=0, latency=0.0, timeout=30):
        parsed = urllib.parse.urlparse(upstream)
        self.upstream_host, self.upstream_port = parsed.hostname, parsed.port
        self.page_size, self.latency, self.timeout = page_size, latency, timeout
        self.rules = []
        self.lock = threading.Lock()
        self.requests = {}
        self.faults = {}
        self.violations = []
        self.local = threading.local()
        self.stopping = threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                proxy.handle(self)

            def do_GET(self):
                proxy.handle(self)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a reset connection, or a client that went away

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def add_rule(self, operation, action, **kw):
        with self.lock:
            self.rules.append(Rule(operation, action, **kw))

    def clear(self):
        with self.lock:
            self.rules.clear()
            self.requests.clear()
            self.faults.clear()
            self.violations.clear()

    def stats(self):
        with self.lock:
            return {"requests": dict(self.requests), "faults": dict(self.faults),
                    "violations": list(self.violations)}

    # -- one request ------------------------------------------------------------------------

    def handle(self, h):
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        request = self.describe(h, body)
        op = request["operation"]
        with self.lock:
            self.requests[op] = self.requests.get(op, 0) + 1
            rule = next((r for r in self.rules if r.matches(request)), None)
            if rule:
                rule.applied += 1
                self.faults[f"{op}:{rule.action}"] = self.faults.get(f"{op}:{rule.action}", 0) + 1
        if self.latency:
            time.sleep(self.latency)
        if rule and rule.action == "reset":
            return self.reset(h)
        if rule and rule.action == "hang":
            self.stopping.wait()
            return self.reset(h)
        if rule and rule.action == "delay":
            time.sleep(rule.seconds)
            rule = None
        if rule:
            return self.answer(h, *self.fault(request, rule))
        violation = self.check_limits(request)
        if violation:
            with self.lock:
                self.violations.append(violation)
            return self.answer(h, *self.error(request, 400, "InvalidParameterException",
                                              "ValidationError", violation))
        status, headers, payload = self.forward(h, body)
        if status == 200 and request["protocol"] == "json" and op in ECS_LISTS and self.page_size:
            payload = self.split(request, op, payload)
        self.answer(h, status, headers, payload)

    @staticmethod
    def describe(h, body):
        target = h.headers.get("X-Amz-Target")
        auth = h.headers.get("Authorization", "")
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/") if "Credential=" in auth else []
        request = {"access_key": scope[0] if scope else "", "region": scope[2] if len(scope) > 2 else "",
                   "service": scope[3] if len(scope) > 3 else "", "json": None, "form": {},
                   "body": body.decode("utf-8", "replace")}
        if target:
            request["protocol"] = "json"
            request["operation"] = target.split(".", 1)[1]
            try:
                request["json"] = json.loads(body or b"{}")
            except ValueError:
                request["json"] = {}
        else:
            request["protocol"] = "ec2" if request["service"] == "ec2" else "query"
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            request["form"] = {k: v[0] for k, v in form.items()}
            request["operation"] = request["form"].get("Action", h.path)
        return request

    def check_limits(self, request):
        op = request["operation"]
        if request["protocol"] == "json":
            body = request["json"] or {}
            if body.get("maxResults", 0) > 100:
                return f"{op}: maxResults {body['maxResults']} > 100"
            if op in JSON_BATCH_LIMITS:
                key, limit = JSON_BATCH_LIMITS[op]
                if len(body.get(key, [])) > limit:
                    return f"{op}: {len(body[key])} {key} > {limit}"
        elif op in ELB_BATCH_LIMITS:
            n = sum(1 for k in request["form"] if k.startswith(ELB_BATCH_LIMITS[op]))
            if n > 20:
                return f"{op}: {n} ARNs > 20"
        return None

    def fault(self, request, rule):
        if rule.action == "throttle":
            status, headers, body = self.error(request, 400, "ThrottlingException",
                                               "Throttling", "Rate exceeded")
            if request["protocol"] == "ec2":
                status, headers, body = self.error(request, 503, "", "RequestLimitExceeded",
                                                   "Request limit exceeded.")
            if rule.retry_after is not None:
                headers["Retry-After"] = str(rule.retry_after)
            return status, headers, body
        if rule.action == "error500":
            return self.error(request, 500, "ServerException", "InternalError",
                              "We encountered an internal error. Please try again.")
        if rule.action == "deny":
            if request["protocol"] == "ec2":
                return self.error(request, 403, "", "UnauthorizedOperation",
                                  "You are not authorized to perform this operation.")
            return self.error(request, 400 if request["protocol"] == "json" else 403,
                              "AccessDeniedException", "AccessDenied",
                              f"User is not authorized to perform: {request['operation']}")
        raise ValueError(f"unknown action {rule.action}")

    @staticmethod
    def error(request, status, json_code, xml_code, message):
        if request["protocol"] == "json":
            return status, {"Content-Type": "application/x-amz-json-1.1"}, json.dumps(
                {"__type": json_code, "message": message}).encode()
        if request["protocol"] == "ec2":
            body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>"
                    f"{xml_code}</Code><Message>{message}</Message></Error></Errors>"
                    f"<RequestID>proxy</RequestID></Response>")
        else:
            body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{xml_code}</Code><Message>"
                    f"{message}</Message></Error><RequestId>proxy</RequestId></ErrorResponse>")
        return status, {"Content-Type": "text/xml"}, body.encode()

    def split(self, request, op, payload):
        key = ECS_LISTS[op]
        doc = json.loads(payload)
        items = doc.get(key, [])
        token = (request["json"] or {}).get("nextToken", "")
        start = int(token.split(":", 1)[1]) if token.startswith("proxy:") else 0
        size = min(self.page_size, (request["json"] or {}).get("maxResults", 100))
        doc[key] = items[start:start + size]
        doc.pop("nextToken", None)
        if start + size < len(items):
            doc["nextToken"] = f"proxy:{start + size}"
        return json.dumps(doc).encode()

    def connection(self):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self.upstream_host, self.upstream_port,
                                              timeout=self.timeout)
            self.local.conn = conn
        return conn

    def forward(self, h, body):
        for attempt in range(2):  # a kept-alive upstream connection may have gone stale
            conn = self.connection()
            try:
                conn.putrequest(h.command, h.path, skip_host=True, skip_accept_encoding=True)
                for name, value in h.headers.items():
                    if name.lower() not in ("connection", "keep-alive", "proxy-connection"):
                        conn.putheader(name, value)
                conn.endheaders(body)
                response = conn.getresponse()
                payload = response.read()
                headers = {k: v for k, v in response.getheaders()
                           if k.lower() not in ("connection", "transfer-encoding",
                                                "content-length", "keep-alive")}
                return response.status, headers, payload
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt:
                    raise

    @staticmethod
    def answer(h, status, headers, payload):
        h.send_response(status)
        for name, value in headers.items():
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        h.wfile.write(payload)

    @staticmethod
    def reset(h):
        h.close_connection = True
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
