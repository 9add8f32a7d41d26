"""qnlandconsol:exportdeclaration — 导出申报成果 (declaration package per project):
报部格式 TXT, GeoPackage, 项目区范围图 PDF/PNG and the 地类统计表 xlsx."""
import datetime
import os
import re
import tempfile

import numpy as np
import pandas as pd
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeatureSource,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProject,
    QgsRectangle,
    QgsSingleSymbolRenderer,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ..core import areas as area_calc
from ..core import crs as gk
from ..core import declaration_stats as stats
from ..core import declaration_txt as txt
from ..core import land_classes as lc
from ..core import project_boundary as pb
from ..core.fields import FieldSpec, find_field
from ..core.reports import declaration as declaration_report
from ..core.rules import Rules
from ..core.units import m2_to_ha, m2_to_mu
from .base import QnAlgorithm
from .parcel_io import as_shapely, read_layer, repair_polygons, table_fields

try:  # the control-line core (三区三线); optional
    from ..core import control_lines
except ImportError:  # pragma: no cover - present in the plugin
    control_lines = None

PRECISIONS = ("0.01", "0.001", "0.0001")
ENCODINGS = ("GBK", "UTF-8")
PAGE_KEYS = ("A3L", "A4L", "A3P", "A4P")
PARCEL_COLUMNS = ("DLBM", "TBMJ", "KCMJ", "KCXS", "GDPDJB", "ZZLX", "ZZZLX", "XMBH", "XMMC", "SSND")
LAND_USE = "全域土地综合整治"

BOUNDARY_FIELDS = (
    FieldSpec("XMBH", "str", 30, "项目编号"),
    FieldSpec("XMMC", "str", 100, "项目名称"),
    FieldSpec("DKBH", "str", 40, "地块编号"),
    FieldSpec("DKMC", "str", 120, "地块名称"),
    FieldSpec("TFH", "str", 12, "图幅号"),
    FieldSpec("JZDS", "int", 8, "界址点数"),
    FieldSpec("QS", "int", 4, "圈数"),
    FieldSpec("DH", "int", 2, "带号"),
    FieldSpec("TQMJ", "float", 19, "椭球面积（平方米）", 2),
    FieldSpec("PMMJ", "float", 19, "平面面积（平方米）", 2),
    FieldSpec("MJ_MU", "float", 19, "面积（亩）", 4),
    FieldSpec("MJ_GQ", "float", 19, "面积（公顷）", 4),
    FieldSpec("TXT_GQ", "float", 19, "TXT地块面积（公顷）", 4),
)
LAND_TABLE_FIELDS = (
    FieldSpec("DLBM", "str", 5, "地类编码"), FieldSpec("DLMC", "str", 60, "地类名称"),
    FieldSpec("YJL", "str", 20, "一级类"), FieldSpec("SDL", "str", 10, "三大类"),
    FieldSpec("MJ", "float", 19, "面积（平方米）", 2), FieldSpec("MJ_MU", "float", 19, "面积（亩）", 4),
    FieldSpec("MJ_GQ", "float", 19, "面积（公顷）", 4), FieldSpec("BL", "float", 8, "占比（%）", 2),
)
TASK_TABLE_FIELDS = (
    FieldSpec("ZZLX", "str", 8, "整治类型"), FieldSpec("ZZZLX", "str", 10, "整治子类型"),
    FieldSpec("MC", "str", 60, "名称"), FieldSpec("TBS", "int", 10, "图斑数"),
    FieldSpec("MJ", "float", 19, "面积（平方米）", 2), FieldSpec("MJ_MU", "float", 19, "面积（亩）", 4),
    FieldSpec("MJ_GQ", "float", 19, "面积（公顷）", 4),
    FieldSpec("XZGD_MU", "float", 19, "新增耕地（亩）", 4),
)
NEW_FARMLAND_FIELDS = (
    FieldSpec("XM", "str", 60, "项目"), FieldSpec("MJ", "float", 19, "面积（平方米）", 2),
    FieldSpec("MJ_MU", "float", 19, "面积（亩）", 4), FieldSpec("MJ_GQ", "float", 19, "面积（公顷）", 4),
    FieldSpec("SM", "str", 120, "说明"),
)
ISSUE_FIELDS = (
    FieldSpec("JB", "str", 4, "级别"), FieldSpec("LX", "str", 20, "类型"),
    FieldSpec("LXMC", "str", 30, "类型名称"), FieldSpec("SM", "str", 254, "说明"),
    FieldSpec("MJ", "float", 19, "面积（平方米）", 2),
)


