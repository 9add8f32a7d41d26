"""Bench: qnlandconsol:importdeclarationtxt on two synthetic declaration TXT files, run
as a user runs it (a fresh QGIS process, output to a GeoPackage):
- one 地块 of 40,000 rings (a shell around 39,999 holes): ring nesting, which was
  all-pairs before issue 14 (3,600 rings took 5 s, 40,000 hung);
- 20,000 地块 of 33 points each (a 32-gon with a square hole): the per-地块 checks.
QGIS has no reader of this format, so there is no native way to compare with: the
result is the absolute time and 地块 (or rings) per second."""
import math
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import record, run  # noqa: E402

HEADER = ["[属性描述]", "格式版本号=1.01版本", "数据产生单位=bench", "数据产生日期=2025-06-15",
          "坐标系=2000国家大地坐标系", "几度分带=3", "投影类型=高斯克吕格", "计量单位=米", "带号=36",
          "精度=0.0001", "转换参数=,,,,,,", "[地块坐标]"]
X0, Y0 = 2_927_000.0, 36_440_000.0       # northing, prefixed easting (Qiannan, zone 36)


def _ring_lines(ring, number, first):
    """Point lines of a closed ring given as (easting, northing) without its closing point."""
    out = [f"J{first + i},{number},{n:.4f},{e:.4f}" for i, (e, n) in enumerate(ring)]
    out.append(f"J{first},{number},{ring[0][1]:.4f},{ring[0][0]:.4f}")
    return out


def many_rings(path, side=200, cell=10.0, hole=4.0):
    """One 地块: a shell around side² - 1 square holes."""
    size = side * cell
    rings = [[(Y0, X0 + size), (Y0 + size, X0 + size), (Y0 + size, X0), (Y0, X0)]]
    for i in range(side):
        for j in range(side):
            e, n = Y0 + i * cell + 3, X0 + j * cell + 3
            rings.append([(e, n), (e, n + hole), (e + hole, n + hole), (e + hole, n)])
    rings = rings[:side * side]
    points, first = [], 1
    for k, ring in enumerate(rings, 1):
        points += _ring_lines(ring, k, first)
        first += len(ring)
    area = (size * size - (len(rings) - 1) * hole * hole) / 1e4
    lines = HEADER + [f"{len(points)},{area:.4f},1,网格,面,,,,@"] + points
    Path(path).write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return len(rings)


def many_blocks(path, n=20_000, vertices=32, radius=40.0):
    """n 地块 on a 100 m grid, each a regular polygon with a 10 m square hole."""
    lines = list(HEADER)
    per_row = int(math.sqrt(n)) + 1
    for k in range(n):
        ce, cn = Y0 + (k % per_row) * 100.0, X0 + (k // per_row) * 100.0
        # clockwise outer ring from the north, as the export writes it
        outer = [(round(ce + radius * math.sin(2 * math.pi * i / vertices), 4),
                  round(cn + radius * math.cos(2 * math.pi * i / vertices), 4))
                 for i in range(vertices)]
        hole = [(ce - 5, cn + 5), (ce - 5, cn - 5), (ce + 5, cn - 5), (ce + 5, cn + 5)]
        area = abs(sum(outer[i][0] * outer[i - 1][1] - outer[i - 1][0] * outer[i][1]
                       for i in range(vertices))) / 2 - 100.0
        points = _ring_lines(outer, 1, 1) + _ring_lines(hole, 2, vertices + 1)
        lines.append(f"{len(points)},{area / 1e4:.4f},QN-{k},地块{k},面,,,,@")
        lines += points
    Path(path).write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return n


def main():
    with tempfile.TemporaryDirectory(prefix="bench_txt_") as tmp:
        path = os.path.join(tmp, "rings.txt")
        rings = many_rings(path)
        seconds, mb = run("qnlandconsol:importdeclarationtxt", {
            "INPUT": path, "STRICT": True, "OUTPUT": os.path.join(tmp, "rings.gpkg")})
        record("importdeclarationtxt, one 地块 of 40,000 rings (strict)", (seconds, mb), None,
               f"{rings:,} rings, {rings / seconds:,.0f} rings/s; no native reader of the format")
        path = os.path.join(tmp, "blocks.txt")
        blocks = many_blocks(path)
        seconds, mb = run("qnlandconsol:importdeclarationtxt", {
            "INPUT": path, "STRICT": True, "OUTPUT": os.path.join(tmp, "blocks.gpkg")})
        record("importdeclarationtxt, 20,000 地块 of 38 points (strict)", (seconds, mb), None,
               f"{blocks:,} 地块, {blocks / seconds:,.0f} 地块/s; no native reader of the format")


if __name__ == "__main__":
    main()
