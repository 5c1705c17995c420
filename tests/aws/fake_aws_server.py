"""A rate-limit-faithful fake AWS for scale tests of `ecsguard scan aws` (moto is too slow for
hundreds of accounts; the moto tests keep checking the answers' shapes).

It answers what a scan calls: ECS (JSON 1.1), EC2 DescribeRegions, STS (GetCallerIdentity,
AssumeRole with expiring sessions), Organizations (ListAccounts, ListTagsForResource); every
answer after a fixed latency. Like AWS it throttles each account per region and per API
category with a token bucket (ECS's documented 50 burst / 20 per second for each read group,
EC2's 100 / 20, ...) and answers ThrottlingException when the bucket is empty, and it counts
requests per second per (account, region, category), so a test can assert the scanner's peak.

The estate is generated from a seed (Estate): most cells empty, a few busy ones with hundreds of
running tasks on in-use revisions, some SUSPENDED accounts and two opt-in regions not enabled.
Which account a request is for comes from its access key: the caller's keys are the management
account's, and AssumeRole hands out keys that name the role's account.

    with FakeAwsServer(Estate(accounts=20, regions=6), latency=0.03) as aws:
        run ecsguard with --endpoint-url aws.url, AWS_ACCESS_KEY_ID=aws.caller_key
        aws.stats()  -> {"calls", "throttled", "expired", "peak", "peak_by_category"}

Run directly it serves until interrupted (for bench/aws_scale_bench.py):
    python3 fake_aws_server.py --accounts 200 --regions 17 --latency 0.05
"""

import argparse
import collections
import hashlib
import json
import re
import threading
import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REGIONS = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1",
           "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1",
           "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
           "ap-southeast-2", "sa-east-1"]
NOT_OPTED_IN = ["ap-east-1", "me-south-1"]
MANAGEMENT = "100000000000"
CALLER_KEY = "AKIDFAKECALLER"

# AWS's buckets (capacity, refill per second), per account and region.
ECS_GROUPS = {
    "ListClusters": "ecs:cluster-read", "DescribeClusters": "ecs:cluster-read",
    "ListTasks": "ecs:task-read", "DescribeTasks": "ecs:task-read",
    "ListServices": "ecs:service-read", "DescribeServices": "ecs:service-read",
    "ListTaskDefinitions": "ecs:task-definition-read",
    "DescribeTaskDefinition": "ecs:task-definition-read",
    "ListContainerInstances": "ecs:container-instance-read",
    "DescribeContainerInstances": "ecs:container-instance-read",
}
BUCKETS = {"ecs": (50, 20), "ec2": (100, 20), "elasticloadbalancing": (20, 10),
           "sts": (600, 600), "organizations": (20, 10)}


def category(service, operation):
    if service == "ecs":
        return ECS_GROUPS.get(operation, "ecs")
    return {"elasticloadbalancing": "elbv2"}.get(service, service)


def stable(*parts):
    return int(hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()[:12], 16)


