"""The dialog that gets the plugin's missing Python packages: what is missing, the command for
this platform (copyable, for offline machines), and an install button that runs pip with
QGIS's own Python into a private folder of the user's profile, then asks for a restart."""
from __future__ import annotations

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QProcess
from qgis.PyQt.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from .. import dependencies as deps
from ..qgis_io.compat import geos_version
from ..translation import tr


def missing_list_html(missing) -> str:
    rows = []
    for item in missing:
        found = tr("found {0}").format(item.found) if item.found else tr("not installed")
        rows.append(f"<li><b>{item.requirement.distribution}</b> ≥ {item.requirement.minimum}"
                    f"（{found}）</li>")
    return "<ul>" + "".join(rows) + "</ul>"


def numpy_version() -> str | None:
    try:
        import numpy

        return numpy.__version__
    except Exception:
        return None


def install_plan(missing, profile_dir: str | None = None):
    """(folder, pip requirement strings, pip argument list) for `missing`."""
    profile_dir = profile_dir or QgsApplication.qgisSettingsDirPath()
    folder = deps.packages_folder(profile_dir)
    specs = deps.pip_requirements(missing, geos_version(), numpy_version())
    return folder, specs, deps.install_command(folder, specs)


class DependenciesDialog(QDialog):
    """Missing packages, the command to get them, and a one-click install."""

    def __init__(self, missing, parent=None, profile_dir: str | None = None):
        super().__init__(parent)
        self.setObjectName("QnLandConsolDependenciesDialog")
        self.setWindowTitle(tr("Python packages for Land Consolidation"))
        self.missing = list(missing)
        self.folder, self.specs, self.command = install_plan(self.missing, profile_dir)
        self.process = None
        self.succeeded = False

        layout = QVBoxLayout(self)
        intro = QLabel(tr("The land consolidation plugin needs these Python packages, which "
                          "this QGIS does not have:") + missing_list_html(self.missing))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.advice = QLabel(self.platform_advice())
        self.advice.setWordWrap(True)
        layout.addWidget(self.advice)

        self.command_box = QPlainTextEdit(self.command_text())
        self.command_box.setObjectName("commandBox")
        self.command_box.setReadOnly(True)
        self.command_box.setMinimumHeight(90)
        layout.addWidget(self.command_box)

        note = QLabel(tr("Without internet: download the packages on another computer with "
                         "<code>pip download</code> and add <code>--no-index --find-links "
                         "&lt;folder&gt;</code> to the command."))
        note.setWordWrap(True)
        layout.addWidget(note)

        buttons = QDialogButtonBox()
        close_button = QPushButton(tr("Close"))
        buttons.addButton(close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.copy_button = QPushButton(tr("Copy command"))
        self.copy_button.setObjectName("copyButton")
        self.install_button = QPushButton(tr("Install now"))
        self.install_button.setObjectName("installButton")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.install_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_command)
        self.install_button.clicked.connect(self.install)
        layout.addWidget(buttons)
        self.status = QLabel("")
        self.status.setObjectName("statusLabel")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.resize(640, 420)

    def platform_advice(self) -> str:
        kind = deps.platform_kind()
        private = tr("“Install now” puts them with QGIS's own Python into a folder of your QGIS "
                     "profile ({0}); no administrator rights are needed.").format(self.folder)
        if kind == "windows":
            return private + " " + tr("To do it by hand, run this command in the OSGeo4W Shell "
                                      "(Start menu ▸ QGIS ▸ OSGeo4W Shell):")
        if kind == "apt":
            return tr("On this system the packages of the distribution are recent enough: run "
                      "<code>{0}</code> in a terminal, or use “Install now”.").format(
                deps.apt_command(self.missing)) + " " + private + " " + \
                tr("The command it runs:")
        return private + " " + tr("To do it by hand, run this command in a terminal:")

    def command_text(self) -> str:
        return deps.shell_command(self.command)

    def copy_command(self):
        QApplication.clipboard().setText(self.command_text())
        self.status.setText(tr("Command copied to the clipboard."))

    def install(self):
        """Run pip asynchronously (QGIS stays responsive); its output goes to the text box."""
        self.install_button.setEnabled(False)
        self.copy_button.setEnabled(False)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.command_box.setPlainText(self.command_text() + "\n")
        self.status.setText(tr("Installing… this can take a few minutes."))
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        self.process.readyReadStandardOutput.connect(self._show_output)
        self.process.finished.connect(self._finished)
        self.process.start(self.command[0], self.command[1:])

    def _show_output(self):
        data = bytes(self.process.readAllStandardOutput()).decode("utf-8", "replace")
        self.command_box.appendPlainText(data.rstrip())

    def _finished(self, exit_code, _status=None):
        self._show_output()
        modules = [m.requirement.module for m in self.missing]
        ok = exit_code == 0
        if ok:
            deps.remove_distribution(self.folder, "numpy")
            ok, output = deps.importable_in(self.folder, modules)
            self.command_box.appendPlainText(output.rstrip())
        self.succeeded = ok
        if ok:
            self.status.setText(tr("Installed. Restart QGIS to use the land consolidation "
                                   "plugin."))
        else:
            self.status.setText(tr("The installation failed: see pip's messages above. You can "
                                   "copy the command and run it yourself."))
            self.install_button.setEnabled(True)
        self.copy_button.setEnabled(True)

    def wait(self, msecs: int = 600000) -> bool:
        """Block until the install ends (tests and scripts)."""
        if self.process is not None:
            self.process.waitForFinished(msecs)
            QgsApplication.processEvents()
        return self.succeeded
