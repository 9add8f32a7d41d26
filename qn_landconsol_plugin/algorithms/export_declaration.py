"""qnlandconsol:exportdeclaration — 导出申报成果 (declaration package per project):
报部格式 TXT, GeoPackage, 项目区范围图 PDF/PNG and the 地类统计表 xlsx. The rules live in
core/project_boundary.py (boundary, checks), core/declaration_txt.py (the TXT),
core/declaration_stats.py (the tables) and core/crs.py (the zone); the map in
qgis_io/layouts.py."""
import datetime
import os

import numpy as np
import pandas as pd
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingContext,
    QgsProcessingException,
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
    QgsRectangle,
)

from ..core import areas, consolidation
from ..core import control_lines
from ..core import crs as gk
from ..core import declaration_stats as stats
from ..core import declaration_txt as txt
from ..core import file_names
from ..core import land_classes as lc
from ..core import project_area
from ..core import project_boundary as pb
from ..core import task_totals
from ..core.fields import find_field
from ..core.reports import declaration as declaration_report
from ..core.rules import Rules
from ..core.values import split_list
from ..qgis_io import compat, layouts, styles
from ..qgis_io.crs import (declaration_transform, gk_zone, inverse_transform, lonlat,
                           transform_geometries)
from ..qgis_io.guards import field_mapping, writable_folder
from ..qgis_io.layer_roles import layer_name
from ..qgis_io.parcels import read_parcels
from ..qgis_io.tables import write_gpkg_layer
from ..qgis_io.values import as_shapely, python_value
from .base import QnAlgorithm

PRECISIONS = ("0.01", "0.001", "0.0001")
ENCODINGS = ("GBK", "UTF-8")
PAGE_KEYS = ("A3L", "A4L", "A3P", "A4P")
PARCEL_COLUMNS = ("DLBM", "TBMJ", "KCMJ", "KCXS", "GDPDJB", "ZZLX", "ZZZLX", "XMBH", "XMMC", "SSND",
                  "TBDLMJ", "GDLX", "PD_MEAN", "GDDB", "BSM", "ZLDWDM")
LAND_USE = "全域土地综合整治"


