"""坡耕地 (slope farmland) and 不稳定耕地 (unstable farmland) of 三调 parcels, from a
mean slope per parcel (DEM) or, without a DEM value, the recorded GDPDJB grade
(REFERENCE §2), and their totals by village."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .fields import FieldSpec
from .land_classes import FARMLAND_CODES, base_code, base_codes, map_distinct, normalize_code
from .slope import slope_grade
from .units import m2_to_mu
from .values import split_list
from .villages import village_keys, village_names

SOURCE_DEM, SOURCE_GDPDJB, SOURCE_TBXHDM = "DEM", "GDPDJB", "TBXHDM"

SLOPE_FARMLAND_FIELDS = (
    FieldSpec("PD_MEAN", "float", 10, "平均坡度(度)", 4),
    FieldSpec("PD_GT", "float", 6, "超限坡度面积比例(%)", 2),
    FieldSpec("PDJB_JS", "int", 1, "计算坡度级别"),
    FieldSpec("PGD", "int", 1, "坡耕地"),
    FieldSpec("BWD", "int", 1, "不稳定耕地"),
    FieldSpec("PGD_LY", "str", 8, "判定依据"),
    FieldSpec("GD_MU", "float", 14, "耕地面积(亩)", 4),
)

VILLAGE_FIELDS = (
    FieldSpec("CUNDM", "str", 12, "行政村代码"),
    FieldSpec("CUNMC", "str", 100, "行政村名称"),
    FieldSpec("GD_MU", "float", 14, "耕地面积(亩)", 2),
    FieldSpec("PGD_MU", "float", 14, "坡耕地面积(亩)", 2),
    FieldSpec("BWD_MU", "float", 14, "不稳定耕地面积(亩)", 2),
    FieldSpec("PGD_ZB", "float", 6, "坡耕地占比(%)", 2),
    FieldSpec("BWD_ZB", "float", 6, "不稳定耕地占比(%)", 2),
)
TOTAL_CODE, TOTAL_NAME = "合计", "合计"


def parse_codes(text) -> tuple:
    """'0101, 0102；0103' -> ('0101', '0102', '0103'): land-use codes as typed (any comma,
    semicolon, 、 or space between them), normalized, duplicates dropped, order kept."""
    if text is None:
        return ()
    items = text if isinstance(text, (list, tuple)) else split_list(text, spaces=True)
    return tuple(dict.fromkeys(normalize_code(c) for c in items if str(c).strip()))


def recorded_grade(gdpdjb) -> np.ndarray:
    """GDPDJB values as int 1..5 (0 when absent or unreadable)."""
    return map_distinct(_grade, gdpdjb, dtype=np.int8)


def _grade(value) -> int:
    try:
        g = int(float(str(value).strip()))
    except (TypeError, ValueError):
        return 0
    return g if 1 <= g <= 5 else 0


def flag_slope_farmland(table: pd.DataFrame, slope: pd.DataFrame | None,
                        threshold: float = 25.0, farmland_codes=FARMLAND_CODES,
                        unstable_codes=(), use_gdpdjb: bool = True,
                        area_m2=None) -> pd.DataFrame:
    """The added fields for every parcel. `table` holds DLBM and optionally GDPDJB,
    TBXHDM, TBDLMJ; `slope` holds PD_MEAN, PD_GT per parcel (None without a DEM);
    `area_m2` is the farmland area to use when TBDLMJ is absent."""
    n = len(table)
    farm_codes = [base_code(c) for c in farmland_codes]
    farmland = np.isin(base_codes(table["DLBM"]), farm_codes) if "DLBM" in table \
        else np.zeros(n, dtype=bool)
    if slope is not None:
        mean = slope["PD_MEAN"].to_numpy(dtype=float)
        share = slope["PD_GT"].to_numpy(dtype=float)
    else:
        mean = np.full(n, np.nan)
        share = np.full(n, np.nan)
    has_dem = ~np.isnan(mean)
    grade = recorded_grade(table["GDPDJB"]) if "GDPDJB" in table else np.zeros(n, np.int8)
    from_gdpdjb = ~has_dem & (grade > 0) & bool(use_gdpdjb)
    with np.errstate(invalid="ignore"):
        steep_dem = has_dem & (mean > threshold)
    steep_rec = from_gdpdjb & (grade == 5)
    pgd = farmland & (steep_dem | steep_rec)
    unstable_set = {str(c).strip().upper() for c in unstable_codes}
    if "TBXHDM" in table and unstable_set:
        by_code = map_distinct(lambda v: v is not None and str(v).strip().upper() in unstable_set,
                               table["TBXHDM"], dtype=bool)
    else:
        by_code = np.zeros(n, dtype=bool)
    bwd = farmland & (pgd | by_code)
    source = np.full(n, "", dtype=object)
    source[farmland & has_dem] = SOURCE_DEM
    source[farmland & from_gdpdjb] = SOURCE_GDPDJB
    source[farmland & ~pgd & by_code] = SOURCE_TBXHDM
    if "TBDLMJ" in table:
        area = pd.to_numeric(table["TBDLMJ"], errors="coerce").to_numpy(dtype=float)
        if area_m2 is not None:
            area = np.where(np.isnan(area), np.asarray(area_m2, dtype=float), area)
    elif area_m2 is not None:
        area = np.asarray(area_m2, dtype=float)
    else:
        area = np.zeros(n)
    computed = slope_grade(mean)
    return pd.DataFrame({
        "PD_MEAN": mean,
        "PD_GT": share,
        "PDJB_JS": np.where(computed > 0, computed, np.nan),
        "PGD": pgd.astype(np.int8),
        "BWD": bwd.astype(np.int8),
        "PGD_LY": np.where(source == "", None, source),
        "GD_MU": np.where(farmland, m2_to_mu(np.nan_to_num(area)), 0.0),
    })


def grade_mismatches(table: pd.DataFrame, flags: pd.DataFrame, farmland_codes=FARMLAND_CODES,
                     min_steps: int = 2) -> pd.DataFrame:
    """Farmland parcels whose computed grade differs from the recorded GDPDJB by
    `min_steps` grades or more: DataFrame[index, BSM, GDPDJB, PDJB_JS, PD_MEAN]."""
    if "GDPDJB" not in table:
        return pd.DataFrame(columns=["index", "BSM", "GDPDJB", "PDJB_JS", "PD_MEAN"])
    farm_codes = [base_code(c) for c in farmland_codes]
    farmland = np.isin(base_codes(table["DLBM"]), farm_codes) if "DLBM" in table \
        else np.zeros(len(table), bool)
    rec = recorded_grade(table["GDPDJB"])
    comp = np.nan_to_num(flags["PDJB_JS"].to_numpy(dtype=float)).astype(int)
    hit = farmland & (rec > 0) & (comp > 0) & (np.abs(comp - rec) >= min_steps)
    idx = np.flatnonzero(hit)
    bsm = table["BSM"].iloc[idx].to_numpy() if "BSM" in table else idx
    return pd.DataFrame({"index": idx, "BSM": bsm, "GDPDJB": rec[idx], "PDJB_JS": comp[idx],
                         "PD_MEAN": flags["PD_MEAN"].to_numpy()[idx]})


def village_table(table: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """Per village (ZLDWDM's first 12 digits) and a 合计 row: farmland, slope farmland
    and unstable farmland in 亩 and their shares (%)."""
    n = len(table)
    zldwdm = table["ZLDWDM"] if "ZLDWDM" in table else pd.Series([""] * n, index=table.index)
    keys = village_keys(zldwdm).to_numpy()
    names = village_names(zldwdm, table["ZLDWMC"] if "ZLDWMC" in table else None)
    gd = flags["GD_MU"].to_numpy(dtype=float)
    frame = pd.DataFrame({"CUNDM": keys, "GD_MU": gd,
                          "PGD_MU": np.where(flags["PGD"].to_numpy() == 1, gd, 0.0),
                          "BWD_MU": np.where(flags["BWD"].to_numpy() == 1, gd, 0.0)})
    out = frame.groupby("CUNDM", sort=True)[["GD_MU", "PGD_MU", "BWD_MU"]].sum().reset_index()
    out.insert(1, "CUNMC", out["CUNDM"].map(lambda k: names.get(k, "")))
    total = pd.DataFrame([{"CUNDM": TOTAL_CODE, "CUNMC": TOTAL_NAME,
                           "GD_MU": out["GD_MU"].sum(), "PGD_MU": out["PGD_MU"].sum(),
                           "BWD_MU": out["BWD_MU"].sum()}])
    out = pd.concat([out, total], ignore_index=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["PGD_ZB"] = np.where(out["GD_MU"] > 0, 100.0 * out["PGD_MU"] / out["GD_MU"], 0.0)
        out["BWD_ZB"] = np.where(out["GD_MU"] > 0, 100.0 * out["BWD_MU"] / out["GD_MU"], 0.0)
    return out[[f.name for f in VILLAGE_FIELDS]]
