"""CGCS2000 3° Gauss–Krüger zones: zone from a longitude, an EPSG code, a PROJ
string or a zone-prefixed easting, and the EPSG code of a zone; where Qiannan's
coordinates lie (REFERENCE §4), the one definition every check of it uses."""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

CGCS2000_GEOGRAPHIC_EPSG = 4490
# EPSG:4513..4533 = CGCS2000 / 3-degree GK zone 25..45 (easting with zone prefix)
_PREFIXED_FIRST_EPSG, _FIRST_ZONE, _LAST_ZONE = 4513, 25, 45
# EPSG:4534..4554 = CGCS2000 / 3-degree GK CM 75E..135E (no zone prefix)
_PLAIN_FIRST_EPSG = 4534
FALSE_EASTING = 500_000.0
# REFERENCE §4: Qiannan Prefecture in zone 36 with prefix (EPSG:4524), its sanity ranges
QIANNAN_ZONE = 36
QIANNAN_EASTING = (36_318_000.0, 36_530_000.0)
QIANNAN_NORTHING = (2_767_000.0, 3_043_000.0)


@dataclass(frozen=True)
class GKZone:
    zone: int
    prefixed: bool  # easting carries the zone number (e.g. 36 500 000)

    @property
    def central_meridian(self) -> float:
        return 3.0 * self.zone

    @property
    def epsg(self) -> int:
        return cgcs2000_gk_epsg(self.zone, self.prefixed)

    @property
    def false_easting(self) -> float:
        return self.zone * 1_000_000.0 + FALSE_EASTING if self.prefixed else FALSE_EASTING


