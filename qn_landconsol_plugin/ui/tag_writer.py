"""Tag writer (整治任务标注): writes a task and the project to parcels of a layer, as one
undo step that also adds the five tag fields when they are missing (through the
layer's edit buffer: rolling back removes them, saving writes them to the file).

Before writing it asks about parcels whose land class the task does not apply to
(core.task_types) and parcels that already carry another task; "no" skips them.
No widgets: questions go to `confirm(title, text) -> bool`, messages to
`notify(text, level)`, so the dock, a script or a test drive it alike.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from qgis.core import Qgis, QgsEditorWidgetSetup, QgsFeatureRequest
from qgis.PyQt.QtCore import NULL, QVariant

from ..core import land_classes, task_types
from ..qgis_io.values import qgs_field
from ..core.fields import find_field
from ..qgis_io import compat
from ..translation import tr

# Canonical tag field names (core.task_types.TAG_FIELDS order: ZZLX ZZZLX XMBH XMMC SSND)
TAG_NAMES = tuple(spec.name for spec in task_types.TAG_FIELDS)
WARNING = Qgis.MessageLevel.Warning


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


def _text(value) -> str:
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return ""
    return str(value).strip()


def _listing(counts: Counter, limit: int = 6) -> str:
    """'a × 3; b × 1; …' of the most common entries."""
    parts = [tr("{0} × {1}").format(what, n) for what, n in counts.most_common(limit)]
    if len(counts) > limit:
        parts.append("…")
    return tr("; ").join(parts)


def sentences(*parts) -> str:
    """Sentences run together: a space after Western punctuation, none after Chinese."""
    text = ""
    for part in parts:
        if text and not text.endswith(("。", "？", "！", "）", "：")):
            text += " "
        text += part
    return text


def _if_no(others: int) -> str:
    """What answering no does: those parcels are skipped, the `others` tagged."""
    if others:
        return tr("(No: skip them and tag the other {0}.)").format(others)
    return tr("(No: nothing is tagged.)")


def _ignore(*_args):
    return None


class TagWriter:
    """Tags parcels of a QgsVectorLayer with a task of core.task_types and a project."""

    def __init__(self, confirm, notify=_ignore):
        self.confirm = confirm
        self.notify = notify

    # ----------------------------------------------------------------- public
    def tag(self, layer, fids, task: str, project: ProjectTags) -> int:
        """Write `task` (a family or subtype code) and `project` to parcels `fids` as one
        undo step, after the questions; returns the number of parcels tagged."""
        fids = list(fids)
        if not self._editable(layer, fids):
            return 0
        family = task_types.family_of(task or "")
        if family is None:
            self.notify(tr("Choose a task in the list first."), WARNING)
            return 0
        if project is None or not project.code:
            self.notify(tr("Enter the project code (XMBH) first: nothing was changed."), WARNING)
            return 0
        sub = task_types.subtype(task)
        missing = self._missing_fields(layer)
        if missing is None:
            return 0
        current, old = self._current(layer, fids)
        fids, off_class = self._applicable(layer, fids, task, current)
        fids, kept = self._not_overwriting(layer, fids, (family.code, sub.code if sub else ""),
                                           project.code, current)
        skipped = self._skipped_text(off_class, kept)
        if not fids:
            self.notify(sentences(tr("Nothing tagged."), *skipped), WARNING)
            return 0
        values = {"ZZLX": family.code, "ZZZLX": sub.code if sub else None,
                  "XMBH": project.code, "XMMC": project.name or None, "SSND": project.year}
        label = tr("Tag parcels: {0}").format(task_types.label(task))
        if not self._edit(layer, fids, values, missing, label, old):
            return 0
        self._decorate_fields(layer)
        self.notify(sentences(tr("{0} parcel(s) tagged: {1}.").format(len(fids), task_types.label(task)),
                              *skipped))
        return len(fids)

    def clear(self, layer, fids) -> int:
        """Set the tag fields of parcels `fids` to NULL as one undo step."""
        fids = list(fids)
        if not self._editable(layer, fids):
            return 0
        present = canonical_fields(layer, TAG_NAMES)
        if not present:
            self.notify(tr("Layer '{0}' has no tag fields: nothing to clear.").format(layer.name()))
            return 0
        if not self._edit(layer, fids, {c: None for c in present}, [], tr("Clear consolidation tags")):
            return 0
        self.notify(tr("{0} parcel(s) cleared.").format(len(fids)))
        return len(fids)

    # ----------------------------------------------------------------- checks
    def _editable(self, layer, fids) -> bool:
        """False (with a message) without a layer or parcels, or for a layer whose
        attributes can't change."""
        if layer is None:
            self.notify(tr("Choose the parcel layer first."), WARNING)
            return False
        if not fids:
            self.notify(tr("Select parcels on the map first: nothing was changed."), WARNING)
            return False
        if layer.readOnly():
            self.notify(tr("Layer '{0}' is read-only: nothing was changed.").format(layer.name()), WARNING)
            return False
        caps = layer.dataProvider().capabilities() if layer.dataProvider() else 0
        if not caps & compat.VectorProviderCapability.ChangeAttributeValues:
            self.notify(tr("Layer '{0}' does not allow editing attributes: nothing was changed.")
                        .format(layer.name()), WARNING)
            return False
        return True

    def _missing_fields(self, layer):
        """The tag FieldSpecs the layer lacks, once the user agreed to add them; None
        when they declined or the layer can't take fields."""
        present = canonical_fields(layer, TAG_NAMES)
        missing = [spec for spec in task_types.TAG_FIELDS if spec.name not in present]
        if not missing:
            return []
        names = ", ".join(f"{s.name} ({s.alias})" for s in missing)
        caps = layer.dataProvider().capabilities() if layer.dataProvider() else 0
        if not caps & compat.VectorProviderCapability.AddAttributes:
            self.notify(tr("Layer '{0}' cannot take new fields ({1}).").format(layer.name(), names), WARNING)
            return None
        if not self.confirm(tr("Add consolidation fields"),
                            tr("Layer '{0}' has no field(s) {1}. Add them to tag parcels? They are added "
                               "in the layer's edit session: saving the edits writes them to the file "
                               "(its schema changes), rolling back removes them.")
                            .format(layer.name(), names)):
            self.notify(tr("Nothing tagged: the tag fields were not added."), Qgis.MessageLevel.Info)
            return None
        return missing

    @staticmethod
    def _current(layer, fids) -> tuple:
        """({fid: {canonical: text}} of the land class and the tags parcels `fids` have
        now, {fid: {canonical: value}} of their tags as the edit's old values (old_values);
        one read for both."""
        names = canonical_fields(layer, ("DLBM",) + TAG_NAMES)
        if not names:
            return {}, {}
        canon = list(names)
        index = [layer.fields().indexOf(names[c]) for c in canon]
        tags = [(c, i) for c, i in zip(canon, index) if c in TAG_NAMES]
        request = (QgsFeatureRequest().setFilterFids(list(fids))
                   .setFlags(compat.FeatureRequestFlag.NoGeometry).setSubsetOfAttributes(index))
        current, old = {}, {}
        for feature in layer.getFeatures(request):
            attrs = feature.attributes()
            current[feature.id()] = {c: _text(attrs[i]) for c, i in zip(canon, index)}
            old[feature.id()] = {c: NULL if attrs[i] is None else attrs[i] for c, i in tags}
        return current, old

    def _applicable(self, layer, fids, task, current):
        """(parcels to tag, number skipped): parcels whose DLBM the task does not apply
        to are asked about; without a DLBM field, the whole layer is."""
        if not canonical_fields(layer, ("DLBM",)):
            if self.confirm(tr("No land classes"),
                            tr("Layer '{0}' has no land-class field DLBM: is it the parcel layer "
                               "(三调 地类图斑)? Tag its {1} selected feature(s) anyway?")
                            .format(layer.name(), len(fids))):
                return fids, 0
            return [], len(fids)
        off = [f for f in fids if not task_types.applies_to(task, current.get(f, {}).get("DLBM"))]
        if not off:
            return fids, 0
        counts = Counter()
        for f in off:
            code = current.get(f, {}).get("DLBM", "")
            counts[f"{code} {land_classes.name_of(code)}".strip() or tr("no land class")] += 1
        question = tr("{0} of the {1} parcels are land that {2} does not apply to: {3}. Tag them too?")\
            .format(len(off), len(fids), task_types.label(task), _listing(counts))
        if self.confirm(tr("Land class not suited to the task"), sentences(question, _if_no(len(fids) - len(off)))):
            return fids, 0
        skip = set(off)
        return [f for f in fids if f not in skip], len(off)

    def _not_overwriting(self, layer, fids, new_task, project_code, current):
        """(parcels to tag, number kept): parcels tagged with another task or for another
        project are asked about first."""
        taken = Counter()
        others = []
        for f in fids:
            row = current.get(f, {})
            old_task = (row.get("ZZLX", ""), row.get("ZZZLX", ""))
            old_project = row.get("XMBH", "")
            if not any(old_task):
                continue
            if old_task != new_task or (old_project and old_project != project_code):
                others.append(f)
                what = task_types.label(old_task[1] or old_task[0])
                taken[tr("{0} ({1})").format(what, old_project) if old_project else what] += 1
        if not others:
            return fids, 0
        question = tr("{0} of the {1} parcels already carry another task or project: {2}. Overwrite them?")\
            .format(len(others), len(fids), _listing(taken))
        if self.confirm(tr("Parcels already tagged"), sentences(question, _if_no(len(fids) - len(others)))):
            return fids, 0
        skip = set(others)
        return [f for f in fids if f not in skip], len(others)

    @staticmethod
    def _skipped_text(off_class: int, kept: int) -> list:
        text = []
        if off_class:
            text.append(tr("{0} parcel(s) skipped: the task does not apply to their land class.")
                        .format(off_class))
        if kept:
            text.append(tr("{0} parcel(s) kept their task.").format(kept))
        return text

    # ------------------------------------------------------------------ edit
    def _edit(self, layer, fids, values: dict, new_fields, label: str, old=None) -> bool:
        """One edit command: add `new_fields` (FieldSpecs), then set `values`
        ({canonical: value}) on parcels `fids`; nothing changes if any step fails. `old`:
        {fid: {canonical: value}} read before (_current; NULL where absent), else read."""
        if not layer.isEditable() and not layer.startEditing():
            self.notify(tr("Layer '{0}' cannot be edited: nothing was changed.").format(layer.name()),
                        WARNING)
            return False
        layer.beginEditCommand(label)
        ok = all(layer.addAttribute(self._plain_field(spec)) for spec in new_fields)
        if new_fields:
            layer.updateFields()
        present = canonical_fields(layer, values)
        ok = ok and len(present) == len(values)
        if ok:
            index = {c: layer.fields().indexOf(present[c]) for c in values}
            new = {index[c]: v for c, v in values.items()}
            if old is None:
                old = self.old_values(layer, fids, list(new))
            else:
                old = {fid: {index[c]: old.get(fid, {}).get(c, NULL) for c in values}
                       for fid in fids}
            ok = all(layer.changeAttributeValues(fid, new, old.get(fid, {})) for fid in fids)
        if not ok:
            layer.destroyEditCommand()
            layer.updateFields()
            self.notify(tr("Tagging failed on layer '{0}': nothing was changed.").format(layer.name()),
                        Qgis.MessageLevel.Critical)
            return False
        layer.endEditCommand()
        layer.triggerRepaint()
        return True

    @staticmethod
    def _plain_field(spec):
        """The QgsField of `spec` without its alias: QGIS 3.22 refuses to commit a field
        added through the edit buffer whose alias the provider does not report back
        ("field ... is not the same"); the alias goes on the layer instead."""
        field = qgs_field(spec)
        field.setAlias("")
        return field

    @staticmethod
    def _decorate_fields(layer):
        """Chinese aliases and value maps (code -> Chinese label) on the tag fields."""
        maps = {
            "ZZLX": [{f.zh: f.code} for f in task_types.FAMILIES],
            "ZZZLX": [{s.zh: s.code} for f in task_types.FAMILIES for s in f.subtypes],
        }
        present = canonical_fields(layer, TAG_NAMES)
        for spec in task_types.TAG_FIELDS:
            name = present.get(spec.name)
            if name is None:
                continue
            index = layer.fields().indexOf(name)
            if not layer.attributeAlias(index):
                layer.setFieldAlias(index, spec.alias)
            if spec.name in maps and layer.editorWidgetSetup(index).type() != "ValueMap":
                layer.setEditorWidgetSetup(index, QgsEditorWidgetSetup("ValueMap", {"map": maps[spec.name]}))

    @staticmethod
    def old_values(layer, fids, indexes) -> dict:
        """{fid: {field index: value}} of parcels `fids` (no geometry read). A field added
        in the edit buffer reads as an invalid QVariant (None here): it is given as a NULL
        one, else QGIS's undo of the change queries the layer once per parcel and field
        (1.5 s for 1,000 parcels of a county layer instead of 20 ms)."""
        request = (QgsFeatureRequest().setFilterFids(list(fids))
                   .setFlags(compat.FeatureRequestFlag.NoGeometry).setSubsetOfAttributes(indexes))
        old = {}
        for feature in layer.getFeatures(request):
            attrs = feature.attributes()
            old[feature.id()] = {i: NULL if attrs[i] is None else attrs[i] for i in indexes}
        return old
