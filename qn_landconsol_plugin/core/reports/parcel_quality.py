"""The summary of the parcel quality check (三调图斑质检) in Chinese: an HTML report (per
check the parcels flagged, their area in 亩, the first examples and how to fix them) and
the sheets of a printable workbook (a summary, then one sheet per check that found
something, every flagged parcel listed)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import parcel_quality as pq
from ..messages import ERROR
from . import html as H
from .xlsx import Sheet

MAX_EXAMPLES = 10
EXAMPLE_COLUMNS = (("FID", "要素编号"), ("BSM", "标识码 BSM"), ("TBBH", "图斑编号 TBBH"),
                   ("DLBM", "地类编码"), ("ZLDWMC", "坐落单位名称"))
NOT_RUN = "未检查"


def examples(report: pq.QualityReport, table: pd.DataFrame, fids, code: str,
             limit: int | None = MAX_EXAMPLES) -> pd.DataFrame:
    """The parcels flagged by `code` (the first `limit`, None: all): their feature id,
    BSM, TBBH, DLBM, village and the wording of the problem."""
    notes = report.notes.get(code, pd.Series(dtype=object))
    idx = notes.index.to_numpy()[:limit] if limit is not None else notes.index.to_numpy()
    frame = {}
    for name, heading in EXAMPLE_COLUMNS:
        if name == "FID":
            frame[heading] = (np.asarray(fids)[idx] if fids is not None else idx + 1).tolist()
        elif name in table.columns:
            frame[heading] = ["" if v is None else v for v in table[name].to_numpy(object)[idx]]
    frame["问题说明"] = notes.loc[idx].tolist() if len(idx) else []
    return pd.DataFrame(frame)


def summary_frame(report: pq.QualityReport) -> pd.DataFrame:
    """检查项, 标记字段, 问题图斑数, 面积（亩）, 处理办法 per check."""
    rows = pq.summary_rows(report)
    return pd.DataFrame({
        "检查项": rows["title"], "标记字段": rows["field"],
        "问题图斑数": [int(c) if ok else NOT_RUN for c, ok in zip(rows["count"], rows["checked"])],
        "面积（亩）": [float(a) if ok else np.nan for a, ok in zip(rows["area_mu"],
                                                                 rows["checked"])],
        "处理办法": rows["fix"]})


def topology_frame(report: pq.QualityReport, largest: int | None = None) -> pd.DataFrame:
    """The gaps and overlaps with Chinese headings: all of them, or the `largest` gaps
    and the `largest` overlaps by area."""
    frame, _ = pq.topology_table(report)
    if largest is not None:
        frame = pd.concat([part.sort_values("MJ", ascending=False, kind="stable").head(largest)
                           for _, part in frame.groupby("LX", sort=False)])
    return frame.rename(columns={f.name: f.alias for f in pq.TOPOLOGY_FIELDS})


def build_html(report: pq.QualityReport, table: pd.DataFrame, fids, meta: dict) -> str:
    """The HTML report. `meta`: layer, crs (the CRS the coordinates are given in),
    parcels (count)."""
    counts = report.counts
    flagged = int((report.problems > 0).sum())
    verdict = "通过：未发现问题。" if report.clean else "发现问题：" + "，".join(
        ([f"{flagged} 个图斑有问题"] if flagged else []) +
        ([f"图层有 {len(report.layer_findings)} 个问题（坐标系、字段，见下）"]
         if report.layer_findings else [])) + "。"
    body = [H.paragraph(
        f"图层：{meta.get('layer', report.layer)}；图斑 {len(report)} 个；坐标系：{meta.get('crs', '')}"
        f"；图斑面积容差 {report.tolerance_pct:g}%；拓扑碎片容差 {report.sliver_m2:g} 平方米。",
        "meta"), H.paragraph(verdict, "lv2" if not report.clean else "lv0")]
    if report.layer_findings:
        items = "".join(f'<li class="{"lv2" if f.level == ERROR else "lv1"}">{H.esc(f.message)}</li>'
                        for f in report.layer_findings)
        body.append(H.section("图层问题（坐标系、字段）", f"<ul>{items}</ul>"))
    body.append(H.section("检查汇总", H.table(summary_frame(report), {"面积（亩）": 2}),
                          H.paragraph("面积：有记录的图斑面积 TBMJ 之和；TBMJ 为空或与几何不符的图斑"
                                      "按几何的椭球面积计。标记字段为图斑输出图层中的字段（1 = 有问题，"
                                      "0 = 无问题，空 = 未检查）；质检说明 ZJ_SM 写明每个图斑的全部问题。",
                                      "note")))
    body.append(_topology_section(report))
    for check in pq.QUALITY_CHECKS:
        if counts[check.code] == 0 or check.code in ("GAP", "OVERLAP"):
            continue
        shown = examples(report, table, fids, check.code)
        more = counts[check.code] - len(shown)
        body.append(H.section(
            f"{check.title.zh}（{counts[check.code]} 个图斑，{report.area_mu(check.code):.2f} 亩）",
            H.paragraph("处理办法：" + check.fix), H.table(shown),
            H.paragraph(f"另有 {more} 个图斑未列出，见图斑输出图层的 {check.field} 字段或质检工作簿。",
                        "note") if more > 0 else ""))
    return H.page("三调图斑质检报告", "".join(body), meta.get("layer", report.layer))


def _topology_section(report: pq.QualityReport) -> str:
    topo = report.topology
    if topo is None:
        return H.section("拓扑检查（面不重叠、面无缝隙）",
                         H.paragraph("未检查：没有可量算的坐标（见图层问题）。", "note"))
    gap_area = sum(g.area for g in topo.gaps)
    overlap_area = sum(o.area for o in topo.overlaps)
    lines = [f"面无缝隙：{len(topo.gaps)} 处缝隙，合计 {pq.area_text(gap_area)}"
             f"，涉及 {report.counts['GAP']} 个图斑。",
             f"面不重叠：{len(topo.overlaps)} 处重叠，合计 {pq.area_text(overlap_area)}"
             f"，涉及 {report.counts['OVERLAP']} 个图斑。"]
    if topo.slivers_below_tolerance:
        lines.append(f"另有 {topo.slivers_below_tolerance} 处小于容差 {report.sliver_m2:g} 平方米的"
                     f"缝隙或重叠（合计 {pq.area_text(topo.sliver_area_below_tolerance)}），未列出。")
    parts = [H.paragraph(line) for line in lines]
    if not topo.clean:
        shown = topology_frame(report, MAX_EXAMPLES // 2)
        parts += [H.paragraph("处理办法：" + pq.CHECK_BY_CODE["GAP"].fix + pq.CHECK_BY_CODE["OVERLAP"].fix),
                  H.table(shown, {"面积（平方米）": 4, "位置 X": 3, "位置 Y": 3})]
        total = len(topo.gaps) + len(topo.overlaps)
        if total > len(shown):
            parts.append(H.paragraph(f"共 {total} 处，上表为面积最大的缝隙和重叠各至多 "
                                     f"{MAX_EXAMPLES // 2} 处，其余见拓扑问题图层或质检工作簿。",
                                     "note"))
    return H.section("拓扑检查（面不重叠、面无缝隙）", *parts)


def workbook_sheets(report: pq.QualityReport, table: pd.DataFrame, fids, meta: dict) -> list:
    """Sheets of the workbook: 汇总 (with the layer's findings), 拓扑问题, then one per check
    that flagged parcels (every one listed); landscape, headings repeated on each page."""
    title = f"三调图斑质检：{meta.get('layer', report.layer)}（{len(report)} 个图斑）"
    summary = summary_frame(report)
    if report.layer_findings:
        layer_rows = pd.DataFrame({"检查项": ["图层问题"] * len(report.layer_findings),
                                   "标记字段": "", "问题图斑数": "", "面积（亩）": np.nan,
                                   "处理办法": [f.message for f in report.layer_findings]})
        summary = pd.concat([layer_rows, summary], ignore_index=True)
    sheets = [Sheet("汇总", summary, title=title, float_format="0.00", freeze="A3",
                    widths={"检查项": 28, "标记字段": 12, "问题图斑数": 12, "面积（亩）": 12,
                            "处理办法": 80}, landscape=True)]
    counts = report.counts
    if report.topology is not None and not report.topology.clean:
        sheets.append(Sheet("拓扑问题", topology_frame(report), title="拓扑问题（面不重叠、面无缝隙）",
                            formats={"面积（平方米）": "0.0000", "位置 X": "0.000",
                                     "位置 Y": "0.000"}, freeze="A3", landscape=True))
    for check in pq.QUALITY_CHECKS:
        if counts[check.code]:
            sheets.append(Sheet(f"{check.field} {check.title.zh}"[:31],
                                examples(report, table, fids, check.code, limit=None),
                                title=f"{check.title.zh}（{counts[check.code]} 个图斑）处理办法："
                                      f"{check.fix}", freeze="A3", landscape=True))
    return sheets
