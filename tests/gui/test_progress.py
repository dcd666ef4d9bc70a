"""The Progress screen: figures equal profile_stats, computed off the GUI thread, cancellable."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from quizapp.gui.controllers import progress_panel
from quizapp.gui.main_window import MainWindow
from quizapp.gui.views.charts import Bar, BarChart, LineChart, Point, nice_ticks
from tests.gui.conftest import WAIT_MS
from tests.gui.test_browse import make_history

NOW = datetime.now(UTC).replace(microsecond=0)


def open_progress(window: MainWindow, qtbot: QtBot) -> progress_panel.ProgressFigures:
    window.progress.clock = lambda: NOW
    window.show_page("progress")
    qtbot.waitUntil(lambda: window.progress.figures is not None and not window.progress.busy,
                    timeout=WAIT_MS)
    figures = window.progress.figures
    assert figures is not None
    return figures


def test_figures_equal_profile_stats(window: MainWindow, qtbot: QtBot) -> None:
    make_history(window, days=5, per_day=12)
    figures = open_progress(window, qtbot)
    from quizapp.storage.stats import profile_stats

    assert window.library is not None and window.profile is not None
    stats = profile_stats(window.library.collection, window.profile.profile_id, NOW)
    assert figures.stats == stats
    view = window.progress.view
    assert view.streak.value.text() == str(stats["streak"]["days"])
    rate = stats["retention"]["rate"]
    assert view.retention.value.text() == ("–" if rate is None else f"{round(rate * 100)}%")
    total = stats["mastery"]["total"]
    assert view.mastered.value.text() == f"{total['mastered']} / {total['facts']}"
    assert view.in_review.value.text() == str(stats["cards"]["review"])
    # Calendar: every answer of the last year, by study day.
    answers = sum(d["reviews"] + d["tests"] for d in stats["reviews_per_day"])
    assert sum(view.calendar._counts.values()) == answers > 0
    # Reviews per day: the last 30 days, right answers inside.
    by_date = {d["date"]: d for d in stats["reviews_per_day"]}
    today = date.fromisoformat(stats["date"])
    bars = view.per_day.bars()
    assert len(bars) == 30
    for i, bar in enumerate(bars):
        d = (today - timedelta(days=29 - i)).isoformat()
        entry = by_date.get(d)
        assert bar.value == (entry["reviews"] + entry["tests"] if entry else 0)
        assert bar.inner == (entry["correct"] if entry else 0)
    # Forecast, mastery and the tables.
    assert [b.value for b in view.forecast.bars()] == [e["due"] for e in stats["due_forecast"]]
    assert [(r.done, r.total) for r in view.by_kind.rows()] == [
        (k["mastered"], k["facts"]) for k in stats["mastery"]["kinds"]]
    assert [(r.label, r.done, r.total) for r in view.by_deck.rows()] == [
        (d["deck"], d["mastered"], d["facts"]) for d in stats["mastery"]["decks"]]
    assert view.missed.rowCount() == len(stats["most_missed"]) > 0
    assert [int(view.missed.item(i, 2).text()) for i in range(view.missed.rowCount())] == [
        m["misses"] for m in stats["most_missed"]]
    assert view.wrong.rowCount() == len(stats["wrong_choices"])
    assert [view.wrong.item(i, 0).text() for i in range(view.wrong.rowCount())] == [
        w["given"] for w in stats["wrong_choices"]]
    assert view.leeches.rowCount() == len(stats["leeches"])
    # True retention by week: the same rows as the core query.
    from quizapp.browse import retention_over_time

    weekly = retention_over_time(window.library.collection, window.profile.profile_id, NOW)
    assert [p.value for p in view.retention_chart.points()] == [w["rate"] for w in weekly]
    assert figures.desired_retention == pytest.approx(0.9)
    assert view.retention_chart.target == pytest.approx(0.9)


def test_statistics_run_off_the_gui_thread_and_can_be_cancelled(
        window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[bool] = []
    release = threading.Event()
    real = progress_panel.compute_figures

    def slow(*args: Any) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        release.wait(30)
        return real(*args)

    monkeypatch.setattr(progress_panel, "compute_figures", slow)
    window.progress.clock = lambda: NOW
    window.show_page("progress")
    qtbot.waitUntil(lambda: bool(threads), timeout=WAIT_MS)
    assert threads == [False]
    assert window.progress.busy and window.progress.view.busy.isVisibleTo(window)
    # The window keeps answering while the figures are computed.
    QApplication.processEvents()
    window.show_status("still responsive")
    assert window.status.text() == "still responsive"
    dialogs = window.progress.runner.dialogs()
    assert dialogs
    qtbot.waitUntil(dialogs[0].isVisible, timeout=WAIT_MS)
    cancel = next(b for b in dialogs[0].findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not window.progress.busy, timeout=WAIT_MS)
    assert window.progress.figures is None
    assert "cancelled" in window.status.text()
    # Computing again works.
    monkeypatch.setattr(progress_panel, "compute_figures", real)
    window.progress.refresh()
    qtbot.waitUntil(lambda: window.progress.figures is not None, timeout=WAIT_MS)


def test_empty_profile_draws_empty_charts(window: MainWindow, qtbot: QtBot) -> None:
    figures = open_progress(window, qtbot)
    view = window.progress.view
    assert figures.stats["streak"]["days"] == 0
    assert view.retention.value.text() == "–"
    assert view.missed.rowCount() == 0 and view.missed_section.note.text() == "none yet"
    assert not view.leech_section.isVisibleTo(window)
    for widget in (view.calendar, view.per_day, view.forecast, view.retention_chart,
                   view.by_kind, view.by_deck, view.calibration_chart):
        assert not widget.grab().isNull()


def test_charts_draw_in_both_themes(window: MainWindow, qtbot: QtBot) -> None:
    make_history(window, days=3, per_day=8)
    open_progress(window, qtbot)
    view = window.progress.view
    for mode in ("dark", "light"):
        window.set_theme(mode)
        for widget in (view.calendar, view.per_day, view.forecast, view.retention_chart,
                       view.by_kind, view.by_deck, view.calibration_chart):
            image = widget.grab().toImage()
            assert not image.isNull() and image.width() > 100
            assert widget.accessibleName() and widget.accessibleDescription()


def test_nice_ticks_and_chart_models() -> None:
    assert nice_ticks(0) == [0.0, 1.0]
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(14) == [0, 5, 10, 15]
    assert nice_ticks(200)[-1] >= 200
    chart = BarChart("Test")
    chart.set_bars([Bar("a", 3, 2), Bar("b", 5)], label_every=1)
    assert chart.peak() == 5 and len(chart.bars()) == 2
    line = LineChart("Test")
    line.set_points([Point("w1", None), Point("w2", 0.8)], target=0.9)
    assert line.points()[1].value == 0.8


def test_calibration_chart_shows_the_figures_of_the_collection(window: MainWindow,
                                                               qtbot: QtBot) -> None:
    from quizapp.services.calibration import recall_calibration

    make_history(window, days=40, per_day=20, wrong_every=6)
    figures = open_progress(window, qtbot)
    assert window.library is not None and window.profile is not None
    calibration = recall_calibration(window.library.collection, window.profile.profile_id)
    assert figures.calibration == calibration
    assert calibration.enough and len(calibration.bins) >= 2
    assert calibration.predicted is not None and calibration.actual is not None
    view = window.progress.view
    summary = (f"Predicted {round(calibration.predicted * 100)}%, actually recalled "
               f"{round(calibration.actual * 100)}% over {calibration.answers:,} answers")
    assert view.calibration_summary.text() == summary
    assert view.calibration_summary.isVisibleTo(window)
    chart = view.calibration_chart
    assert [(p.low, p.high, p.predicted, p.actual, p.answers) for p in chart.points()] == [
        (b.low, b.high, b.predicted, b.actual, b.answers) for b in calibration.bins]
    assert chart.accessibleDescription().startswith(summary)
    assert "RMSE" in chart.accessibleDescription()
    table = view.calibration_bins
    assert table.rowCount() == len(calibration.bins)
    for row, b in enumerate(calibration.bins):
        assert table.item(row, 0).text() == f"{round(b.low * 100)}–{round(b.high * 100)}%"
        assert int(table.item(row, 1).text().replace(",", "")) == b.answers
        assert table.item(row, 3).text() == f"{round(b.actual * 100)}%"
    # Every dot answers the mouse with its figures.
    view.calibration_section.show()
    image = chart.grab().toImage()
    assert not image.isNull()
    assert len(chart._hits) == len(calibration.bins)
    assert all("answers" in tip and "recalled" in tip for _rect, tip in chart._hits)


def test_calibration_chart_waits_for_enough_answers(window: MainWindow, qtbot: QtBot) -> None:
    figures = open_progress(window, qtbot)
    assert figures.calibration.answers == 0 and not figures.calibration.enough
    view = window.progress.view
    assert view.calibration_chart.points() == []
    assert view.calibration_chart.empty_text == (
        "Not enough answers yet: the chart appears after 50 reviews of facts you had "
        "already learned.")
    assert not view.calibration_summary.isVisibleTo(window)
    assert view.calibration_bins.rowCount() == 0
    assert view.calibration_bins_section.note.text() == "none yet"
    assert not view.calibration_chart.grab().isNull()
    # A few answers are counted but not yet drawn.
    from quizapp.scheduling.calibration import calibrate

    few = calibrate([(0.9, i % 5 != 0) for i in range(20)])
    assert few.bins and not few.enough
    view.show_calibration(few)
    assert view.calibration_chart.points() == [] and view.calibration_bins.rowCount() == 0
    assert view.calibration_chart.empty_text.endswith("already learned (20 so far).")
    # At the limit of answers read, the summary says they are the latest ones.
    from quizapp.scheduling.calibration import CalibrationTally

    tally = CalibrationTally(limit=60)
    for i in range(60):
        tally.add(0.85, i % 4 != 0)
    view.show_calibration(tally.result())
    assert view.calibration_summary.text() == (
        "Predicted 85%, actually recalled 75% over your latest 60 answers")
    assert len(view.calibration_chart.points()) == 1
