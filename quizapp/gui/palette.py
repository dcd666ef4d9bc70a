"""Colours that carry meaning beyond the theme's palette: knowledge levels and chart series.

Each scheme has its own set so that text stays readable (WCAG AA, 4.5:1 or
better against its background) in light and dark themes alike. Backgrounds
are soft tints behind the theme's text colour; the ``swatch`` colours are
stronger, for legends, chart bars and the marker under a highlight.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.gui.theme import Colors, colors

LEVELS: tuple[str, ...] = ("new", "learning", "known", "mastered", "leech")
LEVEL_LABELS: dict[str, str] = {
    "new": "New",
    "learning": "Learning",
    "known": "Known",
    "mastered": "Mastered",
    "leech": "Leech",
}
LEVEL_HELP: dict[str, str] = {
    "new": "Not studied yet",
    "learning": "Studied, not yet remembered for days",
    "known": "In review: remembered across days",
    "mastered": "Recalled for three weeks or more, last answer right",
    "leech": "Forgotten eight times or more",
}


@dataclass(frozen=True, slots=True)
class LevelColor:
    """How one knowledge level is drawn."""

    background: str
    foreground: str
    swatch: str


_LIGHT_LEVELS = {
    "new": LevelColor("#eceef2", "#1c1f26", "#8a909c"),
    "learning": LevelColor("#ffedc2", "#1c1f26", "#d08700"),
    "known": LevelColor("#dbe6ff", "#1c1f26", "#3b5bdb"),
    "mastered": LevelColor("#d3f2dc", "#1c1f26", "#2b8a3e"),
    "leech": LevelColor("#ffd9d9", "#1c1f26", "#c92a2a"),
}
_DARK_LEVELS = {
    "new": LevelColor("#3a3e48", "#e8eaef", "#8a909c"),
    "learning": LevelColor("#5a4614", "#fff6e0", "#f2b43c"),
    "known": LevelColor("#25386f", "#eef2ff", "#7b96f0"),
    "mastered": LevelColor("#1d4a2b", "#eafbef", "#5fcf7a"),
    "leech": LevelColor("#5e2222", "#ffecec", "#ff7b7b"),
}


def level_color(level: str, scheme: Colors | None = None) -> LevelColor:
    """The colours of a knowledge level in the current (or given) scheme."""
    c = scheme or colors()
    table = _DARK_LEVELS if c.dark else _LIGHT_LEVELS
    return table.get(level, table["new"])


@dataclass(frozen=True, slots=True)
class ChartColors:
    """The colours charts draw with."""

    text: str
    muted: str
    grid: str
    background: str
    primary: str  # bars and lines
    secondary: str  # a second series (right answers, mastered)
    tertiary: str  # a third (practice tests)
    empty: str  # a heatmap day without reviews
    heat: tuple[str, ...]  # heatmap steps, lightest to strongest


def chart_colors(scheme: Colors | None = None) -> ChartColors:
    """Chart colours matching the current (or given) theme."""
    c = scheme or colors()
    if c.dark:
        return ChartColors(
            text=c.text, muted=c.muted, grid="#3a3e48", background=c.card,
            primary="#7b96f0", secondary="#5fcf7a", tertiary="#f2b43c", empty="#30343d",
            heat=("#24406b", "#2f5fa8", "#4a80e0", "#8fb3ff"),
        )
    return ChartColors(
        text=c.text, muted=c.muted, grid="#e2e5ec", background=c.card,
        primary="#3b5bdb", secondary="#2b8a3e", tertiary="#d08700", empty="#ebedf1",
        heat=("#c5d3fb", "#8ea8f2", "#5475e0", "#2b45b0"),
    )