class _Unchecked:
    """A feature source read without Processing's invalid-geometry filter: invalid
    parcels are reported and repaired, not dropped."""

    def __init__(self, source):
        self._source = source

    def getFeatures(self, request=None):  # noqa: N802
        return self._source.getFeatures(request or QgsFeatureRequest(),
                                        QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)

    def __getattr__(self, name):
        return getattr(self._source, name)


class _ZoneShift:
    """Plain GK eastings to the same zone with its prefix: an exact shift of x."""

    def __init__(self, dx: float):
        self.dx = dx

    def inverse(self):
        return _ZoneShift(-self.dx)


def safe_file_name(text: str) -> str:
    """A project number usable as a file name (\\/:*?"<>| replaced)."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", str(text)).strip("_") or "project"


def _is_cgcs2000_gk(crs: QgsCoordinateReferenceSystem):
    """GKZone when the CRS is a CGCS2000 3° GK zone (EPSG 4513–4554 or an equal PROJ)."""
    zone = gk.zone_from_epsg(crs.authid()) if crs.authid() else None
    if zone is not None:
        return zone
    proj = crs.toProj()
    if "+ellps=GRS80" in proj and "towgs84" not in proj:
        return gk.zone_from_proj(proj)
    return None


class ExportDeclarationAlgorithm(QnAlgorithm):
    NAME = "exportdeclaration"
    GROUP_ID = "declaration"
    INPUT, PROJECT_FIELD, PROJECTS = "INPUT", "PROJECT_FIELD", "PROJECTS"
    GAP_TOLERANCE, MIN_HOLE_AREA, RED_LINE = "GAP_TOLERANCE", "MIN_HOLE_AREA", "RED_LINE"
    UNIT, DATE, PRECISION, ENCODING = "UNIT", "DATE", "PRECISION", "ENCODING"
    MAP, PAGE, OUTPUT_FOLDER = "MAP", "PAGE", "OUTPUT_FOLDER"

    def displayName(self):  # noqa: N802
        return self.tr("Export declaration package (TXT, GeoPackage, map, statistics)")

    def groupName(self):  # noqa: N802
        return self.tr("Declaration")

    def tags(self):
        return self.tr("declaration,export,boundary,TXT,coordinates,map,PDF,statistics,"
                       "申报,报部格式,项目区范围图").split(",")

    def flags(self):
        # the print layout renders fonts and maps: run in the main thread
        return super().flags() | QgsProcessingAlgorithm.FlagNoThreading

    def shortHelpString(self):  # noqa: N802
        return self.tr(
            "For each project (parcels sharing a project number, field XMBH), dissolves the tagged "
            "parcels into the project boundary (gaps narrower than the gap tolerance closed, holes "
            "smaller than the minimum hole area filled), checks it, and writes into the output "
            "folder:\n"
            "- <XMBH>_范围.txt: the boundary in the ministry's coordinate exchange format "
            "(报部格式): one 地块 per boundary part, rings numbered by 圈号 (1 outer, 2.. holes), "
            "outer rings clockwise from the north-west corner, holes counter-clockwise, each ring "
            "closed by repeating its first point, X northing and Y easting with the zone prefix, "
            "area in hectares (4 decimals) equal to the area of the coordinates as written, CRLF, "
            "GBK by default;\n"
            "- <XMBH>.gpkg: boundary (ellipsoidal and planar areas, 亩, 公顷), the tagged parcels, "
            "statistics tables and the check results;\n"
            "- <XMBH>_项目区范围图.pdf and .png: the declaration map from the layout template;\n"
            "- <XMBH>_地类统计表.xlsx: areas by 三调 land class inside the boundary (before "
            "consolidation), by task type, and the new farmland.\n\n"
            "Coordinates are in the CGCS2000 3-degree Gauss-Krüger zone of the layer's CRS; a layer "
            "in any other CRS is transformed to the zone of each project's centre. Errors (no "
            "parcels, overlaps between projects or between a project's own parcels, a boundary "
            "area that the gap tolerance does not explain) stop that project's export; warnings "
            "(invalid parcels repaired, multipart boundary, holes, red-line conflicts, a project "
            "spanning two zones) are reported in the log and the GeoPackage.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Tagged parcels"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterField(
            self.PROJECT_FIELD, self.tr("Project number field"), "XMBH", self.INPUT,
            QgsProcessingParameterField.Any, optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.PROJECTS, self.tr("Projects to export (comma-separated project numbers; empty = all)"),
            "", optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.GAP_TOLERANCE, self.tr("Gap tolerance (m): gaps narrower than this are closed"),
            QgsProcessingParameterNumber.Double, 0.1, minValue=0.0, maxValue=50.0))
        self.addParameter(QgsProcessingParameterNumber(
            self.MIN_HOLE_AREA, self.tr("Minimum hole area (m²): smaller holes are filled"),
            QgsProcessingParameterNumber.Double, 1.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.RED_LINE, self.tr("Ecological red line (optional check)"),
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.UNIT, self.tr("Producing unit (数据产生单位)"), "", optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.DATE, self.tr("Date (YYYY-MM-DD, empty = today)"), "", optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.PRECISION, self.tr("Coordinate precision (m)"), list(PRECISIONS), defaultValue=2))
        self.addParameter(QgsProcessingParameterEnum(
            self.ENCODING, self.tr("TXT encoding"), list(ENCODINGS), defaultValue=0))
        self.addParameter(QgsProcessingParameterBoolean(
            self.MAP, self.tr("Make the declaration map (PDF and PNG)"), True))
        self.addParameter(QgsProcessingParameterEnum(
            self.PAGE, self.tr("Map page"),
            [self.tr("A3 landscape"), self.tr("A4 landscape"), self.tr("A3 portrait"),
             self.tr("A4 portrait")], defaultValue=0))
        self.addParameter(QgsProcessingParameterFolderDestination(
            self.OUTPUT_FOLDER, self.tr("Output folder")))
        self.addOutput(QgsProcessingOutputNumber("EXPORTED", self.tr("Projects exported")))
        self.addOutput(QgsProcessingOutputNumber("FAILED", self.tr("Projects not exported")))
        self.addOutput(QgsProcessingOutputString("FILES", self.tr("Files written")))
        self.addOutput(QgsProcessingOutputMultipleLayers("BOUNDARIES", self.tr("Project boundaries")))

    # ------------------------------------------------------------------ run
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        self._check_folder(folder)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        field = self.parameterAsString(parameters, self.PROJECT_FIELD, context) or "XMBH"
        actual = find_field(source.fields().names(), field)
        if actual is None:
            raise QgsProcessingException(
                self.tr("Field {0} not found in the parcel layer: tag the parcels with a project "
                        "number (XMBH) first.").format(field))
        opts = dict(
            tol=self.parameterAsDouble(parameters, self.GAP_TOLERANCE, context),
            min_hole=self.parameterAsDouble(parameters, self.MIN_HOLE_AREA, context),
            unit=self.parameterAsString(parameters, self.UNIT, context).strip(),
            date=self.parameterAsString(parameters, self.DATE, context).strip()
            or datetime.date.today().isoformat(),
            precision=PRECISIONS[self.parameterAsEnum(parameters, self.PRECISION, context)],
            encoding=ENCODINGS[self.parameterAsEnum(parameters, self.ENCODING, context)],
            make_map=self.parameterAsBool(parameters, self.MAP, context),
            page=PAGE_KEYS[self.parameterAsEnum(parameters, self.PAGE, context)],
        )
        wanted = [p.strip() for p in re.split(r"[,;，；]", self.parameterAsString(
            parameters, self.PROJECTS, context) or "") if p.strip()]

        optional = tuple(dict.fromkeys(PARCEL_COLUMNS + (actual,)))
        layer = read_layer(_Unchecked(source), context, feedback, self.tr("Tagged parcels"),
                           optional=optional, progress=(0.0, 10.0))
        codes = layer.table[actual].map(lambda v: "" if v is None else str(v).strip()) \
            if actual in layer.table else pd.Series([""] * len(layer))
        codes = codes.to_numpy(dtype=object)
        present = sorted({c for c in codes if c})
        if not present:
            raise QgsProcessingException(
                self.tr("No parcel has a project number in field {0}: tag parcels with the "
                        "consolidation dock (XMBH, XMMC) before exporting.").format(actual))
        projects = present
        if wanted:
            missing = [p for p in wanted if p not in present]
            for p in missing:
                feedback.reportError(self.tr("No parcels are tagged for project {0} (field {1}); "
                                             "nothing exported for it.").format(p, actual))
            projects = [p for p in wanted if p in present]
            if not projects:
                raise QgsProcessingException(
                    self.tr("None of the requested projects has tagged parcels: {0}. Projects in "
                            "the layer: {1}").format(", ".join(wanted), ", ".join(present[:20])))
        raw_valid = shapely.is_valid(as_shapely([f.geometry() for f in layer.features]))
        raw_valid = np.where(shapely.is_missing(layer.geoms), True, raw_valid)

        red = None
        if parameters.get(self.RED_LINE):
            red_source = self.parameterAsSource(parameters, self.RED_LINE, context)
            if red_source is not None:
                red = read_layer(_Unchecked(red_source), context, feedback,
                                 self.tr("Ecological red line"), crs=layer.crs,
                                 progress=(10.0, 12.0)).geoms

        self._overview_hull = None
        self._tree = shapely.STRtree(layer.geoms)
        self._codes = codes
        by_project = {p: np.flatnonzero(codes == p) for p in present}
        exported, failed, files, boundaries = 0, 0, [], []
        n = len(projects)
        for k, project in enumerate(projects):
            if feedback.isCanceled():
                break
            feedback.setProgressText(self.tr("Project {0} ({1}/{2})").format(project, k + 1, n))
            lo, hi = 12.0 + 88.0 * k / n, 12.0 + 88.0 * (k + 1) / n
            result = self._export_project(project, by_project[project], layer, raw_valid, red, folder, opts, context, feedback, (lo, hi))
            if result is None:
                failed += 1
            else:
                exported += 1
                files.extend(result["files"])
                boundaries.append(result["boundary"])
                name = self.tr("{0} project boundary").format(project)
                context.addLayerToLoadOnCompletion(
                    result["boundary"], QgsProcessingContext.LayerDetails(
                        name, context.project(), "BOUNDARIES"))
            feedback.setProgress(hi)
        feedback.pushInfo(self.tr("{0} project(s) exported, {1} not exported, into {2}")
                          .format(exported, failed, folder))
        return {self.OUTPUT_FOLDER: folder, "EXPORTED": exported, "FAILED": failed,
                "FILES": ";".join(files), "BOUNDARIES": boundaries}

    def _check_folder(self, folder):
        if not folder:
            raise QgsProcessingException(self.tr("No output folder given."))
        try:
            os.makedirs(folder, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".qn_write_test_"):
                pass
        except OSError as err:
            raise QgsProcessingException(
                self.tr("The output folder is not writable: {0} ({1})").format(folder, err)) from None

    # ------------------------------------------------------------------ one project
    def _export_project(self, project, idx, layer, raw_valid, red, folder, opts,
                        context, feedback, progress):
        rules = Rules()
        table = layer.table.iloc[idx].reset_index(drop=True)
        geoms = layer.geoms[idx]
        xmmc = next((str(v).strip() for v in table.get("XMMC", pd.Series(dtype=object))
                     if v is not None and str(v).strip()), project)

        # target CRS: the layer's CGCS2000 GK zone (with prefix), else the centre's zone
        zone_of_crs = _is_cgcs2000_gk(layer.source_crs)
        to_geo = QgsCoordinateTransform(layer.crs, QgsCoordinateReferenceSystem("EPSG:4490"),
                                        context.transformContext())
        bounds = shapely.total_bounds(geoms)
        corners = [to_geo.transform(x, y) for x in bounds[0::2] for y in bounds[1::2]]
        lons = [c.x() for c in corners]
        centre_lon = to_geo.transform((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2).x()
        zone = zone_of_crs.zone if zone_of_crs is not None else gk.gk3_zone_from_longitude(centre_lon)
        target = QgsCoordinateReferenceSystem(f"EPSG:{gk.cgcs2000_gk_epsg(zone, True)}")

        issues = []
        if zone_of_crs is None:
            issues.append(pb.Issue(pb.WARNING, "CRS",
                                   f"图层坐标系 {layer.source_crs.authid() or layer.source_crs.description()} "
                                   f"不是 CGCS2000 3 度带，项目 {project} 按其中心所在的 {zone} 带"
                                   f"（{target.authid()}）转换写出"))
        span = pb.zone_issue(project, min(lons), max(lons), zone)
        if span is not None:
            issues.append(span)

        # everything in the declaration CRS, the boundary snapped to the written precision
        grid = float(opts["precision"])
        transform = None
        if layer.crs != target:
            same = _is_cgcs2000_gk(layer.crs)
            if same is not None and same.zone == zone and not same.prefixed:
                transform = _ZoneShift(zone * 1_000_000.0)   # exact: only the prefix is added
            else:
                transform = QgsCoordinateTransform(layer.crs, target, context.transformContext())
        parcels_t = self._transformed(geoms, transform)
        boundary = pb.dissolve(parcels_t, opts["tol"], opts["min_hole"], grid=grid)
        window = shapely.buffer(shapely.box(*bounds), max(opts["tol"], 1.0))
        near = self._tree.query(window, predicate="intersects")
        others = {}
        for p in sorted({self._codes[j] for j in near} - {"", project}):
            others[p] = self._transformed(layer.geoms[near[self._codes[near] == p]], transform)
        issues += pb.check_project(project, parcels_t, raw_valid[idx], boundary, opts["tol"],
                                   others, rules, grid=grid)
        if red is not None and len(red):
            issues += self._red_line(project, geoms, table, red, rules)
        self._log_issues(project, issues, feedback)
        if any(i.level == pb.ERROR for i in issues):
            feedback.reportError(self.tr("Project {0} not exported: fix the errors above first.")
                                 .format(project))
            return None
        boundary_t = boundary.geometry

        base = safe_file_name(project)
        files = []
        decimals = txt.decimals_of(opts["precision"])
        txt_parcels = txt.parcels_from_geometry(boundary_t, code=project, name=xmmc, use=LAND_USE,
                                                decimals=decimals)
        for p in txt_parcels:
            c = p.polygon().representative_point()
            lon, lat = area_calc.to_lonlat([c.x], [c.y], target.authid())
            p.sheet = txt.sheet_number_10000(float(lon[0]), float(lat[0]))
        header = txt.TxtHeader(unit=opts["unit"], date=opts["date"], zone=zone,
                               precision=opts["precision"])
        txt_path = os.path.join(folder, f"{base}_范围.txt")
        try:
            txt.write_txt(txt_path, header, txt_parcels, opts["encoding"])
        except UnicodeEncodeError as err:
            feedback.reportError(self.tr("Project {0}: text not representable in {1}: {2}")
                                 .format(project, opts["encoding"], err))
            return None
        files.append(txt_path)
        feedback.pushInfo(self.tr("Project {0}: {1} block(s), {2} boundary points, {3:.4f} ha "
                                  "written to {4}").format(
            project, len(txt_parcels), sum(p.point_count for p in txt_parcels),
            sum(p.area_ha for p in txt_parcels), txt_path))
        if feedback.isCanceled():
            return None

        # statistics inside the boundary (all parcels of the layer, by share inside)
        land = self._land_table(layer, boundary_t, window, transform)
        task_frame = table.copy()
        task_frame["TBMJ"] = self._official_area(table, geoms, layer)
        task = stats.task_type_areas(task_frame, rules)
        farmland = float(land.loc[land["DLBM"].isin(lc.FARMLAND_CODES), "MJ"].sum())
        new = stats.new_farmland_summary(task_frame, farmland, rules)
        xlsx_path = os.path.join(folder, f"{base}_地类统计表.xlsx")
        title = f"{xmmc}（{project}）"
        declaration_report.write_tables(xlsx_path, title, [
            ("地类统计", "项目区地类统计表（整治前）", land, stats.LAND_CLASS_COLUMNS),
            ("整治类型统计", "整治任务类型统计表", task, stats.TASK_COLUMNS),
            ("新增耕地", "新增耕地统计表", new, stats.NEW_FARMLAND_COLUMNS),
        ], stats.project_outcome(task_frame, rules=rules), rules)
        files.append(xlsx_path)

        # GeoPackage
        gpkg = os.path.join(folder, f"{base}.gpkg")
        self._write_gpkg(gpkg, project, xmmc, zone, txt_parcels, target, layer, idx, parcels_t,
                         land, task, new, issues, context)
        files.append(gpkg)
        boundary_uri = f"{gpkg}|layername=xmfw"

        if opts["make_map"] and not feedback.isCanceled():
            pdf = os.path.join(folder, f"{base}_项目区范围图.pdf")
            png = os.path.join(folder, f"{base}_项目区范围图.png")
            errors = self._make_map(project, xmmc, gpkg, target, layer, boundary_t, land, opts,
                                    pdf, png, transform, context)
            for e in errors:
                feedback.reportError(e)
            files += [f for f in (pdf, png) if os.path.exists(f)]
        return {"files": files, "boundary": boundary_uri}

    # ------------------------------------------------------------------ helpers
    def _log_issues(self, project, issues, feedback):
        for issue in issues:
            text = f"[{pb.LEVEL_ZH[issue.level]}] {issue.label}: {issue.message}"
            if issue.level == pb.ERROR:
                feedback.reportError(text)
            else:
                feedback.pushWarning(text)
        if not issues:
            feedback.pushInfo(self.tr("Project {0}: all checks passed.").format(project))

    def _red_line(self, project, geoms, table, red, rules):
        if control_lines is not None:
            hx = control_lines.overlap_areas(geoms, red)
            dlbm = table["DLBM"] if "DLBM" in table else [None] * len(geoms)
            zzlx = table["ZZLX"] if "ZZLX" in table else None
            zzzlx = table["ZZZLX"] if "ZZZLX" in table else None
            levels, reasons = control_lines.judge(dlbm, zzlx, zzzlx, hx_mj=hx, rules=rules)
        else:  # plain overlap: every overlap is reported for attention
            zone = shapely.union_all([g for g in red if g is not None])
            hx = shapely.area(shapely.intersection(geoms, zone))
            levels = np.where(hx > rules.overlap_min_area_m2, 1, 0)
            reasons = [""] * len(geoms)
        return pb.red_line_issues(project, levels, hx, reasons)

    @staticmethod
    def _transformed(geoms, transform):
        if transform is None:
            return np.asarray(geoms, dtype=object)
        if isinstance(transform, _ZoneShift):
            shifted = shapely.transform(np.asarray(geoms, dtype=object),
                                        lambda xy: xy + np.array([transform.dx, 0.0]))
            return repair_polygons(shifted)[0]   # rounding at 3.6e7 may pinch a ring
        out = []
        for g in geoms:
            if g is None or g.is_empty:
                out.append(g)
                continue
            q = _qgs((g))
            q.transform(transform)
            out.append(shapely.from_wkb(bytes(q.asWkb())))
        return repair_polygons(np.asarray(out, dtype=object))[0]

    @staticmethod
    def _official_area(table, geoms, layer):
        """TBMJ where the layer has it, else the ellipsoidal area of the geometry."""
        ell = None
        if "TBMJ" in table:
            tbmj = pd.to_numeric(table["TBMJ"], errors="coerce").to_numpy(float)
        else:
            tbmj = np.full(len(geoms), np.nan)
        if np.isnan(tbmj).any():
            ell = area_calc.ellipsoidal_area(geoms, layer.crs.toWkt())
            tbmj = np.where(np.isnan(tbmj), ell, tbmj)
        return tbmj

    def _land_table(self, layer, boundary, window, transform):
        """Land-class areas of all the layer's parcels inside the boundary (declaration CRS)."""
        near = self._tree.query(window, predicate="intersects")
        near_t = self._transformed(layer.geoms[near], transform)
        keep = shapely.intersects(near_t, boundary)
        hits, geoms = near[keep], near_t[keep]
        share = np.ones(len(hits))
        inside = shapely.covered_by(geoms, boundary)
        cut = ~inside
        if cut.any():
            whole = shapely.area(geoms[cut])
            part = pb.intersection_areas(geoms[cut], boundary)
            share[cut] = np.where(whole > 0, part / np.where(whole > 0, whole, 1.0), 0.0)
        sub = layer.table.iloc[hits].reset_index(drop=True)
        tbmj = self._official_area(sub, layer.geoms[hits], layer)
        dlbm = sub["DLBM"] if "DLBM" in sub else [""] * len(hits)
        kcmj = sub["KCMJ"] if "KCMJ" in sub else None
        return stats.land_class_areas(dlbm, tbmj, kcmj, share)

    def _write_gpkg(self, path, project, xmmc, zone, txt_parcels, target, layer, idx, parcels_t,
                    land, task, new, issues, context):
        if os.path.exists(path):
            os.remove(path)
        # boundary: one feature per 地块 as written in the TXT
        fields = table_fields(BOUNDARY_FIELDS)
        polys = [p.polygon() for p in txt_parcels]
        ell = area_calc.ellipsoidal_area(polys, target.authid())
        feats = []
        for p, poly, e in zip(txt_parcels, polys, ell):
            f = QgsFeature(fields)
            f.setGeometry(_qgs((shapely.MultiPolygon([poly]))))
            f.setAttributes([project, xmmc, p.code, p.name, p.sheet, p.point_count, len(p.rings),
                             zone, float(e), float(poly.area), float(m2_to_mu(e)), float(m2_to_ha(e)),
                             round(float(p.area_ha), 4)])
            feats.append(f)
        self._write_layer(path, "xmfw", fields, QgsWkbTypes.MultiPolygon, target, feats, context,
                          first=True, style="boundary")
        # the tagged parcels in the declaration CRS
        src_fields = QgsFields()
        keep = []
        for i, f in enumerate(layer.fields):
            if f.name().lower() != "fid":
                src_fields.append(f)
                keep.append(i)
        feats = []
        for j, g in zip(idx, parcels_t):
            f = QgsFeature(src_fields)
            attrs = layer.features[j].attributes()
            f.setAttributes([attrs[i] for i in keep])
            if g is not None and not g.is_empty:
                f.setGeometry(_qgs((shapely.MultiPolygon(
                    list(shapely.get_parts(g))))))
            feats.append(f)
        self._write_layer(path, "dltb", src_fields, QgsWkbTypes.MultiPolygon, target, feats,
                          context, style="parcels")
        issue_frame = pd.DataFrame(
            [{"JB": pb.LEVEL_ZH[i.level], "LX": i.code, "LXMC": i.label, "SM": i.message,
              "MJ": float(i.area_m2)} for i in issues],
            columns=[s.name for s in ISSUE_FIELDS])
        for name, specs, frame in (("dltj", LAND_TABLE_FIELDS, land), ("zzlxtj", TASK_TABLE_FIELDS, task),
                                   ("xzgdtj", NEW_FARMLAND_FIELDS, new), ("jcjg", ISSUE_FIELDS, issue_frame)):
            tfields = table_fields(specs)
            rows = []
            for rec in frame[[s.name for s in specs]].itertuples(index=False):
                f = QgsFeature(tfields)
                f.setAttributes([_plain(v) for v in rec])
                rows.append(f)
            self._write_layer(path, name, tfields, QgsWkbTypes.NoGeometry,
                              QgsCoordinateReferenceSystem(), rows, context)

    def _write_layer(self, path, name, fields, wkb_type, crs, features, context, first=False,
                     style=None):
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        options.layerName = name
        options.fileEncoding = "UTF-8"
        options.actionOnExistingFile = (QgsVectorFileWriter.CreateOrOverwriteFile if first
                                        else QgsVectorFileWriter.CreateOrOverwriteLayer)
        writer = QgsVectorFileWriter.create(path, fields, wkb_type, crs, context.transformContext(),
                                            options)
        if writer.hasError() != QgsVectorFileWriter.NoError:
            raise QgsProcessingException(self.tr("Cannot write layer {0} to {1}: {2}")
                                         .format(name, path, writer.errorMessage()))
        writer.addFeatures(features, QgsFeatureSink.FastInsert)
        del writer
        if style:
            lyr = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
            if lyr.isValid():
                for fld in fields:
                    k = lyr.fields().indexOf(fld.name())   # the GPKG adds fid first
                    alias = fld.alias() or layer_alias(fld.name())
                    if k >= 0 and alias:
                        lyr.setFieldAlias(k, alias)
                _style_layer(lyr, style)
                lyr.saveStyleToDatabase(name, "qn_landconsol", True, "")

    def _make_map(self, project, xmmc, gpkg, target, layer, boundary_t, land, opts, pdf, png,
                  transform, context):
        from ..ui import declaration_layout as dl

        proj = QgsProject()
        proj.setCrs(target)
        boundary_layer = QgsVectorLayer(f"{gpkg}|layername=xmfw", "项目区范围", "ogr")
        _style_layer(boundary_layer, "boundary")
        # parcels around the project (the map's extent with a margin), in the declaration CRS
        minx, miny, maxx, maxy = boundary_t.bounds
        w, h = maxx - minx, maxy - miny
        pad = 0.6 * max(w, h, 100.0)
        window = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
        if transform is not None:
            back = transform.inverse() if isinstance(transform, _ZoneShift) else \
                QgsCoordinateTransform(target, layer.crs, context.transformContext())
            window = self._transformed([window], back)[0]
        hits = self._tree.query(window, predicate="intersects")
        around = self._transformed(layer.geoms[hits], transform)
        tmp = os.path.join(tempfile.mkdtemp(prefix="qn_decl_"), "map.gpkg")
        fields = table_fields((FieldSpec("DLBM", "str", 5, "地类编码"),))
        feats = []
        dlbm = layer.table["DLBM"].to_numpy(dtype=object) if "DLBM" in layer.table else [None] * len(layer)
        for j, g in zip(hits, around):
            if g is None or g.is_empty:
                continue
            f = QgsFeature(fields)
            f.setAttributes([None if dlbm[j] is None else str(dlbm[j])])
            f.setGeometry(_qgs((g)))
            feats.append(f)
        self._write_layer(tmp, "parcels", fields, QgsWkbTypes.MultiPolygon, target, feats, context,
                          first=True)
        parcels_layer = QgsVectorLayer(f"{tmp}|layername=parcels", "地类图斑", "ogr")
        _style_layer(parcels_layer, "parcels")
        # overview: the hull of the whole layer and the project
        if self._overview_hull is None:
            hull = shapely.convex_hull(shapely.multipoints(shapely.get_coordinates(
                shapely.envelope(layer.geoms[~shapely.is_missing(layer.geoms)]))))
            self._overview_hull = hull
        hull_t = self._transformed([self._overview_hull], transform)[0]
        fields_h = table_fields((FieldSpec("MC", "str", 20, "名称"),))
        fh = QgsFeature(fields_h)
        fh.setAttributes(["范围"])
        fh.setGeometry(_qgs((hull_t)))
        self._write_layer(tmp, "hull", fields_h, QgsWkbTypes.Polygon, target, [fh], context)
        hull_layer = QgsVectorLayer(f"{tmp}|layername=hull", "图层范围", "ogr")
        _style_layer(hull_layer, "hull")
        ov_boundary = QgsVectorLayer(f"{gpkg}|layername=xmfw", "项目区", "ogr")
        _style_layer(ov_boundary, "overview_boundary")
        for lyr in (boundary_layer, parcels_layer):
            proj.addMapLayer(lyr, True)
        for lyr in (hull_layer, ov_boundary):
            proj.addMapLayer(lyr, False)

        groups = stats.group_areas(land)
        rows = [[g.YJL, f"{g.MJ_GQ:.4f}", f"{g.MJ_MU:.2f}", f"{g.BL:.1f}%"] for g in groups.itertuples()]
        total = land.iloc[-1]
        rows.append(["合计", f"{total.MJ_GQ:.4f}", f"{total.MJ_MU:.2f}", "100%"])
        layout = dl.load_layout(proj)
        r = boundary_t.bounds
        dl.fill_layout(layout, title=f"{xmmc}项目区范围图", crs=target,
                       extent=QgsRectangle(r[0], r[1], r[2], r[3]),
                       map_layers=[boundary_layer, parcels_layer],
                       overview_layers=[ov_boundary, hull_layer],
                       overview_extent=hull_layer.extent(), table_rows=rows,
                       unit=opts["unit"] or "—", date=opts["date"], page=opts["page"])
        errors = dl.export(layout, pdf, png)
        return errors


