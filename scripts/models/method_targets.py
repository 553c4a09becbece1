#!/usr/bin/python3
"""Summarise the method protocol's target profiles (``build --max-drop 1.0``) on the test split.

    /usr/bin/python3 scripts/models/method_targets.py benchmarks/results/method/plain

Reads every ``evaluate/<scheme>-s<seed>.json`` (``offramp evaluate --json``) under the setting's
directory and writes ``targets.md`` and ``targets.json`` there: per scheme, how many runs' target
profile met the drop target on the test split (strictly, and within one standard error of the
drop), the drop and the compute saved (mean, min, max over seeds), the build's out-of-fold estimate
on the calibration split (``reports/<scheme>-s<seed>.json``, when the build made one), and the
margin chosen on the calibration split. Then, against each plain narrow backbone (``runs/plain-w<W>/<seed>.json``, one
point per seed), per cascade scheme: the seed-mean accuracy of its cheapest and of its most
accurate profile, and whether any cascade profile of any seed is at least as accurate as the
narrow backbone's least accurate seed at no more MACs (``narrow.md``). Prints both tables.
"""
import glob
import json
import os
import re
import statistics
import sys


def evaluations(setting):
    """(path, scheme, seed, document) of every evaluate/<scheme>-s<seed>.json, in name order."""
    for path in sorted(glob.glob(os.path.join(setting, "evaluate", "*.json"))):
        m = re.match(r"(.+)-s(\d+)\.json$", os.path.basename(path))
        if m:
            with open(path) as f:
                yield path, m.group(1), int(m.group(2)), json.load(f)


def estimate(setting, scheme, seed):
    """The build's out-of-fold estimate on the calibration split (reports/<scheme>-s<seed>.json,
    ``calibration.target.estimate``), or None for builds made before the search estimated one."""
    path = os.path.join(setting, "reports", "%s-s%d.json" % (scheme, seed))
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)["calibration"]["target"].get("estimate")


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    setting = argv[1]
    runs = {}
    for path, scheme, seed, doc in evaluations(setting):
        target = [p for p in doc["profiles"] if p.get("target")]
        if len(target) != 1:
            sys.exit(f"{path}: expected one target profile, found {len(target)}")
        p = target[0]
        runs.setdefault(scheme, []).append({
            "seed": seed, "profile": p["name"], "margin": p["margin"],
            "max_drop_points": p["target"]["max_drop_points"],
            "drop_points": p["accuracy_drop_points"], "drop_se_points": p["accuracy_drop_se_points"],
            "compute_saved": p["compute_reduction"], "met": p["target"]["met"],
            "met_within_one_se": p["target"]["met_within_one_se"],
            "backbone_accuracy": p["backbone_accuracy"], "default": doc["default_profile"] == p["name"],
            "calibration_estimate": estimate(setting, scheme, seed)})
    if not runs:
        sys.exit(f"{setting}: no evaluate/*.json")
    rows, doc = [], {"setting": os.path.basename(os.path.normpath(setting)), "schemes": {}}
    for scheme, rs in runs.items():
        rs.sort(key=lambda r: r["seed"])
        drops = [r["drop_points"] for r in rs]
        saved = [r["compute_saved"] for r in rs]
        summary = {
            "runs": len(rs), "met": sum(r["met"] for r in rs),
            "met_within_one_se": sum(r["met_within_one_se"] for r in rs),
            "all_default": all(r["default"] for r in rs),
            "drop_points": {"mean": statistics.mean(drops), "min": min(drops), "max": max(drops)},
            "compute_saved": {"mean": statistics.mean(saved), "min": min(saved), "max": max(saved)},
            "margins": [r["margin"] for r in rs], "per_seed": rs}
        doc["schemes"][scheme] = summary
        estimates = [r["calibration_estimate"] for r in rs if r["calibration_estimate"]]
        bound = ("%.2f / %.2f" % (
            statistics.mean(e["drop_points"] for e in estimates),
            statistics.mean(e["drop_upper_bound_points"] for e in estimates))
            if len(estimates) == len(rs) else "—")
        rows.append("| %s | %d | %d | %d | %.2f (%.2f–%.2f) | %.1f%% (%.1f–%.1f) | %s | %s |" % (
            scheme, len(rs), summary["met"], summary["met_within_one_se"],
            summary["drop_points"]["mean"], min(drops), max(drops),
            100 * summary["compute_saved"]["mean"], 100 * min(saved), 100 * max(saved), bound,
            ", ".join("%g" % m for m in summary["margins"])))
    md = ["# Target profiles (`--max-drop 1.0`) on the test split", "",
          "Produced by `scripts/models/method_targets.py` from `evaluate/*.json`. The margin is chosen "
          "on the calibration split; the drop is measured on the 10,000 test images against the "
          "backbone; 'within 1 SE' allows the drop's standard error. The calibration column is the "
          "build's out-of-fold drop and its 95% bound on the calibration split, seed means (— for "
          "builds whose search did not estimate one).", "",
          "| scheme | runs | met | met within 1 SE | drop, points: mean (min–max) "
          "| compute saved: mean (min–max) | calibration: drop / bound | margins chosen |",
          "|---|---|---|---|---|---|---|---|"] + rows
    write(setting, "targets", md, doc)
    narrow(setting, runs)


