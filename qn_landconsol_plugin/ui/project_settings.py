"""Project settings of the dock (面板设置), kept in the QGIS project file under the
`qn_landconsol` scope: the layers by id, the project (XMBH, XMMC, SSND), the totals
scope and the targets. Plain reads and writes, no widgets.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..core.rules import Targets

SCOPE = "qn_landconsol"          # QgsProject entry scope
LAYER_KEYS = ("parcels", "red_line", "pbf", "udb", "dem")


@dataclass
class DockSettings:
    """What the dock keeps in the project. A layer id is '' when the user left the role
    empty, None when the project holds no entry for it (the dock then chooses)."""
    layers: dict = field(default_factory=lambda: {k: None for k in LAYER_KEYS})
    xmbh: str = ""
    xmmc: str = ""
    ssnd: int = 0                     # 0: not set
    scope: str = "project"            # 'project' or 'all'
    targets: dict = field(default_factory=dict)   # Targets attribute -> mu


def write(project, settings: DockSettings):
    """Write `settings` to `project`, touching only the entries that changed (so the
    project is not marked dirty by a no-op)."""
    entries = {f"/dock/{k}": settings.layers.get(k, "") or "" for k in LAYER_KEYS}
    entries.update({"/dock/xmbh": settings.xmbh, "/dock/xmmc": settings.xmmc,
                    "/dock/scope": settings.scope or "project"})
    for key, value in entries.items():
        stored, ok = project.readEntry(SCOPE, key, "")
        if not ok or stored != value:
            project.writeEntry(SCOPE, key, value)
    if project.readNumEntry(SCOPE, "/dock/ssnd", 0)[0] != settings.ssnd:
        project.writeEntry(SCOPE, "/dock/ssnd", int(settings.ssnd))
    for attr, value in settings.targets.items():
        key = f"/targets/{attr}"
        if project.readDoubleEntry(SCOPE, key, -1.0)[0] != value:
            project.writeEntryDouble(SCOPE, key, float(value))


def read(project, target_attrs=()) -> DockSettings:
    """The settings stored in `project`; targets `target_attrs` not stored get the
    defaults of core.rules.Targets."""
    settings = DockSettings()
    for key in LAYER_KEYS:
        layer_id, ok = project.readEntry(SCOPE, f"/dock/{key}", "")
        settings.layers[key] = layer_id if ok else None
    settings.xmbh = project.readEntry(SCOPE, "/dock/xmbh", "")[0]
    settings.xmmc = project.readEntry(SCOPE, "/dock/xmmc", "")[0]
    year, ok = project.readNumEntry(SCOPE, "/dock/ssnd", 0)
    settings.ssnd = year if ok else 0
    settings.scope = project.readEntry(SCOPE, "/dock/scope", "project")[0]
    defaults = Targets()
    for attr in target_attrs:
        value, ok = project.readDoubleEntry(SCOPE, f"/targets/{attr}", getattr(defaults, attr))
        settings.targets[attr] = value if ok else getattr(defaults, attr)
    return settings


def stored_layer(project, settings: DockSettings, key: str):
    """The project's layer saved under `key`, None if unset or gone."""
    layer_id = settings.layers.get(key)
    return project.mapLayer(layer_id) if layer_id else None
