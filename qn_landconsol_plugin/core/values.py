"""Plain values: a table cell as files and QGIS take it (NaN/None -> None, numpy
scalars -> int/float), and the lists users type into a text box."""
from __future__ import annotations

import math
import re

import numpy as np

_SEPARATORS = re.compile(r"[,，;；、]+")
_SEPARATORS_AND_SPACES = re.compile(r"[,，;；、\s]+")


def plain_value(value):
    """One cell as a plain Python value: None and NaN -> None, numpy scalars -> int or
    float (numpy booleans -> 0/1), anything else unchanged."""
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return int(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def plain_values(values) -> list:
    """plain_value of every cell of a column, vectorised for numeric columns."""
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        out = arr.astype(float).tolist()
        for k in np.flatnonzero(np.isnan(arr)):
            out[k] = None
        return out
    if arr.dtype.kind in "iub":
        return arr.astype(int).tolist()
    return [plain_value(v) for v in arr.tolist()]


def split_list(text, spaces: bool = False) -> list:
    """'a, b；c、d' -> ['a', 'b', 'c', 'd']: items separated by ASCII or Chinese commas,
    semicolons or 、 (and by whitespace when `spaces`), stripped, empty ones dropped."""
    if text is None:
        return []
    pattern = _SEPARATORS_AND_SPACES if spaces else _SEPARATORS
    return [item.strip() for item in pattern.split(str(text)) if item.strip()]