def write(setting, stem, lines, doc):
    """Writes <stem>.md (the table lines) and <stem>.json (doc) into the setting; prints the table."""
    with open(os.path.join(setting, stem + ".md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(setting, stem + ".json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print("\n".join(lines))


def narrow(setting, runs):
    """Cascade profiles (every seed) against the plain narrow backbones (one point per seed)."""
    points = {}  # scheme -> [(macs_fraction, accuracy)] over every profile of every seed
    reference = None
    for _, scheme, _, doc in evaluations(setting):
        for p in doc["profiles"]:
            points.setdefault(scheme, []).append((p["macs_fraction"], p["accuracy"], p["name"]))
            reference = p["backbone_macs"]
    lines = ["# Cascades against plain narrow backbones (test split)", "",
             "Produced by `scripts/models/method_targets.py`. MAC fractions of the width-16 backbone "
             "(%d MACs); cascades: every profile of every seed; narrow: one point per seed." % reference,
             "", "| narrow | MAC fraction | accuracy over seeds | cascade scheme | cascade profiles "
             "at ≤ its MACs | at least as accurate as its worst seed | least MACs of a cascade "
             "profile that accurate |", "|---|---|---|---|---|---|---|"]
    doc = {}
    for nd in sorted(glob.glob(os.path.join(setting, "runs", "plain-w*"))):
        name = os.path.basename(nd)
        accs, frac = [], None
        for f in sorted(glob.glob(os.path.join(nd, "*.json"))):
            with open(f) as fh:
                o = json.load(fh)
            accs.append(o["backbone_correct"].count("1") / o["samples"])
            frac = o["backbone_macs"] / reference
        worst = min(accs)
        doc[name] = {"macs_fraction": frac, "accuracy": accs, "schemes": {}}
        for scheme, pts in sorted(points.items()):
            cheaper = [p for p in pts if p[0] <= frac]
            as_good = [p for p in pts if p[1] >= worst]
            least = min((p[0] for p in as_good), default=None)
            doc[name]["schemes"][scheme] = {"profiles_at_or_below_its_macs": len(cheaper),
                                            "profiles_as_accurate": len(as_good),
                                            "least_macs_fraction_as_accurate": least}
            lines.append("| %s | %.3f | %.2f–%.2f%% | %s | %d | %d | %s |" % (
                name, frac, 100 * worst, 100 * max(accs), scheme, len(cheaper), len(as_good),
                "none" if least is None else "%.3f" % least))
    write(setting, "narrow", lines, doc)


if __name__ == "__main__":
    main(sys.argv)
