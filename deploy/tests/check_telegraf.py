"""Checks deploy/fleet/telegraf.conf without Telegraf (not packaged in Debian).

The file must parse as TOML; every real offramp topic must be matched by exactly one
inputs.mqtt_consumer (MQTT wildcard rules); that consumer's json_v2 tag, field and timestamp
paths must exist in the real payload of that topic; topic_parsing patterns must fit the topic.
Usage: check_telegraf.py telegraf.conf result.json stats.json
"""
import json
import sys
import tomllib

TOPICS = {
    "result": "offramp/jetson-orin-01/cam0/result",
    "stats": "offramp/jetson-orin-01/stats",
}


def matches(pattern, topic):
    p, t = pattern.split("/"), topic.split("/")
    for i, level in enumerate(p):
        if level == "#":
            return True
        if i >= len(t) or (level != "+" and level != t[i]):
            return False
    return len(p) == len(t)


def lookup(payload, path):
    if path == "@this":
        return payload
    node = payload
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            raise KeyError(path)
        node = node[key]
    return node


def main():
    conf = tomllib.load(open(sys.argv[1], "rb"))
    payloads = {"result": json.load(open(sys.argv[2])), "stats": json.load(open(sys.argv[3]))}
    consumers = conf["inputs"]["mqtt_consumer"]
    errors = []
    for kind, topic in TOPICS.items():
        hits = [c for c in consumers if any(matches(p, topic) for p in c["topics"])]
        if len(hits) != 1:
            errors.append(f"{topic}: matched by {len(hits)} mqtt_consumer inputs, expected 1")
            continue
        c = hits[0]
        if c.get("data_format") != "json_v2":
            errors.append(f"{topic}: data_format {c.get('data_format')!r}, expected json_v2")
        for tp in c.get("topic_parsing", []):
            if len(tp["topic"].split("/")) != len(tp["tags"].split("/")):
                errors.append(f"{topic}: topic_parsing tags {tp['tags']!r} do not fit {tp['topic']!r}")
        payload = payloads[kind]
        for j in c.get("json_v2", []):
            paths = [t["path"] for t in j.get("tag", [])] + [f["path"] for f in j.get("field", [])]
            paths += [o["path"] for o in j.get("object", [])]
            if "timestamp_path" in j:
                paths.append(j["timestamp_path"])
                if j.get("timestamp_format") == "unix_ms" and not isinstance(
                    payload.get(j["timestamp_path"]), int
                ):
                    errors.append(f"{topic}: {j['timestamp_path']} is not epoch milliseconds")
            for path in paths:
                try:
                    lookup(payload, path)
                except KeyError:
                    errors.append(f"{topic}: json_v2 path {path!r} not in the payload")
            if kind == "result":
                tags = {t["path"] for t in j.get("tag", [])}
                missing = {"device", "camera", "label", "profile"} - tags
                if missing:
                    errors.append(f"{topic}: tags missing {sorted(missing)}")
    for e in errors:
        print(e, file=sys.stderr)
    if not errors:
        print(f"telegraf.conf: {len(consumers)} mqtt_consumer inputs match {len(TOPICS)} topics")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
