"""The strip of page tabs under the menu bar, and the first-run hint above it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QWidget,
)

from quizapp.gui.theme import colors

PAGES: tuple[tuple[str, str, str], ...] = (
    ("decks", "Decks", "Ctrl+1"),
    ("browse", "Browse", "Ctrl+2"),
    ("reader", "Reader", "Ctrl+3"),
    ("progress", "Progress", "Ctrl+4"),
)


class NavBar(QFrame):
    """Tabs for the app's pages; ``page_requested`` says which one was picked."""

    page_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navBar")
        self.setAccessibleName("Pages")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 0, 16, 0)
        layout.setSpacing(2)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QToolButton] = {}
        for name, label, keys in PAGES:
            button = QToolButton(self)
            button.setObjectName("navButton")
            button.setText(label)
            button.setCheckable(True)
            button.setAccessibleName(f"{label} page")
            button.setToolTip(f"{label} ({keys})")
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.clicked.connect(lambda _=False, n=name: self.page_requested.emit(n))
            self.group.addButton(button)
            layout.addWidget(button)
            self.buttons[name] = button
        layout.addStretch(1)
        self.restyle()

    def set_current(self, name: str) -> None:
        """Mark a page as the one on show."""
        button = self.buttons.get(name)
        if button is not None:
            button.setChecked(True)

    def clear_current(self) -> None:
        """Mark no page as on show (a screen that is none of the tabs, e.g. a practice test)."""
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)

    def current(self) -> str:
        """The page marked as on show."""
        return next((n for n, b in self.buttons.items() if b.isChecked()), "decks")

    def restyle(self) -> None:
        """Follow the theme."""
        c = colors()
        self.setStyleSheet(f"""
QFrame#navBar {{ background: {c.window}; border: none;
    border-bottom: 1px solid {c.border}; }}
QToolButton#navButton {{ border: none; border-bottom: 3px solid transparent;
    padding: 8px 14px 6px 14px; color: {c.muted}; font-weight: 600;
    background: transparent; }}
QToolButton#navButton:hover {{ color: {c.text}; }}
QToolButton#navButton:checked {{ color: {c.text}; border-bottom: 3px solid {c.accent}; }}
QToolButton#navButton:focus {{ color: {c.text}; background: {c.alt_base}; }}
""")


class HintBanner(QFrame):
    """A first-run hint with a button to dismiss it."""

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hintBanner")
        self.setAccessibleName("Getting started")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 12, 10)
        layout.setSpacing(12)
        self.text = QLabel(
            "<b>Welcome to quizapp.</b> Pick a deck and press <b>Enter</b> to study; answer "
            "with the number keys, <b>Enter</b> goes on. <b>Browse</b> lists every fact, "
            "<b>Reader</b> shows them in their article, <b>Progress</b> charts how you are "
            "doing. Drop deck files onto the window to import them; F1 lists every shortcut.",
            self)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Getting started hint")
        layout.addWidget(self.text, 1)
        self.close_button = QPushButton("Got it", self)
        self.close_button.setAccessibleName("Dismiss the getting started hint")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.close_button.clicked.connect(self._dismiss)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.restyle()

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()

    def restyle(self) -> None:
        """Follow the theme."""
        c = colors()
        self.setStyleSheet(
            f"QFrame#hintBanner {{ background: {c.alt_base}; border: none;"
            f" border-left: 4px solid {c.accent}; border-bottom: 1px solid {c.border}; }}"
            f"QFrame#hintBanner QLabel {{ color: {c.text}; }}")
