"""What reading a declaration TXT can find, as data (core.messages): one catalogue of
wordings (English for the log, translated by the algorithm; Chinese for the 说明 field
of the imported 地块), the lenient reader's action after each problem, and the 状态
(ZT) of a 地块 that follows from its findings."""
from __future__ import annotations

from dataclasses import dataclass

from .messages import ERROR, INFO, WARNING, Finding, Wording, translatable

# ERROR: the file breaks the format ("Stop on errors" rejects it; the lenient reader
# repairs, flags or skips and says which); WARNING: a tolerated variant; INFO: how the
# file was read. {block} is the 地块's number and name; {line} is in the finding.
ISSUES = {
    # --- bytes and encoding
    "EMPTY": Wording(translatable("the file is empty"), "文件为空"),
    "BINARY": Wording(translatable("not a text file: control byte {byte} at byte {offset} "
                                   "(a binary file, e.g. a spreadsheet or an image?)"),
                      "不是文本文件：第{offset}字节为控制字符{byte}（可能是表格或图片等二进制文件）"),
    "NOT_TEXT": Wording(translatable("not a text file in UTF-8, GBK or UTF-16: {bad} of {lines} "
                                     "lines cannot be decoded"),
                        "不是UTF-8、GBK或UTF-16文本：{lines}行中有{bad}行无法解码"),
    "BAD_BYTES": Wording(translatable("bytes that are not {encoding} replaced by �"),
                         "含有非{encoding}字节，已替换为�"),
    "ODD_UTF16": Wording(translatable("the UTF-16 file has an odd number of bytes: its last "
                                      "byte (half a character) is ignored; is the file cut off?"),
                         "UTF-16文件字节数为奇数：末尾半个字符已忽略，文件可能不完整"),
    "TRAILING_NUL": Wording(translatable("the file ends with {n} NUL byte(s) (damaged or cut "
                                         "off?); ignored"),
                            "文件末尾有{n}个空字节（文件可能损坏或不完整），已忽略"),
    "CONTROL_CHARS": Wording(translatable("control characters in the line: {text}"),
                             "该行含控制字符：{text}"),
    "ENCODING_BOM": Wording(translatable("read as {encoding} (byte order mark)"),
                            "按{encoding}读取（字节顺序标记）"),
    "ENCODING_UTF16": Wording(translatable("read as UTF-16 without byte order mark ({order}, "
                                           "from its NUL bytes)"),
                              "按无字节顺序标记的UTF-16读取（{order}，据空字节判断）"),
    "ENCODING_UTF8": Wording(translatable("read as UTF-8 (the bytes are valid UTF-8, not GBK)"),
                             "按UTF-8读取（字节符合UTF-8，不符合GBK）"),
    "ENCODING_GBK": Wording(translatable("read as GBK/GB18030 (the bytes are not valid UTF-8)"),
                            "按GBK/GB18030读取（字节不符合UTF-8）"),
    "ENCODING_BOTH_SECTIONS": Wording(translatable("the bytes are valid UTF-8 and valid GBK: read as "
                                                   "{encoding}, in which the section names read "
                                                   "correctly"),
                                      "字节同时符合UTF-8和GBK：按{encoding}读取（其节名可正确读出）"),
    "ENCODING_BOTH_FIRST": Wording(translatable("the bytes are valid UTF-8 and valid GBK and the "
                                                "section names do not tell: read as UTF-8, the first "
                                                "of the order"),
                                   "字节同时符合UTF-8和GBK，节名无法区分：按顺序中的第一种UTF-8读取"),
    "ENCODING_DAMAGED": Wording(translatable("neither valid UTF-8 nor valid GBK: read as {encoding}, "
                                             "which leaves fewer lines undecodable ({bad})"),
                                "既不符合UTF-8也不符合GBK：按{encoding}读取（无法解码的行较少，{bad}行）"),
    # --- sections and [属性描述]
    "UNKNOWN_SECTION": Wording(translatable("unknown section [{section}] ignored"),
                               "未知的节[{section}]，已忽略"),
    "DUPLICATE_SECTION": Wording(translatable("a second [{section}] section (two files joined?)"),
                                 "第二个[{section}]节（是否拼接了两个文件？）"),
    "TEXT_BEFORE_SECTION": Wording(translatable("text before the first section ignored"),
                                   "第一个节之前的文字，已忽略"),
    "NOT_KEY_VALUE": Wording(translatable("not a key=value line: {text}"),
                             "不是“键=值”格式：{text}"),
    "KEY_SEPARATOR": Wording(translatable("key and value separated by '{sep}' instead of '=' "
                                          "(read; first at this line)"),
                             "键与值之间用“{sep}”而不是“=”分隔（已读取；首见于此行）"),
    "DUPLICATE_KEY": Wording(translatable("{key} given twice: line {first} says {old!r}, this line "
                                          "{new!r}; the first is used"),
                             "{key}重复：第{first}行为“{old}”，此行为“{new}”；采用前者"),
    "ZONE_NOT_NUMBER": Wording(translatable("带号 is not a number: {value!r}"),
                               "带号不是数字：“{value}”"),
    "ZONE_OUT_OF_RANGE": Wording(translatable("带号 {zone} is no CGCS2000 3-degree zone (25–45)"),
                                 "带号{zone}不是CGCS2000三度带（25–45）"),
    "ZONE_WIDTH": Wording(translatable("几度分带={value}: only 3-degree zones are read; the "
                                       "coordinates are taken as 3-degree zone {zone}"),
                          "几度分带={value}：只支持三度带，坐标按三度带第{zone}带读取"),
    "CRS_NAME": Wording(translatable("坐标系={value} is not CGCS2000 (2000国家大地坐标系): "
                                     "the coordinates are placed as CGCS2000"),
                        "坐标系“{value}”不是2000国家大地坐标系：坐标按CGCS2000放置"),
    "UNITS": Wording(translatable("计量单位={value}: the coordinates are read as metres"),
                     "计量单位“{value}”：坐标按米读取"),
    "NO_ATTRIBUTES": Wording(translatable("no [属性描述] section"), "缺少[属性描述]节"),
    "NO_COORDINATES": Wording(translatable("no [地块坐标] section: the file ends at line {last}"),
                              "缺少[地块坐标]节：文件在第{last}行结束"),
    "NO_PARCELS": Wording(translatable("no 地块 in [地块坐标]"), "[地块坐标]中没有地块"),
    # --- lines of [地块坐标]
    "FULLWIDTH": Wording(translatable("full-width characters (，０-９．－) read as ASCII; the "
                                      "format asks for ASCII (first at this line)"),
                         "全角字符（，０-９．－）已按半角读取；格式要求半角（首见于此行）"),
    "TAB_SEPARATED": Wording(translatable("fields separated by tabs instead of commas (read; "
                                          "first at this line)"),
                             "字段以制表符而非逗号分隔（已读取；首见于此行）"),
    "QUOTED": Wording(translatable("fields in double quotes (read; saved from a spreadsheet? "
                                   "first at this line)"),
                      "字段带双引号（已读取；是否由电子表格保存？首见于此行）"),
    "TRAILING_FIELDS": Wording(translatable("empty fields after Y ignored (saved from a "
                                            "spreadsheet? first at this line)"),
                               "Y之后的空字段已忽略（是否由电子表格保存？首见于此行）"),
    "NO_AT": Wording(translatable("地块 line does not end with @"), "地块行不以@结尾"),
    "FIELD_COUNT": Wording(translatable("地块 line has {n} fields, 8 expected"),
                           "地块行有{n}个字段，应为8个（或13个）"),
    "POINT_COUNT_NOT_WHOLE": Wording(translatable("界址点数 is not a whole number: {value!r}"),
                                     "界址点数不是整数：“{value}”"),
    "AREA_NOT_NUMBER": Wording(translatable("地块面积 is not a number: {value!r}"),
                               "地块面积不是数字：“{value}”"),
    "POINT_FIELDS": Wording(translatable("point line needs 4 fields (点号,圈号,X,Y), has {n}: "
                                         "{text}"),
                            "界址点行应有4个字段（点号,圈号,X,Y），此行{n}个：{text}"),
    "POINT_BEFORE_PARCEL": Wording(translatable("point line before any 地块 line"),
                                   "界址点行之前没有地块行"),
    "NOT_NUMBER": Wording(translatable("{names} not a number: {text}"), "{names}不是数字：{text}"),
    "RING_NUMBER": Wording(translatable("圈号 {value!r} is not a positive whole number"),
                           "圈号“{value}”不是正整数"),
    "EXPONENT": Wording(translatable("{names} in exponent notation ({text}): digits were lost "
                                     "(saved from a spreadsheet?)"),
                        "{names}为科学计数法（{text}）：有效数字已丢失（是否由电子表格保存？）"),
    "SWAPPED": Wording(translatable("X/Y columns are swapped (Y has the northing's 7 digits); read "
                                    "as X=northing, Y=easting"),
                       "X、Y列互换（Y为7位北坐标），已按X=北坐标、Y=东坐标读取"),
    "SWAPPED_POINT": Wording(translatable("X and Y swapped on this line only (X has {x_digits} "
                                          "digits, Y {y_digits})"),
                             "仅此行X、Y互换（X为{x_digits}位，Y为{y_digits}位）"),
    # --- rings and 地块
    "RING_NOT_CLOSED": Wording(translatable("ring {ring} of 地块 '{block}' is not closed (its "
                                            "first point is not repeated; lines {first}–{last})"),
                               "第{ring}圈未闭合（首点未重复；第{first}–{last}行）"),
    "RING_ORDER": Wording(translatable("地块 '{block}': 圈号 {found} where {expected} was "
                                       "expected (rings are numbered 1, 2, 3… in order)"),
                          "圈号为{found}，应为{expected}（圈号应按1、2、3……顺序）"),
    "RING_TOO_SHORT": Wording(translatable("ring {ring} of 地块 '{block}' has fewer than 3 "
                                           "distinct points"),
                              "第{ring}圈不同的点少于3个"),
    "RING_NO_AREA": Wording(translatable("ring {ring} of 地块 '{block}' encloses no area (its "
                                         "points lie on a line)"),
                            "第{ring}圈面积为0（各点共线）"),
    "RING_SELF_INTERSECTS": Wording(translatable("ring {ring} of 地块 '{block}' crosses itself (a "
                                                 "bow-tie): the edges from points {points} (lines "
                                                 "{lines}) meet at X={x:.4f}, Y={y:.4f}"),
                                    "第{ring}圈自相交（“8”字形）：从{points}（第{lines}行）起的边"
                                    "交于X={x:.4f}，Y={y:.4f}"),
    "RINGS_CROSS": Wording(translatable("rings of 地块 '{block}' cross or overlap each other: the "
                                        "edges from points {points} (lines {lines}) meet at "
                                        "X={x:.4f}, Y={y:.4f}"),
                           "各圈相互交叉或重叠：从{points}（第{lines}行）起的边交于X={x:.4f}，Y={y:.4f}"),
    "DISCONNECTED": Wording(translatable("the holes of 地块 '{block}' cut its interior in pieces "
                                         "at X={x:.4f}, Y={y:.4f} (points {points}, lines {lines})"),
                            "内圈把地块分割成不连通的几部分，位置X={x:.4f}，Y={y:.4f}（{points}，第{lines}行）"),
    "POLYGON_INVALID": Wording(translatable("the rings of 地块 '{block}' are not a valid polygon "
                                            "({reason}) at X={x:.4f}, Y={y:.4f} (points {points}, "
                                            "lines {lines})"),
                               "各圈不能构成有效的面（{reason}），位置X={x:.4f}，Y={y:.4f}（{points}，"
                               "第{lines}行）"),
    "POINT_COUNT_DIFFERS": Wording(translatable("地块 '{block}': 界址点数 says {stated}, {found} "
                                                "point lines follow"),
                                   "界址点数为{stated}，实有界址点行{found}行"),
    "TRUNCATED": Wording(translatable("the file ends inside 地块 '{block}' ({found} of {stated} "
                                      "points): is it cut off?"),
                         "文件在地块中间结束（界址点{found}/{stated}），文件可能不完整"),
    "NO_POINTS": Wording(translatable("地块 '{block}' has no points"), "地块没有界址点"),
    "NO_ZONE": Wording(translatable("no usable 带号 and the Y coordinates carry no zone prefix: "
                                    "the CRS cannot be known"),
                       "没有可用的带号，Y坐标也不带带号前缀：无法确定坐标系"),
    "ZONE_FROM_PREFIX": Wording(translatable("zone {zone} taken from the prefix of the Y "
                                             "coordinates (no usable 带号)"),
                                "没有可用的带号：按Y坐标前缀取第{zone}带"),
    "ZONE_CONTRADICTS": Wording(translatable("带号 {zone} (line {zone_line}) contradicts the zone "
                                             "prefix {prefix} of the Y coordinates (from 地块 "
                                             "'{block}' on); zone {prefix} of the coordinates is "
                                             "used"),
                                "带号{zone}（第{zone_line}行）与Y坐标的带号前缀{prefix}矛盾（自地块“{block}”起）；"
                                "按坐标的第{prefix}带读取"),
    "PREFIX_DIFFERS": Wording(translatable("地块 '{block}': Y prefix {prefixes} differs from zone "
                                           "{zone} ({count} point(s), lines {lines})"),
                              "Y坐标前缀{prefixes}与第{zone}带不符（{count}个点，第{lines}行）"),
    "NOT_A_COORDINATE": Wording(translatable("地块 '{block}': {count} point(s) with coordinates no "
                                             "map can hold (lines {lines}); the 地块 gets no "
                                             "geometry"),
                                "{count}个点的坐标不可能存在（第{lines}行），该地块不生成图形"),
    "OUT_OF_ZONE": Wording(translatable("地块 '{block}': {count} point(s) outside zone {zone} "
                                        "(easting {e_min:,.0f}–{e_max:,.0f}, northing "
                                        "{n_min:,.0f}–{n_max:,.0f}; lines {lines})"),
                           "{count}个点超出第{zone}带范围（东坐标{e_min:.0f}–{e_max:.0f}，北坐标"
                           "{n_min:.0f}–{n_max:.0f}；第{lines}行）"),
    "FAR_VERTEX": Wording(translatable("地块 '{block}': {count} point(s) more than {km:g} km from "
                                       "the 地块's other points (up to {far:,.1f} km; lines "
                                       "{lines})"),
                          "{count}个点距本地块其他点超过{km:g}千米（最远{far:.1f}千米；第{lines}行）"),
    "OUTSIDE_REGION": Wording(translatable("地块 '{block}': {count} point(s) outside Qiannan "
                                           "Prefecture (zone-36 easting {e_min:,.0f}–{e_max:,.0f}, "
                                           "northing {n_min:,.0f}–{n_max:,.0f}; lines {lines})"),
                              "{count}个点在黔南州范围之外（36带东坐标{e_min:.0f}–{e_max:.0f}，北坐标"
                              "{n_min:.0f}–{n_max:.0f}；第{lines}行）"),
    "AREA_DIFFERS": Wording(translatable("地块 '{block}': stated area {stated:.4f} ha, coordinates "
                                         "give {computed:.4f} ha"),
                            "申报面积{stated:.4f}公顷，坐标计算面积{computed:.4f}公顷"),
    "MORE": Wording(translatable("… {n} more finding(s) of this kind not shown (see the 说明 "
                                 "field SM of the output)"),
                    "……另有{n}条同类问题未列出"),
}

