"""The main window: deck list and study screen as pages of one window.

The window is built and shown before the storage stack is imported; the
collection is opened afterwards by :meth:`MainWindow.open_collection`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from quizapp.gui.controllers.study_panel import StudyPanel
from quizapp.gui.models.deck_list_model import DeckListModel, DeckSummary
from quizapp.gui.settings import GuiSettings
from quizapp.gui.theme import apply_theme
from quizapp.gui.views.deck_page import NEW_PROFILE, DeckPage
from quizapp.gui.views.dialogs import AboutDialog, ImportErrorDialog, ShortcutsDialog
from quizapp.gui.workers import WorkerRunner

if TYPE_CHECKING:
    from quizapp.gui.controllers.library import ImportSummary, Library, ProfileInfo


def app_icon() -> QIcon:
    """The app icon (SVG, with the PNG as a fallback)."""
    from quizapp.assets import resource_path

    icon = QIcon()
    svg = resource_path("quizapp.svg")
    png = resource_path("quizapp.png")
    if svg.is_file():
        icon.addFile(str(svg))
    if png.is_file():
        icon.addFile(str(png), QSize(256, 256))
    return icon


class MainWindow(QMainWindow):
    """quizapp's one window."""

    def __init__(self, settings: GuiSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or GuiSettings()
        self.library: Library | None = None
        self.profile: ProfileInfo | None = None
        self._profiles: list[ProfileInfo] = []
        self._dialogs: set[QWidget] = set()
        self.runner = WorkerRunner(self)

        self.setWindowTitle("quizapp")
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.resize(self.settings.width, self.settings.height)
        self.setMinimumSize(640, 480)

        self.deck_model = DeckListModel(self)
        self.deck_page = DeckPage(self.deck_model, self)
        self.study = StudyPanel(self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.deck_page)
        self.pages.addWidget(self.study.view)
        self.setCentralWidget(self.pages)

        self.status = QLabel("Opening your collection…", self)
        self.status.setAccessibleName("Status")
        self.status.setContentsMargins(10, 0, 10, 0)
        self.statusBar().addWidget(self.status, 1)
        self.statusBar().setSizeGripEnabled(True)

        self._build_actions()
        self._build_menus()
        self._connect()
        self._set_studying(False)
        self.deck_page.setEnabled(False)

    # ------------------------------------------------------------------ setup

    def _action(
        self,
        text: str,
        slot: Any,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.act_import = self._action(
            "&Import deck…", self.import_deck, QKeySequence.StandardKey.Open,
            "Import a deck file (.toml)",
        )
        self.act_quit = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.act_study = self._action(
            "&Study selected deck", self.start_study, "Ctrl+Return", "Study the selected deck"
        )
        self.act_undo = self._action(
            "&Undo last answer", self.study.undo, QKeySequence.StandardKey.Undo,
            "Undo the last answer",
        )
        self.act_overrule = self._action(
            "I was &right", self.study.overrule, "Ctrl+Shift+O",
            "Count the last typed answer as right",
        )
        self.act_report = self._action(
            "&Report this question…", self.study.report, "Ctrl+R",
            "Report the question on show as wrong",
        )
        self.act_bury = self._action(
            "&Bury card", self.study.bury, "Ctrl+B", "Hide this card until tomorrow"
        )
        self.act_suspend = self._action(
            "S&uspend card", self.study.suspend, "Ctrl+J", "Stop showing this card"
        )
        self.act_back = self._action(
            "Back to &decks", self.show_decks, "Escape", "Return to the deck list"
        )
        self.act_new_profile = self._action("&New profile…", self.new_profile)
        self.act_rename_profile = self._action("Re&name profile…", self.rename_profile)
        self.act_delete_profile = self._action("&Delete profile…", self.delete_profile)
        self.act_shortcuts = self._action(
            "&Keyboard shortcuts", self.show_shortcuts, QKeySequence.StandardKey.HelpContents
        )
        self.act_about = self._action("&About quizapp", self.show_about)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.act_bigger = self._action(
            "&Larger text", lambda: self.change_font_size(1), QKeySequence.StandardKey.ZoomIn
        )
        self.act_smaller = self._action(
            "&Smaller text", lambda: self.change_font_size(-1), QKeySequence.StandardKey.ZoomOut
        )
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for mode, label in (("system", "Follow &system"), ("light", "&Light"), ("dark", "&Dark")):
            act = QAction(label, self, checkable=True)
            act.setChecked(self.settings.theme == mode)
            act.triggered.connect(lambda _=False, m=mode: self.set_theme(m))
            self.theme_group.addAction(act)
            self.theme_actions[mode] = act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.act_import)
        file_menu.addSeparator()
        profile_menu = file_menu.addMenu("&Profile")
        profile_menu.addAction(self.act_new_profile)
        profile_menu.addAction(self.act_rename_profile)
        profile_menu.addAction(self.act_delete_profile)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        study_menu = bar.addMenu("&Study")
        study_menu.addAction(self.act_study)
        study_menu.addSeparator()
        for act in (self.act_undo, self.act_overrule, self.act_report, self.act_bury,
                    self.act_suspend):
            study_menu.addAction(act)
        study_menu.addSeparator()
        study_menu.addAction(self.act_back)
        view_menu = bar.addMenu("&View")
        theme_menu = view_menu.addMenu("&Theme")
        for act in self.theme_actions.values():
            theme_menu.addAction(act)
        view_menu.addAction(self.act_bigger)
        view_menu.addAction(self.act_smaller)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_shortcuts)
        help_menu.addSeparator()
        help_menu.addAction(self.act_about)

    def _connect(self) -> None:
        page = self.deck_page
        page.study_requested.connect(self.start_study)
        page.profiles.activated.connect(self._profile_activated)
        page.rename_button.clicked.connect(self.rename_profile)
        page.delete_button.clicked.connect(self.delete_profile)
        self.study.closed.connect(self.show_decks)
        self.study.state_changed.connect(self._update_study_actions)
        self.study.status_message.connect(self.show_status)

    # --------------------------------------------------------------- opening

    def open_collection(self, library: Library | None = None) -> None:
        """Open the collection (the default database unless one is given)."""
        if library is None:
            from quizapp.gui.controllers.library import Library

            try:
                library = Library.open()
            except Exception as exc:  # the database may be locked, damaged or newer
                self.show_status("The collection could not be opened.")
                self._message(
                    QMessageBox.Icon.Critical,
                    "Cannot open the collection",
                    f"quizapp could not open its database:\n\n{exc}",
                )
                return
        self.library = library
        self.deck_page.setEnabled(True)
        self.reload_profiles(self.settings.last_profile)
        self.show_status("Ready.")
        self.deck_page.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def reload_profiles(self, select: str | int | None = None) -> None:
        """Fill the profile switcher and make ``select`` (name or id) current."""
        assert self.library is not None
        self._profiles = self.library.profiles()
        combo = self.deck_page.profiles
        combo.blockSignals(True)
        combo.clear()
        for p in self._profiles:
            combo.addItem(p.name, p.profile_id)
        combo.insertSeparator(combo.count())
        combo.addItem("New profile…", NEW_PROFILE)
        chosen = next(
            (p for p in self._profiles if select in (p.name, p.profile_id)),
            self._profiles[0] if self._profiles else None,
        )
        if chosen is not None:
            combo.setCurrentIndex(combo.findData(chosen.profile_id))
        combo.blockSignals(False)
        self._set_profile(chosen)

    def _set_profile(self, profile: ProfileInfo | None) -> None:
        self.profile = profile
        if profile is not None:
            self.settings.last_profile = profile.name
            self.setWindowTitle(f"quizapp — {profile.name}")
        can_delete = len(self._profiles) > 1
        self.deck_page.delete_button.setEnabled(can_delete)
        self.act_delete_profile.setEnabled(can_delete)
        self.refresh_decks()

    def refresh_decks(self) -> None:
        """Reload the deck list for the current profile, keeping the selection."""
        if self.library is None or self.profile is None:
            self.deck_model.set_decks([])
            return
        current = self.deck_page.current_deck()
        keep = current.deck_id if current else None
        self.deck_model.set_decks(self.library.deck_summaries(self.profile.profile_id))
        self.deck_page.select_deck(keep)

    # -------------------------------------------------------------- profiles

    def _profile_activated(self, index: int) -> None:
        combo = self.deck_page.profiles
        data = combo.itemData(index)
        if data == NEW_PROFILE:
            if not self.new_profile() and self.profile is not None:
                combo.setCurrentIndex(combo.findData(self.profile.profile_id))
            return
        profile = next((p for p in self._profiles if p.profile_id == data), None)
        if profile is not None and profile != self.profile:
            self._set_profile(profile)
            self.show_status(f"Studying as {profile.name}.")

    def new_profile(self) -> bool:
        """Ask for a name and create a profile; True if one was created."""
        if self.library is None:
            return False
        name, ok = QInputDialog.getText(
            self, "New profile", "Name of the new learner:", text=""
        )
        if not ok or not name.strip():
            return False
        try:
            created = self.library.create_profile(name)
        except ValueError as exc:
            self._message(QMessageBox.Icon.Warning, "New profile", str(exc).capitalize() + ".")
            return False
        self.reload_profiles(created.profile_id)
        self.show_status(f"Created profile {created.name}.")
        return True

    def rename_profile(self) -> None:
        """Rename the current profile."""
        if self.library is None or self.profile is None:
            return
        name, ok = QInputDialog.getText(
            self, "Rename profile", "New name:", text=self.profile.name
        )
        if not ok or not name.strip() or name.strip() == self.profile.name:
            return
        try:
            self.library.rename_profile(self.profile.profile_id, name)
        except ValueError as exc:
            self._message(QMessageBox.Icon.Warning, "Rename profile", str(exc).capitalize() + ".")
            return
        self.reload_profiles(self.profile.profile_id)
        self.show_status(f"Renamed the profile to {name.strip()}.")

    def delete_profile(self) -> None:
        """Delete the current profile after confirmation (never the last one)."""
        if self.library is None or self.profile is None or len(self._profiles) < 2:
            return
        answer = QMessageBox.question(
            self,
            "Delete profile",
            f"Delete the profile “{self.profile.name}” and all of its progress?\n\n"
            "This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        gone = self.profile
        self.library.delete_profile(gone.profile_id)
        self.reload_profiles(None)
        self.show_status(f"Deleted the profile {gone.name}.")

    # ----------------------------------------------------------------- study

    def start_study(self) -> None:
        """Study the selected deck."""
        if self.library is None or self.profile is None or self.study.active:
            return
        deck: DeckSummary | None = self.deck_page.current_deck()
        if deck is None:
            return
        self._set_studying(True)
        self.pages.setCurrentWidget(self.study.view)
        self.study.start(self.library.collection, self.profile.profile_id, deck)

    def show_decks(self) -> None:
        """Leave the study screen for the deck list."""
        if self.study.active:
            self.study.stop()
        self._set_studying(False)
        self.pages.setCurrentWidget(self.deck_page)
        self.refresh_decks()
        self.deck_page.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_studying(self, studying: bool) -> None:
        self.act_back.setEnabled(studying)
        self.act_study.setEnabled(not studying)
        self.act_import.setEnabled(not studying)
        for act in (self.act_new_profile, self.act_rename_profile):
            act.setEnabled(not studying)
        self.act_delete_profile.setEnabled(not studying and len(self._profiles) > 1)
        self._update_study_actions()

    def _update_study_actions(self) -> None:
        s = self.study
        self.act_undo.setEnabled(s.can_undo)
        self.act_overrule.setEnabled(s.can_overrule)
        for act in (self.act_report, self.act_bury, self.act_suspend):
            act.setEnabled(s.has_question)

    # ---------------------------------------------------------------- import

    def import_deck(self, path: str | Path | None = None) -> None:
        """Ask for a deck file and import it off the GUI thread."""
        if self.library is None:
            return
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, "Import deck", str(Path.home()), "quizapp decks (*.toml);;All files (*)"
            )
            if not path:
                return
        library = self.library
        file = Path(path)
        self.show_status(f"Importing {file.name}…")
        self.act_import.setEnabled(False)
        self.runner.start(
            lambda: library.import_deck_file(file),
            lambda result: self._import_done(file, result),
            lambda exc: self._import_failed(file, exc),
        )

    def _import_done(self, file: Path, result: ImportSummary) -> None:
        self.act_import.setEnabled(not self.study.active)
        self.refresh_decks()
        self.deck_page.select_deck(result.deck_id)
        what = f"{result.added} new facts"
        if result.updated:
            what += f", {result.updated} updated"
        if result.retired:
            what += f", {result.retired} retired"
        self.show_status(f"Imported “{result.deck_name}” from {file.name}: {what}.")

    def _import_failed(self, file: Path, exc: Exception) -> None:
        from quizapp.facts.deckfile import DeckFileError

        self.act_import.setEnabled(not self.study.active)
        self.show_status(f"{file.name} was not imported.")
        if isinstance(exc, DeckFileError) and exc.problems:
            problems = [
                (f"Line {p.line}: " if p.line else "") + f"{p.field}: {p.message}"
                for p in exc.problems
            ]
        else:
            problems = [str(exc) or type(exc).__name__]
        dialog = ImportErrorDialog(file.name, problems, self)
        self._open_dialog(dialog)

    # ------------------------------------------------------------------ help

    def show_shortcuts(self) -> None:
        """List the keyboard shortcuts."""
        self._open_dialog(ShortcutsDialog(self))

    def show_about(self) -> None:
        """The About box, with the seed article's title and licence."""
        from quizapp import __version__

        sources = self.library.sources("seed") if self.library is not None else []
        self._open_dialog(AboutDialog(__version__, sources, self.windowIcon(), self))

    def _open_dialog(self, dialog: QWidget) -> None:
        self._dialogs.add(dialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: self._dialogs.discard(dialog))
        dialog.open()  # type: ignore[attr-defined]

    def _message(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        self._open_dialog(box)
        return box

    def open_dialogs(self) -> list[QWidget]:
        """Dialogs opened by the window and still on screen (for tests and scripts)."""
        import shiboken6

        return [d for d in self._dialogs if shiboken6.isValid(d) and d.isVisible()]

    # ---------------------------------------------------------- appearance

    def set_theme(self, mode: str) -> None:
        """Switch to the system, light or dark theme."""
        self.settings.theme = mode
        self.theme_actions[mode].setChecked(True)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, mode, self.settings.font_size)
        self.study.restyle()

    def follow_system_scheme(self, *_args: object) -> None:
        """The desktop switched between light and dark: follow it if asked to."""
        if self.settings.theme == "system":
            self.set_theme("system")

    def change_font_size(self, step: int) -> None:
        """Make the text larger or smaller."""
        current = self.settings.font_size or QApplication.font().pointSize()
        self.settings.font_size = max(8, min(24, current + step))
        self.set_theme(self.settings.theme)
        self.show_status(f"Text size {self.settings.font_size} pt.")

    def show_status(self, text: str) -> None:
        """A short message in the status line."""
        self.status.setText(text)

    # ------------------------------------------------------------- closing

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.study.active:
            self.study.stop()
        self.runner.wait(30000)
        self.save_settings()
        if self.library is not None:
            self.library.close()
            self.library = None
        super().closeEvent(event)

    def save_settings(self) -> None:
        """Remember the window size, the profile and the theme."""
        self.settings.maximized = self.isMaximized()
        if not self.isMaximized() and not self.isFullScreen():
            self.settings.width = self.width()
            self.settings.height = self.height()
        if self.profile is not None:
            self.settings.last_profile = self.profile.name
        with contextlib.suppress(OSError):  # a read-only home must not stop the app closing
            self.settings.save()

    def open_later(self) -> None:
        """Open the collection once the window has been painted."""
        QTimer.singleShot(0, self.open_collection)
