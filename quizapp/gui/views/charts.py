"""Small charts drawn with QPainter in the theme's colours: no chart library needed.

- :class:`CalendarHeatmap`: one square per day over the last year, darker for
  more reviews (GitHub-style), with month and weekday labels.
- :class:`BarChart`: vertical bars over days, with an optional second series
  drawn inside the first (e.g. right answers within all answers).
- :class:`LineChart`: a rate between 0 and 1 over time, gaps where there is no
  data, and an optional dashed target line.
- :class:`ProgressBars`: horizontal bars of "done of total" per row (mastery).
- :class:`CalibrationChart`: predicted against actual recall, one dot per bin of
  predictions (its area grows with its answers, its count beside it), over
  the diagonal of a perfect prediction.

Every chart describes its data in its accessible description and shows the
value under the mouse as a tool tip.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from quizapp.gui.palette import ChartColors, chart_colors


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``maximum`` (about ``count`` steps)."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if step < 1 and maximum >= 1:
        step = 1
    top = step * math.ceil(maximum / step - 1e-9)
    n = round(top / step)
    return [step * i for i in range(n + 1)]


def _fmt(value: float) -> str:
    if value >= 10000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    if value == int(value):
        return str(int(value))
    return f"{value:.1f}"


class Chart(QWidget):
    """Shared set-up: colours, fonts, an empty-state line, hover tool tips."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setObjectName(name.replace(" ", "_").lower())
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.empty_text = "Nothing to show yet."
        self._hits: list[tuple[QRectF, str]] = []

    def colors(self) -> ChartColors:
        """The colours to draw with (follows the theme)."""
        return chart_colors()

    def small_font(self) -> QFont:
        """The font for axis labels."""
        font = QFont(self.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() * 0.85))
        return font

    def describe(self, text: str) -> None:
        """Say what the chart shows, for screen readers."""
        self.setAccessibleDescription(text)
        self.setToolTip("")

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            pos = QPointF(event.pos())
            for rect, text in self._hits:
                if rect.contains(pos):
                    QToolTip.showText(event.globalPos(), text, self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)

    def _begin(self) -> tuple[QPainter, ChartColors, QFontMetrics]:
        """A painter on the chart in its small font, the colours and the font's metrics;
        the hover areas of the last paint are cleared."""
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = self.small_font()
        p.setFont(font)
        self._hits = []
        return p, self.colors(), QFontMetrics(font)

    def _paint_empty(self, p: QPainter) -> None:
        c = self.colors()
        p.setPen(QColor(c.muted))
        p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)