# Problems after which there is nothing to import: errors in both modes
FATAL = frozenset({"EMPTY", "BINARY", "NOT_TEXT", "NO_COORDINATES", "NO_PARCELS", "NO_ZONE"})

# What the lenient reader did about a problem (shown after it in the log and in SM)
ACTIONS = {
    "ignored": Wording(translatable("line ignored"), "该行已忽略"),
    "closed": Wording(translatable("closed on read"), "已按首点闭合"),
    "ring_dropped": Wording(translatable("ring left out"), "该圈已舍去"),
    "repaired": Wording(translatable("polygon repaired (make_valid)"), "图形已修复"),
    "flagged": Wording(translatable("kept as read, flagged in ZT/SM"), "按原样导入并标记"),
    "dropped": Wording(translatable("the 地块 gets no geometry (ZT 无效)"), "未生成图形"),
    "swapped": Wording(translatable("read with X and Y swapped back"), "已交换X、Y"),
    "replaced": Wording(translatable("replaced by �"), "已替换"),
}

# 状态 (ZT) of an imported 地块, in rising order of concern
STATUS_OK, STATUS_REPAIRED, STATUS_DOUBTFUL, STATUS_INVALID = "正常", "已修复", "存疑", "无效"
_STATUS_OF_ACTION = {"ignored": STATUS_DOUBTFUL, "closed": STATUS_REPAIRED,
                     "ring_dropped": STATUS_REPAIRED,
                     "repaired": STATUS_REPAIRED, "flagged": STATUS_DOUBTFUL,
                     "dropped": STATUS_INVALID, "swapped": STATUS_REPAIRED}
