"""The potential survey's Chinese documents: the Excel workbook (潜力汇总, 潜力类型,
规则检查, 目标进度, 连片度, 说明) and the self-contained HTML report, built from the
results of core.potential; the survey's notes and check explanations are worded here
from their Messages."""
from __future__ import annotations

import pandas as pd

from .. import contiguity
from .. import potential as pot
from ..messages import zh
from ..rules import Rules
from ..units import M2_PER_MU
from . import charts
from . import html as rh
from . import official
from .xlsx import Sheet, write_workbook as write_sheets

CONTIGUITY_ALIAS = {**dict(contiguity.INDICATORS), "CJ_DM": "村代码", "CJ_MC": "村名称", "QJ": "情景"}


def frame_for_people(frame: pd.DataFrame, specs) -> pd.DataFrame:
    """Columns renamed to their Chinese aliases."""
    alias = {s.name: s.alias for s in specs}
    return frame.rename(columns={c: alias.get(c, c) for c in frame.columns})


def worded_checks(checks: pd.DataFrame) -> pd.DataFrame:
    """The CHECK_FIELDS table of rule_checks (or of check_table), SM in Chinese."""
    if "SM" not in checks.columns:
        checks = pot.check_table(checks)
    return checks[[f.name for f in pot.CHECK_FIELDS]]


def skipped_reasons(result) -> dict:
    """{type zh: why it was skipped, in Chinese}."""
    return {t: pot.skip_reason(needs) for t, needs in result.skipped}


def type_statistics(result, rules=None) -> pd.DataFrame:
    """type_table with, per potential type, its parcel count, area, the area that counts
    for its family's target (Rules.target_precedence) and new farmland (亩) from the
    survey result: the table the workbook and the report both show."""
    types = pot.type_table(rules)
    items = result.items
    per_type = types["潜力类型"]
    counted = items["counted"].to_numpy(bool) if "counted" in items.columns else \
        pd.Series(True, index=items.index).to_numpy()
    types["图斑数"] = [int((items["type"] == t).sum()) for t in per_type]
    types["面积（亩）"] = [float(items.loc[items["type"] == t, "area_m2"].sum()) / M2_PER_MU
                        for t in per_type]
    types["计入目标（亩）"] = [float(items.loc[(items["type"] == t).to_numpy() & counted,
                                          "area_m2"].sum()) / M2_PER_MU for t in per_type]
    types["新增耕地（亩）"] = [float(items.loc[items["type"] == t, "new_m2"].sum()) / M2_PER_MU
                          for t in per_type]
    return types


# ---------------------------------------------------------------------------
# workbook
def _sheet(title, frame, number_format="#,##0.00", **layout) -> Sheet:
    """A sheet of the survey workbook: shaded headings, fitted widths, first columns frozen."""
    return Sheet(title, frame, header_style="band", float_format=number_format,
                 freeze="C2" if len(frame.columns) > 4 else "A2", **layout)


def workbook_sheets(summary: pd.DataFrame, checks: pd.DataFrame, progress_table: pd.DataFrame,
                    contiguity_table: pd.DataFrame | None, result, rules: Rules | None = None,
                    meta: dict | None = None) -> list:
    """The survey workbook as Sheet layouts."""
    rules = rules or Rules()
    meta = meta or {}
    sheets = [_sheet("潜力汇总", frame_for_people(summary, pot.SUMMARY_FIELDS))]
    types = type_statistics(result, rules)
    skipped = skipped_reasons(result)
    types["状态"] = ["跳过：" + skipped[t] if t in skipped else "已评估" for t in types["潜力类型"]]
    sheets.append(_sheet("潜力类型", types))
    sheets.append(_sheet("规则检查", frame_for_people(worded_checks(checks), pot.CHECK_FIELDS),
                         number_format="#,##0.0000",
                         highlight=(dict((f.name, f.alias) for f in pot.CHECK_FIELDS)["JG"],
                                    pot.FAIL)))
    sheets.append(_sheet("目标进度", progress_table))
    if contiguity_table is not None and len(contiguity_table):
        sheets.append(_sheet("连片度", contiguity_table.rename(columns=CONTIGUITY_ALIAS)))
    notes = [("图层", meta.get("layer", "")), ("计算坐标系", meta.get("crs", "")),
             ("汇总级别", meta.get("level", "")), ("面积", "潜力面积为图斑面积 TBMJ；1 亩 = 666.67 平方米"),
             ("新增耕地", "XZGD_MJ 为新增耕地（负值为退出耕地）；净增耕地 = 新增 − 减少")]
    notes += [("目标", progress_table.attrs.get("quota_label", "用户输入的目标"))]
    notes += [("不重复计算", text) for text in precedence_texts(rules)]
    notes += [("跳过的潜力类型", f"{t}：{r}") for t, r in skipped.items()]
    notes += [("说明", zh(text)) for text in result.notes + list(meta.get("warnings", ()))]
    sheets.append(_sheet("说明", pd.DataFrame(notes, columns=["项目", "内容"])))
    if result.outcome is not None:
        sheets += official.official_sheets(result.outcome, rules)
    return sheets


