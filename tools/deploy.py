"""make deploy: link the plugin folder into the default QGIS 3 profile (Linux),
so QGIS loads the working tree; enable it in Plugins ▸ Manage and Install Plugins."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
profile = Path(os.environ.get("QGIS_PROFILE_DIR",
                              Path.home() / ".local/share/QGIS/QGIS3/profiles/default"))
plugins = profile / "python" / "plugins"
plugins.mkdir(parents=True, exist_ok=True)
link = plugins / "qn_landconsol_plugin"
if link.is_symlink() or link.exists():
    if link.resolve() == (ROOT / "qn_landconsol_plugin").resolve():
        print(f"already linked: {link}")
        sys.exit(0)
    sys.exit(f"{link} exists and is not a link to this repository: remove it first")
link.symlink_to(ROOT / "qn_landconsol_plugin", target_is_directory=True)
print(f"linked {link} -> {ROOT / 'qn_landconsol_plugin'}")