class CalendarHeatmap(Chart):
    """Reviews per day over the last year: one square a day, weeks as columns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Reviews calendar", parent)
        self._counts: dict[date, int] = {}
        self._today = date.today()
        self.setMinimumHeight(172)

    def set_data(self, counts: Mapping[date, int], today: date) -> None:
        """Reviews by day, and the day the calendar ends on."""
        self._counts = dict(counts)
        self._today = today
        days = sum(1 for v in self._counts.values() if v)
        total = sum(self._counts.values())
        self.describe(f"{total} reviews on {days} days over the last year")
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(760, 172)

    def days(self) -> list[date]:
        """Every day shown, oldest first (whole weeks, Monday first, ending today)."""
        end = self._today
        start = end - timedelta(days=364)
        start -= timedelta(days=start.weekday())
        return [start + timedelta(days=i) for i in range((end - start).days + 1)]

    def level_of(self, count: int, peak: int) -> int:
        """The colour step (0 empty, 1-4) of a day."""
        if count <= 0:
            return 0
        if peak <= 4:
            return min(4, count)
        return 1 + min(3, int(3 * count / peak + 1e-9))

    def paintEvent(self, _event: object) -> None:
        p, c, fm = self._begin()
        days = self.days()
        weeks = (len(days) + 6) // 7
        left = fm.horizontalAdvance("Wed") + 8
        top = fm.height() + 4
        legend_h = fm.height() + 6
        avail_w = self.width() - left - 4
        avail_h = self.height() - top - legend_h - 4
        cell = max(4.0, min(avail_w / weeks, avail_h / 7, 22.0))
        gap = max(1.0, cell * 0.18)
        peak = max(self._counts.values(), default=0)
        self._hits = []
        p.setPen(QColor(c.muted))
        for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
            y = top + row * cell
            p.drawText(QRectF(0, y, left - 6, cell), Qt.AlignmentFlag.AlignRight
                       | Qt.AlignmentFlag.AlignVCenter, name)
        last_month = None
        for i, day in enumerate(days):
            col, row = divmod(i, 7)
            x = left + col * cell
            y = top + row * cell
            if day.day <= 7 and row == 0 and day.month != last_month:
                last_month = day.month
                p.setPen(QColor(c.muted))
                p.drawText(QRectF(x, 0, cell * 5, top - 2),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                           day.strftime("%b"))
            count = self._counts.get(day, 0)
            level = self.level_of(count, peak)
            color = QColor(c.empty if level == 0 else c.heat[level - 1])
            rect = QRectF(x, y, cell - gap, cell - gap)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            p.drawRoundedRect(rect, 2, 2)
            if day == self._today:
                p.setPen(QPen(QColor(c.text), 1.2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5), 2, 2)
            word = "review" if count == 1 else "reviews"
            self._hits.append((rect, f"{day:%a %d %b %Y}: {count} {word}"))
        # Legend: Less ■■■■■ More
        y = top + 7 * cell + 4
        x = left
        p.setPen(QColor(c.muted))
        w = fm.horizontalAdvance("Less")
        p.drawText(QRectF(x, y, w + 2, legend_h), Qt.AlignmentFlag.AlignVCenter, "Less")
        x += w + 6
        box = min(cell - gap, legend_h - 6)
        for shade in (c.empty, *c.heat):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(shade))
            p.drawRoundedRect(QRectF(x, y + (legend_h - box) / 2, box, box), 2, 2)
            x += box + 3
        p.setPen(QColor(c.muted))
        p.drawText(QRectF(x + 3, y, 60, legend_h), Qt.AlignmentFlag.AlignVCenter, "More")
        p.end()


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, value and an optional inner value (drawn inside)."""

    label: str
    value: float
    inner: float | None = None
    tip: str = ""