def precedence_texts(rules: Rules) -> list:
    """The no-double-counting rules (Rules.target_precedence) in Chinese."""
    texts = []
    for loser, winners in rules.target_precedence.items():
        winners = [pot.TYPE_BY_KEY[w] for w in winners if w in pot.TYPE_BY_KEY]
        if loser not in pot.TYPE_BY_KEY or not winners:
            continue
        t = pot.TYPE_BY_KEY[loser]
        families = "、".join(dict.fromkeys(pot.FAMILY_BY_CODE[w.family].zh for w in winners))
        texts.append(f"同一图斑兼有{t.zh}与{'或'.join(w.zh for w in winners)}时，面积只计入"
                     f"{families}目标，不再计入{pot.FAMILY_BY_CODE[t.family].zh}目标")
    return texts


def write_workbook(path: str, summary: pd.DataFrame, checks: pd.DataFrame,
                   progress_table: pd.DataFrame, contiguity_table: pd.DataFrame | None,
                   result, rules: Rules | None = None, meta: dict | None = None):
    """The survey workbook (.xlsx): 潜力汇总, 潜力类型, 规则检查, 目标进度, 连片度, 说明, and
    the official tables of the potential (地类结构调整表, 地类转换矩阵, 新增耕地来源表,
    建设用地增减表, 永久基本农田调整表)."""
    write_sheets(path, workbook_sheets(summary, checks, progress_table, contiguity_table,
                                       result, rules, meta))


# ---------------------------------------------------------------------------
# HTML report
def _check_class(col, value):
    if col == "结果":
        return {pot.FAIL: "lv2", pot.PASS: "lv0", pot.NOT_CHECKED: "lv1"}.get(str(value), "")
    return ""