_STATUS_RANK = {STATUS_OK: 0, STATUS_REPAIRED: 1, STATUS_DOUBTFUL: 2, STATUS_INVALID: 3}
NOTE_LENGTH = 120     # characters of the 说明 (SM) field: fits a GBK shapefile's 254 bytes


@dataclass
class TxtIssue(Finding):
    """A finding of the reader at a line (0: the whole file), of a 地块 (`parcel`: its
    index in the file, -1: none), with what the lenient reader did about it (an ACTIONS
    key)."""
    line: int = 0
    parcel: int = -1
    action: str = ""

    @property
    def fatal(self) -> bool:
        return self.code in FATAL

    def __str__(self):
        text = self.text()
        return f"line {self.line}: {text}" if self.line else text

    def note(self) -> str:
        """Chinese text for the 说明 field: 第N行：… （action）."""
        text = self.message
        if self.action in ACTIONS and self.action != "flagged":     # ZT says 存疑 already
            text += f"（{ACTIONS[self.action].zh}）"
        return f"第{self.line}行：{text}" if self.line else text


def issue(line: int, level: str, code: str, parcel: int = -1, action: str = "",
          **values) -> TxtIssue:
    """A finding of `code` at `line`, of the 地块 with index `parcel`."""
    template, template_zh = ISSUES[code]
    return TxtIssue(level, code, values, template, template_zh, line, parcel, action)


