"""Run QGIS desktop under a private Xvfb with a fresh profile and the plugin installed, run a
Python snippet inside it once start-up is over, and return what the snippet recorded.

    python tools/qgis_desktop.py SNIPPET.py [--zip dist/qn_landconsol_plugin-x.zip]
        [--lang zh-Hans] [--size 1366x768] [--with-venv] [--out result.json]

The snippet runs in QGIS's Python with `iface`, `plugin` (this plugin's object or None),
`result` (a dict written out as JSON) and `grab(path, screen=False)` (saves the main window, or the whole screen, as PNG).
Without --with-venv QGIS sees only the system's Python packages, as a user's fresh QGIS
does (no shapely, no pandas on Debian 12). Used by the tests and the screenshot tools.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import site
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WRAPPER = r'''
import json, traceback
from qgis.PyQt.QtCore import QTimer
from qgis.core import QgsApplication
from qgis.utils import iface, plugins

result = {{"plugins": sorted(plugins), "python_errors": []}}


def grab(path, screen=False):
    """Save the main window (or the whole screen, dialogs included) as PNG."""
    from qgis.PyQt.QtWidgets import QApplication
    QApplication.processEvents()
    if screen:
        QApplication.primaryScreen().grabWindow(0).save(path)
    else:
        iface.mainWindow().grab().save(path)


def _python_errors():
    bar = iface.messageBar()
    return [w.text() for w in bar.items() if "python" in (w.title() or "").lower()]


def _run():
    try:
        result["message_bar"] = [[w.title(), w.text()] for w in iface.messageBar().items()]
        plugin = plugins.get("qn_landconsol_plugin")
        code = open({snippet!r}, encoding="utf-8").read()
        exec(compile(code, {snippet!r}, "exec"), {{"iface": iface, "plugin": plugin,
                                                   "result": result, "grab": grab}})
    except Exception:
        result["snippet_error"] = traceback.format_exc()
    result["python_errors"] = _python_errors()
    with open({out!r}, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1)
    QgsApplication.exit(0)


iface.mainWindow().setGeometry(0, 0, {width}, {height})   # no window manager under Xvfb
QTimer.singleShot({delay}, _run)
'''


def free_display() -> int:
    for number in range(90, 200):
        if not Path(f"/tmp/.X{number}-lock").exists() and \
                not Path(f"/tmp/.X11-unix/X{number}").exists():
            return number
    raise SystemExit("no free X display number")


def install_plugin(plugins_dir: Path, zip_path: Path | None) -> None:
    plugins_dir.mkdir(parents=True, exist_ok=True)
    if zip_path is not None:
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(plugins_dir)
    else:
        (plugins_dir / "qn_landconsol_plugin").symlink_to(ROOT / "qn_landconsol_plugin",
                                                          target_is_directory=True)


def run(snippet: Path, zip_path: Path | None = None, lang: str = "zh-Hans",
        size: str = "1366x768", with_venv: bool = False, delay_ms: int = 3000,
        timeout: int = 240, keep_profile: Path | None = None) -> dict:
    width, height = (int(v) for v in size.split("x"))
    tmp = Path(tempfile.mkdtemp(prefix="qn-desktop-"))
    try:
        profile = tmp / "profiles" / "profiles" / "default"
        (profile / "QGIS").mkdir(parents=True)
        (profile / "QGIS" / "QGIS3.ini").write_text(
            "[PythonPlugins]\nqn_landconsol_plugin=true\nprocessing=true\n\n"
            f"[locale]\noverrideFlag=true\nuserLocale={lang}\n\n"
            "[qgis]\nshowTips=false\nshowTips322=false\ncheckVersion=false\n"
            "allowVersionCheck=false\nnewProjectDefault=false\n", encoding="utf-8")
        install_plugin(profile / "python" / "plugins", zip_path)
        out = tmp / "result.json"
        script = tmp / "wrapper.py"
        script.write_text(WRAPPER.format(snippet=str(Path(snippet).resolve()), out=str(out),
                                         width=width, height=height, delay=delay_ms),
                          encoding="utf-8")
        display = free_display()
        xvfb = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", f"{width}x{height}x24",
                                 "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        env = {k: v for k, v in os.environ.items()
               if k not in ("QT_QPA_PLATFORM", "PYTHONPATH", "QGIS_PLUGINPATH",
                            "VIRTUAL_ENV", "PYTHONHOME")}
        env["DISPLAY"] = f":{display}"
        env.setdefault("XDG_RUNTIME_DIR", f"/tmp/runtime-{os.getuid()}")
        os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
        if with_venv:
            env["PYTHONPATH"] = os.pathsep.join(p for p in site.getsitepackages()
                                                if "site-packages" in p)
        qgis = None
        try:
            time.sleep(1.0)
            qgis = subprocess.Popen(
                ["qgis", "--profiles-path", str(tmp / "profiles"), "--lang", lang, "--nologo",
                 "--noversioncheck", "--code", str(script)],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            try:
                log, _ = qgis.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                qgis.kill()
                log, _ = qgis.communicate()
        finally:
            if qgis is not None and qgis.poll() is None:
                qgis.kill()
            xvfb.terminate()
            xvfb.wait(timeout=10)
        if not out.exists():
            raise RuntimeError(f"QGIS wrote no result; its output:\n{log[-4000:]}")
        result = json.loads(out.read_text(encoding="utf-8"))
        result["log"] = log[-4000:]
        if keep_profile is not None:
            shutil.copytree(profile, keep_profile, dirs_exist_ok=True)
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snippet")
    parser.add_argument("--zip", default=None)
    parser.add_argument("--lang", default="zh-Hans")
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--with-venv", action="store_true")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    result = run(Path(args.snippet), Path(args.zip) if args.zip else None, args.lang, args.size,
                 args.with_venv)
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0 if "snippet_error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
