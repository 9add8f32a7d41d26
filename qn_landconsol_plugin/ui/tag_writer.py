"""Tag writer (整治任务标注): writes a task and the project to parcels of a layer, adds
the five tag fields when missing, one undo step per tagging.

No widgets: questions go to `confirm(title, text) -> bool` and messages to
`notify(text, level)`, so the dock, a script or a test can drive it alike.
"""
from __future__ import annotations

from dataclasses import dataclass

from qgis.core import Qgis, QgsEditorWidgetSetup, QgsFeatureRequest, QgsVectorDataProvider

from ..qgis_io.values import qgs_field
from ..core import task_types
from ..core.fields import find_field
from ..translation import tr

# Canonical tag field names (core.task_types.TAG_FIELDS order: ZZLX ZZZLX XMBH XMMC SSND)
TAG_NAMES = tuple(spec.name for spec in task_types.TAG_FIELDS)


@dataclass(frozen=True)
class ProjectTags:
    """The project written with every task: XMBH, XMMC, SSND."""
    code: str
    name: str = ""
    year: int | None = None


def canonical_fields(layer, canonical) -> dict:
    """{canonical name: the layer's field name} for the `canonical` names it has
    (matched case-insensitively, with the usual variants)."""
    names = layer.fields().names()
    found = {}
    for name in canonical:
        actual = find_field(names, name)
        if actual is not None:
            found[name] = actual
    return found


def _ignore(*_args):
    return None


