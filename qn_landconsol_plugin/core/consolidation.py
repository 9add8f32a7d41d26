"""What consolidation work does to a parcel: its farmland area now and after (net of
田坎, TBDLMJ), its land class after, the construction land it removes or adds, and
the source of its new farmland. The one place these figures are computed: the dock's
totals (task_totals), the potential survey, the forest-farmland swap balance and the
declaration tables all read `outcome`.

Rules (REFERENCE §2 田坎, §3 "How areas count"): farmland is counted net of 田坎;
land that becomes farmland gets the 田坎 deduction of its slope grade from the
province's KCXS table (Rules.terrace_kcxs, built as Rules.new_farmland_gdlx), so
its new farmland is TBMJ × (1 − KCXS); grade-1 land (≤ 2°) has no coefficient;
田坎归并 lowers a farmland parcel's KCXS to the merged coefficient of its grade and
GDLX (Rules.terrace_kcxs_merged).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import land_classes as lc
from .contiguity import farmland_area_m2
from .rules import Rules
from .slope import slope_grade
from .values import map_each

# what work does to a parcel (the `effect` of outcome())
KEEP, TERRACE, PADDY, TO_FARMLAND, FROM_FARMLAND, TO_FOREST, NEW_CONSTRUCTION = (
    "", "terrace", "paddy", "to_farmland", "from_farmland", "to_forest", "new_construction")

# sources of new farmland (新增耕地来源表), in the table's order
SOURCES = (
    ("terrace", "田坎归并"),
    ("reserve", "宜耕后备资源开发"),
    ("homestead", "宅基地/空闲地复垦"),
    ("mine", "工矿废弃地复垦"),
    ("other_reclaim", "其他建设用地复垦"),
    ("swap_in", "林耕置换入"),
)
SOURCE_ZH = dict(SOURCES)

# a tagged task: its effect on farmland (effect on farmland now, on other land) and
# the source of the new farmland it brings
TASK_EFFECTS = {
    "NYD02": (PADDY, KEEP, ""),
    "NYD03": (KEEP, TO_FARMLAND, "reserve"),
    "NYD04": (FROM_FARMLAND, TO_FARMLAND, "swap_in"),
    "NYD06": (TERRACE, KEEP, "terrace"),
    "JSYD01": (KEEP, TO_FARMLAND, "homestead"),
    "JSYD03": (KEEP, TO_FARMLAND, "mine"),
    "JSYD04": (KEEP, TO_FARMLAND, "other_reclaim"),
}
PADDY_FROM_CODE = "0103"

# columns of outcome() (m² unless said)
OUTCOME_COLUMNS = ("MJ", "DLBM_Q", "DLBM_H", "GD_Q", "GD_H", "TK_Q", "TK_H", "XZGD", "JSGD",
                   "LY", "XZSD", "JS_Q", "JS_H", "JS_XZ", "PDJB", "EFFECT")


def _num(frame: pd.DataFrame, name: str, n: int) -> np.ndarray:
    if name not in frame.columns:
        return np.full(n, np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(float)


def _upper_text(v) -> str:
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip().upper()


def _text(frame: pd.DataFrame, name: str, n: int) -> np.ndarray:
    if name not in frame.columns:
        return np.full(n, "", dtype=object)
    return map_each(_upper_text, frame[name])


def _grade(g) -> str:
    text = "" if g is None or (isinstance(g, float) and np.isnan(g)) else str(g).strip()
    text = text[:-2] if text.endswith(".0") else text
    text = text.lstrip("0")
    return text if text in ("1", "2", "3", "4", "5") else ""


def grade_text(grades) -> np.ndarray:
    """'1'..'5' of slope grades (GDPDJB values or integers), '' when unknown."""
    return map_each(_grade, grades if isinstance(grades, (pd.Series, np.ndarray))
                    else np.asarray(grades, dtype=object))


def kcxs(grades, gdlx, rules: Rules | None = None, merged: bool = False) -> np.ndarray:
    """田坎系数 of each parcel from the province table: by GDLX (TT/PD, else
    Rules.new_farmland_gdlx) and slope grade; 0 for grade 1; for an unknown grade the
    largest coefficient of grades 2–4 (a cautious estimate: new farmland is never
    above 25°)."""
    rules = rules or Rules()
    table = rules.terrace_kcxs_merged if merged else rules.terrace_kcxs
    g = grade_text(grades)
    if not len(g):
        return np.zeros(0)
    types = map_each(lambda t: str(t or "").upper(), np.asarray(gdlx, dtype=object))
    # one coefficient per (type, grade) met
    g_codes, g_values = pd.factorize(g)
    t_codes, t_values = pd.factorize(types)

    def coefficient(key, grade):
        row = table.get(key) or table.get(rules.new_farmland_gdlx.upper(), {})
        if grade == "1":
            return 0.0
        if grade:
            return float(row.get(grade, 0.0))
        return max([float(row.get(k, 0.0)) for k in ("2", "3", "4")] or [0.0])

    lookup = np.array([[coefficient(key, grade) for grade in g_values] for key in t_values],
                      dtype=float).reshape(len(t_values), len(g_values))
    return lookup[t_codes, g_codes]


def parcel_grades(frame: pd.DataFrame, slope_deg=None) -> np.ndarray:
    """Slope grade text of each parcel: GDPDJB where recorded, else the grade of the
    mean slope (PD_MEAN column or `slope_deg`), '' when neither is known."""
    n = len(frame)
    recorded = grade_text(frame["GDPDJB"]) if "GDPDJB" in frame.columns else np.full(n, "", object)
    slope = np.asarray(slope_deg, float) if slope_deg is not None else _num(frame, "PD_MEAN", n)
    computed = grade_text(np.where(np.isfinite(slope), slope_grade(np.nan_to_num(slope)), 0))
    return np.where(recorded != "", recorded, computed)


def farmland_now_m2(frame: pd.DataFrame, area_m2=None) -> np.ndarray:
    """Farmland area (m², net of 田坎) of each parcel now: TBDLMJ of 01xx parcels (see
    contiguity.farmland_area_m2), 0 for other land."""
    return _farmland_now(frame, _area(frame, area_m2), _base_codes(frame))


def _farmland_now(frame: pd.DataFrame, area: np.ndarray, base: np.ndarray) -> np.ndarray:
    farm = np.isin(base, lc.FARMLAND_CODES)
    return np.where(farm, farmland_area_m2(frame, area), 0.0)


def _base_codes(frame: pd.DataFrame) -> np.ndarray:
    """lc.base_codes of the DLBM column ('' for every row without it)."""
    if "DLBM" not in frame.columns:
        return np.full(len(frame), "", object)
    return lc.base_codes(frame["DLBM"])


def land_now(frame: pd.DataFrame, area_m2=None) -> tuple:
    """(farmland net of 田坎, construction land) now of each parcel, m²: the GD_Q and JS_Q
    of outcome(), without the work (what a project area sums, core.project_area)."""
    area = _area(frame, area_m2)
    codes = frame["DLBM"] if "DLBM" in frame.columns else pd.Series([""] * len(frame))
    construction = lc.map_distinct(lambda c: lc.category_of(c) == lc.CONSTRUCTION, codes, bool)
    return farmland_now_m2(frame, area), np.where(construction, area, 0.0)


def _area(frame: pd.DataFrame, area_m2=None) -> np.ndarray:
    n = len(frame)
    tbmj = _num(frame, "TBMJ", n)
    fallback = np.zeros(n) if area_m2 is None else np.asarray(area_m2, float)
    return np.where(np.isfinite(tbmj), tbmj, fallback)


def task_effects(frame: pd.DataFrame, subtypes, rules: Rules | None = None):
    """(effect, source) of each row for its task code (subtype, or family when alone):
    TASK_EFFECTS for farmland work and reclamation, NEW_CONSTRUCTION for
    Rules.new_construction_tasks on land that is not construction now."""
    return _task_effects(_base_codes(frame), subtypes, rules or Rules())


def _task_effects(codes: np.ndarray, subtypes, rules: Rules):
    """task_effects of parcels whose DLBM base codes are `codes`."""
    farm = np.isin(codes, lc.FARMLAND_CODES)
    construction = lc.map_distinct(lambda c: lc.category_of(c) == lc.CONSTRUCTION, codes, bool)
    tasks = _task_codes(subtypes)
    # looked up once per distinct task code
    listed = map_each(lambda t: t in TASK_EFFECTS, tasks, bool)
    on_farm, on_other, src = (map_each(lambda t: TASK_EFFECTS.get(t, (KEEP, KEEP, ""))[k], tasks)
                              for k in range(3))
    builds = map_each(lambda t: t in rules.new_construction_tasks, tasks, bool)
    effect = np.where(listed, np.where(farm, on_farm, on_other), KEEP).astype(object)
    source = np.where(listed & ((effect == TO_FARMLAND) | (effect == TERRACE)), src, "") \
        .astype(object)
    effect[listed & (effect == PADDY) & (codes != PADDY_FROM_CODE)] = KEEP
    effect[~listed & builds & ~construction] = NEW_CONSTRUCTION
    return effect, source


def _task_codes(subtypes) -> np.ndarray:
    """The task code of each row as an object array, '' for None/NaN."""
    return np.asarray(pd.Series(list(subtypes), dtype=object).fillna(""), dtype=object)


def outcome(frame: pd.DataFrame, effect, source=None, rules: Rules | None = None,
            grades=None, area_m2=None, class_after=None) -> pd.DataFrame:
    """OUTCOME_COLUMNS per parcel for the given effects ('+' joins two, e.g.
    'terrace+paddy'): area MJ (TBMJ, else `area_m2`),
    land class now/after (DLBM_Q/DLBM_H), farmland now/after (GD_Q/GD_H) and 田坎
    now/after (TK_Q/TK_H, what the 1203 row of a table gets), new farmland XZGD and
    farmland lost JSGD, the new farmland's source LY, new paddy XZSD (旱改水 and land
    built as paddy), construction land now/after/new (JS_Q/JS_H/JS_XZ), slope grade
    PDJB. `class_after` may name a parcel's class after (e.g. the CYRH building's);
    `grades` default parcel_grades(frame)."""
    return _outcome(frame, effect, source, rules or Rules(), grades, area_m2, class_after)


def _outcome(frame: pd.DataFrame, effect, source, rules: Rules, grades, area_m2, class_after,
             dlbm_base=None) -> pd.DataFrame:
    """outcome(); `dlbm_base`: _base_codes(frame) when known. Every column is read as an
    array (the frame's index plays no part)."""
    n = len(frame)
    effect = np.asarray(effect, dtype=object) if n else np.zeros(0, dtype=object)

    def has(name):
        return map_each(lambda e: name in set(str(e or "").split("+")), effect, bool)

    source = np.full(n, "", dtype=object) if source is None else np.asarray(source, dtype=object)
    area = _area(frame, area_m2)
    codes = map_each(lc.normalize_code, frame["DLBM"]) \
        if "DLBM" in frame.columns else np.full(n, "", object)
    base = map_each(lc.base_code, codes)
    farm = np.isin(base, lc.FARMLAND_CODES)
    grade = grade_text(grades) if grades is not None else parcel_grades(frame)
    gdlx = _text(frame, "GDLX", n)
    now = _farmland_now(frame, area, _base_codes(frame) if dlbm_base is None else dlbm_base)
    after = now.copy()
    cls_after = codes.copy()
    after_rules = rules.class_after

    # 田坎归并: the merged coefficient of the parcel's grade and type
    m = has(TERRACE) & farm
    if m.any():
        recorded = _num(frame, "KCXS", n)
        kc_now = np.where(np.isfinite(recorded), recorded,
                          kcxs(grade, np.where(gdlx != "", gdlx, "TT"), rules))
        merged = kcxs(grade, np.where(gdlx != "", gdlx, "TT"), rules, merged=True)
        gain = np.where(grade != "1", np.clip(kc_now - merged, 0.0, None), 0.0) * area
        after = np.where(m, now + gain, after)
    # land that becomes farmland: TBMJ × (1 − KCXS of its grade)
    m = has(TO_FARMLAND) & ~farm
    if m.any():
        k = kcxs(grade, np.full(n, rules.new_farmland_gdlx, dtype=object), rules)
        after = np.where(m, area * (1.0 - k), after)
        cls_after[m] = after_rules.get("farmland", "0103")
    # farmland that leaves (goes up to forest) and reclamation to forest
    m = (has(FROM_FARMLAND) & farm) | has(TO_FOREST)
    after = np.where(m, 0.0, after)
    cls_after[m] = after_rules.get("restored", "0307")
    # 旱改水
    paddy = has(PADDY) & farm
    cls_after[paddy] = after_rules.get("paddy", "0101")
    # new construction (on farmland it is farmland lost)
    m = has(NEW_CONSTRUCTION)
    after = np.where(m, 0.0, after)
    if class_after is not None:
        given = np.asarray(class_after, dtype=object)
        cls_after = np.where(m & (given != ""), given, np.where(m, after_rules.get("CYRH", "05H1"),
                                                                 cls_after))
    else:
        cls_after[m] = after_rules.get("CYRH", "05H1")

    construction = lc.map_distinct(lambda c: lc.category_of(c) == lc.CONSTRUCTION, codes, bool)
    construction_after = lc.map_distinct(lambda c: lc.category_of(c) == lc.CONSTRUCTION,
                                         cls_after, bool)
    after_farm = after > 0
    new = np.clip(after - now, 0.0, None)
    lost = np.clip(now - after, 0.0, None)
    src = np.where(new > 0, source, "")
    paddy_new = np.where(paddy, after, 0.0) + \
        np.where((new > 0) & ~farm & (cls_after == "0101"), after, 0.0)
    return pd.DataFrame({
        "MJ": area, "DLBM_Q": codes, "DLBM_H": cls_after,
        "GD_Q": now, "GD_H": after,
        "TK_Q": np.where(farm, area - now, 0.0), "TK_H": np.where(after_farm, area - after, 0.0),
        "XZGD": new, "JSGD": lost, "LY": src, "XZSD": paddy_new,
        "JS_Q": np.where(construction, area, 0.0), "JS_H": np.where(construction_after, area, 0.0),
        "JS_XZ": np.where(construction_after & ~construction, area, 0.0),
        "PDJB": grade, "EFFECT": effect})


def task_outcome(frame: pd.DataFrame, subtypes, rules: Rules | None = None, grades=None,
                 area_m2=None) -> pd.DataFrame:
    """outcome() of tagged parcels: each row's effect from its task code (task_effects),
    the class of new construction from Rules.class_after."""
    rules = rules or Rules()
    base = _base_codes(frame)
    effect, source = _task_effects(base, subtypes, rules)
    built = map_each(lambda t: rules.class_after.get(t, ""), _task_codes(subtypes))
    return _outcome(frame, effect, source, rules, grades, area_m2, built, base)


def new_farmland_m2(frame: pd.DataFrame, subtypes, rules: Rules | None = None) -> np.ndarray:
    """Net change of farmland (m²) of each row's task: new farmland positive, farmland
    that leaves negative, net of 田坎 on both sides."""
    out = task_outcome(frame, subtypes, rules)
    return (out["GD_H"] - out["GD_Q"]).to_numpy(float)
