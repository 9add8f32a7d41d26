"""The CJK fonts that write the Chinese of the declaration map and the reports, in the order
the plugin prefers them, and the choice among those installed. One list for both: the map
(Qt, by family name) and the HTML/chart reports (matplotlib, by font file)."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class CjkFont:
    family: str      # the family name Qt and CSS know
    aliases: tuple   # other names Qt may list for it (the Chinese names on Windows)
    files: tuple     # the regular font files that hold it (matplotlib reads a file)


# Linux (Debian fonts-noto-cjk, Adobe's Source Han), Windows, Linux (WenQuanYi), macOS
CJK_FONTS = (
    CjkFont("Noto Sans CJK SC", (), ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf",
                                     "NotoSansSC-Regular.otf")),
    CjkFont("Noto Serif CJK SC", (), ("NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular.otf",
                                      "NotoSerifSC-Regular.otf")),
    CjkFont("Source Han Sans SC", ("Source Han Sans CN",), ("SourceHanSansSC-Regular.otf",
                                                            "SourceHanSans-Regular.ttc")),
    CjkFont("Microsoft YaHei", ("微软雅黑",), ("msyh.ttc", "msyh.ttf")),
    CjkFont("SimHei", ("黑体",), ("simhei.ttf",)),
    CjkFont("SimSun", ("宋体", "NSimSun", "新宋体"), ("simsun.ttc", "simsun.ttf")),
    CjkFont("WenQuanYi Micro Hei", ("文泉驿微米黑",), ("wqy-microhei.ttc",)),
    CjkFont("WenQuanYi Zen Hei", ("文泉驿正黑",), ("wqy-zenhei.ttc",)),
    CjkFont("PingFang SC", ("Heiti SC",), ("PingFang.ttc",)),
)


def cjk_family(installed) -> str:
    """The first family of CJK_FONTS among the `installed` family names, as installed
    (an alias when that is the name listed); '' when none is."""
    installed = set(installed)
    for font in CJK_FONTS:
        for name in (font.family, *font.aliases):
            if name in installed:
                return name
    return ""


def cjk_font_files(installed) -> list:
    """The files of CJK_FONTS among the `installed` font file paths, in CJK_FONTS's order.
    File names are compared without case (Windows: C:/Windows/Fonts/MSYH.TTC)."""
    by_name = {}
    for path in installed:
        by_name.setdefault(os.path.basename(str(path).replace("\\", "/")).lower(), str(path))
    return [by_name[name.lower()] for font in CJK_FONTS for name in font.files
            if name.lower() in by_name]
