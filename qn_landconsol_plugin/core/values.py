"""Plain values: a table cell as files and QGIS take it (NaN/None -> None, numpy
scalars -> int/float), and the lists users type into a text box."""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

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


def map_each(func, values, dtype=object) -> np.ndarray:
    """[func(v) for v in values] as an array, func computed once per distinct value (a
    tagged layer has thousands of rows but a few dozen codes). Exactly the per-value
    result: values are grouped only where that cannot change func's answer (text, None,
    integers); other columns (floats, mixed types) are mapped value by value."""
    if isinstance(values, pd.Series):
        arr = values.to_numpy(dtype=object)
    else:
        arr = values if isinstance(values, np.ndarray) else np.asarray(values, dtype=object)
        if arr.ndim != 1:              # a list of tuples: the tuples are the values
            arr = _object_array(list(values))
    if arr.dtype.kind in "biuUS":
        exact = arr.ndim == 1          # one type: equal values are the same value
    elif arr.dtype == object and arr.ndim == 1:
        # text among missing values: two different texts never compare equal (the
        # numbers 1, 1.0 and True do, and would be grouped)
        exact = pd.api.types.infer_dtype(arr, skipna=True) in ("string", "empty")
    else:
        exact = False                  # floats: 0.0 == -0.0
    if not exact or not len(arr):
        return _object_array([func(v) for v in arr.tolist()]).astype(dtype)
    codes, uniques = pd.factorize(arr)        # missing values (None, NaN, NA) get -1
    table = _object_array([func(u) for u in np.asarray(uniques).tolist()] + [None])
    out = table[codes]
    missing = np.flatnonzero(codes < 0)
    if len(missing):
        nones = np.array([v is None for v in arr[missing].tolist()], dtype=bool)
        if nones.any():
            fill = _object_array([func(None)])
            out[missing[nones]] = fill[np.zeros(int(nones.sum()), dtype=np.intp)]
        for k in missing[~nones]:           # NaN, NA, NaT: each its own answer
            out[k] = func(arr[k])
    return out.astype(dtype) if dtype is not object else out


def _object_array(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out


def split_list(text, spaces: bool = False) -> list:
    """'a, b；c、d' -> ['a', 'b', 'c', 'd']: items separated by ASCII or Chinese commas,
    semicolons or 、 (and by whitespace when `spaces`), stripped, empty ones dropped."""
    if text is None:
        return []
    pattern = _SEPARATORS_AND_SPACES if spaces else _SEPARATORS
    return [item.strip() for item in pattern.split(str(text)) if item.strip()]