class TagWriter:
    """Tags parcels of a QgsVectorLayer with a task of core.task_types and a project."""

    def __init__(self, confirm, notify=_ignore):
        self.confirm = confirm
        self.notify = notify

    # ------------------------------------------------------------------ fields
    def ensure_fields(self, layer) -> dict | None:
        """{canonical: field index} of the five tag fields, adding the missing ones
        after asking once; None when the user declines or the layer can't take them."""
        present = canonical_fields(layer, TAG_NAMES)
        missing = [spec for spec in task_types.TAG_FIELDS if spec.name not in present]
        if missing:
            names = ", ".join(f"{s.name} ({s.alias})" for s in missing)
            caps = layer.dataProvider().capabilities() if layer.dataProvider() else 0
            if not caps & QgsVectorDataProvider.Capability.AddAttributes and not layer.isEditable():
                self.notify(tr("Layer '{0}' cannot take new fields ({1}).").format(layer.name(), names),
                            Qgis.MessageLevel.Warning)
                return None
            if not self.confirm(tr("Add consolidation fields"),
                                tr("Layer '{0}' has no field(s) {1}. Add them to tag parcels?")
                                .format(layer.name(), names)):
                self.notify(tr("Nothing tagged: the tag fields were not added."), Qgis.MessageLevel.Info)
                return None
            if not self._add_fields(layer, missing):
                self.notify(tr("Could not add the fields {0} to layer '{1}'.").format(names, layer.name()),
                            Qgis.MessageLevel.Critical)
                return None
            present = canonical_fields(layer, TAG_NAMES)
        self._decorate_fields(layer, present)
        return {c: layer.fields().indexOf(present[c]) for c in TAG_NAMES}

    @staticmethod
    def _add_fields(layer, specs) -> bool:
        fields = [qgs_field(spec) for spec in specs]
        if layer.isEditable():
            layer.beginEditCommand(tr("Add consolidation fields"))
            ok = all(layer.addAttribute(f) for f in fields)
            if ok:
                layer.endEditCommand()
            else:
                layer.destroyEditCommand()
            layer.updateFields()
            return ok
        ok = layer.dataProvider().addAttributes(fields)
        layer.updateFields()
        return bool(ok)

    @staticmethod
    def _decorate_fields(layer, present: dict):
        """Chinese aliases and value maps (code -> Chinese label) on the tag fields."""
        maps = {
            "ZZLX": [{f.zh: f.code} for f in task_types.FAMILIES],
            "ZZZLX": [{f"{s.zh}": s.code} for f in task_types.FAMILIES for s in f.subtypes],
        }
        for spec in task_types.TAG_FIELDS:
            name = present.get(spec.name)
            if name is None:
                continue
            index = layer.fields().indexOf(name)
            if not layer.attributeAlias(index):
                layer.setFieldAlias(index, spec.alias)
            if spec.name in maps and layer.editorWidgetSetup(index).type() != "ValueMap":
                layer.setEditorWidgetSetup(index, QgsEditorWidgetSetup("ValueMap", {"map": maps[spec.name]}))

    # ----------------------------------------------------------------- tagging
    def can_edit(self, layer) -> bool:
        """False (with a message) for a read-only layer or one whose attributes can't change."""
        if layer.readOnly():
            self.notify(tr("Layer '{0}' is read-only: nothing was changed.").format(layer.name()),
                        Qgis.MessageLevel.Warning)
            return False
        caps = layer.dataProvider().capabilities() if layer.dataProvider() else 0
        if not caps & QgsVectorDataProvider.Capability.ChangeAttributeValues:
            self.notify(tr("Layer '{0}' does not allow editing attributes: nothing was changed.")
                        .format(layer.name()), Qgis.MessageLevel.Warning)
            return False
        return True

    def tag(self, layer, fids, task: str, project: ProjectTags) -> int:
        """Write `task` (a family or subtype code) and `project` to parcels `fids` as one
        undo step; returns the number of parcels changed."""
        return self._write(layer, fids, task, project, clear=False)

    def clear(self, layer, fids) -> int:
        """Set the tag fields of parcels `fids` to NULL as one undo step."""
        return self._write(layer, fids, None, None, clear=True)

    def _write(self, layer, fids, task, project, clear) -> int:
        if layer is None:
            self.notify(tr("Choose the parcel layer first."), Qgis.MessageLevel.Warning)
            return 0
        fids = list(fids)
        if not fids:
            self.notify(tr("Select parcels on the map first: nothing was changed."), Qgis.MessageLevel.Warning)
            return 0
        if not self.can_edit(layer):
            return 0
        if clear:
            present = canonical_fields(layer, TAG_NAMES)
            if not present:
                self.notify(tr("Layer '{0}' has no tag fields: nothing to clear.").format(layer.name()))
                return 0
            index = {c: layer.fields().indexOf(present[c]) for c in present}
            values = {c: None for c in index}
            label = tr("Clear consolidation tags")
        else:
            family = task_types.family_of(task or "")
            if family is None:
                self.notify(tr("Choose a task in the list first."), Qgis.MessageLevel.Warning)
                return 0
            if project is None or not project.code:
                self.notify(tr("Enter the project code (XMBH) first: nothing was changed."), Qgis.MessageLevel.Warning)
                return 0
            sub = task_types.subtype(task)
            index = self.ensure_fields(layer)
            if index is None:
                return 0
            values = {"ZZLX": family.code, "ZZZLX": sub.code if sub else None,
                      "XMBH": project.code, "XMMC": project.name or None, "SSND": project.year}
            label = tr("Tag parcels: {0}").format(task_types.label(task))
        if not layer.isEditable() and not layer.startEditing():
            self.notify(tr("Layer '{0}' cannot be edited: nothing was changed.").format(layer.name()),
                        Qgis.MessageLevel.Warning)
            return 0
        new = {index[c]: v for c, v in values.items()}
        old = self.old_values(layer, fids, list(new))
        layer.beginEditCommand(label)
        ok = all(layer.changeAttributeValues(fid, new, old.get(fid, {})) for fid in fids)
        if not ok:
            layer.destroyEditCommand()
            self.notify(tr("Tagging failed on layer '{0}': nothing was changed.").format(layer.name()),
                        Qgis.MessageLevel.Critical)
            return 0
        layer.endEditCommand()
        layer.triggerRepaint()
        if clear:
            self.notify(tr("{0} parcel(s) cleared.").format(len(fids)))
        else:
            self.notify(tr("{0} parcel(s) tagged: {1}.").format(len(fids), task_types.label(task)))
        return len(fids)

    @staticmethod
    def old_values(layer, fids, indexes) -> dict:
        """{fid: {field index: value}} of parcels `fids` (no geometry read)."""
        request = (QgsFeatureRequest().setFilterFids(list(fids))
                   .setFlags(QgsFeatureRequest.Flag.NoGeometry).setSubsetOfAttributes(indexes))
        old = {}
        for feature in layer.getFeatures(request):
            attrs = feature.attributes()
            old[feature.id()] = {i: attrs[i] for i in indexes}
        return old
