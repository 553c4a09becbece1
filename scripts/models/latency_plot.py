#!/usr/bin/python3
"""Accuracy against mean latency: the cascade's profiles and plain networks, from `offramp bench`.

    /usr/bin/python3 scripts/models/latency_plot.py OUT.svg CASCADE.json [PLAIN_LABEL=PLAIN.json ...]

CASCADE.json is an `offramp bench --json` run: its cascade variants (every profile, boosted and
baseline) and its monolithic backbone become points. Each PLAIN.json is a bench run whose
`--backbone` was a plain network: its `monolithic` row is that network, plotted as PLAIN_LABEL.
Every run measures the same test images at batch 1 with one thread; points from different runs
differ by that run's drift as well (each run's monolithic row shows it). Writes a plain SVG and
prints the points.
"""
import json
import sys

W, H, L, R, T, B = 640, 420, 70, 20, 30, 50
COLORS = {"boosted": "#1f77b4", "baseline": "#ff7f0e", "plain": "#2ca02c", "backbone": "#000000"}


def points(argv):
    pts = []
    with open(argv[2]) as f:
        run = json.load(f)
    for v in run["variants"]:
        if v["name"] == "monolithic":
            pts.append(("backbone", "backbone (width 16)", v))
        elif v.get("profile") and "never-exit" not in v["name"]:
            pts.append((v["scheme"], v["name"], v))
    for spec in argv[3:]:
        label, path = spec.split("=", 1)
        with open(path) as f:
            run = json.load(f)
        mono = [v for v in run["variants"] if v["name"] == "monolithic"][0]
        pts.append(("plain", label, mono))
    return [(kind, name, v["latency_ms"]["mean"], 100 * v["accuracy"]) for kind, name, v in pts]


def svg(pts):
    xs, ys = [p[2] for p in pts], [p[3] for p in pts]
    x0, x1 = 0.0, max(xs) * 1.1
    y0, y1 = min(ys) - 0.5, max(ys) + 0.5
    sx = lambda x: L + (x - x0) / (x1 - x0) * (W - L - R)  # noqa: E731
    sy = lambda y: H - B - (y - y0) / (y1 - y0) * (H - T - B)  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" '
           'font-size="11">', f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<line x1="{L}" y1="{H - B}" x2="{W - R}" y2="{H - B}" stroke="black"/>',
           f'<line x1="{L}" y1="{T}" x2="{L}" y2="{H - B}" stroke="black"/>',
           f'<text x="{(W + L) / 2}" y="{H - 12}" text-anchor="middle">mean latency per frame (ms), '
           'batch 1, 1 thread</text>',
           f'<text x="16" y="{(H - B + T) / 2}" transform="rotate(-90 16 {(H - B + T) / 2})" '
           'text-anchor="middle">accuracy (%)</text>']
    for i in range(6):
        x = x0 + (x1 - x0) * i / 5
        y = y0 + (y1 - y0) * i / 5
        out.append(f'<text x="{sx(x):.1f}" y="{H - B + 15}" text-anchor="middle">{x:.2f}</text>')
        out.append(f'<text x="{L - 6}" y="{sy(y) + 4:.1f}" text-anchor="end">{y:.1f}</text>')
    for kind in ("boosted", "baseline"):
        line = sorted((p[2], p[3]) for p in pts if p[0] == kind)
        if line:
            d = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in line)
            out.append(f'<polyline points="{d}" fill="none" stroke="{COLORS[kind]}"/>')
    for kind, name, x, y in pts:
        out.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="4" fill="{COLORS[kind]}">'
                   f'<title>{name}: {x:.3f} ms, {y:.2f}%</title></circle>')
        if kind in ("plain", "backbone"):
            out.append(f'<text x="{sx(x) + 6:.1f}" y="{sy(y) - 6:.1f}">{name}</text>')
    for i, kind in enumerate(("boosted", "baseline", "plain")):
        out.append(f'<circle cx="{W - 150}" cy="{H - B - 50 + 16 * i}" r="4" fill="{COLORS[kind]}"/>')
        label = {"boosted": "cascade, boosted profiles", "baseline": "cascade, baseline profiles",
                 "plain": "plain narrower network"}[kind]
        out.append(f'<text x="{W - 140}" y="{H - B - 46 + 16 * i}">{label}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    pts = points(argv)
    with open(argv[1], "w") as f:
        f.write(svg(pts))
    for kind, name, x, y in pts:
        print(f"{kind:9s} {name:40s} {x:.3f} ms {y:.2f}%")


if __name__ == "__main__":
    main(sys.argv)
