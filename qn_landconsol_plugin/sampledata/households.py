"""The household survey table (农户调查表) keyed by the homesteads' BSM."""
from __future__ import annotations

import csv

import numpy as np
import shapely

from .site import COUNTY_CODE


SURNAMES = "罗王杨吴陈张李刘黄韦潘蒙石龙莫周赵孙何胡邓冯宋岑熊谢朱唐陆雷"
GIVEN = "明华国建文光学正永德富贵昌兴祥芳英秀兰梅成发林平忠志家金海春云福寿"


def write_households(path, rng, records, geoms, buildings):
    """households.csv (UTF-8 with BOM): most homesteads plus a few unmatched keys."""
    homes = np.flatnonzero(records["DLBM"] == "0702")
    keys = records["BSM"][homes]
    occupied = _homes_with_living_house(geoms[homes], *buildings)
    pick = rng.random(len(homes)) < 0.92
    rows = []
    for key, occ in zip(keys[pick], occupied[pick]):
        residents = int(rng.choice(np.arange(1, 8), p=[.12, .2, .22, .2, .14, .08, .04])) if occ \
            else int(rng.random() < 0.2)
        kwh = (200 + 350 * residents * rng.lognormal(0, 0.35)) if residents else rng.uniform(0, 120)
        rows.append([key, _person_name(rng), residents, int(round(kwh))])
    n_bad = max(3, len(rows) // 100)
    last = len(records["BSM"])
    for i in range(n_bad):
        fake = f"{COUNTY_CODE}21{last + 1000 + i * 7:010d}"
        rows.append([fake, _person_name(rng), int(rng.integers(0, 5)), int(rng.integers(0, 3000))])
    rows = [rows[i] for i in rng.permutation(len(rows))]
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["HH_BSM", "HZXM", "CZRK", "NYDL"])
        writer.writerows(rows)


def _homes_with_living_house(geoms, rects, attrs) -> np.ndarray:
    """Whether each homestead holds the centroid of a house (≥ 40 m²) neither 空置 nor 倒塌."""
    living = (shapely.area(rects) >= 40) & ~np.isin(attrs["FWZT"], ["空置", "倒塌"])
    tree = shapely.STRtree(geoms)
    pts = shapely.centroid(rects[living])
    _, home_idx = tree.query(pts, predicate="within")
    out = np.zeros(len(geoms), bool)
    out[home_idx] = True
    return out


def _person_name(rng) -> str:
    """A Chinese personal name: a common local surname and one or two given characters."""
    given = "".join(rng.choice(list(GIVEN), size=int(rng.integers(1, 3))))
    return str(rng.choice(list(SURNAMES))) + given
