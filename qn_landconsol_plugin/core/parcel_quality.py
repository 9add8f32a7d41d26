"""The parcel quality check (三调图斑质检, qnlandconsol:checkparcels) as data: every problem
of every parcel of a 三调 layer, its flag field, its wording and how to fix it, and the
summary per check. The checks are the ones the other algorithms use (one implementation):
core.parcel_checks (NULLs, unknown DLBM, duplicate BSM, TBMJ against the ellipsoidal area,
KCMJ and TBDLMJ), core.topology (gaps and overlaps: 面无缝隙、面不重叠) and
core.layer_checks (the CRS, found by qgis_io); this module adds the validity of each
geometry with GEOS's reason, runs them together and words each parcel's problems (ZJ_SM).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from . import parcel_checks as pc
from .fields import FieldSpec
from .geometry import polygonal
from .messages import ERROR, WARNING, Wording, finding, translatable
from .parallel import slices, thread_map
from .topology import TopologyFindings, gaps_and_overlaps
from .units import M2_PER_MU

DEFAULT_SLIVER_M2 = 0.0001     # gaps and overlaps under 1 cm² are counted, not listed
MAX_NOTE = 254                  # ZJ_SM: a shapefile's text field


@dataclass(frozen=True)
class QualityCheck:
    """One check of a parcel: its code (ParcelChecks' code, or GEOMETRY_INVALID, OVERLAP,
    GAP), its flag field (≤ 10 characters), what it finds and how to fix it."""
    code: str
    field: str
    title: Wording        # English for the log (tr), Chinese for the alias and the report
    fix: str             # Chinese: what the technician does about it


def _check(code, flag, en, zh, fix):
    return QualityCheck(code, flag, Wording(en, zh), fix)


QUALITY_CHECKS = (
    _check("NULL_BSM", "K_BSM", translatable("Identifier BSM is NULL"), "标识码 BSM 为空",
           "为图斑赋唯一的标识码（与入户调查表等关联的键）。"),
    _check("DUPLICATE_BSM", "BSM_CF", translatable("Identifier BSM is not unique"),
           "标识码 BSM 重复", "为重复的图斑重新赋唯一的标识码，并核对关联表中的记录。"),
    _check("NULL_DLBM", "K_DLBM", translatable("Land-use code DLBM is NULL"),
           "地类编码 DLBM 为空", "对照调查底图和影像补录地类编码（三调工作分类）。"),
    _check("UNKNOWN_DLBM", "DLBM_WZ", translatable("DLBM is no 三调 land-use code"),
           "地类编码不是三调地类",
           "改为三调工作分类中的编码；可调整地类（K）只有 0201K–0204K、0301K、0302K、0307K、"
           "0403K、1104K 九个。"),
    _check("NULL_ZLDWDM", "K_ZLDWDM", translatable("Location code ZLDWDM is NULL"),
           "坐落单位代码 ZLDWDM 为空", "按行政区划代码补录坐落单位代码（村级 19 位）。"),
    _check("NULL_TBMJ", "K_TBMJ", translatable("Area TBMJ is NULL"), "图斑面积 TBMJ 为空",
           "按 CGCS2000 椭球面积计算图斑面积后填写，并同步 KCMJ、TBDLMJ。"),
    _check("TBMJ_MISMATCH", "TBMJ_PC", translatable("TBMJ differs from the ellipsoidal area"),
           "图斑面积与椭球面积不符",
           "核对图斑几何与 TBMJ：几何正确时按 CGCS2000 椭球面积重算 TBMJ（并同步 KCMJ、"
           "TBDLMJ），几何有误时修正几何。"),
    _check("NULL_KCXS", "K_KCXS", translatable("Farmland without 田坎 coefficient KCXS"),
           "耕地扣除地类系数 KCXS 为空", "按省定田坎系数表，依耕地坡度级别填写 KCXS。"),
    _check("NULL_KCMJ", "K_KCMJ", translatable("Deduction area KCMJ is NULL"),
           "扣除地类面积 KCMJ 为空", "按 KCMJ = round(TBMJ × KCXS, 2) 计算填写（无扣除为 0）。"),
    _check("KCMJ_MISMATCH", "KCMJ_PC", translatable("KCMJ ≠ round(TBMJ × KCXS, 2)"),
           "扣除地类面积 KCMJ 计算不符", "按 KCMJ = round(TBMJ × KCXS, 2) 重新计算。"),
    _check("NULL_TBDLMJ", "K_TBDLMJ", translatable("Net area TBDLMJ is NULL"),
           "图斑地类面积 TBDLMJ 为空", "按 TBDLMJ = TBMJ − KCMJ 计算填写。"),
    _check("TBDLMJ_MISMATCH", "TBDLMJ_PC", translatable("TBDLMJ ≠ TBMJ − KCMJ"),
           "图斑地类面积 TBDLMJ 计算不符", "按 TBDLMJ = TBMJ − KCMJ 重新计算。"),
    _check("NULL_GDPDJB", "K_GDPDJB", translatable("Farmland without slope grade GDPDJB"),
           "耕地缺耕地坡度级别 GDPDJB", "依据 DEM 坡度分级（1 级 ≤2°……5 级 >25°）补录耕地坡度级别。"),
    _check("GEOMETRY_INVALID", "JH_WX", translatable("Invalid or missing geometry"),
           "几何无效或无几何",
           "在 QGIS 中用“修复几何”或编辑节点改正（自相交处已给出坐标）；无几何的要素补绘或删除。"),
    _check("OVERLAP", "TP_CD", translatable("Overlaps another parcel (面不重叠)"),
           "面重叠（与其他图斑重叠）",
           "按权属和地类核实共同边界，消除重叠部分，使相邻图斑共用边界。"),
    _check("GAP", "TP_FX", translatable("Borders a gap between parcels (面无缝隙)"),
           "面缝隙（与相邻图斑之间有缝隙）",
           "把缝隙并入应属的相邻图斑（或补绘图斑），使相邻图斑共用边界。"),
)
CHECK_BY_CODE = {c.code: c for c in QUALITY_CHECKS}
PROBLEM_COUNT, DESCRIPTION = "ZJ_SL", "ZJ_SM"
OUTPUT_FIELDS = tuple(FieldSpec(c.field, "int", 1, c.title.zh) for c in QUALITY_CHECKS) + (
    FieldSpec(PROBLEM_COUNT, "int", 3, "问题个数"),
    FieldSpec(DESCRIPTION, "str", MAX_NOTE, "质检说明"))
TOPOLOGY_FIELDS = (
    FieldSpec("LX", "str", 10, "问题类型"),
    FieldSpec("MJ", "float", 19, "面积（平方米）", 4),
    FieldSpec("X", "float", 16, "位置 X", 3),
    FieldSpec("Y", "float", 16, "位置 Y", 3),
    FieldSpec("TB_SL", "int", 6, "涉及图斑数"),
    FieldSpec("TB", "str", MAX_NOTE, "涉及图斑"),
)
GAP_ZH, OVERLAP_ZH = "缝隙", "重叠"

LAYER_FINDINGS = {
    "FIELD_MISSING": (translatable(
        "{layer}: the layer has no field {field} ({alias}): the checks of {field} are "
        "not run."),
        "{layer}：图层没有字段 {field}（{alias}），未检查与之有关的项目。"),
    "NOT_MEASURED": (translatable(
        "{layer}: without a CRS that fits the coordinates, which look like degrees, the "
        "parcels cannot be measured: TBMJ against the ellipsoidal area and the gaps and "
        "overlaps are not checked."),
        "{layer}：没有与坐标相符的坐标系，且坐标像经纬度，无法量算图斑：未检查图斑面积与椭球面积、"
        "面缝隙和面重叠。"),
    "PLANAR_ONLY": (translatable(
        "{layer}: without a CRS that fits the coordinates, the parcels are measured in "
        "the layer's own units (taken as metres): TBMJ is compared with the planar area."),
        "{layer}：没有与坐标相符的坐标系，按图层坐标（视为米）量算：图斑面积 TBMJ 与平面面积比较。"),
    "MEASURED_IN": (translatable(
        "{layer}: the parcels are measured in {crs}, which their coordinates fit (see the "
        "CRS finding above)."),
        "{layer}：按与坐标相符的 {crs} 量算图斑（见上面的坐标系问题）。"),
}

# GEOS is_valid_reason() wordings -> Chinese
GEOS_REASONS = {
    "Self-intersection": "自相交",
    "Ring Self-intersection": "环自相交",
    "Too few points in geometry component": "节点过少",
    "Invalid Coordinate": "坐标无效",
    "Hole lies outside shell": "内环在外环之外",
    "Interior is disconnected": "内部不连通（内环把面分开）",
    "Nested holes": "内环相互嵌套",
    "Nested shells": "外环相互嵌套",
    "Duplicate Rings": "环重复",
    "Ring is not closed": "环未闭合",
}
NO_GEOMETRY_ZH = "无几何"


# --------------------------------------------------------------------------- geometry
@dataclass
class GeometryFindings:
    invalid: np.ndarray        # bool per parcel: invalid polygon, or no geometry at all
    reasons: dict              # position -> Chinese reason with its location
    repaired: np.ndarray       # valid polygonal geometries (make_valid); None stays None


def geometry_problems(geoms) -> GeometryFindings:
    """Invalid polygons (with GEOS's reason and location, in Chinese) and missing or
    empty geometries, and every geometry made valid (core.geometry's repair) for the
    measures and the topology."""
    geoms = np.asarray(geoms, dtype=object)
    parts = slices(len(geoms), minimum=20000)
    missing = np.concatenate([np.zeros(0, bool)] + thread_map(
        lambda s: shapely.is_missing(geoms[s]) | shapely.is_empty(geoms[s]), parts))
    valid = np.concatenate([np.zeros(0, bool)] + thread_map(
        lambda s: shapely.is_valid(geoms[s]), parts))
    broken = np.flatnonzero(~valid & ~missing)
    reasons = {int(i): NO_GEOMETRY_ZH for i in np.flatnonzero(missing)}
    repaired = geoms
    if len(broken):
        repaired = geoms.copy()
        repaired[broken] = [polygonal(g) for g in shapely.make_valid(geoms[broken])]
        for i, text in zip(broken, shapely.is_valid_reason(geoms[broken])):
            reasons[int(i)] = geos_reason_zh(text)
    return GeometryFindings(missing | ~valid, reasons, repaired)


def geos_reason_zh(text: str) -> str:
    """'Self-intersection[36512.5 2912.25]' -> '自相交，位于 (36512.500, 2912.250)'."""
    name, _, where = str(text).partition("[")
    zh = GEOS_REASONS.get(name.strip(), name.strip())
    xy = where.rstrip("]").split()
    try:
        x, y = float(xy[0]), float(xy[1])
    except (IndexError, ValueError):
        return zh
    return f"{zh}，位于 ({x:.3f}, {y:.3f})"


# --------------------------------------------------------------------------- measuring
@dataclass(frozen=True)
class MeasurePlan:
    """How the parcels are measured given what the CRS check found: 'crs' (their own CRS,
    or the one assumed), 'suggested' (the CRS a finding names, `crs`, which the
    coordinates fit: a zone prefix contradicting the CRS), 'planar' (the coordinates as
    metres) or 'none' (degrees without a fitting CRS: nothing is measured)."""
    kind: str
    crs: str = ""


SUGGESTING = ("CRS_PREFIX_UNEXPECTED", "CRS_PREFIX_MISSING", "CRS_ZONE_MISMATCH")


def measure_plan(crs_findings, bounds) -> MeasurePlan:
    """The MeasurePlan of a layer from its CRS findings (core.layer_checks) and the
    bounds (xmin, ymin, xmax, ymax) of its coordinates."""
    errors = [f for f in crs_findings if f.level == ERROR]
    if not errors:
        return MeasurePlan("crs")
    if errors[0].code in SUGGESTING:
        return MeasurePlan("suggested", errors[0].values["suggested"])
    if bounds is None or not np.all(np.isfinite(bounds)):
        return MeasurePlan("none")
    xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    degrees = -180.0 <= xmin and xmax <= 360.0 and -90.0 <= ymin and ymax <= 90.0
    return MeasurePlan("none" if degrees else "planar")


def plan_findings(plan: MeasurePlan, layer: str) -> list:
    """The finding saying how a layer with a CRS problem was measured (none when its own
    CRS served)."""
    if plan.kind == "suggested":
        return [finding(LAYER_FINDINGS, WARNING, "MEASURED_IN", layer=layer, crs=plan.crs)]
    if plan.kind == "planar":
        return [finding(LAYER_FINDINGS, WARNING, "PLANAR_ONLY", layer=layer)]
    if plan.kind == "none":
        return [finding(LAYER_FINDINGS, WARNING, "NOT_MEASURED", layer=layer)]
    return []


# --------------------------------------------------------------------------- the check
@dataclass
class QualityReport:
    """What the check found: a flag column per QUALITY_CHECKS code (False where it was not
    run, see `checked`), each flagged parcel's wording per check, the parcels' areas
    the summary counts, the topology, and the layer's own findings (CRS, fields)."""
    layer: str
    flags: pd.DataFrame
    checked: dict                      # code -> whether the check ran
    notes: dict                        # code -> pd.Series of Chinese texts, flagged positions
    area_m2: np.ndarray                # per parcel: TBMJ, else the measured area
    ids: np.ndarray                    # per parcel: 'BSM …' or 'fid N'
    topology: TopologyFindings | None
    layer_findings: list = field(default_factory=list)
    sliver_m2: float = DEFAULT_SLIVER_M2
    tolerance_pct: float = 5.0

    def __len__(self):
        return len(self.flags)

    @property
    def counts(self) -> dict:
        """{code: parcels flagged} of every check (0 when not run)."""
        return {c: int(self.flags[c].sum()) for c in self.flags.columns}

    def area_mu(self, code: str) -> float:
        return float(np.nansum(self.area_m2[self.flags[code].to_numpy(bool)])) / M2_PER_MU

    @property
    def problems(self) -> np.ndarray:
        """Number of checks each parcel fails (ZJ_SL)."""
        return self.flags.to_numpy(bool).sum(axis=1).astype(np.int64)

    def description(self) -> np.ndarray:
        """ZJ_SM: every problem of each parcel in Chinese ('；'-separated, cut to
        MAX_NOTE characters), None for a clean parcel."""
        parts = {}
        for check in QUALITY_CHECKS:
            for i, text in self.notes.get(check.code, pd.Series(dtype=object)).items():
                parts.setdefault(int(i), []).append(text)
        out = np.full(len(self), None, dtype=object)
        for i, texts in parts.items():
            out[i] = _cut("；".join(texts) + "。")
        return out

    def output_columns(self) -> dict:
        """{field: values} of the parcel output: 1/0 per check (NULL where it was not
        run), ZJ_SL and ZJ_SM."""
        columns = {}
        for check in QUALITY_CHECKS:
            flag = self.flags[check.code].to_numpy(bool).astype(np.int64)
            columns[check.field] = flag if self.checked.get(check.code) else \
                np.full(len(self), None, dtype=object)
        columns[PROBLEM_COUNT] = self.problems
        columns[DESCRIPTION] = self.description()
        return columns

    @property
    def clean(self) -> bool:
        """No parcel flagged and nothing to say about the layer (its CRS, its fields)."""
        return not self.problems.any() and not self.layer_findings


def check_quality(table: pd.DataFrame, geoms, layer: str = "", fids=None, plan=None,
                  ellipsoidal=None, tolerance_pct: float = 5.0,
                  sliver_m2: float = DEFAULT_SLIVER_M2, crs_findings=(),
                  progress=None) -> QualityReport:
    """Every check on the parcels (`table`: canonical 三调 columns as read; `geoms`:
    shapely geometries as read, invalid ones included, in projected coordinates unless
    `plan` says otherwise). `ellipsoidal(geometries)`: their ellipsoidal areas (None:
    the planar area stands in). `crs_findings`: what the CRS check found, reported with
    the layer's findings. `progress(fraction)` is called between steps."""
    plan = plan or MeasurePlan("crs")
    say = progress or (lambda f: None)
    n = len(geoms)
    geometry = geometry_problems(geoms)
    say(0.2)
    measured = plan.kind != "none"
    planar = shapely.area(geometry.repaired) if measured else None
    ids = pc.parcel_ids(table, fids)
    cache = {}

    def exact(mask):
        key = np.flatnonzero(mask).tobytes()
        if key not in cache:
            cache[key] = np.asarray(ellipsoidal(geometry.repaired[np.asarray(mask, bool)]),
                                    float)
        return cache[key]

    attributes = pc.check_parcels(table, planar, exact if ellipsoidal else None, layer, ids,
                                  tolerance_pct, keys=("BSM",))
    if "DUPLICATE_BSM" in attributes.flags.columns:     # a BSM that names several parcels
        twins = np.flatnonzero(attributes.flags["DUPLICATE_BSM"].to_numpy(bool))
        ids = ids.copy()
        ids[twins] = [f"{ids[i]}（{'fid ' + str(fids[i]) if fids is not None else f'#{i + 1}'}）"
                      for i in twins]
    say(0.4)
    topology = gaps_and_overlaps(geometry.repaired, sliver_m2) if measured else None
    say(0.9)
    flags = pd.DataFrame({c.code: np.zeros(n, dtype=bool) for c in QUALITY_CHECKS})
    checked = {}
    for code in flags.columns:
        if code in attributes.flags.columns:
            flags[code] = attributes.flags[code].to_numpy(bool)
            checked[code] = True
    flags["GEOMETRY_INVALID"] = geometry.invalid
    checked["GEOMETRY_INVALID"] = True
    if topology is not None:
        gap, overlap = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        gap[[i for g in topology.gaps for i in g.neighbours]] = True
        overlap[[i for o in topology.overlaps for i in (o.first, o.second)]] = True
        flags["GAP"], flags["OVERLAP"] = gap, overlap
        checked["GAP"] = checked["OVERLAP"] = True
    area = _areas(table, flags, planar, exact if ellipsoidal else None)
    notes = _notes(table, flags, geometry, topology, ids, area, planar,
                   exact if ellipsoidal else None)
    found = list(crs_findings) + plan_findings(plan, layer) + _missing_fields(table, layer)
    return QualityReport(layer, flags, checked, notes, area, ids, topology, found, sliver_m2,
                         tolerance_pct)


def _missing_fields(table, layer) -> list:
    from .fields import DLTB_FIELDS

    return [finding(LAYER_FINDINGS, WARNING, "FIELD_MISSING", layer=layer, field=f,
                    alias=DLTB_FIELDS[f].alias)
            for f in (r.field for r in pc.NULL_RULES) if f not in table.columns]


def _areas(table, flags, planar, exact) -> np.ndarray:
    """The area the summary counts per parcel: TBMJ where given and plausible, else the
    ellipsoidal area (measured only for the flagged parcels), else the planar one."""
    n = len(flags)
    tbmj = pc.numbers(table["TBMJ"]) if "TBMJ" in table.columns else np.full(n, np.nan)
    area = np.where(np.isfinite(tbmj) & ~flags["TBMJ_MISMATCH"].to_numpy(bool), tbmj, np.nan)
    todo = ~np.isfinite(area) & flags.to_numpy(bool).any(axis=1)
    if planar is not None and todo.any():
        ok = todo & (planar > 0)
        area[ok] = exact(ok) if exact is not None and ok.any() else planar[ok]
    return area


def _notes(table, flags, geometry, topology, ids, area, planar, exact) -> dict:
    """{code: Series of the Chinese wording of each flagged parcel's problem}."""
    notes = {}

    def flagged(code):
        return np.flatnonzero(flags[code].to_numpy(bool))

    def col(name):
        return table[name].to_numpy(dtype=object) if name in table.columns else None

    for check in QUALITY_CHECKS:
        if check.code.startswith("NULL_"):
            idx = flagged(check.code)
            if len(idx):
                notes[check.code] = pd.Series([check.title.zh] * len(idx), index=idx)
    idx = flagged("UNKNOWN_DLBM")
    if len(idx):
        dlbm = col("DLBM")
        notes["UNKNOWN_DLBM"] = pd.Series(
            [f"地类编码 {dlbm[i]} 不是三调地类" for i in idx], index=idx)
    idx = flagged("DUPLICATE_BSM")
    if len(idx):
        bsm = pd.Series(col("BSM")[idx], dtype=object)
        times = bsm.map(bsm.value_counts()).to_numpy()
        notes["DUPLICATE_BSM"] = pd.Series(
            [f"标识码 {b} 重复（{k} 个图斑）" for b, k in zip(bsm, times)], index=idx)
    idx = flagged("TBMJ_MISMATCH")
    if len(idx):
        mask = flags["TBMJ_MISMATCH"].to_numpy(bool)
        measured = exact(mask) if exact is not None else planar[mask]
        kind = "椭球面积" if exact is not None else "平面面积"
        tbmj = pc.numbers(table["TBMJ"])[idx]
        notes["TBMJ_MISMATCH"] = pd.Series(
            [f"图斑面积 TBMJ {t:.2f} 与{kind} {m:.2f} 平方米相差 {_pct(t, m)}"
             for t, m in zip(tbmj, measured)], index=idx)
    for code, text in (("KCMJ_MISMATCH", "扣除地类面积 KCMJ {0:.2f} ≠ round(TBMJ × KCXS, 2) = "
                                         "{1:.2f}"),
                       ("TBDLMJ_MISMATCH", "图斑地类面积 TBDLMJ {0:.2f} ≠ TBMJ − KCMJ = {1:.2f}")):
        idx = flagged(code)
        if len(idx):
            tbmj, kcxs, kcmj, tbdlmj = (pc.numbers(table[f])[idx] if f in table.columns
                                        else np.full(len(idx), np.nan)
                                        for f in ("TBMJ", "KCXS", "KCMJ", "TBDLMJ"))
            pairs = zip(kcmj, np.round(tbmj * kcxs, 2)) if code == "KCMJ_MISMATCH" else \
                zip(tbdlmj, tbmj - kcmj)
            notes[code] = pd.Series([text.format(a, b) for a, b in pairs], index=idx)
    idx = flagged("GEOMETRY_INVALID")
    if len(idx):
        notes["GEOMETRY_INVALID"] = pd.Series(
            [geometry.reasons[int(i)] if geometry.reasons[int(i)] == NO_GEOMETRY_ZH
             else "几何无效：" + geometry.reasons[int(i)] for i in idx], index=idx)
    if topology is not None:
        notes.update(_topology_notes(topology, ids))
    return notes


def _topology_notes(topology, ids) -> dict:
    overlaps, gaps = {}, {}
    for o in topology.overlaps:
        for me, other in ((o.first, o.second), (o.second, o.first)):
            overlaps.setdefault(me, []).append(f"与 {ids[other]} 重叠 {area_text(o.area)}")
    for g in topology.gaps:
        x, y = g.location.x, g.location.y
        for me in g.neighbours:
            gaps.setdefault(me, []).append(
                f"与相邻图斑之间有缝隙 {area_text(g.area)}（位于 ({x:.3f}, {y:.3f})）")
    out = {}
    for code, found in (("OVERLAP", overlaps), ("GAP", gaps)):
        if found:
            keys = sorted(found)
            out[code] = pd.Series(["，".join(found[k]) for k in keys], index=keys)
    return out


def area_text(m2: float) -> str:
    """An area in 平方米 with the digits a sliver needs: 12.35, 0.0100, 3.2e-06."""
    if m2 == 0:
        return "0 平方米"
    if m2 >= 1.0:
        return f"{m2:.2f} 平方米"
    if m2 >= 0.0001:
        return f"{m2:.4f} 平方米"
    return f"{m2:.1e} 平方米"


def _pct(recorded, measured) -> str:
    if not measured:
        return "（几何面积为 0）"
    return f"{abs(recorded - measured) / measured * 100.0:.1f}%"


def _cut(text: str) -> str:
    return text if len(text) <= MAX_NOTE else text[:MAX_NOTE - 1] + "…"


# --------------------------------------------------------------------------- outputs
def topology_table(report: QualityReport):
    """(frame of TOPOLOGY_FIELDS, geometries): one row per gap and per overlap at or above
    the sliver tolerance."""
    names = [f.name for f in TOPOLOGY_FIELDS]
    topo = report.topology
    if topo is None or topo.clean:
        return pd.DataFrame(columns=names), np.empty(0, dtype=object)
    rows, shapes = [], []
    for g in topo.gaps:
        involved = [str(report.ids[i]) for i in g.neighbours]
        rows.append((GAP_ZH, g.area, g.location.x, g.location.y, len(involved),
                     _cut("、".join(involved))))
        shapes.append(g.geometry)
    for o in topo.overlaps:
        rows.append((OVERLAP_ZH, o.area, o.location.x, o.location.y, 2,
                     f"{report.ids[o.first]}、{report.ids[o.second]}"))
        shapes.append(o.geometry)
    return pd.DataFrame(rows, columns=names), np.asarray(shapes, dtype=object)


def summary_rows(report: QualityReport) -> pd.DataFrame:
    """One row per check: code, title (Chinese), whether it ran, parcels flagged, their
    area in 亩, how to fix."""
    counts = report.counts
    return pd.DataFrame([dict(code=c.code, field=c.field, title=c.title.zh,
                              checked=bool(report.checked.get(c.code)),
                              count=counts[c.code], area_mu=report.area_mu(c.code), fix=c.fix)
                         for c in QUALITY_CHECKS])

