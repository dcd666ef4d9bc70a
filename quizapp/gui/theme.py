"""Light, dark and follow-the-system themes: a Fusion palette and a small stylesheet.

Colours are chosen for WCAG AA contrast (4.5:1 or better for text) on their
backgrounds in both schemes. Widgets that need meaning-carrying colours (right
and wrong feedback, highlighted answers) read them from :func:`colors` so the
palette and the rich text agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

MIN_FONT_POINTS = 10


@dataclass(frozen=True, slots=True)
class Colors:
    """The colours of one scheme."""

    dark: bool
    window: str
    base: str
    alt_base: str
    text: str
    muted: str
    button: str
    border: str
    accent: str
    accent_text: str
    accent_hover: str
    right_bg: str
    right_fg: str
    wrong_bg: str
    wrong_fg: str
    partial_bg: str
    partial_fg: str
    mark_bg: str
    mark_fg: str
    card: str


LIGHT = Colors(
    dark=False,
    window="#f4f5f8",
    base="#ffffff",
    alt_base="#f0f2f6",
    text="#1c1f26",
    muted="#545b69",
    button="#ffffff",
    border="#c9ced8",
    accent="#3b5bdb",
    accent_text="#ffffff",
    accent_hover="#3451c6",
    right_bg="#e3f4e8",
    right_fg="#17612f",
    wrong_bg="#fde8e8",
    wrong_fg="#9b1c1c",
    partial_bg="#fff3dc",
    partial_fg="#7a4a00",
    mark_bg="#ffe58a",
    mark_fg="#1c1f26",
    card="#ffffff",
)

DARK = Colors(
    dark=True,
    window="#1e2026",
    base="#272a31",
    alt_base="#2d3038",
    text="#e8eaef",
    muted="#a9afbc",
    button="#31353e",
    border="#454a55",
    accent="#3b5bdb",
    accent_text="#ffffff",
    accent_hover="#4263eb",
    right_bg="#163823",
    right_fg="#a6e9b9",
    wrong_bg="#451b1d",
    wrong_fg="#ffc4c4",
    partial_bg="#45351a",
    partial_fg="#ffdc9e",
    mark_bg="#7a6300",
    mark_fg="#ffffff",
    card="#272a31",
)

_current: Colors = LIGHT
_mode: str = "system"


def colors() -> Colors:
    """The colours in use."""
    return _current


def system_is_dark() -> bool:
    """Whether the desktop asks for a dark scheme."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def _palette(c: Colors) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    p.setColor(role.Window, QColor(c.window))
    p.setColor(role.WindowText, QColor(c.text))
    p.setColor(role.Base, QColor(c.base))
    p.setColor(role.AlternateBase, QColor(c.alt_base))
    p.setColor(role.Text, QColor(c.text))
    p.setColor(role.Button, QColor(c.button))
    p.setColor(role.ButtonText, QColor(c.text))
    p.setColor(role.ToolTipBase, QColor(c.base))
    p.setColor(role.ToolTipText, QColor(c.text))
    p.setColor(role.PlaceholderText, QColor(c.muted))
    p.setColor(role.Highlight, QColor(c.accent))
    p.setColor(role.HighlightedText, QColor(c.accent_text))
    p.setColor(role.Link, QColor(c.accent if not c.dark else "#91a7ff"))
    p.setColor(role.BrightText, QColor("#ffffff"))
    p.setColor(role.Light, QColor(c.base).lighter(120))
    p.setColor(role.Midlight, QColor(c.border).lighter(110))
    p.setColor(role.Mid, QColor(c.border))
    p.setColor(role.Dark, QColor(c.border).darker(130))
    p.setColor(role.Shadow, QColor("#000000"))
    disabled = QColor(c.muted)
    disabled.setAlpha(170)
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, disabled)
    return p


