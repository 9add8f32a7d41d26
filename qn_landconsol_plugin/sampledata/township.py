"""The generator's pipeline: plan the site, model the terrain, tessellate the parcels,
give them 三调 attributes, draw the other layers and write the files.

Everything is drawn from one numpy Generator, so a seed and a parcel count give
byte-identical files under one GEOS release (see the package docstring for what another
release may change). Only numpy, scipy, shapely and GDAL/OGR are used.
"""
from __future__ import annotations

import os

import numpy as np
import shapely
from osgeo import ogr

from ..core.areas import ellipsoidal_area
from ..core.land_classes import FARMLAND_CODES
from ..core.units import m2_to_mu
from .attributes import (assign_groups, assign_land_use, dltb_records, parcel_order,
                         renumber_ids, reorder)
from .buildings import building_footprints
from .gdal_env import EPSG, gdal_context, remove_files
from .households import write_households
from .layers import basic_farmland, red_line, urban_boundary, village_layer
from .parcels import rasterize_ids, tessellate, zonal_terrain
from .site import plan_site
from .terrain import basin_field, grid_for, karst_dem, sample_coarse
from .writers import (as_multi, building_fields, dltb_fields, str_fields, write_dem,
                      write_gpkg)


FIXED_DATE = "2025-01-01T00:00:00.000Z"


class GenerationCanceled(Exception):
    """Raised when is_canceled() turns true; no output file is left behind."""


class Steps:
    """Progress reporting and cancellation checks."""

    def __init__(self, progress, is_canceled):
        self.progress = progress
        self.is_canceled = is_canceled

    def check(self):
        if self.is_canceled is not None and self.is_canceled():
            raise GenerationCanceled("sample township generation canceled")

    def __call__(self, percent, message):
        self.check()
        if self.progress is not None:
            self.progress(float(percent), message)


def generate(out_dir, n_parcels=3000, seed=1, progress=None, is_canceled=None) -> dict:
    """Write township.gpkg, dem.tif and households.csv into out_dir; return their paths."""
    if n_parcels < 100:
        raise ValueError("n_parcels must be at least 100")
    steps = Steps(progress, is_canceled)
    rng = np.random.default_rng(seed)
    os.makedirs(out_dir, exist_ok=True)
    names = {"gpkg": "township.gpkg", "dem": "dem.tif", "households": "households.csv"}
    paths = {k: os.path.join(out_dir, v) for k, v in names.items()}
    tmp = {k: os.path.join(out_dir, f".{v}.part{os.path.splitext(v)[1]}") for k, v in names.items()}
    try:
        with gdal_context(OGR_CURRENT_DATE=FIXED_DATE, GDAL_PAM_ENABLED="NO"):
            build(rng, int(n_parcels), tmp, steps)
        for key in ("dem", "households", "gpkg"):
            os.replace(tmp[key], paths[key])
    except BaseException:
        remove_files(tmp.values())
        raise
    if progress is not None:
        progress(100.0, "done")
    return paths


def summarize(gpkg_path) -> dict:
    """Parcel count, total and farmland area (m²) of the dltb layer of a generated GeoPackage."""
    with gdal_context():
        ds = ogr.Open(str(gpkg_path))
        lyr = ds.GetLayerByName("dltb")
        total = farmland = 0.0
        count = 0
        for feat in lyr:
            area = feat.GetFieldAsDouble("TBMJ")
            total += area
            count += 1
            if feat.GetFieldAsString("DLBM") in FARMLAND_CODES:
                farmland += area
        villages = ds.GetLayerByName("cun").GetFeatureCount()
        ds = None
    return {"parcels": count, "villages": villages, "area_m2": total, "area_km2": total / 1e6,
            "area_mu": m2_to_mu(total), "farmland_m2": farmland,
            "farmland_share": farmland / total if total else 0.0}


def build(rng, n_parcels, tmp, steps):
    """All stages in order; writes the three temp files."""
    steps(0, "planning the township layout")
    site = plan_site(rng, n_parcels)
    steps(5, "modelling karst terrain")
    grid = grid_for(site.boundary)
    basin = basin_field(rng, site, grid)
    dem = karst_dem(rng, grid, basin, steps)
    steps(20, "writing the DEM")
    write_dem(tmp["dem"], grid, dem)
    steps(25, "tessellating parcels")
    parcels = tessellate(rng, site, grid, basin, n_parcels, steps)
    steps(45, "computing parcel slope and elevation")
    ids = rasterize_ids(parcels.geoms, grid)
    parcels.slope, parcels.elev = zonal_terrain(dem, ids, parcels.geoms, grid, steps)
    parcels.basin = sample_coarse(basin, grid, shapely.get_coordinates(
        shapely.point_on_surface(parcels.geoms)))
    del dem
    steps(55, "assigning land use")
    parcels.area = np.round(_ellipsoidal_areas(parcels.geoms), 2)     # TBMJ
    parcels.code = assign_land_use(rng, parcels)
    assign_groups(rng, parcels)
    order = parcel_order(parcels)
    reorder(parcels, order)
    ids = renumber_ids(ids, order)
    records = dltb_records(rng, site, parcels)
    steps(62, "drawing control lines")
    urban = urban_boundary(rng, site)
    red = red_line(rng, site, grid, basin)
    pbf = basic_farmland(rng, site, grid, parcels, ids, red, urban)
    del ids
    steps(70, "village boundaries and buildings")
    villages = village_layer(site, parcels)
    buildings = building_footprints(rng, parcels)
    steps(78, "household survey")
    write_households(tmp["households"], rng, records, parcels.geoms, buildings)
    steps(80, "writing the GeoPackage")
    layers = [("dltb", as_multi(parcels.geoms), dltb_fields(), records),
              ("stbhhx", red[0], str_fields(("HXMC", 100), ("HXLX", 20)), red[1]),
              ("yjjbnt", pbf[0], str_fields(("JBNTBH", 30)), pbf[1]),
              ("czkfbj", urban[0], str_fields(("KFBJMC", 100)), urban[1]),
              ("cun", villages[0], str_fields(("CUNDM", 12), ("CUNMC", 50), ("XZDM", 9),
                                               ("XZMC", 50)), villages[1]),
              ("buildings", buildings[0], building_fields(), buildings[1])]
    write_gpkg(tmp["gpkg"], layers, steps)


def _ellipsoidal_areas(geoms, chunk=20000) -> np.ndarray:
    """core.areas.ellipsoidal_area of the parcels, a chunk at a time: the same figures,
    but a county's parcels no longer hold ~0.7 GB of transformed points at once."""
    return np.concatenate([ellipsoidal_area(geoms[i:i + chunk], EPSG)
                           for i in range(0, len(geoms), chunk)] or [np.zeros(0)])
