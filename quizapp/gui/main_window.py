"""The main window: deck list, study screen, Browse, Reader and Progress as pages of one window.

The window is built and shown before the storage stack is imported; the
collection is opened afterwards by :meth:`MainWindow.open_collection`. Deck
files come in through File › Import (or by dropping them on the window) and
go out through Deck › Export; both run off the GUI thread with a cancellable
progress dialog.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from quizapp.gui.controllers.fitting import AutoFit, parameter_actions
from quizapp.gui.controllers.safekeeping import Safekeeping
from quizapp.gui.controllers.study_panel import StudyPanel
from quizapp.gui.models.deck_list_model import DeckListModel, DeckSummary
from quizapp.gui.safe_text import one_line, rich
from quizapp.gui.settings import GuiSettings
from quizapp.gui.tasks import TaskRunner
from quizapp.gui.theme import apply_theme
from quizapp.gui.views.deck_page import NEW_PROFILE, DeckPage
from quizapp.gui.views.dialogs import AboutDialog, ImportErrorDialog, ShortcutsDialog
from quizapp.gui.views.nav_bar import HintBanner, NavBar
from quizapp.gui.workers import WorkerRunner

if TYPE_CHECKING:
    from quizapp.gui.controllers.article_review_panel import ArticleReviewPanel
    from quizapp.gui.controllers.browse_panel import BrowsePanel
    from quizapp.gui.controllers.library import Library, ProfileInfo
    from quizapp.gui.controllers.practice_test_panel import PracticeTestPanel
    from quizapp.gui.controllers.progress_panel import ProgressPanel
    from quizapp.gui.controllers.reader_panel import ReaderPanel

#: The pages the navigation bar switches between.
PAGES = ("decks", "browse", "reader", "progress")

ARTICLE_FILTER = "Articles (*.txt *.md *.markdown *.html *.htm);;All files (*)"


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
        self.tasks = TaskRunner(self)  # imports and exports, one at a time
        self.fitting = AutoFit(self)  # personal FSRS parameters, fitted after a sitting
        self.safekeeping = Safekeeping(self, self)  # backups, restore, damage, the profile lock
        self.exit_status = 0  # what run() returns once the window has closed
        self._import_queue: list[tuple[Path, bool, bool, bool]] = []
        self._stale: set[str] = {"browse", "reader", "progress"}

        self.setWindowTitle("quizapp")
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.resize(self.settings.width, self.settings.height)
        self.setMinimumSize(640, 480)

        self.deck_model = DeckListModel(self)
        self.deck_page = DeckPage(self.deck_model, self)
        self.study = StudyPanel(self)
        # Browse, Reader and Progress (their modules too) are built when first used
        # (the properties below): a start straight to the deck list or a sitting
        # neither imports nor builds them. The practice-test screen pulls in the
        # storage stack: it is built on first use too.
        self._browse: BrowsePanel | None = None
        self._reader: ReaderPanel | None = None
        self._progress: ProgressPanel | None = None
        self.practice: PracticeTestPanel | None = None
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.deck_page)
        self.pages.addWidget(self.study.view)
        self.hint = HintBanner(self)
        self.hint.hide()
        self.nav = NavBar(self)
        self.nav.set_current("decks")
        central = QWidget(self)
        central.setObjectName("central")
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.hint)
        column.addWidget(self.nav)
        column.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.setAcceptDrops(True)

        self.status = QLabel("Opening your collection…", self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # it quotes deck and file names
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
            "&Import deck…",
            lambda: self.import_deck(),
            QKeySequence.StandardKey.Open,
            "Import a deck file (or drop files on the window)",
        )
        self.act_new_from_article = self._action(
            "New deck from &article…",
            lambda: self.new_deck_from_article(),
            "Ctrl+Shift+A",
            "Find the facts of an article (.txt, .md, .html) and review them before they "
            "become a deck",
        )
        self.act_export = self._action(
            "&Export deck…",
            lambda: self.export_deck(),
            "Ctrl+E",
            "Write the selected deck to a file",
        )
        self.act_new_deck = self._action(
            "&New deck…", self.new_deck, "Ctrl+Shift+N", "Create an empty deck to write into"
        )
        self.act_add_fact = self._action(
            "&Add fact…",
            self.add_fact,
            QKeySequence.StandardKey.New,
            "Add a fact or Q/A note to the selected deck",
        )
        self.act_deck_options = self._action(
            "Deck &options…",
            lambda: self.deck_options(),
            "Ctrl+Shift+D",
            "Daily limits, retention and number tolerance of the selected deck",
        )
        self.act_delete_deck = self._action(
            "&Delete deck…", lambda: self.delete_deck(), None, "Delete the selected deck"
        )
        self.act_review_pending = self._action(
            "Review &pending facts…", lambda: self.review_pending(), None,
            "Check the facts of the selected deck that were stored unreviewed and are not "
            "studied yet",
        )
        self.act_settings = self._action(
            "&Settings…", self.show_settings, "Ctrl+,", "Theme, text size and study defaults"
        )
        self.act_settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.act_backups = self._action(
            "&Backups…",
            self.show_backups,
            None,
            "See the backups of your collection, back up now, or restore one",
        )
        self.page_actions: dict[str, QAction] = {}
        for name, label, keys in (
            ("decks", "&Decks", "Ctrl+1"),
            ("browse", "&Browse", "Ctrl+2"),
            ("reader", "&Reader", "Ctrl+3"),
            ("progress", "&Progress", "Ctrl+4"),
        ):
            self.page_actions[name] = self._action(
                label, lambda _=False, n=name: self.show_page(n), keys, f"Show {name}"
            )
        self.act_find = self._action("&Find facts", self.find_facts, QKeySequence.StandardKey.Find)
        self.act_refresh_stats = self._action(
            "&Refresh progress", lambda: self.progress.refresh(), QKeySequence.StandardKey.Refresh
        )
        self.act_quit = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.act_study = self._action(
            "&Study selected deck", self.start_study, "Ctrl+Return", "Study the selected deck"
        )
        self.act_undo = self._action(
            "&Undo last answer",
            self.study.undo,
            QKeySequence.StandardKey.Undo,
            "Undo the last answer",
        )
        self.act_overrule = self._action(
            "I was &right",
            self.study.overrule,
            "Ctrl+Shift+O",
            "Count the last typed answer as right",
        )
        self.act_report = self._action(
            "&Report this question…",
            self.study.report,
            "Ctrl+R",
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
        self.act_practice_test = self._action(
            "&Practice test…",
            self.start_practice_test,
            "Ctrl+T",
            "Test yourself on one or more decks",
        )
        self.act_print_quiz = self._action(
            "Print a &quiz…",
            self.print_quiz,
            "Ctrl+P",
            "Write a printable quiz with its answer key (PDF)",
        )
        self.act_export_progress = self._action(
            "Export &progress file…",
            self.export_progress_file,
            None,
            "A progress file and PDF report for your teacher",
        )
        self.act_export_profile = self._action(
            "E&xport profile…",
            self.export_profile_file,
            None,
            "Move this profile to another computer",
        )
        self.act_import_profile = self._action(
            "&Import profile…",
            self.import_profile_file,
            None,
            "Bring in a profile exported on another computer",
        )
        self.act_class_view = self._action(
            "&Class view…", self.show_class_view, None, "Students' progress files side by side"
        )
        self.act_class_report = self._action(
            "Class &report…",
            self.show_class_report,
            None,
            "Every student of your class, per deck (a classroom on PostgreSQL)",
        )
        self.act_new_profile = self._action("&New profile…", self.new_profile)
        self.act_rename_profile = self._action("Re&name profile…", self.rename_profile)
        self.act_delete_profile = self._action("&Delete profile…", self.delete_profile)
        self.act_shortcuts = self._action(
            "&Keyboard shortcuts", self.show_shortcuts, QKeySequence.StandardKey.HelpContents
        )
        self.act_csv_format = self._action("&Spreadsheet (CSV) format…", self.show_csv_format)
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
        file_menu.addAction(self.act_new_from_article)
        file_menu.addAction(self.act_export)
        file_menu.addSeparator()
        profile_menu = file_menu.addMenu("&Profile")
        profile_menu.addAction(self.act_new_profile)
        profile_menu.addAction(self.act_rename_profile)
        profile_menu.addAction(self.act_delete_profile)
        profile_menu.addSeparator()
        profile_menu.addAction(self.act_export_profile)
        profile_menu.addAction(self.act_import_profile)
        file_menu.addSeparator()
        file_menu.addAction(self.act_export_progress)
        file_menu.addAction(self.act_class_view)
        file_menu.addAction(self.act_print_quiz)
        file_menu.addSeparator()
        file_menu.addAction(self.act_settings)
        file_menu.addAction(self.act_backups)
        file_menu.addAction(self.act_class_report)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        deck_menu = bar.addMenu("&Deck")
        deck_menu.addAction(self.act_new_deck)
        deck_menu.addAction(self.act_add_fact)
        deck_menu.addSeparator()
        deck_menu.addAction(self.act_deck_options)
        deck_menu.addAction(self.act_export)
        deck_menu.addAction(self.act_delete_deck)
        deck_menu.addAction(self.act_review_pending)
        deck_menu.aboutToShow.connect(self._update_pending_action)
        study_menu = bar.addMenu("&Study")
        study_menu.addAction(self.act_study)
        study_menu.addAction(self.act_practice_test)
        study_menu.addSeparator()
        for act in (
            self.act_undo,
            self.act_overrule,
            self.act_report,
            self.act_bury,
            self.act_suspend,
        ):
            study_menu.addAction(act)
        study_menu.addSeparator()
        study_menu.addAction(self.act_back)
        view_menu = bar.addMenu("&View")
        for act in self.page_actions.values():
            view_menu.addAction(act)
        view_menu.addAction(self.act_refresh_stats)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu("&Theme")
        for act in self.theme_actions.values():
            theme_menu.addAction(act)
        view_menu.addAction(self.act_bigger)
        view_menu.addAction(self.act_smaller)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_shortcuts)
        help_menu.addAction(self.act_csv_format)
        help_menu.addSeparator()
        help_menu.addAction(self.act_about)

    def _connect(self) -> None:
        page = self.deck_page
        page.study_requested.connect(self.start_study)
        page.profiles.activated.connect(self._profile_activated)
        page.rename_button.clicked.connect(self.rename_profile)
        page.delete_button.clicked.connect(self.delete_profile)
        self.study.closed.connect(self.show_decks)
        self.study.limits_requested.connect(self._change_limits)
        self.study.state_changed.connect(self._update_study_actions)
        self.study.status_message.connect(self.show_status)
        self.study.finished.connect(self._fit_after_sitting)
        self.fitting.status_message.connect(self.show_status)
        self.study.answer_not_saved.connect(
            lambda text: self.message(QMessageBox.Icon.Warning, "Answer not saved", text)
        )
        self.nav.page_requested.connect(self.show_page)
        self.hint.dismissed.connect(self._hint_dismissed)

    # ------------------------------------------------ screens built on first use

    @property
    def browse(self) -> BrowsePanel:
        """The Browse screen's controller (built, with its page, on first use)."""
        if self._browse is None:
            from quizapp.gui.controllers.browse_panel import BrowsePanel

            panel = BrowsePanel(self, self.open_dialog)
            panel.status_message.connect(self.show_status)
            panel.decks_changed.connect(self._decks_changed)
            panel.read_requested.connect(self.read_fact)
            self.pages.addWidget(panel.view)
            self._browse = panel
        return self._browse

    @property
    def reader(self) -> ReaderPanel:
        """The Reader screen's controller (built, with its page, on first use)."""
        if self._reader is None:
            from quizapp.gui.controllers.reader_panel import ReaderPanel

            panel = ReaderPanel(self)
            panel.status_message.connect(self.show_status)
            panel.edit_requested.connect(self.edit_fact)
            panel.browse_requested.connect(self.browse_fact)
            panel.add_requested.connect(self._add_fact_from_reader)
            self.pages.addWidget(panel.view)
            self._reader = panel
        return self._reader

    @property
    def progress(self) -> ProgressPanel:
        """The Progress screen's controller (built, with its page, on first use)."""
        if self._progress is None:
            from quizapp.gui.controllers.progress_panel import ProgressPanel

            panel = ProgressPanel(self)
            panel.status_message.connect(self.show_status)
            self.pages.addWidget(panel.view)
            self._progress = panel
        return self._progress

    def page_widget(self, name: str) -> QWidget:
        """The page the navigation bar names ``name`` (its screen built if not yet used)."""
        if name == "browse":
            return self.browse.view
        if name == "reader":
            return self.reader.view
        if name == "progress":
            return self.progress.view
        return self.deck_page

    # --------------------------------------------------------------- opening

    def open_collection(self, library: Library | None = None) -> None:
        """Open the collection (the default database unless one is given)."""
        if library is None:
            from quizapp.gui.controllers.library import Library

            try:
                library = Library.open()
            except Exception as exc:  # the database may be locked, damaged or newer
                recovered = self.safekeeping.open_failed(exc)  # damaged: offers a backup
                if recovered is None:
                    return
                library = recovered
        self.library = library
        self.safekeeping.opened(library)  # automatic backups, the first one off-thread
        self.deck_page.setEnabled(True)
        self.reload_profiles(self.settings.last_profile)
        self.show_status("Ready.")
        self.deck_page.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.settings.hint_shown:
            self.hint.show()
            self.settings.hint_shown = True  # shown once; remembered in gui.json

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
        if chosen is not None and not self.safekeeping.lock_profile(chosen):
            chosen = None  # open in another window: the learner chooses another
        combo.setCurrentIndex(combo.findData(chosen.profile_id) if chosen is not None else -1)
        combo.blockSignals(False)
        self._set_profile(chosen)

    def _set_profile(self, profile: ProfileInfo | None) -> None:
        if profile is not None and not self.safekeeping.lock_profile(profile):
            profile = None
        if profile is None:
            self.safekeeping.release_profile()
        self.profile = profile
        if profile is not None:
            self.settings.last_profile = profile.name
            # Ends with the application's display name, which Qt would otherwise
            # append once more ("quizapp — Student — quizapp").
            self.setWindowTitle(f"{profile.name} — quizapp")
        else:
            self.setWindowTitle("quizapp")
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
        self.deck_model.set_decks(self.library.deck_summaries(
            self.profile.profile_id, more_new=self.study.more_today(self.profile.profile_id)))
        self.deck_page.select_deck(keep)
        self._stale.update(("browse", "reader", "progress"))
        page = self.current_page()
        if page in self._stale:
            self._refresh_page(page)
        self._update_deck_actions()

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
            if not self.safekeeping.lock_profile(profile):  # open in another window
                combo.setCurrentIndex(
                    combo.findData(self.profile.profile_id) if self.profile else -1
                )
                return
            self._set_profile(profile)
            self.show_status(f"Studying as {profile.name}.")

    def new_profile(self) -> bool:
        """Ask for a name and create a profile; True if one was created."""
        if self.library is None:
            return False
        name, ok = QInputDialog.getText(self, "New profile", "Name of the new learner:", text="")
        if not ok or not name.strip():
            return False
        try:
            created = self.library.create_profile(name)
        except ValueError as exc:
            self.message(QMessageBox.Icon.Warning, "New profile", str(exc).capitalize() + ".")
            return False
        self.reload_profiles(created.profile_id)
        self.show_status(f"Created profile {created.name}.")
        return True

    def rename_profile(self) -> None:
        """Rename the current profile."""
        if self.library is None or self.profile is None:
            return
        name, ok = QInputDialog.getText(self, "Rename profile", "New name:", text=self.profile.name)
        if not ok or not name.strip() or name.strip() == self.profile.name:
            return
        try:
            self.library.rename_profile(self.profile.profile_id, name)
        except ValueError as exc:
            self.message(QMessageBox.Icon.Warning, "Rename profile", str(exc).capitalize() + ".")
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
            rich(
                f"Delete the profile “{one_line(self.profile.name)}” and all of its "
                "progress?\n\nThis cannot be undone."
            ),
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

    def _fit_after_sitting(self, _summary: object = None) -> None:
        """A sitting reached its summary: fit the profile's parameters if due (background)."""
        if self.library is not None and self.profile is not None:
            self.fitting.after_sitting(self.library.collection, self.profile.profile_id)

    def show_decks(self) -> None:
        """Leave the study screen for the deck list (a practice test under way asks first)."""
        if self.practice is not None and self.practice.active:
            answer = QMessageBox.question(
                self, "End the practice test?",
                "End this practice test now? The answers given so far are kept; the "
                "questions not yet answered are left out.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            self.practice.stop()
        if self.study.active:
            self.study.stop()
        self._set_studying(False)
        self.pages.setCurrentWidget(self.deck_page)
        self.nav.set_current("decks")
        self.act_back.setEnabled(False)
        self.refresh_decks()
        self.deck_page.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_deck_actions()

    def _set_studying(self, studying: bool) -> None:
        self.act_back.setEnabled(studying or self.current_page() != "decks")
        self.act_study.setEnabled(not studying)
        self.act_import.setEnabled(not studying and not self.tasks.busy())
        for act in (
            self.act_new_profile,
            self.act_rename_profile,
            self.act_settings,
            self.act_backups,
            self.act_new_deck,
            self.act_new_from_article,
            self.act_find,
            self.act_refresh_stats,
            *self.page_actions.values(),
        ):
            act.setEnabled(not studying)
        self.act_delete_profile.setEnabled(not studying and len(self._profiles) > 1)
        self.nav.setVisible(not studying)
        if studying:
            self.hint.hide()  # the hint is about the deck list; it was shown once
        self._update_study_actions()
        self._update_deck_actions()

    def _update_study_actions(self) -> None:
        s = self.study
        self.act_undo.setEnabled(s.can_undo)
        self.act_overrule.setEnabled(s.can_overrule)
        for act in (self.act_report, self.act_bury, self.act_suspend):
            act.setEnabled(s.has_question)

    # ---------------------------------------------------------------- import

    def import_deck(self, path: str | Path | None = None, *, replace: bool = False,
                    as_new: bool = False, skip_bad_rows: bool = False) -> None:
        """Ask for a deck file (or take ``path``) and import it off the GUI thread.

        A progress dialog with Cancel appears if the import takes a while;
        cancelling stores nothing. A file that would retire most of a stored
        deck is refused first, with the reasons ``quizapp import`` gives, and
        the teacher may then import it anyway (``replace``) or as a separate
        deck (``as_new``). A file that matches a stored deck (same id, or same
        name and source) updates it, keeping progress. A spreadsheet with bad
        rows is refused whole, and the teacher may then import its good rows
        (``skip_bad_rows``).
        """
        if self.library is None:
            return
        from quizapp.gui.controllers import deck_io

        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, "Import deck", str(Path.home()), deck_io.import_filter()
            )
            if not path:
                return
        from quizapp.importers.article import looks_like_article

        if looks_like_article(Path(path)):  # its facts need a review before they are a deck
            self.new_deck_from_article(path)
            return
        if self.tasks.busy():
            self._import_queue.append((Path(path), replace, as_new, skip_bad_rows))
            return
        library = self.library
        file = Path(path)
        self.show_status(f"Importing {file.name}…")
        self.act_import.setEnabled(False)
        self.tasks.start(
            lambda progress: deck_io.import_file(library.collection, file, progress,
                                                 replace=replace, as_new=as_new,
                                                 skip_bad_rows=skip_bad_rows),
            lambda result: self._import_done(file, result),
            lambda exc: self._import_failed(file, exc),
            lambda: self._import_cancelled(file),
            title="Importing",
            label=f"Importing {file.name}…",
            parent=self,
        )

    def import_files(self, paths: list[Path]) -> None:
        """Import several files, one after the other."""
        for path in paths:
            self.import_deck(path)

    def _import_next(self) -> None:
        self.act_import.setEnabled(not self.study.active)
        if self._import_queue:
            path, replace, as_new, skip = self._import_queue.pop(0)
            self.import_deck(path, replace=replace, as_new=as_new, skip_bad_rows=skip)

    def _import_done(self, file: Path, result: Any) -> None:
        summary, notices = result if isinstance(result, tuple) else (result, ())
        self.refresh_decks()
        self.deck_page.select_deck(summary.deck_id)
        what = f"{summary.added} new facts"
        if summary.updated:
            what += f", {summary.updated} updated"
        if summary.retired:
            what += f", {summary.retired} retired"
        verb = "Updated" if getattr(summary, "matched", False) else "Imported"
        self.show_status(f"{verb} “{summary.deck_name}” from {file.name}: {what}.")
        if notices:  # things the importer left out or changed: worth a look, not an error
            self.message(
                QMessageBox.Icon.Information,
                "Imported with notes",
                f"“{summary.deck_name}” was imported from {file.name}.\n\n"
                + "\n".join(f"• {n}" for n in notices[:12])
                + (f"\n… and {len(notices) - 12} more." if len(notices) > 12 else ""),
            )
        self._import_next()

    def new_deck_from_article(self, path: str | Path | None = None) -> ArticleReviewPanel | None:
        """Find the facts of an article and open them for review; accepted ones become a deck."""
        if self.library is None or self.study.active:
            return None
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, "New deck from article", str(Path.home()), ARTICLE_FILTER
            )
            if not path:
                return None
        from quizapp.gui.controllers.article_review_panel import ArticleReviewPanel

        panel = ArticleReviewPanel(self.library.collection, Path(path), self)
        panel.status_message.connect(self.show_status)
        panel.deck_created.connect(self._article_deck_created)
        self.open_dialog(panel.view)
        panel.start()
        self.show_status(f"Finding the facts of {Path(path).name}…")
        return panel

    def pending_count(self, deck_id: int | None = None) -> int:
        """How many facts of a deck (the selected one) wait for a teacher's check."""
        from quizapp.services.held import HeldCounts, held_counts

        deck_id = deck_id if deck_id is not None else self.current_deck_id()
        if self.library is None or deck_id is None:
            return 0
        return held_counts(self.library.collection).get(deck_id, HeldCounts()).pending

    def _update_pending_action(self) -> None:
        n = self.pending_count()
        self.act_review_pending.setText(f"Review &pending facts ({n})…")
        self.act_review_pending.setEnabled(n > 0 and not self.study.active)

    def review_pending(self, deck_id: int | None = None) -> ArticleReviewPanel | None:
        """Open the review screen on the selected deck's pending facts."""
        if self.library is None or self.study.active:
            return None
        deck_id = deck_id if deck_id is not None else self.current_deck_id()
        if deck_id is None:
            return None
        from quizapp.gui.controllers.article_review_panel import ArticleReviewPanel
        from quizapp.services.held import pending_review_deck

        key = next((d.key for d in self.deck_model.decks() if d.deck_id == deck_id), None)
        if key is None:
            return None
        try:
            source = pending_review_deck(self.library.collection, key).sources[0]
        except ValueError as exc:
            self.show_status(str(exc).capitalize() + ".")
            return None
        panel = ArticleReviewPanel(self.library.collection,
                                   Path(source.file or source.title), self)
        panel.status_message.connect(self.show_status)
        panel.deck_created.connect(self._article_deck_created)
        panel.open_pending(key)
        self.open_dialog(panel.view)
        return panel

    def _article_deck_created(self, deck_id: int) -> None:
        self.refresh_decks()
        self.deck_page.select_deck(deck_id)

    def _import_failed(self, file: Path, exc: Exception) -> None:
        from quizapp.facts.deckfile import DeckFileError
        from quizapp.services.imports import BadRowsError, ReplacementRefusedError

        self.show_status(f"{file.name} was not imported.")
        if isinstance(exc, ReplacementRefusedError):
            self._confirm_replacement(file, exc.warnings)
            self._import_next()
            return
        if isinstance(exc, BadRowsError):
            self._confirm_skip_rows(file, exc)
            self._import_next()
            return
        if isinstance(exc, DeckFileError) and exc.problems:
            problems = []
            for p in exc.problems:
                where = getattr(p, "where", "")
                prefix = f"{where}: " if where else (f"Line {p.line}: " if p.line else "")
                problems.append(f"{prefix}{p.field}: {p.message}")
        else:
            problems = [str(exc) or type(exc).__name__]
        dialog = ImportErrorDialog(file.name, problems, self)
        self.open_dialog(dialog)
        self._import_next()

    def _confirm_replacement(self, file: Path, warnings: list[str]) -> QMessageBox:
        """Say why ``file`` was not imported over a stored deck; offer to import it anyway."""
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Replace a stored deck?",
            f"{file.name} was not imported:\n\n" + "\n".join(f"• {w}" for w in warnings)
            + "\n\nRetired facts leave study; their history is kept.",
            QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the reasons quote deck names
        anyway = box.addButton("Import anyway", QMessageBox.ButtonRole.DestructiveRole)
        separate = box.addButton("Import as a new deck", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("replace-deck")

        def decided(button: object) -> None:
            if button is anyway:
                self.import_deck(file, replace=True)
            elif button is separate:
                self.import_deck(file, as_new=True)
            else:
                self.show_status(f"{file.name} was not imported: nothing was changed.")

        box.buttonClicked.connect(decided)
        self.open_dialog(box)
        return box

    def _confirm_skip_rows(self, file: Path, bad: Any) -> QMessageBox:
        """Say which rows of ``file`` are bad; offer to import the good ones and skip those."""
        shown = [f"Line {p.line}: {p.field}: {p.message}" for p in bad.skipped[:12]]
        if len(bad.skipped) > 12:
            shown.append(f"… and {len(bad.skipped) - 12} more.")
        m = len(bad.skipped)
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Rows with problems",
            f"{file.name} has {m} row{'s' if m != 1 else ''} with problems and "
            f"{bad.good} good one{'s' if bad.good != 1 else ''}. Nothing was imported.\n\n"
            + "\n".join(f"• {line}" for line in shown)
            + "\n\nHelp › Spreadsheet (CSV) format says what a row needs.",
            QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the problems quote the file
        skip = box.addButton(f"Import the {bad.good} good rows and skip {m}",
                             QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("skip-bad-rows")

        def decided(button: object) -> None:
            if button is skip:
                self.import_deck(file, skip_bad_rows=True)
            else:
                self.show_status(f"{file.name} was not imported: nothing was changed.")

        box.buttonClicked.connect(decided)
        self.open_dialog(box)
        return box

    def _import_cancelled(self, file: Path) -> None:
        self.show_status(f"Import of {file.name} cancelled: nothing was changed.")
        self._import_next()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if (
            self.library is not None
            and not self.study.active
            and any(u.isLocalFile() for u in urls)
        ):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        from quizapp.gui.controllers import deck_io

        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        files = [f for f in files if f.is_file()]
        if not files or self.library is None or self.study.active:
            event.ignore()
            return
        event.acceptProposedAction()
        from quizapp.importers.article import looks_like_article

        known = [f for f in files if deck_io.can_import(f) or looks_like_article(f)]
        skipped = [f.name for f in files if f not in known]
        # A file of another type still goes to the importer: it says what is wrong.
        self.import_files(known or files)
        if skipped and known:
            self.show_status(f"Skipped {', '.join(skipped)}: not a deck file.")

    # ---------------------------------------------------------------- decks

    def current_deck_id(self) -> int | None:
        """The deck the page on show is about (the deck list's selection by default)."""
        page = self.current_page()
        if page == "browse":
            deck_id = self.browse.view.deck_filter.currentData()
            if deck_id is None and self.browse.current_fact() is not None:
                fact = self.browse.current_fact()
                assert fact is not None
                deck_id = fact.deck_id
            if deck_id is not None:
                return int(deck_id)
        if page == "reader" and self.reader.deck_id is not None:
            return self.reader.deck_id
        deck = self.deck_page.current_deck()
        return deck.deck_id if deck is not None else None

    def _deck_name(self, deck_id: int) -> str:
        row = self.deck_model.row_of(deck_id)
        deck = self.deck_model.deck_at(row)
        return deck.name if deck is not None else str(deck_id)

    def _update_deck_actions(self) -> None:
        has = self.library is not None and self.deck_model.rowCount() > 0
        idle = not self.study.active
        for act in (
            self.act_export,
            self.act_delete_deck,
            self.act_deck_options,
            self.act_add_fact,
        ):
            act.setEnabled(has and idle)

    def _decks_changed(self, deck_id: int) -> None:
        keep = self.current_page()
        self._stale.update(("browse", "reader", "progress"))
        if self.library is not None and self.profile is not None:
            current = self.deck_page.current_deck()
            self.deck_model.set_decks(self.library.deck_summaries(
                self.profile.profile_id, more_new=self.study.more_today(self.profile.profile_id)))
            self.deck_page.select_deck(current.deck_id if current else deck_id)
        self._update_deck_actions()
        if keep == "browse":
            self._stale.discard("browse")
            self.browse.set_context(
                self.library.collection if self.library else None,
                self.profile.profile_id if self.profile else None,
                self.deck_model.decks(),
            )
        elif keep in self._stale:
            self._refresh_page(keep)

    def export_deck(self, path: str | Path | None = None, deck_id: int | None = None) -> None:
        """Ask where to write the selected deck (or take ``path``) and write it off-thread."""
        if self.library is None:
            return
        from quizapp.gui.controllers import deck_io

        deck_id = deck_id if deck_id is not None else self.current_deck_id()
        if deck_id is None:
            return
        if not path:
            filters = deck_io.export_filters()
            row = self.deck_model.deck_at(self.deck_model.row_of(deck_id))
            stem = row.key if row is not None else "deck"
            path, chosen = QFileDialog.getSaveFileName(
                self,
                "Export deck",
                str(Path.home() / f"{stem}.toml"),
                ";;".join(filters),
                filters[0],
            )
            if not path:
                return
            file = Path(path)
            if not file.suffix:
                file = file.with_suffix(deck_io.suffix_for_filter(chosen))
        else:
            file = Path(path)
        library = self.library
        name = self._deck_name(deck_id)
        self.show_status(f"Exporting “{name}”…")
        self.tasks.start(
            lambda progress: deck_io.export_file(library.collection, deck_id, file, progress),
            lambda _r: self.show_status(f"Exported “{name}” to {file}."),
            lambda exc: self._export_failed(file, exc),
            lambda: self.show_status("Export cancelled."),
            title="Exporting",
            label=f"Writing {file.name}…",
            parent=self,
        )

    def _export_failed(self, file: Path, exc: Exception) -> None:
        self.show_status(f"{file.name} was not written.")
        self.message(
            QMessageBox.Icon.Warning,
            "Export failed",
            f"The deck could not be written to {file}:\n\n{exc}",
        )

    def delete_deck(self, deck_id: int | None = None) -> bool:
        """Delete the selected deck and everyone's progress on it, after confirmation."""
        if self.library is None or self.study.active:
            return False
        deck_id = deck_id if deck_id is not None else self.current_deck_id()
        if deck_id is None:
            return False
        name = self._deck_name(deck_id)
        from quizapp.browse import classes_a_delete_retires

        classes = classes_a_delete_retires(self.library.collection)  # a teacher's classes
        if classes:
            question = (
                f"Remove the deck “{one_line(name)}” from your classes "
                f"({one_line(', '.join(classes))})?\n\nTheir students no longer see or study "
                "it; their progress is kept, and other classes keep the deck."
            )
        else:
            question = (
                f"Delete the deck “{one_line(name)}” with its facts, and every learner's "
                "progress on it?\n\nThis cannot be undone. Export the deck first to keep a copy."
            )
        answer = QMessageBox.question(
            self,
            "Delete deck",
            rich(question),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        from quizapp.browse import delete_deck

        try:
            done = delete_deck(self.library.collection, deck_id)
        except PermissionError as exc:
            self.message(QMessageBox.Icon.Warning, "Delete deck", str(exc).capitalize() + ".")
            return False
        self.refresh_decks()
        if done == "retired":  # a teacher in a classroom: their classes only
            self.show_status(f"Removed the deck “{name}” from your classes; "
                             "its progress is kept.")
        else:
            self.show_status(f"Deleted the deck “{name}”.")
        return True

    def new_deck(self) -> None:
        """Create an empty deck (Browse opens on it)."""
        if self.library is None or self.study.active:
            return
        self._ensure_browse_context()
        self.browse.new_deck()

    def add_fact(self) -> None:
        """Add a fact or Q/A note to the selected deck."""
        if self.library is None or self.study.active:
            return
        deck_id = self.current_deck_id()
        self._ensure_browse_context()
        self.browse.add_fact(deck_id)

    def _add_fact_from_reader(self, deck_id: int, initial: dict[str, Any]) -> None:
        self._ensure_browse_context()
        self.browse.add_fact(deck_id, initial)

    def edit_fact(self, deck_id: int, key: str) -> None:
        """Open one fact in the editor."""
        self._ensure_browse_context()
        self.browse.select_fact_key(deck_id, key)
        self.browse.edit_selected()

    def browse_fact(self, deck_id: int, key: str) -> None:
        """Show one fact in Browse."""
        self.show_page("browse")
        self.browse.select_fact_key(deck_id, key)

    def read_fact(self, deck_id: int, key: str) -> None:
        """Show one fact in the Reader."""
        self.show_page("reader")
        self.reader.set_deck(deck_id, key)

    def find_facts(self) -> None:
        """Browse with the keyboard in the search field."""
        self.show_page("browse")
        self.browse.view.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.browse.view.search.selectAll()

    def _ensure_browse_context(self) -> None:
        if "browse" in self._stale or self.browse.collection is None:
            self._refresh_page("browse")

    def _change_limits(self, deck_id: int) -> None:
        """From the summary: back to the deck list, with the deck's options open."""
        self.show_decks()
        self.deck_page.select_deck(deck_id)
        self.deck_options(deck_id)

    def deck_options(self, deck_id: int | None = None) -> QWidget | None:
        """The options of the selected deck for the current learner."""
        if self.library is None or self.profile is None or self.study.active:
            return None
        deck_id = deck_id if deck_id is not None else self.current_deck_id()
        if deck_id is None:
            return None
        from quizapp.gui.views.deck_options_dialog import DeckOptionsDialog
        from quizapp.services.decks import deck_options, save_deck_options

        collection, profile_id = self.library.collection, self.profile.profile_id

        def save(values: Any) -> list[str]:
            problems = save_deck_options(collection, profile_id, deck_id, values)
            if not problems:
                self.show_status(f"Saved the options of “{values.deck_name}”.")
                self._decks_changed(deck_id)
            return problems

        dialog = DeckOptionsDialog(deck_options(collection, profile_id, deck_id), save, self)
        self.open_dialog(dialog)
        return dialog

    def show_settings(self) -> QWidget | None:
        """Theme, text size and the learner's study defaults."""
        from quizapp.gui.views.settings_dialog import SettingsDialog, SettingsValues
        from quizapp.services.decks import save_study_defaults, study_defaults

        collection = self.library.collection if self.library is not None else None
        profile = self.profile
        defaults = (
            study_defaults(collection, profile.profile_id)
            if collection is not None and profile is not None
            else None
        )
        size = self.settings.font_size or QApplication.font().pointSize()
        values = SettingsValues(
            self.settings.theme, size, profile.name if profile is not None else "", defaults
        )

        def save(v: SettingsValues) -> list[str]:
            if v.defaults is not None and collection is not None and profile is not None:
                try:
                    save_study_defaults(collection, profile.profile_id, v.defaults)
                except ValueError as exc:
                    return [str(exc).capitalize()]
            if v.font_size != size:
                self.settings.font_size = v.font_size
            self.set_theme(v.theme)
            with contextlib.suppress(OSError):
                self.settings.save()
            self._decks_changed(-1)
            self.show_status("Settings saved.")
            return []

        actions = (parameter_actions(collection, profile.profile_id)
                   if collection is not None and profile is not None else None)
        dialog = SettingsDialog(values, save, self, actions)
        self.open_dialog(dialog)
        return dialog

    # ---------------------------------------------------------------- pages

    def current_page(self) -> str:
        """The name of the page on show: decks, study, browse, reader or progress."""
        widget = self.pages.currentWidget()
        if widget is self.study.view:
            return "study"
        built = {"browse": self._browse, "reader": self._reader, "progress": self._progress}
        return next((n for n, panel in built.items()
                     if panel is not None and panel.view is widget), "decks")

    def show_page(self, name: str) -> None:
        """Switch to a page (not while studying)."""
        if self.study.active or name not in PAGES:
            self.nav.set_current(self.current_page())
            return
        if name == "decks":
            self.show_decks()
            return
        self.pages.setCurrentWidget(self.page_widget(name))
        self.nav.set_current(name)
        self.act_back.setEnabled(True)
        if name in self._stale or name == "progress":
            self._refresh_page(name)
        focus = {
            "browse": self.browse.view.search,
            "reader": self.reader.view.browser,
            "progress": self.progress.view.refresh,
        }[name]
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refresh_page(self, name: str) -> None:
        self._stale.discard(name)
        collection = self.library.collection if self.library is not None else None
        profile_id = self.profile.profile_id if self.profile is not None else None
        decks = self.deck_model.decks()
        if name == "browse":
            self.browse.set_context(collection, profile_id, decks)
        elif name == "reader":
            current = self.deck_page.current_deck()
            deck_id = self.reader.deck_id
            if deck_id is None or all(d.deck_id != deck_id for d in decks):
                deck_id = current.deck_id if current is not None else None
            self.reader.set_context(collection, profile_id, decks, deck_id)
        elif name == "progress":
            self.progress.set_context(collection, profile_id)
            if self.current_page() == "progress":
                self.progress.refresh()
            else:
                self._stale.add("progress")

    def _hint_dismissed(self) -> None:
        self.settings.hint_shown = True
        with contextlib.suppress(OSError):
            self.settings.save()

    # ------------------------------------------------------------------ help

    def show_shortcuts(self) -> None:
        """List the keyboard shortcuts."""
        self.open_dialog(ShortcutsDialog(self))

    def show_csv_format(self) -> None:
        """What a spreadsheet to import looks like (columns, header names, encoding)."""
        from quizapp.gui.views.dialogs import CsvFormatDialog

        self.open_dialog(CsvFormatDialog(self))

    def show_about(self) -> None:
        """The About box, with the seed article's title and licence."""
        from quizapp import __version__

        sources = self.library.sources("seed") if self.library is not None else []
        self.open_dialog(AboutDialog(__version__, sources, self.windowIcon(), self))

    # ------------------------------------------------------- quiz mode

    def start_practice_test(self) -> None:
        """Open the practice-test screen on the current learner's decks."""
        if self.library is None or self.profile is None or self.study.active:
            return
        if self.practice is None:
            from quizapp.gui.controllers.practice_test_panel import PracticeTestPanel

            self.practice = PracticeTestPanel(self)
            self.pages.addWidget(self.practice.view)
            self.practice.closed.connect(self.show_decks)
            self.practice.status_message.connect(self.show_status)
        self.practice.set_context(
            self.library.collection, self.profile.profile_id, self.deck_model.decks()
        )
        self.pages.setCurrentWidget(self.practice.view)
        self.nav.clear_current()  # a practice test is none of the tabs: none is highlighted
        self.act_back.setEnabled(True)

    def print_quiz(self) -> None:
        """Write a printable quiz of the selected deck (PDF with its answer key)."""
        deck = self.deck_page.current_deck()
        if self.library is None or deck is None:
            return
        n, ok = QInputDialog.getInt(self, "Print a quiz", "Number of questions:", 20, 1, 200)
        if not ok:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Print a quiz", str(Path.home() / f"{deck.key}-quiz.pdf"), "PDF (*.pdf)"
        )
        if not path:
            return
        from quizapp.gui.pdf import write_quiz_pdf
        from quizapp.quiz import QuizOptions, build_quiz, load_quiz_decks

        quiz = build_quiz(
            load_quiz_decks(self.library.collection, [deck.deck_id]), QuizOptions(questions=n)
        )
        if quiz.short:
            self.message(
                QMessageBox.Icon.Warning,
                "Print a quiz",
                quiz.problems()[0].split(": ", 1)[1].capitalize() + ".",
            )
            return
        pages = write_quiz_pdf(quiz, path, answer_key_page=True)
        self.show_status(f"Wrote {Path(path).name}: {len(quiz.items)} questions, {pages} pages.")

    def export_progress_file(self) -> None:
        """Write the learner's progress file and PDF report for a teacher."""
        if self.library is None or self.profile is None:
            return
        from quizapp.gui.controllers.progress_files import export_progress_file

        written = export_progress_file(
            self, self.library.collection, self.profile.profile_id, self.profile.name
        )
        if written is not None:
            self.show_status(f"Wrote {written[0].name} and {written[1].name}.")

    def export_profile_file(self) -> None:
        """Write everything of the learner to a file for another computer."""
        if self.library is None or self.profile is None:
            return
        from quizapp.gui.controllers.progress_files import export_profile_file

        file = export_profile_file(
            self, self.library.collection, self.profile.profile_id, self.profile.name
        )
        if file is not None:
            self.show_status(f"Wrote the profile {self.profile.name} to {file.name}.")

    def import_profile_file(self) -> None:
        """Bring in a profile exported on another computer."""
        if self.library is None or self.study.active:
            return
        from quizapp.gui.controllers.progress_files import import_profile_file

        result = import_profile_file(self, self.library.collection)
        if result is not None:
            self.reload_profiles(result.profile_id)
            self.show_status(f"Imported {result.name}: {result.reviews} reviews.")

    def show_class_report(self) -> None:
        """File › Class report…: the students this connection may see, per deck."""
        from quizapp.gui.views.class_report_view import ClassReportDialog

        if self.library is None:
            return
        self.open_dialog(ClassReportDialog(self.library.collection, self))

    def show_class_view(self) -> None:
        """Students' progress files side by side."""
        from quizapp.gui.views.class_view import ClassViewDialog

        self.open_dialog(ClassViewDialog(self))

    def open_dialog(self, dialog: QWidget) -> None:
        """Show ``dialog`` (deleted when closed) and keep it while it is on screen."""
        self._dialogs.add(dialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: self._dialogs.discard(dialog))
        dialog.open()  # type: ignore[attr-defined]

    def message(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        """Show a plain-text message box over the window (not blocking) and return it."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # messages quote names and file contents
        self.open_dialog(box)
        return box

    @property
    def study_active(self) -> bool:
        """Whether a study session is on screen."""
        return self.study.active

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
        self.nav.restyle()
        self.hint.restyle()
        if self._reader is not None and self._reader.deck is not None:
            self._reader.refresh()
        if self._browse is not None and self._browse.current_fact() is not None:
            self._browse.select_fact(self._browse.current_fact().fact_row_id)  # type: ignore[union-attr]
        if self._progress is not None:
            self._progress.view.update()
            for widget in self._progress.view.findChildren(QWidget):
                widget.update()

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
        was_open = self.library is not None
        self.hide()  # gone at once: the learner does not wait for what follows
        self.close_collection()
        self.save_settings()
        # the exit backup starts on its own thread (the process ends once it is checked);
        # the profile lock goes
        self.safekeeping.closing(back_up=was_open)
        super().closeEvent(event)

    def close_collection(self) -> None:
        """End study, wait for background work and close the database (quit, restore)."""
        if self.study.active:
            self.study.stop()
        self.tasks.cancel_all()
        self.tasks.wait(30000)
        if self._progress is not None:
            self._progress.wait(30000)
        self.runner.wait(30000)
        self.fitting.wait(30000)
        self.safekeeping.keeper.wait(60000)
        if self.library is not None:
            self.library.close()
            self.library = None
        self._stale.update(("browse", "reader", "progress"))

    # ------------------------------------------- backups (controllers/safekeeping.py)

    def show_backups(self) -> QWidget | None:
        """File › Backups…: list the backups, back up now, or restore one."""
        if self.study.active:
            return None
        return self.safekeeping.show_backups()

    def quit_with(self, status: int) -> None:
        """Close the window and make ``status`` the app's exit status."""
        self.exit_status = status
        self.close()

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
