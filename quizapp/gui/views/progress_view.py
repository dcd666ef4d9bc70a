"""Layout of the Progress screen: headline figures, charts and the teacher's tables.

The view only draws what :class:`quizapp.gui.controllers.progress_panel.ProgressPanel`
hands it: the dictionary of :func:`quizapp.storage.stats.profile_stats`, true
retention per week, and the calibration of predicted recall
(:func:`quizapp.services.calibration.recall_calibration`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quizapp.gui.models.fact_table_model import KIND_LABELS
from quizapp.gui.models.history_model import FORM_LABELS
from quizapp.gui.safe_text import tooltip
from quizapp.gui.views.charts import (
    Bar,
    BarChart,
    CalendarHeatmap,
    CalibrationChart,
    CalibrationPoint,
    LineChart,
    Point,
    ProgressBars,
    Row,
)
from quizapp.gui.views.study_view import StatBox
from quizapp.services.calibration import Calibration

RECENT_DAYS = 30


def _short(d: date) -> str:
    return f"{d.day} {d:%b}"


def _pct(value: float) -> str:
    return f"{round(value * 100)}%"


def _range(low: float, high: float) -> str:
    return f"{round(low * 100)}–{round(high * 100)}%"


def calibration_summary(calibration: Calibration) -> str:
    """The one-line reading of the calibration chart (or why it is not drawn)."""
    if not calibration.enough or calibration.predicted is None \
            or calibration.actual is None:
        so_far = (f" ({calibration.answers:,} so far)" if calibration.answers else "")
        return ("Not enough answers yet: the chart appears after "
                f"{calibration.min_answers} reviews of facts you had already learned{so_far}.")
    latest = "your latest " if calibration.latest else ""
    return (f"Predicted {_pct(calibration.predicted)}, actually recalled "
            f"{_pct(calibration.actual)} over {latest}{calibration.answers:,} answers")


class Section(QFrame):
    """A titled card holding one chart or table."""

    def __init__(self, title: str, body: QWidget, parent: QWidget | None = None,
                 note: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        head = QHBoxLayout()
        self.title = QLabel(title, self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        head.addWidget(self.title)
        head.addStretch(1)
        self.note = QLabel(note, self)
        self.note.setObjectName("muted")
        head.addWidget(self.note)
        layout.addLayout(head)
        body.setParent(self)
        layout.addWidget(body, 1)
        self.body = body


def _table(name: str, headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.setMinimumHeight(table.verticalHeader().defaultSectionSize() * 6 + 30)
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], numeric: set[int]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for col, text in enumerate(values):
            item = QTableWidgetItem(text)
            item.setToolTip(tooltip(text))
            if col in numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, col, item)


class ProgressView(QWidget):
    """Where a learner stands: streak, retention, calendar, forecast, mastery, misses."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressView")
        self.setAccessibleName("Progress")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        page = QWidget(scroll)
        scroll.setWidget(page)
        self.scroll_area = scroll
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 16, 24, 20)
        layout.setSpacing(14)

        top = QHBoxLayout()
        title = QLabel("Progress", page)
        title.setObjectName("pageTitle")
        top.addWidget(title)
        self.subtitle = QLabel("", page)
        self.subtitle.setObjectName("muted")
        top.addSpacing(10)
        top.addWidget(self.subtitle, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        self.busy = QProgressBar(page)
        self.busy.setRange(0, 0)
        self.busy.setFixedWidth(120)
        self.busy.setAccessibleName("Computing statistics")
        self.busy.hide()
        top.addWidget(self.busy)
        self.refresh = QPushButton("Refresh", page)
        self.refresh.setAccessibleName("Compute the statistics again")
        self.refresh.setToolTip("Compute the figures again (F5)")
        top.addWidget(self.refresh)
        layout.addLayout(top)

        boxes = QHBoxLayout()
        boxes.setSpacing(12)
        self.streak = StatBox("Day streak", page)
        self.today = StatBox("Answers today", page)
        self.retention = StatBox("True retention, 30 days", page)
        self.mastered = StatBox("Facts mastered", page)
        self.in_review = StatBox("Cards in review", page)
        for box in (self.streak, self.today, self.retention, self.mastered, self.in_review):
            boxes.addWidget(box)
        layout.addLayout(boxes)

        self.calendar = CalendarHeatmap()
        self.calendar_section = Section("Reviews in the last year", self.calendar, page)
        layout.addWidget(self.calendar_section)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(12)
        self.per_day = BarChart("Reviews per day", series=("Answers", "Right"))
        self.forecast = BarChart("Due forecast")
        self.forecast.empty_text = "Nothing is scheduled in the next 30 days."
        self.retention_chart = LineChart("True retention by week")
        self.retention_chart.empty_text = "No reviews of remembered cards yet."
        self.by_kind = ProgressBars("Mastery by kind")
        self.by_deck = ProgressBars("Mastery by deck")
        self.per_day_section = Section("Reviews per day", self.per_day, page,
                                       f"last {RECENT_DAYS} days")
        self.forecast_section = Section("Due in the next 30 days", self.forecast, page)
        self.retention_section = Section("True retention by week", self.retention_chart, page,
                                         "right answers to cards in review")
        mastery = QWidget()
        m_layout = QVBoxLayout(mastery)
        m_layout.setContentsMargins(0, 0, 0, 0)
        m_layout.setSpacing(4)
        kind_cap = QLabel("By kind of fact", mastery)
        kind_cap.setObjectName("muted")
        deck_cap = QLabel("By deck", mastery)
        deck_cap.setObjectName("muted")
        m_layout.addWidget(kind_cap)
        m_layout.addWidget(self.by_kind)
        m_layout.addSpacing(6)
        m_layout.addWidget(deck_cap)
        m_layout.addWidget(self.by_deck)
        m_layout.addStretch(1)
        self.mastery_section = Section("Mastered facts", mastery, page)
        calibration = QWidget()
        c_layout = QVBoxLayout(calibration)
        c_layout.setContentsMargins(0, 0, 0, 0)
        c_layout.setSpacing(4)
        self.calibration_summary = QLabel("", calibration)
        self.calibration_summary.setWordWrap(True)
        self.calibration_summary.setAccessibleName("Calibration summary")
        self.calibration_chart = CalibrationChart("Predicted and actual recall")
        c_layout.addWidget(self.calibration_summary)
        c_layout.addWidget(self.calibration_chart, 1)
        self.calibration_section = Section(
            "Predicted and actual recall", calibration, page, "facts you had learned")
        self.calibration_bins = _table(
            "Calibration by predicted recall",
            ("Predicted recall", "Answers", "Predicted", "Recalled"))
        bins_box = QWidget()
        b_layout = QVBoxLayout(bins_box)
        b_layout.setContentsMargins(0, 0, 0, 0)
        b_layout.setSpacing(8)
        b_layout.addWidget(self.calibration_bins)
        self.calibration_help = QLabel(
            "Each dot gathers the answers whose predicted recall fell in one range: "
            "across, what the app predicted on average; up, the share you got right "
            "(a lucky pick among choices counts in the prediction). On the dashed line "
            "the predictions were right; below it you recalled less than predicted, "
            "above it more.", bins_box)
        self.calibration_help.setObjectName("muted")
        self.calibration_help.setWordWrap(True)
        b_layout.addWidget(self.calibration_help)
        b_layout.addStretch(1)
        self.calibration_bins_section = Section("By predicted recall", bins_box, page)
        grid.addWidget(self.per_day_section, 0, 0)
        grid.addWidget(self.forecast_section, 0, 1)
        grid.addWidget(self.retention_section, 1, 0)
        grid.addWidget(self.mastery_section, 1, 1)
        grid.addWidget(self.calibration_section, 2, 0)
        grid.addWidget(self.calibration_bins_section, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)

        tables = QHBoxLayout()
        tables.setSpacing(12)
        self.missed = _table("Most missed facts", ("Fact", "Kind", "Misses", "Answers"))
        self.wrong = _table("Most picked wrong choices",
                            ("Picked instead", "Fact", "Form", "Times"))
        self.wrong.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Interactive)
        self.wrong.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.wrong.horizontalHeader().resizeSection(0, 150)
        self.missed_section = Section("Most missed facts", self.missed, page)
        self.wrong_section = Section("Most picked wrong choices", self.wrong, page)
        tables.addWidget(self.missed_section, 1)
        tables.addWidget(self.wrong_section, 1)
        layout.addLayout(tables)
        self.leeches = _table("Leeches", ("Fact", "Deck", "Last asked", "Lapses", "Suspended"))
        self.leech_section = Section("Leeches", self.leeches, page,
                                     "facts forgotten 8 times or more: they now come with "
                                     "their sentence first and another kind of question")
        layout.addWidget(self.leech_section)
        layout.addStretch(1)

    # ------------------------------------------------------------------ filling

    def show_calibration(self, calibration: Calibration) -> None:
        """Draw predicted against actual recall, or say how many answers it still needs."""
        summary = calibration_summary(calibration)
        self.calibration_summary.setText(summary if calibration.enough else "")
        self.calibration_summary.setVisible(calibration.enough)
        self.calibration_chart.empty_text = summary
        bins = calibration.bins if calibration.enough else ()
        points = [CalibrationPoint(
            b.low, b.high, b.predicted, b.actual, b.answers,
            f"Predicted {_range(b.low, b.high)}: {b.answers:,} answers, "
            f"{_pct(b.predicted)} predicted on average, {_pct(b.actual)} recalled")
            for b in bins]
        detail = summary
        note = ""
        if calibration.enough and calibration.log_loss is not None \
                and calibration.rmse_bins is not None:
            gap = f"{calibration.rmse_bins * 100:.1f}"
            detail += (f". Gap between prediction and recall across the ranges (RMSE): "
                       f"{gap} points; log loss {calibration.log_loss:.3f}")
            note = f"RMSE {gap} points"
        self.calibration_chart.set_points(points, summary=detail)
        self.calibration_section.setToolTip(detail)
        _fill(self.calibration_bins, [[_range(b.low, b.high), f"{b.answers:,}",
                                       _pct(b.predicted), _pct(b.actual)]
                                      for b in bins], {1, 2, 3})
        self.calibration_bins_section.note.setText(note if bins else "none yet")
        rows = min(max(len(bins), 1), 10)
        self.calibration_bins.setMinimumHeight(0)
        self.calibration_bins.setFixedHeight(
            self.calibration_bins.horizontalHeader().sizeHint().height()
            + rows * self.calibration_bins.verticalHeader().defaultSectionSize() + 6)

    def show_stats(self, stats: dict[str, Any], retention: list[dict[str, Any]],
                   desired_retention: float | None = None,
                   labels: dict[str, str] | None = None) -> None:
        """Draw every figure of :func:`profile_stats` and the weekly retention."""
        today = date.fromisoformat(stats["date"])
        profile = stats.get("profile", {}).get("name", "")
        self.subtitle.setText(f"{profile} · {today:%A %d %B %Y}" if profile else "")
        per_day = {date.fromisoformat(d["date"]): d for d in stats["reviews_per_day"]}

        streak = stats["streak"]
        self.streak.set_value(str(streak["days"]))
        self.streak.setToolTip("Studied today" if streak["studied_today"]
                               else "Not studied yet today")
        todays = per_day.get(today)
        self.today.set_value(str(todays["reviews"] + todays["tests"]) if todays else "0")
        rate = stats["retention"]["rate"]
        self.retention.set_value("–" if rate is None else f"{round(rate * 100)}%")
        self.retention.setToolTip(f"{stats['retention']['correct']} right of "
                                  f"{stats['retention']['reviews']} reviews")
        total = stats["mastery"]["total"]
        self.mastered.set_value(f"{total['mastered']} / {total['facts']}")
        cards = stats["cards"]
        self.in_review.set_value(str(cards["review"]))
        self.in_review.setToolTip(
            f"{cards['new']} new, {cards['learning'] + cards['relearning']} learning, "
            f"{cards['review']} in review, {cards['suspended']} suspended")

        self.calendar.set_data({d: v["reviews"] + v["tests"] for d, v in per_day.items()},
                               today)
        bars = []
        for i in range(RECENT_DAYS - 1, -1, -1):
            d = today - timedelta(days=i)
            v = per_day.get(d)
            n = (v["reviews"] + v["tests"]) if v else 0
            right = v["correct"] if v else 0
            bars.append(Bar(_short(d), n, right,
                            f"{d:%a %d %b}: {n} answers, {right} right" if n
                            else f"{d:%a %d %b}: no answers"))
        self.per_day.set_bars(bars, label_every=7,
                              summary=f"{sum(b.value for b in bars):.0f} answers in the last "
                                      f"{RECENT_DAYS} days")
        forecast = []
        for i, entry in enumerate(stats["due_forecast"]):
            d = date.fromisoformat(entry["date"])
            day_label = "Today" if i == 0 else _short(d)
            forecast.append(Bar(day_label, entry["due"], None,
                                f"{'Today (with overdue)' if i == 0 else f'{d:%a %d %b}'}: "
                                f"{entry['due']} due"))
        self.forecast.set_bars(forecast, label_every=7,
                               summary=f"{sum(b.value for b in forecast):.0f} cards due in "
                                       "the next 30 days")
        points = []
        for entry in retention:
            d = date.fromisoformat(entry["date"])
            tip = (f"Week of {d:%d %b}: {entry['correct']} of {entry['reviews']} right"
                   if entry["reviews"] else f"Week of {d:%d %b}: no reviews")
            points.append(Point(_short(d), entry["rate"], tip))
        self.retention_chart.set_points(
            points, target=desired_retention,
            target_label=(f"goal {round(desired_retention * 100)}%"
                          if desired_retention else ""),
            label_every=4)
        mastery = stats["mastery"]
        self.by_kind.set_rows([Row(KIND_LABELS.get(k["kind"], k["kind"]), k["mastered"],
                                   k["facts"]) for k in mastery["kinds"]])
        self.by_deck.set_rows([Row(d["deck"], d["mastered"], d["facts"])
                               for d in mastery["decks"]])
        self.mastery_section.note.setText(
            f"recall stable for {mastery['threshold_days']:.0f}+ days, last answer right")

        labels = labels or {}

        def label(entry: dict[str, Any], fallback: str) -> str:
            return labels.get(f"{entry['deck']}/{entry['fact_id']}", fallback)

        _fill(self.missed, [[label(m, " ".join(m["text"].split())),
                             KIND_LABELS.get(m["kind"], m["kind"]),
                             str(m["misses"]), str(m["answers"])]
                            for m in stats["most_missed"]], {2, 3})
        _fill(self.wrong, [[w["given"], label(w, w["fact_id"]),
                            FORM_LABELS.get(w["form"] or "", "–"), str(w["times"])]
                           for w in stats["wrong_choices"]], {3})
        leeches = stats["leeches"]
        _fill(self.leeches, [[label(x, x["fact_id"]), x["deck"], x["family"].capitalize(),
                              str(x["lapses"]), "yes" if x["suspended"] else "no"]
                             for x in leeches], {3})
        rows = min(max(len(leeches), 1), 8)
        self.leeches.setFixedHeight(self.leeches.horizontalHeader().sizeHint().height()
                                    + rows * self.leeches.verticalHeader().defaultSectionSize()
                                    + 6)
        self.leech_section.setVisible(bool(leeches))
        for table, section in ((self.missed, self.missed_section),
                               (self.wrong, self.wrong_section)):
            section.note.setText("" if table.rowCount() else "none yet")
