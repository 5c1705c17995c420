#!/usr/bin/env python3
"""Generates random `where` filters over the conformance schema and fixture, answers each with
the reference evaluator (spec/oracle/refeval.py), and prints them as JSON for
differential_test.cpp:

    [{"query": "...", "ids": ["td1", ...]} | {"query": "...", "error": "..."}, ...]

Usage: differential_oracle.py ORACLE_DIR CASES_JSON SEED COUNT
Exit status 77 when graphql-core (needed by refeval) is not installed.

The filters mix every surface syntax (suffix, _EQ, v7 nested) and include some invalid keys
and values, so that rejections are compared too. Inputs on which this engine deliberately
differs from refeval (see the comments on `DIVERGENT`) are not generated.
"""
import json
import random
import sys

try:
    import graphql  # noqa: F401
except ImportError:
    sys.exit(77)

STRINGS = ["host", "awsvpc", "bridge", "", "root", "Root", "web", "Web", "api", "RUNNING", "e", "x",
           "AWS_ACCESS_KEY_ID", "LOG_LEVEL", "nginx", "LATEST", "1.3.0", "prod", "dev"]
INTS = [0, 1, 2, 3, 7, 10, 100, 256, 512, 1024, 4096, -1]
FLOATS = [256, 256.0, 512.5, 1024.5, 0.5, 2048]
REGEXES = ["host", "(?i)host", ".*o.*", "web|api", "[a-z]+", "(?i).*ROOT.*", "A.*", ""]