def block_status(issues) -> str:
    """ZT of a 地块 from its findings' actions (正常 when none changed or doubted it)."""
    status = STATUS_OK
    for i in issues:
        s = _STATUS_OF_ACTION.get(i.action, STATUS_OK)
        if _STATUS_RANK[s] > _STATUS_RANK[status]:
            status = s
    return status


def block_note(issues, limit: int = NOTE_LENGTH) -> str:
    """SM of a 地块: its findings in Chinese, as many as fit in `limit` characters."""
    notes = [i.note() for i in issues]
    text = ""
    for k, note in enumerate(notes):
        candidate = f"{text}；{note}" if text else note
        rest = len(notes) - k - 1
        tail = f"等{len(notes)}项" if rest else ""
        if len(candidate) + len(tail) > limit:
            if not text:       # a single note longer than the field
                return note[:limit - 1] + "…"
            return f"{text}等{len(notes)}项"
        text = candidate
    return text


def issues_to_log(issues, per_code: int = 30):
    """The findings to log: at most `per_code` of each code, then one MORE finding
    saying how many of that code were left out (the output's SM field has them all)."""
    shown, left = [], {}
    counts = {}
    for i in issues:
        counts[i.code] = counts.get(i.code, 0) + 1
        if counts[i.code] <= per_code:
            shown.append(i)
        else:
            left[i.code] = left.get(i.code, 0) + 1
    for code, n in left.items():
        last = max(j.line for j in issues if j.code == code)
        shown.append(issue(last, WARNING, "MORE", n=n))
    return shown


__all__ = ["ISSUES", "FATAL", "ACTIONS", "TxtIssue", "issue", "block_status", "block_note",
           "issues_to_log", "ERROR", "WARNING", "INFO", "STATUS_OK", "STATUS_REPAIRED",
           "STATUS_DOUBTFUL", "STATUS_INVALID"]
