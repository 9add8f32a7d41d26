"""core.values.map_each: a function of each value of a column, computed once per
distinct value, and exactly what mapping value by value gives."""
import numpy as np
import pandas as pd

from qn_landconsol_plugin.core.values import map_each


def _strip(v):
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()


def test_text_column_is_mapped_once_per_distinct_value():
    calls = []

    def upper(v):
        calls.append(v)
        return "" if v is None else v.upper()

    values = pd.Series(["nyd01", "jsyd01", None, "nyd01", None, "jsyd01"] * 500, dtype=object)
    got = map_each(upper, values)
    assert got.tolist() == ["NYD01", "JSYD01", "", "NYD01", "", "JSYD01"] * 500
    assert len(calls) == 3 and set(calls) == {"jsyd01", "nyd01", None}


def test_missing_values_keep_their_own_answer():
    # None and NaN both strip to ''; pandas' NA and NaT are no None: str() of them
    values = ["a ", None, float("nan"), np.float64("nan"), pd.NA, pd.NaT, "", "  ", "a"]
    assert map_each(_strip, values).tolist() == ["a", "", "", "", "<NA>", "NaT", "", "", "a"]
    assert map_each(repr, values).tolist() == [repr(v) for v in values]


def test_equal_numbers_of_different_types_are_not_merged():
    # 1 == 1.0 == True, yet their texts differ: such columns are mapped value by value
    values = [1, 1.0, True, "1", None, np.int64(1)]
    assert map_each(_strip, values).tolist() == ["1", "1.0", "True", "1", "", "1"]
    floats = np.array([0.0, -0.0, np.nan, 2.0])
    assert map_each(repr, floats).tolist() == ["0.0", "-0.0", "nan", "2.0"]


def test_integer_arrays_give_python_values_and_dtype_is_applied():
    grades = np.array([0, 1, 2, 2, 5], dtype=np.int8)
    assert map_each(lambda g: type(g).__name__ + str(g), grades).tolist() == \
        ["int0", "int1", "int2", "int2", "int5"]
    got = map_each(lambda g: g > 1, grades, bool)
    assert got.dtype == bool and got.tolist() == [False, False, True, True, True]
    assert map_each(float, np.array([], dtype=np.int8), float).dtype == float


def test_tuples_are_values_and_results_may_be_tuples():
    pairs = [(1, 2), (1, 2), (3, 4)]
    assert map_each(lambda p: p[0] + p[1], pairs).tolist() == [3, 3, 7]
    got = map_each(lambda v: (v, v), ["a", None, "a"])
    assert got.tolist() == [("a", "a"), (None, None), ("a", "a")]