class Gen:
    def __init__(self, schema, graph, seed):
        self.s = schema
        self.r = random.Random(seed)
        self.values = {}
        for n in graph.nodes.values():
            for k, v in n["props"].items():
                self.values.setdefault((n["label"], k), []).append(v)

    def pick(self, xs):
        return xs[self.r.randrange(len(xs))]

    def scalar_value(self, nt, f):
        r = self.r.random()
        if r < 0.08:
            return None
        seen = self.values.get((nt.label, f.name), [])
        if f.type_name in ("String", "ID"):
            # Values present in the fixture are favoured, so that filters often match.
            pool = [v for v in seen if isinstance(v, str)] * 3 + STRINGS
            if f.is_list:
                pool = [x for v in seen if isinstance(v, list) for x in v] * 3 + STRINGS
            return self.pick(pool)
        if f.type_name == "Int":
            return self.pick([v for v in seen if isinstance(v, int)] * 3 + INTS)
        if f.type_name == "Float":
            return self.pick([v for v in seen if isinstance(v, (int, float))] * 3 + FLOATS)
        if f.type_name == "Boolean":
            return self.r.random() < 0.5
        return "x"

    def list_value(self, nt, f):
        n = self.pick([0, 1, 1, 2, 3])
        return [self.scalar_value(nt, f) for _ in range(n) if True]

    def scalar_key(self, nt, f):
        """One scalar filter as (key, value) in a random syntax."""
        t = f.type_name
        if f.is_list:
            ops = ["EQ", "INCLUDES"]
        elif t == "Boolean":
            ops = ["EQ"]
        elif t in ("String", "ID"):
            ops = ["EQ", "IN", "CONTAINS", "STARTS_WITH", "ENDS_WITH", "MATCHES", "LT", "GTE"]
        else:
            ops = ["EQ", "IN", "LT", "LTE", "GT", "GTE"]
        op = self.pick(ops)
        if op == "IN" or (op == "EQ" and f.is_list):
            value = [v for v in self.list_value(nt, f) if v is not None]  # DIVERGENT: null items
            if self.r.random() < 0.15:
                value = None
            elif self.r.random() < 0.15 and value:
                value = value[0]  # list input coercion
        elif op == "MATCHES":
            value = self.pick(REGEXES)
        else:
            value = self.scalar_value(nt, f)
        negatable = op in ("EQ", "IN", "CONTAINS", "STARTS_WITH", "ENDS_WITH", "INCLUDES")
        style = self.r.random()
        if negatable and style < 0.2:
            return (f.name + ("_NOT" if op == "EQ" else "_NOT_" + op), value)
        if style < 0.45:
            nested = {"EQ": "eq", "IN": "in", "CONTAINS": "contains", "STARTS_WITH": "startsWith",
                      "ENDS_WITH": "endsWith", "LT": "lt", "LTE": "lte", "GT": "gt", "GTE": "gte",
                      "MATCHES": "matches", "INCLUDES": "includes"}[op]
            if value is None and self.r.random() < 0.5:
                return (f.name, None)
            return (f.name, {nested: value})
        if op == "EQ":
            return (f.name + ("_EQ" if style < 0.6 else ""), value)
        return (f.name + "_" + op, value)

    def rel_key(self, nt, f, depth):
        target = self.s.types[f.rel.target]
        r = self.r.random()
        if r < 0.12:
            sub = {}
        elif r < 0.2:
            sub = None
        else:
            sub = self.where(target, depth + 1)
        if not f.rel.is_list:
            return (f.name + self.pick(["", "_NOT"]), sub)
        form = self.pick(["_SOME", "_NONE", "_ALL", "_SINGLE", "_NOT", "", "v7", "v7"])
        if form == "v7":
            q = self.pick(["some", "none", "all", "single"])
            if sub is None and q in ("all", "single"):
                sub = {}
            return (f.name, {q: sub})
        if sub is None and form in ("_NONE", "_ALL", "_SINGLE"):
            if self.r.random() < 0.7:
                sub = {}
        return (f.name + form, sub)

    def invalid_key(self, nt):
        choices = [("nope", 1), ("NOT", [{}]), ("AND", [None])]
        for f in nt.fields.values():
            if f.rel is None and f.type_name in ("Int", "Float"):
                choices.append((f.name + "_CONTAINS", 1))
            if f.rel is None and f.type_name == "Boolean":
                choices.append((f.name, "true"))
            if f.rel is None and f.type_name == "String":
                choices.append((f.name, 5))
            if f.rel is not None and f.rel.is_list:
                choices.append((f.name + "_ALL", None))
        return self.pick(choices)

    def where(self, nt, depth):
        out = {}
        nkeys = self.pick([0, 1, 1, 1, 1, 2, 2, 3]) if depth < 3 else self.pick([0, 1])
        for _ in range(nkeys):
            r = self.r.random()
            if r < 0.03:
                k, v = self.invalid_key(nt)
            elif r < 0.2 and depth < 3:
                k = self.pick(["AND", "OR", "NOT"])
                if k == "NOT":
                    v = self.where(nt, depth + 1) if self.r.random() > 0.05 else None
                else:
                    v = [self.where(nt, depth + 1) for _ in range(self.pick([0, 1, 2, 2, 3]))]
                    if len(v) == 1 and self.r.random() < 0.3:
                        v = v[0]
            else:
                fields = [f for f in nt.fields.values() if depth < 3 or f.rel is None]
                f = self.pick(fields)
                if f.rel is None:
                    k, v = self.scalar_key(nt, f)
                else:
                    k, v = self.rel_key(nt, f, depth)
            if k not in out:
                out[k] = v
        return out


def literal(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(literal(x) for x in v) + "]"
    return "{" + ", ".join(f"{k}: {literal(x)}" for k, x in v.items()) + "}"


def main():
    oracle_dir, cases_path, seed, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    sys.path.insert(0, oracle_dir)
    import refeval
    data = json.load(open(cases_path))
    schema = refeval.Schema(data["schema"]["typeDefs"])
    fixture = data["fixtures"]["ecs"]
    graph = refeval.Graph(fixture["nodes"], fixture["relationships"])
    gen = Gen(schema, graph, seed)
    roots = sorted(data["schema"]["roots"].items())
    out = []
    for _ in range(count):
        root, type_name = gen.pick(roots)
        w = gen.where(schema.types[type_name], 0)
        text = "{ %s(where: %s) { id } }" % (root, literal(w))
        try:
            out.append({"query": text, "ids": refeval.run_query(schema, graph, text)})
        except refeval.QueryError as e:
            out.append({"query": text, "error": str(e)})
        except Exception as e:  # graphql-core parse errors and the like
            out.append({"query": text, "error": f"{type(e).__name__}: {e}"})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