class Estate:
    """accounts x regions; one cell in `busy_every` has clusters, and every cell of the
    `hot_accounts` (from the second account on) has hundreds of tasks on dozens of revisions:
    the tail that per-account limits bind."""

    def __init__(self, accounts=20, regions=6, seed=1, busy_every=8, hot_accounts=1,
                 suspended_every=0):
        self.accounts = [f"{100000000000 + i:012d}" for i in range(accounts)]
        self.regions = REGIONS[:regions]
        self.seed = seed
        self.suspended = {a for i, a in enumerate(self.accounts)
                          if suspended_every and i % suspended_every == suspended_every - 1}
        self.cells = {}
        for ai, account in enumerate(self.accounts):
            for region in self.regions:
                h = stable(seed, account, region)
                hot = 1 <= ai <= hot_accounts  # never the management account (index 0)
                if h % busy_every and not hot:
                    continue
                tasks = 150 + h % 150 if hot else 3 + h % 40
                families = 15 + h % 15 if hot else 1 + h % 4
                self.cells[(account, region)] = self._cell(account, region, tasks, families, h)

    def _cell(self, account, region, tasks, families, h):
        prefix = f"arn:aws:ecs:{region}:{account}"
        clusters = [f"{prefix}:cluster/c{i}" for i in range(1 + h % 2)]
        revisions = {}
        for f in range(families):
            arn = f"{prefix}:task-definition/app{f}:{1 + (h >> f) % 5}"
            g = stable(self.seed, arn)
            revisions[arn] = {
                "family": f"app{f}", "revision": int(arn.rsplit(":", 1)[1]),
                "networkMode": "host" if g % 3 == 0 else "awsvpc",
                "privileged": g % 4 == 0, "user": "root" if g % 5 == 0 else "1000"}
        arns = sorted(revisions)
        by_cluster = {c: [] for c in clusters}
        for t in range(tasks):
            cluster = clusters[t % len(clusters)]
            td = arns[t % len(arns)]
            by_cluster[cluster].append({
                "taskArn": f"{prefix}:task/{cluster.rsplit('/', 1)[1]}/t{t:05d}",
                "clusterArn": cluster, "taskDefinitionArn": td, "lastStatus": "RUNNING",
                "desiredStatus": "RUNNING", "launchType": "FARGATE",
                "group": f"service:svc{t % 3}" if t % 2 else f"family:{revisions[td]['family']}",
                "tags": []})
        return {"clusters": clusters, "tasks": by_cluster, "revisions": revisions}


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class State:
    def __init__(self, estate, latency, key_uses):
        self.estate = estate
        self.latency = latency
        # The first key assumed into each account expires after this many requests (0: never),
        # though its Expiration says an hour: a session cut short (revoked, a skewed clock), which
        # the scanner meets as ExpiredToken mid-scan. The keys assumed after it do not expire.
        self.key_uses = key_uses
        self.mu = threading.Lock()
        self.buckets = {}
        self.keys = {}  # access key -> [account, uses, uses allowed or 0]
        self.counter = 0
        self.per_second = collections.Counter()  # (account, region, category, second)
        self.calls = collections.Counter()
        self.throttled = 0
        self.expired = 0

    def admit(self, account, region, service, cat, now):
        capacity, refill = BUCKETS.get(service, (100, 50))
        with self.mu:
            key = (account, region, cat if service == "ecs" else service)
            tokens, last = self.buckets.get(key, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * refill)
            if tokens < 1:
                self.buckets[key] = (tokens, now)
                self.throttled += 1
                return False
            self.buckets[key] = (tokens - 1, now)
            self.per_second[(account, region, cat, int(now))] += 1
            return True

    def stats(self):
        with self.mu:
            peak = collections.Counter()
            by_category = collections.Counter()
            for (account, region, cat, _), n in self.per_second.items():
                peak[account] = max(peak[account], n)
                by_category[cat] = max(by_category[cat], n)
            return {"calls": dict(self.calls), "total": sum(self.calls.values()),
                    "throttled": self.throttled, "expired": self.expired,
                    "peak": max(peak.values(), default=0), "peak_by_category": dict(by_category)}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/x-amz-json-1.1"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "fake")
        self.end_headers()
        self.wfile.write(data)

    def json_error(self, status, code, message):
        self.reply(status, json.dumps({"__type": code, "message": message}))

    def query_error(self, status, code, message):
        self.reply(status, f"<ErrorResponse><Error><Code>{code}</Code><Message>{message}"
                           f"</Message></Error><RequestId>fake</RequestId></ErrorResponse>",
                   "text/xml")

    def do_GET(self):
        if self.path == "/__stats":
            return self.reply(200, json.dumps(self.server.state.stats()), "application/json")
        self.reply(404, "")

    def do_POST(self):
        state = self.server.state
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        m = re.search(r"Credential=([^/]+)/\d+/([^/]+)/([^/]+)/",
                      self.headers.get("Authorization", ""))
        if not m:
            return self.query_error(403, "MissingAuthenticationToken", "unsigned")
        key, region, service = m.groups()
        target = self.headers.get("X-Amz-Target", "")
        if target:
            operation, request, is_json = target.split(".", 1)[1], json.loads(body or "{}"), True
        else:
            form = dict(urllib.parse.parse_qsl(body))
            operation, request, is_json = form.get("Action", ""), form, False
        error = self.json_error if is_json else self.query_error
        arrived = time.monotonic()
        with state.mu:
            if key == CALLER_KEY:
                account = MANAGEMENT
            elif key in state.keys:
                entry = state.keys[key]
                entry[1] += 1
                if entry[2] and entry[1] > entry[2]:
                    state.expired += 1
                    account = None
                else:
                    account = entry[0]
            else:
                return error(403, "InvalidClientTokenId", "unknown access key")
        # Throttled and counted on arrival, as AWS does; answered after the latency.
        admitted = account and state.admit(account, region, service,
                                           category(service, operation), arrived)
        time.sleep(state.latency)
        if account is None:
            code = "ExpiredTokenException" if is_json else "ExpiredToken"
            return error(400, code, "The security token included in the request is expired")
        if region in NOT_OPTED_IN:  # as AWS answers in a region the account has not enabled
            code = "UnrecognizedClientException" if is_json else "InvalidClientTokenId"
            return error(400, code, "The security token included in the request is invalid")
        if not admitted:
            if service == "ec2":
                return error(503, "RequestLimitExceeded", "Request limit exceeded.")
            return error(400, "ThrottlingException" if is_json else "Throttling", "Rate exceeded")
        with state.mu:
            state.calls[f"{service}:{operation}"] += 1
        handler = getattr(self, f"{service.replace('-', '_')}_{operation}", None)
        if handler is None:
            return error(400, "InvalidAction", f"fake AWS: no {service}:{operation}")
        handler(account, region, request)

    # --- STS ---------------------------------------------------------------------------------

    def sts_GetCallerIdentity(self, account, region, request):
        self.reply(200, "<GetCallerIdentityResponse><GetCallerIdentityResult>"
                        f"<Arn>arn:aws:iam::{account}:user/scanner</Arn><UserId>AIDA</UserId>"
                        f"<Account>{account}</Account></GetCallerIdentityResult>"
                        "</GetCallerIdentityResponse>", "text/xml")

    def sts_AssumeRole(self, account, region, request):
        state = self.server.state
        m = re.match(r"arn:aws:iam::(\d{12}):role/", request.get("RoleArn", ""))
        if not m or m.group(1) not in state.estate.accounts:
            return self.query_error(403, "AccessDenied", "not authorized to perform sts:AssumeRole")
        with state.mu:
            state.counter += 1
            key = f"ASIA{m.group(1)}{state.counter:08d}"
            first = not any(entry[0] == m.group(1) for entry in state.keys.values())
            state.keys[key] = [m.group(1), 0, state.key_uses if first else 0]
        expires = iso(datetime.now(timezone.utc) + timedelta(hours=1))
        self.reply(200, "<AssumeRoleResponse><AssumeRoleResult><Credentials>"
                        f"<AccessKeyId>{key}</AccessKeyId><SecretAccessKey>fake-secret"
                        f"</SecretAccessKey><SessionToken>token-{key}</SessionToken>"
                        f"<Expiration>{expires}</Expiration></Credentials></AssumeRoleResult>"
                        "</AssumeRoleResponse>", "text/xml")

    # --- Organizations -----------------------------------------------------------------------

    def organizations_ListAccounts(self, account, region, request):
        estate = self.server.state.estate
        start = int(request.get("NextToken", "0"))
        page = estate.accounts[start:start + 20]
        out = {"Accounts": [{"Id": a, "Name": f"account-{a[-4:]}", "Arn": f"arn:aws:organizations::"
                             f"{MANAGEMENT}:account/o-fake/{a}",
                             "Status": "SUSPENDED" if a in estate.suspended else "ACTIVE"}
                            for a in page]}
        if start + 20 < len(estate.accounts):
            out["NextToken"] = str(start + 20)
        self.reply(200, json.dumps(out))

    def organizations_ListTagsForResource(self, account, region, request):
        env = "production" if stable(request.get("ResourceId")) % 3 == 0 else "staging"
        self.reply(200, json.dumps({"Tags": [{"Key": "environment", "Value": env}]}))

    # --- EC2 ---------------------------------------------------------------------------------

    def ec2_DescribeRegions(self, account, region, request):
        items = "".join(f"<item><regionName>{r}</regionName><optInStatus>opt-in-not-required"
                        f"</optInStatus></item>" for r in self.server.state.estate.regions)
        items += "".join(f"<item><regionName>{r}</regionName><optInStatus>not-opted-in"
                         f"</optInStatus></item>" for r in NOT_OPTED_IN)
        self.reply(200, f"<DescribeRegionsResponse><regionInfo>{items}</regionInfo>"
                        "</DescribeRegionsResponse>", "text/xml")

    # --- ECS ---------------------------------------------------------------------------------

    def cell(self, account, region):
        return self.server.state.estate.cells.get((account, region))

    def page(self, items, request, key):
        start = int(request.get("nextToken") or 0)
        size = int(request.get("maxResults") or 100)
        out = {key: items[start:start + size]}
        if start + size < len(items):
            out["nextToken"] = str(start + size)
        self.reply(200, json.dumps(out))

    def ecs_ListClusters(self, account, region, request):
        cell = self.cell(account, region)
        self.page(cell["clusters"] if cell else [], request, "clusterArns")

    def ecs_DescribeClusters(self, account, region, request):
        clusters = [{"clusterArn": c, "clusterName": c.rsplit("/", 1)[1], "status": "ACTIVE",
                     "tags": [], "settings": []} for c in request.get("clusters", [])]
        self.reply(200, json.dumps({"clusters": clusters, "failures": []}))

    def ecs_ListTasks(self, account, region, request):
        cell = self.cell(account, region) or {"tasks": {}}
        tasks = [t["taskArn"] for t in cell["tasks"].get(request.get("cluster"), [])]
        self.page(tasks, request, "taskArns")

    def ecs_DescribeTasks(self, account, region, request):
        cell = self.cell(account, region) or {"tasks": {}}
        wanted = set(request.get("tasks", []))
        tasks = [t for t in cell["tasks"].get(request.get("cluster"), []) if t["taskArn"] in wanted]
        self.reply(200, json.dumps({"tasks": tasks, "failures": []}))

    def ecs_DescribeTaskDefinition(self, account, region, request):
        cell = self.cell(account, region) or {"revisions": {}}
        arn = request.get("taskDefinition")
        r = cell["revisions"].get(arn)
        if r is None:
            return self.json_error(400, "ClientException", "Unable to describe task definition.")
        container = {"name": "app", "image": "public.ecr.aws/app:1", "essential": True,
                     "privileged": r["privileged"], "user": r["user"], "environment": []}
        self.reply(200, json.dumps({"taskDefinition": {
            "taskDefinitionArn": arn, "family": r["family"], "revision": r["revision"],
            "status": "ACTIVE", "networkMode": r["networkMode"],
            "containerDefinitions": [container], "requiresCompatibilities": ["FARGATE"]},
            "tags": []}))

    def ecs_ListTaskDefinitions(self, account, region, request):
        cell = self.cell(account, region) or {"revisions": {}}
        self.page(sorted(cell["revisions"]), request, "taskDefinitionArns")

    def ecs_DescribeServices(self, account, region, request):
        cluster = request.get("cluster", "")
        services = [{"serviceArn": f"{cluster.replace(':cluster/', ':service/')}/{s}",
                     "serviceName": s, "clusterArn": cluster, "status": "ACTIVE",
                     "loadBalancers": [], "tags": []} for s in request.get("services", [])]
        self.reply(200, json.dumps({"services": services, "failures": []}))


class FakeAwsServer:
    def __init__(self, estate, latency=0.03, key_uses=0, port=0):
        self.state = State(estate, latency, key_uses)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.httpd.request_queue_size = 512
        self.httpd.state = self.state
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.caller_key = CALLER_KEY
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def stats(self):
        return self.state.stats()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--accounts", type=int, default=200)
    p.add_argument("--regions", type=int, default=17)
    p.add_argument("--latency", type=float, default=0.05)
    p.add_argument("--busy-every", type=int, default=8)
    p.add_argument("--port", type=int, default=0)
    a = p.parse_args()
    estate = Estate(a.accounts, a.regions, busy_every=a.busy_every, suspended_every=97)
    with FakeAwsServer(estate, a.latency, port=a.port) as aws:
        print(aws.url, flush=True)
        try:
            aws.thread.join()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
