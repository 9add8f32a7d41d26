"""core.fonts: the one ordered list of CJK fonts, and the choice among those installed, for
the declaration map (family names, as Qt lists them) and the reports (font files, as
matplotlib finds them): each name of the list is found, the list's order decides."""
import pytest

from qn_landconsol_plugin.core.fonts import CJK_FONTS, cjk_family, cjk_font_files

OTHERS = ["DejaVu Sans", "Liberation Serif", "Arial", "Times New Roman", "Noto Sans"]
OTHER_FILES = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "C:/Windows/Fonts/arial.ttf"]
NAMES = [(font, name) for font in CJK_FONTS for name in (font.family, *font.aliases)]
FILES = [(font, name) for font in CJK_FONTS for name in font.files]


def test_the_list_has_the_windows_and_linux_fonts_in_order():
    families = [f.family for f in CJK_FONTS]
    for name in ("Microsoft YaHei", "SimSun", "SimHei", "Noto Sans CJK SC", "Noto Serif CJK SC",
                 "WenQuanYi Micro Hei", "WenQuanYi Zen Hei"):
        assert name in families
    order = [families.index(n) for n in ("Noto Sans CJK SC", "Microsoft YaHei", "SimHei", "SimSun",
                                           "WenQuanYi Micro Hei")]
    assert order == sorted(order)


@pytest.mark.parametrize("font, name", NAMES, ids=[n for _f, n in NAMES])
def test_each_family_name_is_picked_when_it_is_the_one_installed(font, name):
    assert cjk_family(OTHERS + [name]) == name
    assert cjk_family(OTHERS) == ""


@pytest.mark.parametrize("font, name", FILES, ids=[n for _f, n in FILES])
def test_each_font_file_is_picked_when_it_is_the_one_installed(font, name):
    for folder in ("/usr/share/fonts/opentype/noto", "C:\\Windows\\Fonts", "/Library/Fonts"):
        path = f"{folder}/{name}" if "/" in folder else f"{folder}\\{name.upper()}"
        assert cjk_font_files(OTHER_FILES + [path]) == [path]
    assert cjk_font_files(OTHER_FILES) == []


def test_the_first_of_the_list_wins_whatever_order_they_are_installed_in():
    everything = [n for _f, n in NAMES]
    assert cjk_family(list(reversed(everything)) + OTHERS) == "Noto Sans CJK SC"
    windows = ["宋体", "SimHei", "微软雅黑", "Arial"]          # a Chinese Windows, names localised
    assert cjk_family(windows) == "微软雅黑"
    assert cjk_family(["SimSun", "SimHei"]) == "SimHei"
    assert cjk_family(["WenQuanYi Zen Hei", "Noto Serif CJK SC"]) == "Noto Serif CJK SC"
    files = ["C:/Windows/Fonts/simsun.ttc", "C:/Windows/Fonts/simhei.ttf",
             "C:/Windows/Fonts/msyh.ttc"]
    assert cjk_font_files(files) == ["C:/Windows/Fonts/msyh.ttc", "C:/Windows/Fonts/simhei.ttf",
                                     "C:/Windows/Fonts/simsun.ttc"]
    debian = ["/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
              "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"]
    assert cjk_font_files(debian)[0] == "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def test_the_reports_use_the_first_font_of_the_list_found_on_this_machine():
    from qn_landconsol_plugin.core.reports import html

    found = cjk_font_files(html.installed_font_files())
    if not found:
        pytest.skip("no CJK font installed")
    font = html.cjk_font()
    assert font is not None and font.get_file() == found[0]
