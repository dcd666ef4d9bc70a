"""The answer area of each question form.

Every panel shows one :class:`Question` and emits ``submitted(str)`` with the
learner's answer in the form the grader takes: the chosen text, the typed text,
or a timeline's events in order joined by `` | ``. Flashcards emit ``rated(int)``
(1 Again … 4 Easy) after the answer was revealed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from quizapp.gui.safe_text import ANSWER_CHARS, CHOICE_CHARS, NAME_CHARS, clip, one_line
from quizapp.questions.model import Form, Question

TIMELINE_SEPARATOR = " | "
RATINGS: tuple[tuple[int, str, str], ...] = (
    (1, "Again", "I did not know it"),
    (2, "Hard", "I knew it, with effort"),
    (3, "Good", "I knew it"),
    (4, "Easy", "I knew it at once"),
)

_DIGIT_KEYS = {getattr(Qt.Key, f"Key_{i}"): i for i in range(1, 10)}


def digit_of(event: QKeyEvent) -> int | None:
    """1-9 for an unmodified digit key (keypad included), else None."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if mods != Qt.KeyboardModifier.NoModifier:
        return None
    return _DIGIT_KEYS.get(Qt.Key(event.key()))


class QuestionPanel(QWidget):
    """Base of the answer panels."""

    submitted = Signal(str)

    def show_question(self, question: Question) -> None:
        """Show ``question`` and get ready for an answer."""
        raise NotImplementedError

    def set_locked(self, locked: bool) -> None:
        """Stop (or resume) taking answers, e.g. while feedback is shown."""
        self.setEnabled(not locked)

    def focus_answer(self) -> None:
        """Put the keyboard focus where the answer is given."""
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def key_hint(self) -> str:
        """What the keyboard does here, for the hint line."""
        return ""


# --------------------------------------------------------------------------
# Multiple choice


class ChoiceButton(QPushButton):
    """A large answer button: a number badge and word-wrapped text."""

    def __init__(self, number: int, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = number
        self.choice = text
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAutoDefault(True)  # Enter on the focused button picks it
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 14, 8)
        layout.setSpacing(12)
        self.badge = QLabel(str(number), self)
        self.badge.setObjectName("choiceBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side = self.badge.fontMetrics().height() + 8
        self.badge.setFixedSize(side, side)
        self.label = QLabel(self)
        self.label.setObjectName("choiceText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # deck text: plain, clipped
        self.label.setText(clip(text, CHOICE_CHARS))
        for w in (self.badge, self.label):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.08)
        self.label.setFont(font)
        layout.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.label, 1, Qt.AlignmentFlag.AlignVCenter)
        self.setAccessibleName(f"Answer {number}: {one_line(text, NAME_CHARS * 2)}")
        self.setToolTip(f"Press {number} to choose this answer")

    def _chrome(self) -> tuple[int, int]:
        layout = self.layout()
        assert layout is not None
        m = layout.contentsMargins()
        return (
            m.left() + m.right() + self.badge.width() + layout.spacing() + 4,
            m.top() + m.bottom() + 4,
        )

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        extra_w, extra_h = self._chrome()
        text_h = self.label.heightForWidth(max(40, width - extra_w))
        line = self.fontMetrics().height()
        return max(text_h, line) + extra_h + 8

    def sizeHint(self) -> QSize:
        extra_w, _ = self._chrome()
        width = min(self.label.sizeHint().width(), 620) + extra_w
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        _, extra_h = self._chrome()
        return QSize(160, self.fontMetrics().height() + extra_h + 8)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        want = self.heightForWidth(self.width())
        if self.minimumHeight() != want:
            self.setMinimumHeight(want)


#: True or false: T and F pick as 1 and 2 do.
_TRUE_FALSE_KEYS = {Qt.Key.Key_T: 1, Qt.Key.Key_F: 2}