class BarChart(Chart):
    """Vertical bars with a value axis; ``inner`` values are drawn inside each bar."""

    def __init__(self, name: str, parent: QWidget | None = None, *,
                 series: tuple[str, str] = ("", ""), height: int = 190) -> None:
        super().__init__(name, parent)
        self._bars: list[Bar] = []
        self.series = series  # legend names of the outer and inner values
        self.label_every = 1
        self.setMinimumHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._height = height

    def sizeHint(self) -> QSize:
        return QSize(480, self._height)

    def set_bars(self, bars: Sequence[Bar], *, label_every: int = 1, summary: str = "") -> None:
        """The bars to draw (left to right); label every n-th."""
        self._bars = list(bars)
        self.label_every = max(1, label_every)
        self.describe(summary or f"{len(bars)} bars, highest {_fmt(self.peak())}")
        self.update()

    def bars(self) -> list[Bar]:
        """The bars on show."""
        return list(self._bars)

    def peak(self) -> float:
        """The highest value."""
        return max((b.value for b in self._bars), default=0.0)

    def paintEvent(self, _event: object) -> None:
        p, c, fm = self._begin()
        if not self._bars or self.peak() <= 0:
            self._paint_empty(p)
            p.end()
            return
        ticks = nice_ticks(self.peak())
        top_value = ticks[-1]
        legend_h = fm.height() + 6 if any(self.series) else 0
        left = max(fm.horizontalAdvance(_fmt(t)) for t in ticks) + 10
        top = legend_h + fm.height() / 2 + 2
        bottom = self.height() - fm.height() - 8
        right = self.width() - 6
        plot_h = bottom - top
        # grid and axis labels
        for t in ticks:
            y = bottom - plot_h * t / top_value
            p.setPen(QPen(QColor(c.grid), 1))
            p.drawLine(QPointF(left, y), QPointF(right, y))
            p.setPen(QColor(c.muted))
            p.drawText(QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, _fmt(t))
        n = len(self._bars)
        slot = (right - left) / n
        width = max(1.0, slot * 0.72)
        for i, bar in enumerate(self._bars):
            x = left + i * slot + (slot - width) / 2
            h = plot_h * bar.value / top_value
            rect = QRectF(x, bottom - h, width, h)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(c.primary))
            if h > 0:
                p.drawRoundedRect(rect, min(3, width / 3), min(3, width / 3))
            if bar.inner is not None and bar.inner > 0:
                hi = plot_h * min(bar.inner, bar.value) / top_value
                p.setBrush(QColor(c.secondary))
                p.drawRoundedRect(QRectF(x, bottom - hi, width, hi), min(3, width / 3),
                                  min(3, width / 3))
            hit = QRectF(left + i * slot, top, slot, plot_h)
            self._hits.append((hit, bar.tip or f"{bar.label}: {_fmt(bar.value)}"))
            if bar.label and i % self.label_every == 0:
                p.setPen(QColor(c.muted))
                w = fm.horizontalAdvance(bar.label) + 4
                p.drawText(QRectF(x + width / 2 - w / 2, bottom + 3, w, fm.height()),
                           Qt.AlignmentFlag.AlignCenter, bar.label)
        if any(self.series):
            x = left
            for name, color in zip(self.series, (c.primary, c.secondary), strict=True):
                if not name:
                    continue
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(color))
                p.drawRoundedRect(QRectF(x, 2 + (legend_h - 10) / 2, 10, 10), 2, 2)
                p.setPen(QColor(c.muted))
                w = fm.horizontalAdvance(name)
                p.drawText(QRectF(x + 14, 2, w + 4, legend_h), Qt.AlignmentFlag.AlignVCenter,
                           name)
                x += 14 + w + 16
        p.end()


@dataclass(frozen=True, slots=True)
class Point:
    """One point of a line: its label and a value between 0 and 1 (None: no data)."""

    label: str
    value: float | None
    tip: str = ""