def build_report(summary: pd.DataFrame, checks: pd.DataFrame, progress_table: pd.DataFrame,
                 result, geoms=None, contiguity_table: pd.DataFrame | None = None,
                 rules: Rules | None = None, meta: dict | None = None) -> str:
    """The HTML report in Chinese: headline figures, charts, potential by unit and type,
    rule checks, a map, contiguity before/after, skipped types and notes."""
    rules = rules or Rules()
    meta = meta or {}
    checks = worded_checks(checks)
    families = pot.FAMILIES
    total = summary[summary["DW_DM"] == pot.TOTAL_CODE].iloc[-1]
    body = []
    head = [("图斑图层", meta.get("layer", "")), ("图斑数", f"{len(result.parcels):,d}"),
            ("潜力图斑数", f"{int(total['QL_TBS']):,d}"),
            ("原有耕地（亩）", f"{total['YGD_MU']:,.2f}")]
    head += [(f"{f.zh}潜力（亩）", f"{total[f.column]:,.2f}") for f in families]
    head += [("新增耕地（亩）", f"{total['XZGD_MU']:,.2f}"),
             ("减少耕地（亩）", f"{total['JSGD_MU']:,.2f}"),
             ("净增耕地（亩）", f"{total['JZGD_MU']:,.2f}（占原有耕地 {total['JZGD_ZB']:.2f}%）"),
             ("建设用地（亩）", f"整治前 {total['JSQ_MU']:,.2f}，整治后 {total['JSH_MU']:,.2f}")]
    if meta.get("crs"):
        head.append(("计算坐标系", meta["crs"]))
    fails = int((checks["JG"] == pot.FAIL).sum())
    head.append(("规则检查", f"{int((checks['JG'] == pot.PASS).sum())} 项通过，{fails} 项不通过，"
                 f"{int((checks['JG'] == pot.NOT_CHECKED).sum())} 项未检查"))
    body.append(rh.section("一、主要数据", rh.table(pd.DataFrame(head, columns=["项目", "值"]))))
    for w in meta.get("warnings", ()):
        body.append(rh.paragraph("⚠ " + zh(w), "lv1"))

    quota = progress_table.attrs.get("quota_label", "用户输入的目标")
    body.append(rh.section("二、目标完成情况",
                           rh.image(charts.target_chart(progress_table), "目标完成情况"),
                           rh.table(progress_table),
                           rh.paragraph(f"目标采用：{quota}。2030 年目标属于黔南州（农用地整理 73,500 亩、"
                                        "建设用地整理 2,300 亩、生态修复 3,500 亩、和美乡村 12 个），按 12 个"
                                        "县（市）分解（规则配置中的分解表，可修改）；县、乡镇的完成度按其分解任务计算，"
                                        "不与全州总目标比较。"
                                        f"候选和美乡村：具有至少 {rules.harmony_village_min_families} "
                                        "类整治潜力的行政村。", "note"),
                           *(rh.paragraph("不重复计算：" + t + "。", "note")
                             for t in precedence_texts(rules))))
    level = meta.get("level", "")
    by_unit = summary[["DW_DM", "DW_MC"] + [f.column for f in families] +
                      ["XZGD_MU", "JSGD_MU", "JZGD_MU", "JZGD_ZB", "YGD_MU", "JBNT_MU"]]
    body.append(rh.section(f"三、各{level or '单位'}潜力",
                           rh.image(charts.potential_chart(summary), "各单位潜力"),
                           rh.table(frame_for_people(by_unit, pot.SUMMARY_FIELDS))))
    types = type_statistics(result, rules)
    skipped = skipped_reasons(result)
    types["状态"] = ["跳过" if t in skipped else "已评估" for t in types["潜力类型"]]
    body.append(rh.section("四、潜力类型", rh.table(types[["潜力类型", "状态", "潜力大类", "图斑数", "面积（亩）",
                                                        "计入目标（亩）", "新增耕地（亩）", "认定规则",
                                                        "新增耕地"]]),
                           rh.paragraph("大类面积中同一图斑只计一次，且按不重复计算规则只计入一个大类的目标；"
                                        "一个图斑可有多种潜力类型（以“;”分隔）。新增耕地扣除田坎（按省田坎系数表），"
                                        "负值表示退出耕地。", "note")))
    if skipped:
        body.append(rh.section("五、未评估的潜力类型", rh.table(pd.DataFrame(
            list(skipped.items()), columns=["潜力类型", "原因"]))))
    else:
        body.append(rh.section("五、未评估的潜力类型", rh.paragraph("无：全部潜力类型均已评估。", "note")))
    shown = checks if (checks["DW_MC"] != "").any() else checks.drop(columns=["DW_MC"])
    body.append(rh.section("六、规则检查", rh.table(frame_for_people(shown, pot.CHECK_FIELDS),
                                                 decimals=2, cell_class=_check_class),
                           rh.paragraph("规则见《全域土地综合整治》政策要求：新增耕地不少于原有耕地 5%、"
                                        "建设用地总量不增加、不在 25° 以上坡地和生态保护红线内新增耕地、"
                                        "永久基本农田调出不超过 5% 且补划不少于 105%。阈值可在规则配置中修改。",
                                        "note")))
    if geoms is not None:
        png = charts.potential_map(geoms, result.parcels)
        body.append(rh.section("七、潜力分布图", rh.image(png, "潜力分布图") or
                               rh.paragraph("（未安装 matplotlib，未生成地图）", "note")))
    if contiguity_table is not None and len(contiguity_table):
        tot = pot.contiguity_totals(contiguity_table).drop(columns=["CJ_DM"])
        body.append(rh.section("八、耕地集中连片度（整治前后）", rh.table(tot.rename(columns=CONTIGUITY_ALIAS)),
                               rh.paragraph(f"连片：共边相邻的耕地图斑，宽度不超过 {rules.bridge_width_m:g} "
                                            "米的农村道路、沟渠不隔断；大连片指不小于 "
                                            f"{rules.large_block_mu:g} 亩的连片。整治后 = 现状耕地 − 退出耕地"
                                            "（坡耕地退出、林耕置换出）+ 新增耕地图斑。", "note")))
    if result.notes:
        body.append(rh.section("九、说明", *(rh.paragraph(zh(t), "note") for t in result.notes)))
    return rh.page("全域土地综合整治潜力调查评估报告", "".join(body),
                   subtitle="农用地整理 · 建设用地整理 · 生态保护修复")