class ChoicePanel(QuestionPanel):
    """Buttons for every choice form; keys 1-9 pick and submit (T and F for true or false)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("choicePanel")
        self.setAccessibleName("Answer choices")
        # Focus goes to the choice buttons; Tab never stops on the panel around them.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)
        self.buttons: list[ChoiceButton] = []
        self._question: Question | None = None

    def show_question(self, question: Question) -> None:
        for b in self.buttons:
            self._layout.removeWidget(b)
            b.hide()  # at once: deleteLater waits for the event loop
            b.deleteLater()
        self.buttons = []
        self._question = question
        for i, choice in enumerate(question.choices or (), start=1):
            button = ChoiceButton(i, choice, self)
            button.clicked.connect(lambda _=False, text=choice: self.submitted.emit(text))
            if i <= 9:
                button.installEventFilter(self)
            self._layout.addWidget(button)
            button.show()  # a child added to a visible parent is shown only later otherwise
            self.buttons.append(button)
        self.set_locked(False)

    def choose(self, number: int) -> bool:
        """Pick choice ``number`` (1-based) and submit it."""
        if not self.isEnabled() or not 1 <= number <= len(self.buttons):
            return False
        self.buttons[number - 1].click()
        return True

    def mark(self, given: str, correct: str) -> None:
        """After grading: tag the chosen and the right button for the stylesheet."""
        for b in self.buttons:
            state = ""
            if b.choice == correct:
                state = "right"
            elif b.choice == given:
                state = "wrong"
            b.setProperty("result", state)
            for w in (b, b.badge, b.label):
                w.style().unpolish(w)
                w.style().polish(w)
            if state:
                b.setAccessibleDescription(
                    "the right answer" if state == "right" else "your answer, not right"
                )

    def focus_answer(self) -> None:
        if self.buttons:
            self.buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            super().focus_answer()

    def key_hint(self) -> str:
        if self._is_true_false():
            return "Press T (or 1) for True, F (or 2) for False"
        n = min(len(self.buttons), 9)
        return f"Press 1–{n} to answer" if n > 1 else "Press 1 to answer"

    def _is_true_false(self) -> bool:
        return self._question is not None and self._question.form is Form.TRUE_FALSE

    def _number_of(self, event: QKeyEvent) -> int | None:
        """The choice a key press picks: a digit, or T / F on a true-or-false question."""
        n = digit_of(event)
        if n is None and self._is_true_false():
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
                n = _TRUE_FALSE_KEYS.get(Qt.Key(event.key()))
        return n

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            n = self._number_of(event)
            if n is not None:
                return self.choose(n)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and watched in self.buttons:
                i = self.buttons.index(watched)
                j = i + (1 if key == Qt.Key.Key_Down else -1)
                if 0 <= j < len(self.buttons):
                    self.buttons[j].setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        n = self._number_of(event)
        if n is not None and self.choose(n):
            return
        super().keyPressEvent(event)


# --------------------------------------------------------------------------
# Typed answers and cloze

_PLACEHOLDERS = {
    "date": "Type the date, e.g. 10 November 2020",
    "number": "Type the number",
    "name": "Type the name",
    "text": "Type your answer",
}


#: "Don't know" on a typed question: the answer field keeps every plain key.
DONT_KNOW_KEYS = QKeySequence("Ctrl+D")
NATIVE = QKeySequence.SequenceFormat.NativeText


class TypedPanel(QuestionPanel):
    """A line edit; Enter checks the answer. "Don't know" gives up honestly."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("answerEdit")
        self.edit.setAccessibleName("Your answer")
        self.edit.setClearButtonEnabled(True)
        for clear in self.edit.findChildren(QToolButton):
            clear.setAccessibleName("Clear the answer")
        self.edit.setMinimumWidth(260)
        font = self.edit.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.edit.setFont(font)
        self.check = QPushButton("Check", self)
        self.check.setAccessibleName("Check answer")
        self.check.setProperty("primary", True)
        self.check.setToolTip("Check your answer (Enter)")
        self.dont_know = QPushButton(f"Don't know ({DONT_KNOW_KEYS.toString(NATIVE)})", self)
        self.dont_know.setAccessibleName("Don't know: show the answer")
        self.dont_know.setToolTip(
            f"Count this as not known and show the answer ({DONT_KNOW_KEYS.toString(NATIVE)})")
        dont_know_key = QShortcut(DONT_KNOW_KEYS, self)
        dont_know_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        dont_know_key.activated.connect(self._dont_know)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.check)
        layout.addWidget(self.dont_know)
        self.edit.returnPressed.connect(self._submit)
        self.check.clicked.connect(self._submit)
        self.dont_know.clicked.connect(self._dont_know)
        self.edit.textChanged.connect(lambda t: self.check.setEnabled(bool(t.strip())))

    def show_question(self, question: Question) -> None:
        self.edit.clear()
        kind = question.input_kind if question.input_kind in _PLACEHOLDERS else "text"
        self.edit.setPlaceholderText(
            "Type the missing words" if question.form is Form.CLOZE else _PLACEHOLDERS[kind]
        )
        self.check.setEnabled(False)
        self.set_locked(False)

    def set_locked(self, locked: bool) -> None:
        self.edit.setReadOnly(locked)
        self.edit.setClearButtonEnabled(not locked)
        self.edit.setProperty("locked", locked)
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)
        self.check.setEnabled(not locked and bool(self.edit.text().strip()))
        self.dont_know.setEnabled(not locked)
        self.check.setVisible(not locked)
        self.dont_know.setVisible(not locked)

    def _submit(self) -> None:
        text = self.edit.text().strip()
        if self.edit.isReadOnly():
            return
        if text:
            self.submitted.emit(text)
        else:  # Enter on an empty line: say what to do rather than nothing
            self.edit.setPlaceholderText(
                f"Type an answer or press Don't know ({DONT_KNOW_KEYS.toString(NATIVE)})")

    def _dont_know(self) -> None:
        if not self.edit.isReadOnly() and self.dont_know.isVisible():
            self.submitted.emit("")

    def focus_answer(self) -> None:
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def key_hint(self) -> str:
        return (f"Type the answer and press Enter; {DONT_KNOW_KEYS.toString(NATIVE)} "
                "for Don't know")