def _qgs(geom) -> QgsGeometry:
    """QgsGeometry of a shapely geometry."""
    q = QgsGeometry()
    q.fromWkb(shapely.to_wkb(geom, output_dimension=2))  # 2D: QGIS may load an older GEOS
    return q


def _plain(v):
    if v is None:
        return None
    if isinstance(v, (float, np.floating)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, np.integer):
        return int(v)
    return v


def layer_alias(name: str) -> str:
    from ..core.fields import DLTB_FIELDS
    from ..core.task_types import TAG_FIELDS

    spec = DLTB_FIELDS.get(name.upper()) or next((s for s in TAG_FIELDS if s.name == name.upper()), None)
    return spec.alias if spec else ""


def _style_layer(lyr, kind):
    from ..ui import declaration_layout as dl
    from ..ui import styles

    if kind == "parcels":
        lyr.setRenderer(styles.land_class_renderer(lyr))
    elif kind == "boundary":
        lyr.setRenderer(QgsSingleSymbolRenderer(dl.boundary_symbol()))
    elif kind == "hull":
        lyr.setRenderer(QgsSingleSymbolRenderer(styles.fill_symbol("#eeeeee", "#888888", 0.3)))
    elif kind == "overview_boundary":
        lyr.setRenderer(QgsSingleSymbolRenderer(styles.fill_symbol("#e31a1c", "#e31a1c", 0.3)))