class LineChart(Chart):
    """A rate over time (0-100%), with gaps where there is no data and a target line."""

    def __init__(self, name: str, parent: QWidget | None = None, height: int = 190) -> None:
        super().__init__(name, parent)
        self._points: list[Point] = []
        self.target: float | None = None
        self.target_label = ""
        self.label_every = 1
        self.setMinimumHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._height = height

    def sizeHint(self) -> QSize:
        return QSize(480, self._height)

    def set_points(self, points: Sequence[Point], *, target: float | None = None,
                   target_label: str = "", label_every: int = 1, summary: str = "") -> None:
        """The points (left to right) and an optional target rate."""
        self._points = list(points)
        self.target = target
        self.target_label = target_label
        self.label_every = max(1, label_every)
        self.describe(summary or f"{sum(1 for pt in points if pt.value is not None)} points")
        self.update()

    def points(self) -> list[Point]:
        """The points on show."""
        return list(self._points)

    def paintEvent(self, _event: object) -> None:
        p, c, fm = self._begin()
        values = [pt.value for pt in self._points if pt.value is not None]
        if not values:
            self._paint_empty(p)
            p.end()
            return
        low = min([*values, self.target or 1.0])
        floor = min(0.5, max(0.0, math.floor(low * 10 - 1e-9) / 10))
        step = 0.1 if floor >= 0.5 else 0.2 if floor >= 0.2 else 0.25
        if step == 0.25:
            floor = 0.0
        ticks = [1.0]
        while ticks[-1] > floor + 1e-9:
            ticks.append(max(0.0, round(ticks[-1] - step, 4)))
        floor = ticks[-1]
        left = fm.horizontalAdvance("100%") + 10
        top = fm.height() / 2 + 4
        bottom = self.height() - fm.height() - 8
        right = self.width() - 10
        plot_h = bottom - top

        def y_of(v: float) -> float:
            return bottom - plot_h * (v - floor) / (1 - floor)

        for t in ticks:
            y = y_of(t)
            p.setPen(QPen(QColor(c.grid), 1))
            p.drawLine(QPointF(left, y), QPointF(right, y))
            p.setPen(QColor(c.muted))
            p.drawText(QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{round(t * 100)}%")
        n = len(self._points)
        slot = (right - left) / max(1, n)

        def x_of(i: int) -> float:
            return left + slot * (i + 0.5)

        if self.target is not None and floor <= self.target <= 1:
            pen = QPen(QColor(c.tertiary), 1.4, Qt.PenStyle.DashLine)
            p.setPen(pen)
            y = y_of(self.target)
            p.drawLine(QPointF(left, y), QPointF(right, y))
            if self.target_label:
                w = fm.horizontalAdvance(self.target_label) + 6
                p.setPen(QColor(c.muted))
                p.drawText(QRectF(right - w, y - fm.height() - 1, w, fm.height()),
                           Qt.AlignmentFlag.AlignRight, self.target_label)
        path = QPainterPath()
        started = False
        for i, pt in enumerate(self._points):
            if pt.value is None:
                started = False
                continue
            point = QPointF(x_of(i), y_of(pt.value))
            if started:
                path.lineTo(point)
            else:
                path.moveTo(point)
                started = True
        p.setPen(QPen(QColor(c.primary), 2.2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.setBrush(QColor(c.primary))
        for i, pt in enumerate(self._points):
            hit = QRectF(left + i * slot, top, slot, plot_h)
            if pt.value is not None:
                p.setPen(QPen(QColor(c.background), 1.5))
                p.drawEllipse(QPointF(x_of(i), y_of(pt.value)), 3.6, 3.6)
                self._hits.append((hit, pt.tip or f"{pt.label}: {round(pt.value * 100)}%"))
            if pt.label and i % self.label_every == 0:
                p.setPen(QColor(c.muted))
                w = fm.horizontalAdvance(pt.label) + 4
                p.drawText(QRectF(x_of(i) - w / 2, bottom + 3, w, fm.height()),
                           Qt.AlignmentFlag.AlignCenter, pt.label)
        p.end()


@dataclass(frozen=True, slots=True)
class Row:
    """One horizontal bar: ``done`` of ``total``."""

    label: str
    done: int
    total: int


class ProgressBars(Chart):
    """Horizontal bars: how much of each row is done (e.g. mastered facts by kind)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        self._rows: list[Row] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_rows(self, rows: Sequence[Row], summary: str = "") -> None:
        """The rows to draw, top to bottom."""
        self._rows = list(rows)
        self.describe(summary or "; ".join(f"{r.label}: {r.done} of {r.total}"
                                           for r in rows))
        self.updateGeometry()
        self.update()

    def rows(self) -> list[Row]:
        """The rows on show."""
        return list(self._rows)

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 14

    def sizeHint(self) -> QSize:
        return QSize(360, max(60, len(self._rows) * self._row_height() + 8))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, max(60, len(self._rows) * self._row_height() + 8))

    def paintEvent(self, _event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        c = self.colors()
        fm = self.fontMetrics()
        self._hits = []
        if not self._rows:
            self._paint_empty(p)
            p.end()
            return
        label_w = min(self.width() * 0.38,
                      max(fm.horizontalAdvance(r.label) for r in self._rows) + 12)
        counts = [f"{r.done} / {r.total}" for r in self._rows]
        small = self.small_font()
        sfm = QFontMetrics(small)
        count_w = max(sfm.horizontalAdvance(t) for t in counts) + 12
        x0 = label_w
        x1 = self.width() - count_w
        h = self._row_height()
        for i, (row, count) in enumerate(zip(self._rows, counts, strict=True)):
            y = 4 + i * h
            p.setFont(self.font())
            p.setPen(QColor(c.text))
            label = fm.elidedText(row.label, Qt.TextElideMode.ElideRight, int(label_w - 10))
            p.drawText(QRectF(0, y, label_w - 10, h), Qt.AlignmentFlag.AlignVCenter, label)
            bar = QRectF(x0, y + h * 0.28, max(1.0, x1 - x0), h * 0.44)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(c.empty))
            p.drawRoundedRect(bar, bar.height() / 2, bar.height() / 2)
            share = row.done / row.total if row.total else 0.0
            if share > 0:
                filled = QRectF(bar.x(), bar.y(), max(bar.height(), bar.width() * share),
                                bar.height())
                p.setBrush(QColor(c.secondary))
                p.drawRoundedRect(filled, bar.height() / 2, bar.height() / 2)
            p.setFont(small)
            p.setPen(QColor(c.muted))
            p.drawText(QRectF(x1 + 8, y, count_w, h), Qt.AlignmentFlag.AlignVCenter, count)
            pct = f" ({round(share * 100)}%)" if row.total else ""
            self._hits.append((QRectF(0, y, self.width(), h),
                               f"{row.label}: {row.done} of {row.total} mastered{pct}"))
        p.end()


@dataclass(frozen=True, slots=True)
class CalibrationPoint:
    """One bin of predictions: its range, mean prediction, share right and answers."""

    low: float
    high: float
    predicted: float
    actual: float
    answers: int
    tip: str = ""


class CalibrationChart(Chart):
    """Predicted recall (across) against the share recalled (up), 0-100% on both axes.

    The dashed diagonal is a perfect prediction; each bin is a dot at (its mean
    prediction, its share right), sized by its answers and labelled with their
    number, and the dots are joined in order of prediction.
    """

    X_LABEL = "Predicted recall"
    Y_LABEL = "Actually recalled"

    def __init__(self, name: str, parent: QWidget | None = None, height: int = 300) -> None:
        super().__init__(name, parent)
        self._points: list[CalibrationPoint] = []
        self.setMinimumHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._height = height

    def sizeHint(self) -> QSize:
        return QSize(420, self._height)

    def set_points(self, points: Sequence[CalibrationPoint], summary: str = "") -> None:
        """The bins to draw (any order); ``summary`` is read out by screen readers."""
        self._points = sorted(points, key=lambda pt: pt.predicted)
        self.describe(summary or "; ".join(
            f"predicted {round(pt.predicted * 100)}%, recalled {round(pt.actual * 100)}% "
            f"over {pt.answers} answers" for pt in self._points))
        self.update()

    def points(self) -> list[CalibrationPoint]:
        """The bins on show, lowest prediction first."""
        return list(self._points)

    def floor(self) -> float:
        """The lowest value on both axes: 0, or a round 10% under every bin (at most 50%)."""
        low = min((min(pt.predicted, pt.actual, pt.low) for pt in self._points), default=0.0)
        floor = max(0.0, min(0.5, math.floor(low * 10 - 1e-9) / 10))
        if floor < 0.5:  # ticks every 20%: start on one
            floor = math.floor(floor * 5 + 1e-9) / 5
        return floor

    def plot_rect(self) -> QRectF:
        """The rectangle the axes enclose, in widget coordinates."""
        fm = QFontMetrics(self.small_font())
        left = fm.height() + 10 + fm.horizontalAdvance("100%") + 6
        top = fm.height() / 2 + 4
        bottom = self.height() - 2 * fm.height() - 12
        height = max(40.0, bottom - top)
        width = max(40.0, min(self.width() - left - 16, height * 1.6))
        return QRectF(left, top, width, height)

    def paintEvent(self, _event: object) -> None:
        p, c, fm = self._begin()
        if not self._points:
            p.setPen(QColor(c.muted))
            p.drawText(self.rect().adjusted(12, 0, -12, 0),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
            p.end()
            return
        plot = self.plot_rect()
        floor = self.floor()
        span = 1.0 - floor

        def at(x: float, y: float) -> QPointF:
            return QPointF(plot.left() + plot.width() * (x - floor) / span,
                           plot.bottom() - plot.height() * (y - floor) / span)

        step = 0.1 if span <= 0.5 + 1e-9 else 0.2
        ticks = [1.0 - step * i for i in range(int(span / step + 1e-9) + 1)]
        tick_w = fm.horizontalAdvance("100%")
        for t in ticks:
            p.setPen(QPen(QColor(c.grid), 1))
            p.drawLine(at(floor, t), at(1, t))
            p.drawLine(at(t, floor), at(t, 1))
            p.setPen(QColor(c.muted))
            label = f"{round(t * 100)}%"
            y = at(floor, t).y()
            p.drawText(QRectF(plot.left() - 6 - tick_w - 4, y - fm.height() / 2, tick_w + 4,
                              fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            x = at(t, floor).x()
            w = fm.horizontalAdvance(label) + 4
            p.drawText(QRectF(x - w / 2, plot.bottom() + 3, w, fm.height()),
                       Qt.AlignmentFlag.AlignCenter, label)
        # Axis titles: across under the ticks, up along the tick labels.
        p.setPen(QColor(c.muted))
        p.drawText(QRectF(plot.left(), plot.bottom() + fm.height() + 6, plot.width(),
                          fm.height()), Qt.AlignmentFlag.AlignCenter, self.X_LABEL)
        p.save()
        p.translate(plot.left() - 10 - tick_w - fm.height(), plot.center().y())
        p.rotate(-90)
        p.drawText(QRectF(-plot.height() / 2, 0, plot.height(), fm.height()),
                   Qt.AlignmentFlag.AlignCenter, self.Y_LABEL)
        p.restore()
        # The diagonal of a perfect prediction.
        p.setPen(QPen(QColor(c.tertiary), 1.4, Qt.PenStyle.DashLine))
        p.drawLine(at(floor, floor), at(1, 1))
        p.save()
        middle = floor + span * 0.3
        p.translate(at(middle, middle))
        p.rotate(-math.degrees(math.atan2(plot.height(), plot.width())))
        p.setPen(QColor(c.muted))
        caption = "perfect prediction"
        p.drawText(QRectF(-fm.horizontalAdvance(caption), 2, 2 * fm.horizontalAdvance(caption),
                          fm.height()), Qt.AlignmentFlag.AlignCenter, caption)
        p.restore()
        # The bins: a line through them, then the dots and their counts.
        path = QPainterPath()
        for i, pt in enumerate(self._points):
            if i:
                path.lineTo(at(pt.predicted, pt.actual))
            else:
                path.moveTo(at(pt.predicted, pt.actual))
        p.setPen(QPen(QColor(c.primary), 1.6))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        most = max(pt.answers for pt in self._points)
        for pt in self._points:
            centre = at(pt.predicted, pt.actual)
            radius = 3.5 + 9.0 * math.sqrt(pt.answers / most)
            p.setPen(QPen(QColor(c.background), 1.5))
            p.setBrush(QColor(c.primary))
            p.drawEllipse(centre, radius, radius)
            count = _fmt(pt.answers)
            w = fm.horizontalAdvance(count) + 4
            # The count goes on the side away from the diagonal, inside the widget.
            above = centre.y() - radius - fm.height() - 1
            below = centre.y() + radius + 1
            if pt.actual > pt.predicted:
                y = above if above >= 0 else below
            else:
                y = below if below + fm.height() <= plot.bottom() else above
            p.setPen(QColor(c.text))
            p.drawText(QRectF(centre.x() - w / 2, y, w, fm.height()),
                       Qt.AlignmentFlag.AlignCenter, count)
            hit = QRectF(centre.x() - radius - 3, centre.y() - radius - 3,
                         2 * radius + 6, 2 * radius + 6)
            self._hits.append((hit, pt.tip or f"{round(pt.low * 100)}–{round(pt.high * 100)}%: "
                                              f"{pt.answers} answers"))
        p.end()
