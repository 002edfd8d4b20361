"""Checks the Kibana saved objects in dashboards/*.ndjson against the index template.

Usage: check_dashboards.py REPO_ROOT

- every line parses as a saved object (type, id, attributes), ids are unique per type;
- the embedded JSON strings (visState, searchSourceJSON, panelsJSON, ...) parse;
- every reference resolves to an object in the files, and every *RefName used names a reference;
- a data view on k8s-crash-monitor-* with time field created_at, the visualizations the issue asks
  for, a saved search with logs, and a dashboard whose panels are all those objects;
- every field a visualization, control, search, query or the data view uses is mapped in
  lib/index/index_template.json (properties, multi-fields, object sub-fields, labels.*), and its
  type suits its use (terms on keyword/number/boolean, date_histogram on a date, metrics on numbers).
"""
import fnmatch
import glob
import json
import os
import re
import sys

from deploy_checks import Failures

DATE = {"date", "date_nanos"}
NUMBER = {"long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float", "unsigned_long"}
AGGREGATABLE = DATE | NUMBER | {"keyword", "boolean", "ip", "constant_keyword"}
AGG_TYPES = {"terms": AGGREGATABLE, "significant_terms": AGGREGATABLE, "cardinality": AGGREGATABLE,
             "date_histogram": DATE, "date_range": DATE, "histogram": NUMBER, "range": NUMBER,
             "sum": NUMBER, "avg": NUMBER, "min": NUMBER | DATE, "max": NUMBER | DATE, "median": NUMBER,
             "percentiles": NUMBER, "top_hits": None}


def mapped_fields(template):
    """{field path: type} of the template's mapping, and the dynamic templates' path patterns."""
    mappings = template["template"]["mappings"]
    fields = {}

    def walk(props, prefix):
        for name, spec in props.items():
            path = prefix + name
            fields[path] = spec.get("type", "object")
            for sub, sub_spec in spec.get("fields", {}).items():
                fields[f"{path}.{sub}"] = sub_spec["type"]
            walk(spec.get("properties", {}), path + ".")

    walk(mappings["properties"], "")
    dynamic = {}
    for entry in mappings.get("dynamic_templates", []):
        for spec in entry.values():
            if "path_match" in spec:
                dynamic[spec["path_match"]] = spec["mapping"]["type"]
    return fields, dynamic


def field_type(name, fields, dynamic):
    if name in fields:
        return fields[name]
    for pattern, typ in dynamic.items():
        if fnmatch.fnmatch(name, pattern):
            return typ
    return None


def kql_fields(query):
    """Field names of a KQL query's `field : value` / `field > value` clauses."""
    return re.findall(r"([A-Za-z_@][\w.@]*)\s*(?::|<=|>=|<|>)", query)


