"""Villages (行政村) of 三调 parcels: the 12-digit village code from ZLDWDM
(county 6 + township 3 + village 3) and the township's 9-digit code."""
from __future__ import annotations

import pandas as pd

from .land_classes import map_distinct

VILLAGE_CODE_LENGTH = 12
TOWNSHIP_CODE_LENGTH = 9


def admin_code(zldwdm, length: int = VILLAGE_CODE_LENGTH) -> str:
    """Leading `length` digits of a ZLDWDM ('' when absent)."""
    if zldwdm is None:
        return ""
    text = str(zldwdm).strip()
    return text[:length] if text else ""


def village_keys(zldwdm: pd.Series, length: int = VILLAGE_CODE_LENGTH) -> pd.Series:
    """Village (or township, with length=9) code for every parcel."""
    return pd.Series(map_distinct(lambda v: str(admin_code(v, length)), zldwdm),
                     index=zldwdm.index, dtype=object)


def village_names(zldwdm: pd.Series, zldwmc: pd.Series | None,
                  length: int = VILLAGE_CODE_LENGTH) -> dict:
    """{village code: name}, the most frequent ZLDWMC of each village ('' if unknown)."""
    keys = village_keys(zldwdm, length)
    if zldwmc is None:
        return {k: "" for k in keys.unique()}
    frame = pd.DataFrame({"k": keys, "n": zldwmc.fillna("").astype(str)})
    return frame.groupby("k")["n"].agg(lambda s: s.mode().iloc[0] if len(s.mode()) else "").to_dict()