# --------------------------------------------------------------------------
# Timeline


class TimelineList(QListWidget):
    """A list whose rows move by drag and drop or Alt+Up / Alt+Down."""

    submit_requested = Signal()
    order_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineList")
        self.setAccessibleName("Events to put in order, earliest first")
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.model().rowsMoved.connect(lambda *_: self.order_changed.emit())

    def move_current(self, step: int) -> bool:
        """Move the current row up (-1) or down (+1); keep it current."""
        row = self.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.count():
            return False
        item = self.takeItem(row)
        self.insertItem(target, item)
        self.setCurrentRow(target)
        self.order_changed.emit()
        return True

    def events(self) -> list[str]:
        """The events in their current order."""
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        if alt and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_current(-1 if key == Qt.Key.Key_Up else 1)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit_requested.emit()
            return
        super().keyPressEvent(event)


class TimelinePanel(QuestionPanel):
    """Put 3-5 events in order, earliest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.list = TimelineList(self)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        self.up = QPushButton("Move up", self)
        self.up.setAccessibleName("Move event up")
        self.up.setToolTip("Move the selected event earlier (Alt+Up)")
        self.down = QPushButton("Move down", self)
        self.down.setAccessibleName("Move event down")
        self.down.setToolTip("Move the selected event later (Alt+Down)")
        self.check = QPushButton("Check order", self)
        self.check.setAccessibleName("Check order")
        self.check.setProperty("primary", True)
        self.check.setToolTip("Check the order (Enter)")
        row.addWidget(self.up)
        row.addWidget(self.down)
        row.addStretch(1)
        row.addWidget(self.check)
        layout.addLayout(row)
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        self.check.clicked.connect(self._submit)
        self.list.submit_requested.connect(self._submit)
        self.list.order_changed.connect(self._renumber)

    def _move(self, step: int) -> None:
        self.list.move_current(step)
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _renumber(self) -> None:
        n = self.list.count()
        for i in range(n):
            item = self.list.item(i)
            event = item.data(Qt.ItemDataRole.UserRole)
            shown = clip(event, CHOICE_CHARS)
            item.setText(f"{i + 1}.  {shown}")
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole, f"Position {i + 1} of {n}: {shown}"
            )

    def show_question(self, question: Question) -> None:
        self.list.clear()
        for event in question.items or question.choices or ():
            item = QListWidgetItem(event)
            item.setData(Qt.ItemDataRole.UserRole, event)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled
            )
            self.list.addItem(item)
        self._renumber()
        self.list.setCurrentRow(0)
        self.set_locked(False)

    def order(self) -> list[str]:
        """The events as the learner ordered them."""
        return self.list.events()

    def _submit(self) -> None:
        if self.isEnabled():
            self.submitted.emit(TIMELINE_SEPARATOR.join(self.order()))

    def focus_answer(self) -> None:
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def key_hint(self) -> str:
        return "Drag, or Alt+↑ / Alt+↓ to move the selected event · Enter to check"


# --------------------------------------------------------------------------
# Flashcards


class FlashcardPanel(QuestionPanel):
    """Show the back on Space, then rate yourself with 1-4."""

    rated = Signal(int)
    revealed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Flashcard")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.divider = QFrame(self)
        self.divider.setObjectName("divider")
        self.divider.setFrameShape(QFrame.Shape.HLine)
        self.divider.setFixedHeight(1)
        layout.addWidget(self.divider)
        self.back = QLabel(self)
        self.back.setObjectName("flashBack")
        self.back.setWordWrap(True)
        self.back.setTextFormat(Qt.TextFormat.PlainText)
        self.back.setAccessibleName("Answer side")
        self.back.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.back)
        self.show_button = QPushButton("Show answer", self)
        self.show_button.setAccessibleName("Show answer")
        self.show_button.setProperty("primary", True)
        self.show_button.setToolTip("Show the answer (Space)")
        self.show_button.setAutoDefault(True)
        self.show_button.clicked.connect(self.reveal)
        layout.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.rating_row = QWidget(self)
        row = QHBoxLayout(self.rating_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.rating_buttons: list[QPushButton] = []
        for value, name, meaning in RATINGS:
            b = QPushButton(f"{value}  {name}", self.rating_row)
            b.setAccessibleName(f"Rate {name}: {meaning}")
            b.setToolTip(f"{meaning} (press {value})")
            b.setAutoDefault(True)
            b.setProperty("rating", name.lower())
            b.clicked.connect(lambda _=False, v=value: self.rate(v))
            row.addWidget(b)
            self.rating_buttons.append(b)
        row.addStretch(1)
        layout.addWidget(self.rating_row)
        self._question: Question | None = None
        self._revealed = False

    @property
    def is_revealed(self) -> bool:
        """Whether the back is showing."""
        return self._revealed

    def show_question(self, question: Question) -> None:
        self._question = question
        self._revealed = False
        back = question.back or (question.answers[0] if question.answers else "")
        self.back.setText(clip(back, ANSWER_CHARS))  # deck text: plain, clipped
        self.back.hide()
        self.divider.hide()
        self.show_button.show()
        self.rating_row.hide()
        self.set_locked(False)

    def reveal(self) -> None:
        """Turn the card over."""
        if self._revealed or self._question is None or not self.isEnabled():
            return
        self._revealed = True
        self.back.show()
        self.divider.show()
        self.show_button.hide()
        self.rating_row.show()
        self.rating_buttons[2].setFocus(Qt.FocusReason.OtherFocusReason)
        self.revealed.emit()

    def rate(self, value: int) -> bool:
        """Rate the card 1-4 (only once the answer is showing)."""
        if not self._revealed or not self.isEnabled() or not 1 <= value <= 4:
            return False
        self.rated.emit(value)
        return True

    def focus_answer(self) -> None:
        if self._revealed:
            self.rating_buttons[2].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.show_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def key_hint(self) -> str:
        if self._revealed:
            return "1 Again · 2 Hard · 3 Good · 4 Easy"
        return "Space to show the answer"

    def keyPressEvent(self, event: QKeyEvent) -> None:
        n = digit_of(event)
        if n is not None and self.rate(n):
            return
        if event.key() == Qt.Key.Key_Space and not self._revealed:
            self.reveal()
            return
        super().keyPressEvent(event)