def main():
    root = sys.argv[1]
    f = Failures("dashboards")
    with open(os.path.join(root, "lib/index/index_template.json"), encoding="utf-8") as fh:
        template = json.load(fh)
    fields, dynamic = mapped_fields(template)
    patterns = template["index_patterns"]

    objects = []
    files = sorted(glob.glob(os.path.join(root, "dashboards", "*.ndjson")))
    f.check(bool(files), "dashboards/*.ndjson exists")
    for path in files:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{os.path.basename(path)}:{n}"
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    f.check(False, f"{where} parses as JSON ({e})")
                    continue
                if f.check(all(k in obj for k in ("type", "id", "attributes")), f"{where} has type, id and attributes"):
                    obj["_where"] = where
                    objects.append(obj)
    keys = [(o["type"], o["id"]) for o in objects]
    f.check(len(keys) == len(set(keys)), f"saved object ids are unique ({len(keys)} objects)")
    f.check(len({o["id"] for o in objects}) == len(objects), "ids are unique across types too")
    by_key = {(o["type"], o["id"]): o for o in objects}

    used = []  # (where, field, use)

    def use(where, name, how):
        used.append((where, name, how))

    def parse(where, obj, attr):
        text = obj["attributes"]
        for part in attr.split("."):
            text = text.get(part, {}) if isinstance(text, dict) else {}
        if not isinstance(text, str):
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            f.check(False, f"{where} {attr} parses ({e})")
            return None

    for o in objects:
        where = f"{o['_where']} {o['type']}/{o['id']}"
        refs = o.get("references", [])
        ref_names = {r["name"] for r in refs}
        f.check(len(ref_names) == len(refs), f"{where}: reference names are unique")
        for r in refs:
            f.check((r["type"], r["id"]) in by_key, f"{where}: reference {r['name']} -> {r['type']}/{r['id']} resolves")
        source = parse(where, o, "kibanaSavedObjectMeta.searchSourceJSON") or {}
        if "indexRefName" in source:
            f.check(source["indexRefName"] in ref_names, f"{where}: searchSourceJSON.indexRefName names a reference")
        query = source.get("query", {})
        if isinstance(query, dict) and query.get("query"):
            for name in kql_fields(query["query"]):
                use(where, name, "query")
        for flt in source.get("filter", []):
            if flt.get("meta", {}).get("key"):
                use(where, flt["meta"]["key"], "filter")

        if o["type"] == "index-pattern":
            title = o["attributes"].get("title", "")
            f.check(title in patterns, f"{where}: data view title {title} is an index pattern of the template {patterns}")
            use(where, o["attributes"].get("timeFieldName", ""), "date_histogram")
        elif o["type"] == "visualization":
            vis = parse(where, o, "visState") or {}
            parse(where, o, "uiStateJSON")
            f.check(vis.get("title") == o["attributes"].get("title"), f"{where}: visState title matches")
            for agg in vis.get("aggs", []):
                if "field" in agg.get("params", {}):
                    use(where, agg["params"]["field"], agg["type"])
            for control in vis.get("params", {}).get("controls", []):
                use(where, control["fieldName"], "terms")
                f.check(control.get("indexPatternRefName") in ref_names, f"{where}: control {control['label']} names a reference")
        elif o["type"] == "search":
            for column in o["attributes"].get("columns", []):
                use(where, column, "column")
            for name, _ in o["attributes"].get("sort", []):
                use(where, name, "sort")
        elif o["type"] == "dashboard":
            panels = parse(where, o, "panelsJSON") or []
            parse(where, o, "optionsJSON")
            f.check(bool(panels), f"{where}: has panels")
            for p in panels:
                f.check(p.get("panelRefName") in ref_names, f"{where}: panel {p.get('panelIndex')} names a reference")
            f.check(len({p["panelIndex"] for p in panels}) == len(panels), f"{where}: panel indexes are unique")

    for where, name, how in used:
        typ = field_type(name, fields, dynamic)
        if not f.check(typ is not None, f"{where}: field '{name}' ({how}) is mapped in lib/index/index_template.json"):
            continue
        allowed = AGG_TYPES.get(how)
        if how == "sort":
            allowed = AGGREGATABLE
        if allowed is not None:
            f.check(typ in allowed, f"{where}: field '{name}' of type {typ} can be used for {how}")

    # What the issue asks for.
    views = [o for o in objects if o["type"] == "index-pattern"]
    f.check(any(v["attributes"].get("title") == "k8s-crash-monitor-*" and v["attributes"].get("timeFieldName") == "created_at"
                for v in views), "a data view on k8s-crash-monitor-* with time field created_at")
    vis_fields = {(w.split()[1], n, h) for w, n, h in used}
    def has(pred, what):
        f.check(any(pred(n, h) for _, n, h in vis_fields), f"a visualization of {what}")
    has(lambda n, h: h == "date_histogram" and n == "created_at", "crashes over time")
    has(lambda n, h: h == "terms" and n == "namespace", "crashes by namespace")
    has(lambda n, h: h == "terms" and n == "container_name", "top crashing containers")
    has(lambda n, h: h == "terms" and n == "owner_name", "top crashing workloads")
    has(lambda n, h: h == "terms" and n == "reason", "termination reasons")
    has(lambda n, h: h == "terms" and n == "exit_code", "exit codes")
    has(lambda n, h: h == "terms" and n == "fingerprint", "top crash fingerprints")
    f.check(any(o["type"] == "visualization" and "OOMKilled" in json.dumps(o["attributes"]) for o in objects), "an OOMKilled trend")
    f.check(any(o["type"] == "search" and "logs" in o["attributes"].get("columns", []) for o in objects), "a saved search showing logs")
    dashboards = [o for o in objects if o["type"] == "dashboard"]
    if f.check(bool(dashboards), "a dashboard"):
        on_dashboards = {(r["type"], r["id"]) for d in dashboards for r in d.get("references", [])}
        for o in objects:
            if o["type"] in ("visualization", "search"):
                f.check((o["type"], o["id"]) in on_dashboards, f"{o['type']}/{o['id']} is on a dashboard")
    f.finish()


if __name__ == "__main__":
    main()