def _stylesheet(c: Colors) -> str:
    return f"""
QToolTip {{ color: {c.text}; background: {c.base}; border: 1px solid {c.border}; }}
QPushButton {{
    padding: 6px 14px; border: 1px solid {c.border}; border-radius: 6px;
    background: {c.button}; min-height: 1.6em;
}}
QPushButton:hover {{ border-color: {c.accent}; }}
QPushButton:focus {{ border: 2px solid {c.accent}; }}
QPushButton:pressed {{ background: {c.alt_base}; }}
QPushButton:disabled {{ color: {c.muted}; border-color: {c.border}; }}
QPushButton[primary="true"] {{
    background: {c.accent}; color: {c.accent_text}; border: 1px solid {c.accent};
    font-weight: 600; padding: 8px 22px;
}}
QPushButton[primary="true"]:hover {{ background: {c.accent_hover}; }}
QPushButton[primary="true"]:focus {{ border: 2px solid {c.text}; }}
QPushButton[primary="true"]:disabled {{
    background: {c.alt_base}; color: {c.muted}; border-color: {c.border};
}}
ChoiceButton {{ text-align: left; padding: 0; min-height: 2.4em; }}
ChoiceButton QLabel#choiceBadge {{
    background: {c.alt_base}; color: {c.muted}; border: 1px solid {c.border};
    border-radius: 5px; font-weight: 700;
}}
ChoiceButton[result="right"] {{ background: {c.right_bg}; border: 2px solid {c.right_fg}; }}
ChoiceButton[result="right"] QLabel {{ color: {c.right_fg}; font-weight: 600; }}
ChoiceButton[result="wrong"] {{ background: {c.wrong_bg}; border: 2px solid {c.wrong_fg}; }}
ChoiceButton[result="wrong"] QLabel {{ color: {c.wrong_fg}; font-weight: 600; }}
QLineEdit[locked="true"] {{ background: {c.alt_base}; }}
QFrame#divider {{ background: {c.border}; border: none; }}
QLineEdit {{
    padding: 6px 8px; border: 1px solid {c.border}; border-radius: 6px;
    background: {c.base};
}}
QLineEdit:focus {{ border: 2px solid {c.accent}; }}
QTableView, QListWidget {{
    border: 1px solid {c.border}; border-radius: 6px; background: {c.base};
}}
QListWidget#timelineList {{ outline: 0; }}
QListWidget#timelineList::item {{
    padding: 10px 8px; margin: 2px 4px; border: 1px solid {c.border}; border-radius: 6px;
    background: {c.alt_base};
}}
QListWidget#timelineList::item:selected {{
    background: {c.accent}; color: {c.accent_text}; border-color: {c.accent};
}}
QHeaderView::section {{
    background: {c.alt_base}; color: {c.muted}; padding: 6px 8px; border: none;
    border-bottom: 1px solid {c.border}; font-weight: 600;
}}
QFrame#card {{
    background: {c.card}; border: 1px solid {c.border}; border-radius: 10px;
}}
QLabel#pageTitle {{ font-size: 18pt; font-weight: 600; }}
QLabel#prompt {{ font-size: 15pt; font-weight: 600; }}
QLabel#prompt[sentence="true"] {{ font-size: 14pt; font-weight: 400; }}
QLabel#muted, QLabel#progressText {{ color: {c.muted}; }}
QLabel#formTag {{
    color: {c.muted}; font-weight: 600; letter-spacing: 1px;
}}
QLabel#flashBack {{ font-size: 15pt; }}
QFrame#banner {{ border-radius: 8px; border: 1px solid {c.border}; }}
QFrame#banner[verdict="right"] {{ background: {c.right_bg}; border-color: {c.right_fg}; }}
QFrame#banner[verdict="wrong"] {{ background: {c.wrong_bg}; border-color: {c.wrong_fg}; }}
QFrame#banner[verdict="partial"] {{ background: {c.partial_bg}; border-color: {c.partial_fg}; }}
QFrame#banner[verdict="right"] QLabel {{ color: {c.right_fg}; }}
QFrame#banner[verdict="wrong"] QLabel {{ color: {c.wrong_fg}; }}
QFrame#banner[verdict="partial"] QLabel {{ color: {c.partial_fg}; }}
QLabel#bannerTitle {{ font-size: 15pt; font-weight: 700; }}
QLabel#statValue {{ font-size: 20pt; font-weight: 700; }}
QLabel#statLabel {{ color: {c.muted}; }}
QProgressBar {{
    border: none; border-radius: 3px; background: {c.alt_base}; max-height: 6px;
}}
QProgressBar::chunk {{ border-radius: 3px; background: {c.accent}; }}
"""


def apply_theme(app: QApplication, mode: str = "system", font_size: int = 0) -> Colors:
    """Apply ``mode`` (system, light or dark) and the font size to the whole app."""
    global _current, _mode
    _mode = mode
    dark = system_is_dark() if mode == "system" else mode == "dark"
    _current = DARK if dark else LIGHT
    app.setStyle("Fusion")
    app.setPalette(_palette(_current))
    font = QFont(app.font())
    size = font_size or max(MIN_FONT_POINTS, round(font.pointSizeF()) or MIN_FONT_POINTS)
    font.setPointSize(size)
    app.setFont(font)
    app.setStyleSheet(_stylesheet(_current))
    return _current


def theme_mode() -> str:
    """The mode last applied (system, light or dark)."""
    return _mode