def gk3_zone_from_longitude(lon: float) -> int:
    """3° zone number whose central meridian (3·n °E) is nearest to lon: 107.3°E -> 36."""
    if not -180.0 <= lon <= 360.0:
        raise ValueError(f"longitude out of range: {lon}")
    return int((lon + 1.5) // 3.0)


def cgcs2000_gk_epsg(zone: int, prefixed: bool = True) -> int:
    """EPSG code of CGCS2000 3° GK zone: 36 -> 4524 with prefix, 4545 without."""
    if not _FIRST_ZONE <= zone <= _LAST_ZONE:
        raise ValueError(f"no CGCS2000 3-degree GK EPSG code for zone {zone} "
                         f"(China spans zones {_FIRST_ZONE}..{_LAST_ZONE})")
    first = _PREFIXED_FIRST_EPSG if prefixed else _PLAIN_FIRST_EPSG
    return first + zone - _FIRST_ZONE


def cgcs2000_gk_epsg_for_longitude(lon: float, prefixed: bool = True) -> int:
    return cgcs2000_gk_epsg(gk3_zone_from_longitude(lon), prefixed)


def zone_from_epsg(epsg) -> GKZone | None:
    """GKZone of a CGCS2000 3° GK EPSG code (int or 'EPSG:4545'), None for others."""
    if isinstance(epsg, str):
        m = re.fullmatch(r"\s*(?:EPSG:)?(\d+)\s*", epsg, re.I)
        if not m:
            return None
        epsg = int(m.group(1))
    n_zones = _LAST_ZONE - _FIRST_ZONE + 1
    if _PREFIXED_FIRST_EPSG <= epsg < _PREFIXED_FIRST_EPSG + n_zones:
        return GKZone(_FIRST_ZONE + epsg - _PREFIXED_FIRST_EPSG, True)
    if _PLAIN_FIRST_EPSG <= epsg < _PLAIN_FIRST_EPSG + n_zones:
        return GKZone(_FIRST_ZONE + epsg - _PLAIN_FIRST_EPSG, False)
    return None


def zone_from_proj(proj: str) -> GKZone | None:
    """GKZone of a transverse-Mercator PROJ string with a 3° central meridian
    (any datum: Beijing 1954 and Xi'an 1980 GK grids are read the same way)."""
    if "+proj=tmerc" not in proj:
        return None
    lon0 = re.search(r"\+lon_0=([-\d.]+)", proj)
    x0 = re.search(r"\+x_0=([-\d.]+)", proj)
    k = re.search(r"\+k(?:_0)?=([-\d.]+)", proj)
    if not lon0 or (k and abs(float(k.group(1)) - 1.0) > 1e-9):
        return None
    cm = float(lon0.group(1))
    if abs(cm / 3.0 - round(cm / 3.0)) > 1e-9:
        return None
    zone = int(round(cm / 3.0))
    false_easting = float(x0.group(1)) if x0 else 0.0
    if abs(false_easting - (zone * 1_000_000 + FALSE_EASTING)) < 1e-3:
        return GKZone(zone, True)
    if abs(false_easting - FALSE_EASTING) < 1e-3:
        return GKZone(zone, False)
    return None


def zone_from_crs(authid: str = "", proj: str = "") -> GKZone | None:
    """GKZone from a CRS's authority id and/or PROJ string (whichever tells)."""
    return (zone_from_epsg(authid) if authid else None) or (zone_from_proj(proj) if proj else None)


def zone_from_easting(easting: float) -> int | None:
    """Zone number carried by a zone-prefixed easting (36 512 345.6 -> 36), None
    when the easting has no prefix (6 digits before the decimal point)."""
    e = abs(float(easting))
    if e < 1_000_000:
        return None
    return int(e // 1_000_000)


def cgcs2000_zone(authid: str = "", proj: str = "") -> GKZone | None:
    """GKZone when a CRS is a CGCS2000 3° GK zone: its EPSG code (4513–4554), or a
    transverse-Mercator PROJ string on the GRS80 ellipsoid without a datum shift."""
    zone = zone_from_epsg(authid) if authid else None
    if zone is not None:
        return zone
    if "+ellps=GRS80" in proj and "towgs84" not in proj:
        return zone_from_proj(proj)
    return None


def declaration_zone(layer_zone: GKZone | None, centre_lon: float) -> int:
    """The 3° zone a declaration is written in: the layer's own CGCS2000 zone, else the
    zone of the project's centre (REFERENCE §4)."""
    return layer_zone.zone if layer_zone is not None else gk3_zone_from_longitude(centre_lon)


def prefix_shift(from_zone: GKZone | None, zone: int) -> float | None:
    """The easting offset that turns coordinates of `from_zone` into zone `zone` with its
    prefix, when that is all that differs (same zone, no prefix yet); else None."""
    if from_zone is not None and from_zone.zone == zone and not from_zone.prefixed:
        return zone * 1_000_000.0
    return None


def in_qiannan(easting, northing) -> np.ndarray:
    """Whether zone-36 coordinates with prefix (to_qiannan_zone) lie within Qiannan's
    ranges (REFERENCE §4); NaN is outside."""
    e, n = np.asarray(easting, float), np.asarray(northing, float)
    return (e >= QIANNAN_EASTING[0]) & (e <= QIANNAN_EASTING[1]) & \
        (n >= QIANNAN_NORTHING[0]) & (n <= QIANNAN_NORTHING[1])


def to_qiannan_zone(x, y, epsg: int):
    """(eastings, northings) in zone 36 with prefix of points given in EPSG `epsg` (x the
    easting or longitude, y the northing or latitude): zone 36 without prefix by an exact
    shift, any other CRS through PROJ (osgeo.osr); NaN where PROJ cannot place a point."""
    x, y = np.atleast_1d(np.asarray(x, float)), np.atleast_1d(np.asarray(y, float))
    target = cgcs2000_gk_epsg(QIANNAN_ZONE, True)
    zone = zone_from_epsg(epsg)
    if int(epsg) == target:
        return x, y
    if zone is not None and zone.zone == QIANNAN_ZONE:
        return x + QIANNAN_ZONE * 1_000_000.0, y
    from osgeo import osr

    def srs(code):
        s = osr.SpatialReference()
        s.ImportFromEPSG(int(code))
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        return s

    ct = osr.CoordinateTransformation(srs(epsg), srs(target))
    with np.errstate(all="ignore"), quiet_gdal():
        out = np.asarray(ct.TransformPoints(np.column_stack([x, y])), dtype=float)
    bad = ~np.isfinite(out[:, :2]).all(axis=1) | (np.abs(out[:, :2]) > 1e12).any(axis=1)
    out[bad, :2] = np.nan
    return out[:, 0], out[:, 1]


@contextmanager
def quiet_gdal():
    """GDAL's own error printing off (a point outside a projection's domain is a finding
    here, not a message on stderr)."""
    from osgeo import gdal

    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        yield
    finally:
        gdal.PopErrorHandler()