# the files of one project: <stem><suffix> (core.file_names makes the stems)
FILE_SUFFIXES = ("_范围.txt", "_地类统计表.xlsx", ".gpkg", ".gpkg-journal", "_项目区范围图.pdf",
                 "_项目区范围图.png")


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
        return super().flags() | compat.ProcessingAlgorithmFlag.NoThreading

    def help_text(self):
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
            self.INPUT, self.tr("Tagged parcels"), [compat.ProcessingSourceType.VectorPolygon]))
        self.addParameter(QgsProcessingParameterField(
            self.PROJECT_FIELD, self.tr("Project number field"), "XMBH", self.INPUT,
            compat.ProcessingFieldParameterDataType.Any, optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.PROJECTS, self.tr("Projects to export (comma-separated project numbers; empty = all)"),
            "", optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.GAP_TOLERANCE, self.tr("Gap tolerance (m): gaps narrower than this are closed"),
            compat.ProcessingNumberParameterType.Double, 0.1, minValue=0.0, maxValue=50.0))
        self.addParameter(QgsProcessingParameterNumber(
            self.MIN_HOLE_AREA, self.tr("Minimum hole area (m²): smaller holes are filled"),
            compat.ProcessingNumberParameterType.Double, 1.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.RED_LINE, self.tr("Ecological red line to check the projects against"),
            [compat.ProcessingSourceType.VectorPolygon], optional=True))
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
        writable_folder(folder)
        source = self._parcel_source(parameters, context, feedback, needs=())
        red_source = self._source(parameters, self.RED_LINE, context)
        field = self._project_field(parameters, context, source)
        opts = self._options(parameters, context)
        label = layer_name(source, self.tr("Tagged parcels"))
        parcels = read_parcels(source, context, feedback, label, None, field_mapping(
            source, (), tuple(dict.fromkeys(PARCEL_COLUMNS + (field,))), label),
            keep_features=True, progress=(0.0, 10.0))
        codes = pb.project_codes(parcels.table, field)
        projects = self._projects(codes, parameters, context, field, label, feedback)
        raw_valid = shapely.is_valid(as_shapely([f.geometry() for f in parcels.features]))
        raw_valid = np.where(shapely.is_missing(parcels.geoms), True, raw_valid)
        red = None
        if red_source is not None:
            red = read_parcels(red_source, context, feedback, self.tr("Ecological red line"),
                               parcels.crs, progress=(10.0, 12.0)).geoms
        self._overview_hull = None
        self._tree = shapely.STRtree(parcels.geoms)
        self._codes = codes
        self._area_m2 = areas.parcel_area_m2(parcels.table, lambda m: areas.ellipsoidal_area(
            parcels.geoms[m], parcels.crs.toWkt()))
        self._land = self._layer_land(parcels, codes)
        stems, renamed = file_names.project_stems(projects, FILE_SUFFIXES, os.listdir(folder))
        for finding in renamed:
            feedback.pushWarning(finding.text(self.tr))
        exported, failed, files, boundaries = 0, 0, [], []
        for k, project in enumerate(projects):
            if feedback.isCanceled():
                break
            feedback.setProgressText(self.tr("Project {0} ({1}/{2})").format(
                project, k + 1, len(projects)))
            try:
                result = self._export_project(project, np.flatnonzero(codes == project),
                                              parcels, raw_valid, red,
                                              os.path.join(folder, stems[project]), opts,
                                              context, feedback)
            except OSError as err:      # a file that cannot be written: the next project
                feedback.reportError(self.tr("Project {0} not exported: {1}").format(
                    project, err))
                result = None
            if result is None:
                failed += 1
            else:
                exported += 1
                files.extend(result["files"])
                boundaries.append(result["boundary"])
                details = QgsProcessingContext.LayerDetails(
                    self.tr("{0} project boundary").format(project), context.project(),
                    "BOUNDARIES")
                context.addLayerToLoadOnCompletion(result["boundary"], details)
                # outline only, as a 项目区范围 is drawn: the task styling stays visible
                styles.style_on_load(context, result["boundary"], pb.BOUNDARY_FIELDS,
                                     styles.declaration_renderer, kind="boundary")
            feedback.setProgress(12.0 + 88.0 * (k + 1) / len(projects))
        feedback.pushInfo(self.tr("{0} project(s) exported, {1} not exported, into {2}")
                          .format(exported, failed, folder))
        return {self.OUTPUT_FOLDER: folder, "EXPORTED": exported, "FAILED": failed,
                "FILES": ";".join(files), "BOUNDARIES": boundaries}

    def _project_field(self, parameters, context, source) -> str:
        field = self.parameterAsString(parameters, self.PROJECT_FIELD, context) or "XMBH"
        actual = find_field(source.fields().names(), field)
        if actual is None:
            raise QgsProcessingException(
                self.tr("Field {0} not found in layer '{1}': tag the parcels with a project "
                        "number (XMBH) first.").format(field, layer_name(source)))
        return actual

    def _options(self, parameters, context) -> dict:
        return dict(
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

    def _projects(self, codes, parameters, context, field, name, feedback) -> list:
        """The projects to export: those asked for (each one missing is reported), else
        every project number present; none at all is an error."""
        present = sorted({c for c in codes if c})
        if not present:
            raise QgsProcessingException(
                self.tr("No parcel of layer '{1}' has a project number in field {0}: tag "
                        "parcels with the consolidation dock (XMBH, XMMC) before exporting.")
                .format(field, name))
        wanted = split_list(self.parameterAsString(parameters, self.PROJECTS, context))
        if not wanted:
            return present
        for p in wanted:
            if p not in present:
                feedback.reportError(self.tr("No parcels are tagged for project {0} (field {1}); "
                                             "nothing exported for it.").format(p, field))
        projects = [p for p in wanted if p in present]
        if not projects:
            raise QgsProcessingException(
                self.tr("None of the requested projects has tagged parcels: {0}. Projects in "
                        "layer '{2}': {1}").format(", ".join(wanted), ", ".join(present[:20]),
                                                   name))
        return projects

    # ------------------------------------------------------------------ one project
    def _export_project(self, project, idx, parcels, raw_valid, red, base, opts, context,
                        feedback):
        """The files of one project, named `base` + FILE_SUFFIXES ({'files', 'boundary'}),
        None when it fails its checks."""
        rules = Rules()
        table = parcels.table.iloc[idx].reset_index(drop=True)
        geoms = parcels.geoms[idx]
        name = pb.project_name(table, project)
        zone, target, transform, issues = self._declaration_crs(project, parcels, geoms, context)
        # everything in the declaration CRS, the boundary snapped to the written precision
        grid = float(opts["precision"])
        parcels_t = transform_geometries(geoms, transform)
        boundary = pb.dissolve(parcels_t, opts["tol"], opts["min_hole"], grid=grid)
        bounds = shapely.total_bounds(geoms)
        near = self._tree.query(shapely.buffer(shapely.box(*bounds), max(opts["tol"], 1.0)),
                                predicate="intersects")
        others = {p: transform_geometries(parcels.geoms[near[self._codes[near] == p]], transform)
                  for p in sorted({self._codes[j] for j in near} - {"", project})}
        issues += pb.check_project(project, parcels_t, raw_valid[idx], boundary, opts["tol"],
                                   others, rules, grid=grid)
        if red is not None and len(red):
            issues += self._red_line(project, geoms, table, red, rules)
        self._log_issues(project, issues, feedback)
        if any(i.level == pb.ERROR for i in issues):
            feedback.reportError(self.tr("Project {0} not exported: fix the errors above first.")
                                 .format(project))
            return None
        txt_parcels = self._write_txt(project, name, zone, target, boundary.geometry, opts,
                                      f"{base}_范围.txt", feedback)
        if txt_parcels is None or feedback.isCanceled():
            return None
        window = shapely.buffer(shapely.box(*bounds), max(opts["tol"], 1.0))
        land, inside = self._land_table(parcels, boundary.geometry, window, transform, rules)
        task_frame = table.copy()
        task_frame["TBMJ"] = self._area_m2[idx]
        task = stats.task_type_areas(task_frame, rules)
        farmland = float(land.loc[land["DLBM"].isin(lc.FARMLAND_CODES), "MJ"].sum())
        area = self._project_area(project, idx)
        new = stats.new_farmland_summary(task_frame, area.farmland_m2, rules,
                                         area_label=self._area_label(area),
                                         boundary_farmland_m2=farmland)
        files = [f"{base}_范围.txt", f"{base}_地类统计表.xlsx", f"{base}.gpkg"]
        declaration_report.write_tables(files[1], f"{name}（{project}）", [
            ("地类统计", "项目区地类统计表（整治前）", land, stats.LAND_CLASS_COLUMNS),
            ("整治类型统计", "整治任务类型统计表", task, stats.TASK_COLUMNS),
            ("新增耕地", "新增耕地统计表", new, stats.NEW_FARMLAND_COLUMNS),
        ], self._boundary_outcome(project, parcels, inside, rules), rules)
        self._write_gpkg(files[2], project, name, zone, txt_parcels, target, parcels, idx,
                         parcels_t, (land, task, new,
                                    pb.issue_table(issues + pb.input_issues(parcels.findings))),
                         context)
        if opts["make_map"] and not feedback.isCanceled():
            files += self._make_map(project, name, files[2], target, parcels, boundary.geometry,
                                    land, opts, base, transform, context, feedback)
        return {"files": files, "boundary": f"{files[2]}|layername=xmfw"}

    def _declaration_crs(self, project, parcels, geoms, context):
        """(zone, declaration CRS with zone prefix, the way there, CRS issues): the layer's
        CGCS2000 zone, else the zone of the project's centre (core.crs.declaration_zone)."""
        layer_zone = gk_zone(parcels.source_crs)
        bounds = shapely.total_bounds(geoms)
        corners = lonlat(parcels.crs, [(x, y) for x in bounds[0::2] for y in bounds[1::2]],
                         context)
        centre = lonlat(parcels.crs, [((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2)],
                        context)[0]
        zone = gk.declaration_zone(layer_zone, centre[0])
        target = QgsCoordinateReferenceSystem(f"EPSG:{gk.cgcs2000_gk_epsg(zone, True)}")
        issues = []
        if layer_zone is None:
            issues.append(pb.crs_issue(project, parcels.source_crs.authid()
                                       or parcels.source_crs.description(), zone, target.authid()))
        lons = [c[0] for c in corners]
        span = pb.zone_issue(project, min(lons), max(lons), zone)
        if span is not None:
            issues.append(span)
        return zone, target, declaration_transform(parcels.crs, target, zone, context), issues

    def _write_txt(self, project, name, zone, target, boundary, opts, path, feedback):
        """The 报部格式 TXT of the boundary; its 地块 (TxtParcel), None when the text cannot
        be written in the chosen encoding."""
        txt_parcels = txt.parcels_from_geometry(boundary, code=project, name=name, use=LAND_USE,
                                                decimals=txt.decimals_of(opts["precision"]))
        if not txt_parcels:
            feedback.reportError(pb.issue(pb.ERROR, "TOO_SMALL", project=project,
                                          grid=float(opts["precision"]),
                                          area=float(boundary.area)).text(self.tr))
            return None
        for p in txt_parcels:
            c = p.polygon().representative_point()
            lon, lat = areas.to_lonlat([c.x], [c.y], target.authid())
            p.sheet = txt.sheet_number_10000(float(lon[0]), float(lat[0]))
        header = txt.TxtHeader(unit=opts["unit"], date=opts["date"], zone=zone,
                               precision=opts["precision"])
        try:
            txt.write_txt(path, header, txt_parcels, opts["encoding"])
        except UnicodeEncodeError as err:
            feedback.reportError(self.tr("Project {0}: text not representable in {1}: {2}")
                                 .format(project, opts["encoding"], err))
            return None
        feedback.pushInfo(self.tr("Project {0}: {1} block(s), {2} boundary points, {3:.4f} ha "
                                  "written to {4}").format(
            project, len(txt_parcels), sum(p.point_count for p in txt_parcels),
            sum(p.area_ha for p in txt_parcels), path))
        return txt_parcels

    # ------------------------------------------------------------------ helpers
    def _log_issues(self, project, issues, feedback):
        for issue in issues:
            if issue.level == pb.ERROR:
                feedback.reportError(issue.text(self.tr))
            else:
                feedback.pushWarning(issue.text(self.tr))
        if not issues:
            feedback.pushInfo(self.tr("Project {0}: all checks passed.").format(project))

    @staticmethod
    def _red_line(project, geoms, table, red, rules):
        hx = control_lines.overlap_areas(geoms, red)
        zzlx, zzzlx = control_lines.task_columns(table)
        dlbm = table["DLBM"] if "DLBM" in table else [None] * len(geoms)
        levels, reasons = control_lines.judge(dlbm, zzlx, zzzlx, hx_mj=hx, rules=rules)
        return pb.red_line_issues(project, levels, hx, reasons)

    def _land_table(self, parcels, boundary, window, transform, rules):
        """(land-class areas of all the layer's parcels inside the boundary (declaration
        CRS), each counted with its share inside; (those parcels, their shares)). A
        neighbour's sliver under Rules.overlap_min_area_m2 is no parcel of the project:
        every table (land classes, the official ones) leaves it out, count and area."""
        near = self._tree.query(window, predicate="intersects")
        near_t = transform_geometries(parcels.geoms[near], transform)
        keep = shapely.intersects(near_t, boundary)
        inside, share = pb.parcels_inside(near_t[keep], boundary, rules.overlap_min_area_m2)
        hits = near[keep][inside]
        sub = parcels.table.iloc[hits].reset_index(drop=True)
        tbmj = self._area_m2[hits]
        dlbm = sub["DLBM"] if "DLBM" in sub else [""] * len(hits)
        kcmj = sub["KCMJ"] if "KCMJ" in sub else None
        return stats.land_class_areas(dlbm, tbmj, kcmj, share), (hits, share)

    def _boundary_outcome(self, project, parcels, inside, rules):
        """The official tables' outcome: every parcel inside the boundary with its share
        (the land table's rows), the project's own tasks (another project's tags count
        in that project's package), PD_MEAN, GDLX, GDDB and BSM when the layer has them."""
        hits, share = inside
        frame = parcels.table.iloc[hits].reset_index(drop=True).copy()
        frame["TBMJ"] = self._area_m2[hits]
        mine = self._codes[hits] == project
        for column in ("ZZLX", "ZZZLX"):
            if column in frame.columns:
                frame[column] = frame[column].where(mine, None)
        return stats.project_outcome(frame, share=share, rules=rules)

    def _layer_land(self, parcels, codes):
        """(land per township of every parcel, land of each tagged parcel with its
        project): what a project's area is taken from (core.project_area)."""
        table = parcels.table.assign(TBMJ=self._area_m2)
        farmland, construction = consolidation.land_now(table)
        units = project_area.frame_units(table)
        tagged = (task_totals.resolve_tags(table)["family"] != "").to_numpy()
        tagged_land = pd.DataFrame({"UNIT": units[tagged], "GD": farmland[tagged],
                                    "JS": construction[tagged], "XMBH": codes[tagged]})
        # summed once per township and per (project, township): a project's "others" is
        # then a difference of sums, not a scan of every tagged parcel per project
        tagged_by_unit = tagged_land.groupby("UNIT")[["GD", "JS"]].sum()
        tagged_by_project = {project: frame.groupby("UNIT")[["GD", "JS"]].sum()
                             for project, frame in tagged_land.groupby("XMBH", sort=False)}
        return (project_area.land_by_unit(units, farmland, construction), tagged_by_unit,
                tagged_by_project, units)

    def _project_area(self, project, idx):
        """The land of the project's area: its townships, other projects' parcels out."""
        by_unit, tagged_by_unit, tagged_by_project, units = self._land
        mine = tagged_by_project.get(project)
        others = tagged_by_unit if mine is None else \
            tagged_by_unit.sub(mine.reindex(tagged_by_unit.index, fill_value=0.0))
        others = others.rename_axis("UNIT").reset_index()   # one row per township: UNIT, GD, JS
        return project_area.area_land(by_unit, project_area.project_units(units[idx]), others)

    def _area_label(self, area) -> str:
        """The project area in the new-farmland table: its townships, or the whole layer."""
        units = [u for u in area.units if u]
        if not units:
            return "项目区现状耕地（图层全部图斑，扣除田坎）"
        return f"项目区现状耕地（乡镇 {'、'.join(units)}，扣除田坎，不论是否标注）"

    @staticmethod
    def _write_gpkg(path, project, name, zone, txt_parcels, target, parcels, idx, parcels_t,
                    tables, context):
        """The project's GeoPackage: the boundary as written to the TXT (xmfw), its tagged
        parcels in the declaration CRS (dltb), the statistics and the check results."""
        if os.path.exists(path):
            os.remove(path)
        frame, polys = pb.boundary_table(project, name, zone, txt_parcels, target.authid())
        write_gpkg_layer(path, "xmfw", pb.BOUNDARY_FIELDS, frame, context, polys,
                         compat.WkbType.MultiPolygon, target, first=True, style="boundary")
        fields = [f for f in parcels.fields if f.name().lower() != "fid"]
        keep = [parcels.fields.indexOf(f.name()) for f in fields]
        rows = []
        for j in idx:
            values = parcels.features[j].attributes()   # one call per feature: it copies them all
            rows.append([python_value(values[i]) for i in keep])
        write_gpkg_layer(path, "dltb", fields,
                         pd.DataFrame(rows, columns=[f.name() for f in fields], dtype=object),
                         context, parcels_t, compat.WkbType.MultiPolygon, target, style="parcels")
        for layer, specs, frame in zip(("dltj", "zzlxtj", "xzgdtj", "jcjg"),
                                       (stats.LAND_CLASS_FIELDS, stats.TASK_FIELDS,
                                        stats.NEW_FARMLAND_FIELDS, pb.ISSUE_FIELDS), tables):
            write_gpkg_layer(path, layer, specs, frame, context)

    def _make_map(self, project, name, gpkg, target, parcels, boundary, land, opts, base,
                  transform, context, feedback) -> list:
        """The 项目区范围图 (PDF, PNG) around the boundary; the files made."""
        minx, miny, maxx, maxy = boundary.bounds
        shown = layouts.map_window(QgsRectangle(minx, miny, maxx, maxy), opts["page"])
        window = shapely.box(shown.xMinimum(), shown.yMinimum(), shown.xMaximum(),
                             shown.yMaximum()).buffer(0.02 * shown.width())
        back = inverse_transform(transform, target, parcels.crs, context)
        if back is not None:
            window = transform_geometries([window], back)[0]
        hits = self._tree.query(window, predicate="intersects")
        around = transform_geometries(parcels.geoms[hits], transform)
        dlbm = parcels.table["DLBM"].to_numpy(dtype=object)[hits] if "DLBM" in parcels.table \
            else [None] * len(hits)
        if self._overview_hull is None:    # the hull of the whole layer, once
            self._overview_hull = shapely.convex_hull(shapely.multipoints(shapely.get_coordinates(
                shapely.envelope(parcels.geoms[~shapely.is_missing(parcels.geoms)]))))
        hull = transform_geometries([self._overview_hull], transform)[0]
        pdf, png = f"{base}_项目区范围图.pdf", f"{base}_项目区范围图.png"
        errors = layouts.declaration_map(
            gpkg, target, QgsRectangle(minx, miny, maxx, maxy), around, dlbm, hull,
            title=f"{name}项目区范围图", table_rows=stats.map_table_rows(land),
            unit=opts["unit"] or "—", date=opts["date"], page=opts["page"], pdf=pdf, png=png,
            context=context)
        for e in errors:
            feedback.reportError(e)
        return [f for f in (pdf, png) if os.path.exists(f)]

