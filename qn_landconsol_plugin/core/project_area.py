"""The project area (项目区, 整治区域) of a consolidation project: what the ≥ 5 % rule
divides by (all its farmland now, tagged or not, net of 田坎) and what rule R2 balances
(all its construction land now). One definition, used by the dock, the declaration
export and core.task_totals:

The township (乡镇) is the basic unit of a project (REFERENCE §1), so a project's area
is the townships (the first 9 digits of ZLDWDM) where it has parcels: its own parcels
and every parcel of those townships that no other project has tagged (a parcel tagged
for another project belongs to that project's area). Parcels without ZLDWDM are one
township (unit ''): a layer without ZLDWDM is one project area. The potential survey
checks its rules per township in the same way (core.survey_inputs: rule checks by the
9 digits of ZLDWDM), so a project tagged as the survey found its potential gets the
survey's share.

Summing a county's 300,000 parcels per township once (land_by_unit) lets the dock and
the export take any project's area from the sums (area_land) instead of re-reading
the layer.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .villages import TOWNSHIP_CODE_LENGTH, admin_code
from .land_classes import map_distinct

UNIT_LENGTH = TOWNSHIP_CODE_LENGTH
WHOLE_LAYER = ""      # the unit of parcels without ZLDWDM
# the fields the land of an area is computed from (core.consolidation.land_now)
LAND_COLUMNS = ("ZLDWDM", "DLBM", "TBMJ", "KCXS", "KCMJ", "TBDLMJ")


@dataclass(frozen=True)
class AreaLand:
    """Land now of a project area (m²): farmland net of 田坎 and construction land."""
    farmland_m2: float = 0.0
    construction_m2: float = 0.0
    units: tuple = ()      # the townships of the area ('' alone: the whole layer)


def units_of(zldwdm) -> np.ndarray:
    """The township (9 digits of ZLDWDM) of each parcel, '' where ZLDWDM is missing or
    shorter than a township code."""
    def unit(value):
        code = admin_code(value, UNIT_LENGTH)
        return code if len(code) == UNIT_LENGTH else WHOLE_LAYER
    return map_distinct(unit, list(zldwdm))


def frame_units(frame: pd.DataFrame) -> np.ndarray:
    """units_of the frame's ZLDWDM ('' for every row without the column)."""
    if "ZLDWDM" not in frame.columns:
        return np.full(len(frame), WHOLE_LAYER, dtype=object)
    return units_of(frame["ZLDWDM"])


def land_by_unit(units, farmland_m2, construction_m2) -> pd.DataFrame:
    """Farmland (GD) and construction land (JS) now per township, m² (index: unit)."""
    frame = pd.DataFrame({"UNIT": np.asarray(units, dtype=object),
                          "GD": np.asarray(farmland_m2, float),
                          "JS": np.asarray(construction_m2, float)})
    return frame.groupby("UNIT")[["GD", "JS"]].sum()


def project_units(units) -> tuple:
    """The townships a project's parcels (`units`, theirs) lie in, sorted; '' alone when
    one of them has no township: then the area is every parcel."""
    found = set(np.asarray(units, dtype=object).tolist())
    if WHOLE_LAYER in found:
        return (WHOLE_LAYER,)
    return tuple(sorted(found))


def area_land(by_unit: pd.DataFrame, units, others=None) -> AreaLand:
    """The land of the area made of the townships `units` (project_units): the sums of
    `by_unit` (land_by_unit of every parcel) over them, less `others` (a frame with
    UNIT, GD, JS: the parcels tagged for other projects) lying in them. With '' in
    `units`, every township counts."""
    units = tuple(units)
    if not units or by_unit is None or not len(by_unit):
        return AreaLand(0.0, 0.0, units)
    whole = WHOLE_LAYER in units
    rows = by_unit if whole else by_unit.reindex(list(units)).fillna(0.0)
    farmland, construction = float(rows["GD"].sum()), float(rows["JS"].sum())
    if others is not None and len(others):
        inside = np.ones(len(others), bool) if whole else \
            np.isin(np.asarray(others["UNIT"], dtype=object), list(units))
        farmland -= float(np.asarray(others["GD"], float)[inside].sum())
        construction -= float(np.asarray(others["JS"], float)[inside].sum())
    return AreaLand(max(farmland, 0.0), max(construction, 0.0), units)
