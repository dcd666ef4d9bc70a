"""Forms for teachers: edit or add a fact or Q/A note, and create a new deck.

The forms only collect values. Checking is the deck loader's job: the
controller builds the edited deck, runs it through
:func:`quizapp.facts.deckfile.parse_deck_text` and hands the problems back
with :meth:`FactEditorDialog.show_problems`, which puts each message under its
field exactly as an import of the same deck file would word it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeyEvent, QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from quizapp.facts.deckfile import Problem
from quizapp.facts.model import Deck, Fact, FactKind, MediaFile
from quizapp.gui.theme import colors

KIND_CHOICES: tuple[tuple[str, str], ...] = (
    ("qa", "Q/A note"),
    ("date", "Date"),
    ("number", "Number"),
    ("quote", "Quote or reported statement"),
    ("person", "Person"),
)

# Which fields each kind shows, in order (the loader's keys).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("source", "text", "occurrence", "value", "stem", "event", "tags"),
    "number": ("source", "text", "occurrence", "value", "unit", "counts", "qualifier", "stem",
               "event", "tags"),
    "quote": ("source", "text", "occurrence", "speaker", "role", "reported", "stem", "tags"),
    "person": ("source", "text", "occurrence", "name", "role", "roles", "stem", "tags"),
    "qa": ("front", "back", "tags"),
}
REQUIRED: dict[str, frozenset[str]] = {
    "date": frozenset({"source", "text", "value", "stem"}),
    "number": frozenset({"source", "text", "value", "counts", "stem"}),
    "quote": frozenset({"source", "text", "speaker"}),
    "person": frozenset({"source", "text", "name", "role"}),
    "qa": frozenset({"front", "back"}),
}
LABELS: dict[str, str] = {
    "id": "&Id",
    "kind": "&Kind",
    "source": "&Article",
    "text": "&Words in the article",
    "occurrence": "Which &time",
    "value": "&Value",
    "unit": "&Unit",
    "counts": "What it &counts",
    "qualifier": "&Qualifier",
    "stem": "&Question",
    "event": "&Event (for timelines)",
    "speaker": "&Speaker",
    "role": "&Role",
    "reported": "Re&ported statement",
    "name": "&Name",
    "roles": "Other written &roles",
    "front": "&Front (question)",
    "back": "&Back (answer)",
    "tags": "&Tags",
}
HINTS: dict[str, str] = {
    "id": "Stable id: letters, digits, '-', '_' or '.'",
    "text": "Exactly as written in the article",
    "value_date": "2020-11-10, 2020-11, 2020 or --04-16 (a day without a year)",
    "value_number": "A plain number: 43 for 43%, 7300000000 for $7.3 billion",
    "unit": "%, USD, km…",
    "qualifier": "more than, at least, about, up to…",
    "stem": "The question as a student reads it",
    "roles": "One per line",
    "tags": "Separated by commas",
}
MULTILINE = frozenset({"text", "stem", "front", "back", "roles"})


def parse_number(text: str) -> int | float | str:
    """A typed number as the deck file would hold it (the text itself when it is not one)."""
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        return float(cleaned)
    except ValueError:
        return text.strip()


def _nth(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st…"""
    tail = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{tail}"


class _OccurrenceBox(QSpinBox):
    """Which time the fact's words appear in the article: 0 is "they appear once"."""

    ONCE = "Only once in the article"

    def sizeHint(self) -> QSize:
        """Wide enough for its longest words (Qt measures the numbers only)."""
        hint = super().sizeHint()
        fm = self.fontMetrics()
        longest = max(fm.horizontalAdvance(t) for t in (self.ONCE, self.textFromValue(888)))
        return QSize(max(hint.width(), longest + 48), hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def textFromValue(self, value: int) -> str:
        return self.ONCE if value == 0 else f"The {_nth(value)} time they appear"

    def valueFromText(self, text: str) -> int:
        digits = "".join(ch for ch in text if ch.isdigit())
        return int(digits) if digits else 0

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        """A number typed (or the words shown) is accepted; anything else is not yet."""
        ok = text == self.ONCE or any(ch.isdigit() for ch in text)
        state = QValidator.State.Acceptable if ok else QValidator.State.Intermediate
        return state, text, pos


class _MultiLine(QPlainTextEdit):
    """A short multi-line field where Tab moves focus (Ctrl+Enter saves the form)."""

    def __init__(self, parent: QWidget | None = None, lines: int = 3) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        height = self.fontMetrics().lineSpacing() * lines + 18
        self.setFixedHeight(height)

    def text(self) -> str:
        """The field's text."""
        return self.toPlainText()

    def setText(self, text: str) -> None:
        """Replace the field's text."""
        self.setPlainText(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            event.ignore()  # let the dialog save
            return
        super().keyPressEvent(event)


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel("", parent)
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


def error_style() -> str:
    """Stylesheet for inline error labels in the current theme."""
    c = colors()
    return (f"QLabel#fieldError {{ color: {c.wrong_fg}; font-weight: 600; }}"
            f"QLabel#formError {{ color: {c.wrong_fg}; background: {c.wrong_bg};"
            f" border: 1px solid {c.wrong_fg}; border-radius: 6px; padding: 8px 10px; }}")


class FactEditorDialog(QDialog):
    """Edit one fact (its id and kind stay), or write a new one for a deck.

    ``save`` is called with the fact's deck-file table on Save; it returns the
    problems found (the dialog stays open and shows them) or an empty list (the
    fact was stored; the dialog closes).
    """

    def __init__(
        self,
        deck: Deck,
        fact: Fact | None,
        save: Callable[[dict[str, Any]], Sequence[Problem]],
        parent: QWidget | None = None,
        *,
        initial: dict[str, Any] | None = None,
        suggest_id: Callable[[str, FactEditorDialog], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.deck = deck
        self.fact = fact
        self._save = save
        self._suggest_id = suggest_id
        self._span: tuple[int, int] | None = None
        self._original: dict[str, Any] = {}
        editing = fact is not None
        self.setWindowTitle("Edit fact" if editing else "Add a fact")
        self.setAccessibleName(self.windowTitle())
        self.setObjectName("factEditor")
        self.setStyleSheet(error_style())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 12)
        outer.setSpacing(10)

        head = QLabel(
            f"Deck: <b>{_esc(deck.name)}</b>" + (f" · fact <code>{_esc(fact.id)}</code>"
                                                 if fact is not None else ""), self)
        head.setTextFormat(Qt.TextFormat.RichText)
        head.setObjectName("muted")
        outer.addWidget(head)
        self.form_error = QLabel("", self)
        self.form_error.setObjectName("formError")
        self.form_error.setWordWrap(True)
        self.form_error.setAccessibleName("Problems with this fact")
        self.form_error.hide()
        outer.addWidget(self.form_error)

        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(4)
        outer.addLayout(self.form, 1)

        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.rows: dict[str, QWidget] = {}

        self.id_edit = QLineEdit(self)
        self.kind_box = QComboBox(self)
        for value, label in KIND_CHOICES:
            self.kind_box.addItem(label, value)
        self.source_box = QComboBox(self)
        for src in deck.sources:
            self.source_box.addItem(src.title, src.id)
        self.occurrence = _OccurrenceBox(self)
        self.occurrence.setRange(0, 999)
        self.occurrence.setToolTip(
            "If these words appear more than once in the article, which time the fact "
            "is about: the 1st, the 2nd… Leave it at “Only once” when they appear once.")
        self.reported = QCheckBox("The article reports it in its own words", self)
        widgets: dict[str, QWidget] = {
            "id": self.id_edit,
            "kind": self.kind_box,
            "source": self.source_box,
            "occurrence": self.occurrence,
            "reported": self.reported,
        }
        for key in ("text", "value", "unit", "counts", "qualifier", "stem", "event", "speaker",
                    "role", "name", "roles", "front", "back", "tags"):
            widgets[key] = _MultiLine(self, 2 if key != "text" else 3) if key in MULTILINE \
                else QLineEdit(self)
        for key, widget in widgets.items():
            self._add_row(key, widget)

        self.id_edit.setReadOnly(editing)
        self.kind_box.setEnabled(not editing)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.id_edit.textEdited.connect(self._id_edited)
        self._id_touched = editing
        for key in ("front", "speaker", "name", "stem", "event", "counts"):
            w = widgets[key]
            signal = w.textChanged  # type: ignore[attr-defined]
            signal.connect(self._maybe_suggest_id)

        # The fact's pictures and sounds (names; new pictures' bytes until Save).
        self.media: list[str] = list(fact.media) if fact is not None else []
        self.new_media: list[MediaFile] = []
        media_row = QWidget(self)
        media_box = QHBoxLayout(media_row)
        media_box.setContentsMargins(0, 0, 0, 4)
        self.media_label = QLabel("", media_row)
        self.media_label.setObjectName("muted")
        self.media_label.setWordWrap(True)
        self.media_label.setAccessibleName("Pictures and sounds of the fact")
        self.add_picture_button = QPushButton("Add &picture…", media_row)
        self.add_picture_button.setAccessibleName("Add a picture to the fact")
        self.add_picture_button.setToolTip(
            "Show a picture with this fact (PNG, JPEG, GIF, WebP, BMP or SVG, at most 20 MB)")
        self.add_picture_button.clicked.connect(self.choose_picture)
        self.remove_media_button = QPushButton("Remove…", media_row)
        self.remove_media_button.setAccessibleName("Remove a picture or sound from the fact")
        self.remove_media_button.setToolTip(
            "Stop showing a picture or sound with this fact (on Save; a file no fact shows "
            "any more is deleted)")
        self.remove_media_button.clicked.connect(self.choose_media_to_remove)
        media_box.addWidget(self.media_label, 1)
        media_box.addWidget(self.add_picture_button)
        media_box.addWidget(self.remove_media_button)
        self.form.addRow(QLabel("Pictures, sounds", self), media_row)
        self._show_media_names()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save the fact")
        self.save_button.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel without saving")
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        if fact is not None:
            self._fill(fact)
        else:
            self._fill_new(initial or {})
        self._kind_changed()
        self.setMinimumWidth(620)
        self.resize(680, self.sizeHint().height())
        # Typing starts in the fact's own words, not in the internal Id (which the
        # dialog suggests from them).
        self.first_field().setFocus(Qt.FocusReason.OtherFocusReason)

    def first_field(self) -> QWidget:
        """The first field of the fact's content for its kind (its words, or a note's front)."""
        for key in KIND_FIELDS[self.kind()]:
            if key not in ("source", "occurrence", "reported"):
                return self.fields[key]
        return self.kind_box

    # ------------------------------------------------------------------ layout

    def _add_row(self, key: str, widget: QWidget) -> None:
        holder = QWidget(self)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 4)
        box.setSpacing(2)
        box.addWidget(widget)
        error = _error_label(holder)
        box.addWidget(error)
        label = QLabel(LABELS.get(key, key), self)
        label.setBuddy(widget)
        widget.setAccessibleName(LABELS.get(key, key).replace("&", ""))
        hint = HINTS.get(key)
        if hint and isinstance(widget, QLineEdit):
            widget.setPlaceholderText(hint)
        elif hint:
            widget.setToolTip(hint)
        widget.setObjectName(f"field_{key}")
        self.form.addRow(label, holder)
        self.fields[key] = widget
        self.errors[key] = error
        self.rows[key] = holder

    def kind(self) -> str:
        """The kind of fact being written."""
        return str(self.kind_box.currentData())

    def _kind_changed(self) -> None:
        kind = self.kind()
        shown = {"id", "kind", *KIND_FIELDS[kind]}
        has_sources = self.source_box.count() > 0
        for key, holder in self.rows.items():
            visible = key in shown
            self.form.setRowVisible(holder, visible)
        value = self.fields["value"]
        assert isinstance(value, QLineEdit)
        value.setPlaceholderText(HINTS["value_date"] if kind == "date"
                                 else HINTS["value_number"])
        needs_source = kind != "qa"
        self.save_button.setEnabled(has_sources or not needs_source)
        if needs_source and not has_sources:
            self._show_form_error(
                "This deck has no article yet: a date, number, quote or person needs the "
                "article it comes from. Add a Q/A note, or add an article to the deck first.")
        else:
            self._show_form_error("")
        for key in REQUIRED[kind]:
            label = self.form.labelForField(self.rows[key])
            if isinstance(label, QLabel):
                base = LABELS.get(key, key)
                label.setText(base + " *")
        self._maybe_suggest_id()

    # ------------------------------------------------------------------ values

    def field_text(self, key: str) -> str:
        """The text in one of the form's text fields."""
        return self._text(key)

    def _text(self, key: str) -> str:
        w = self.fields[key]
        return w.text() if isinstance(w, QLineEdit | _MultiLine) else ""

    def _set(self, key: str, value: Any) -> None:
        w = self.fields[key]
        if isinstance(w, QLineEdit | _MultiLine):
            w.setText("" if value is None else str(value))

    def _fill(self, fact: Fact) -> None:
        from quizapp.browse import fact_fields

        values = fact_fields(fact)
        self._original = values
        self.id_edit.setText(fact.id)
        self.kind_box.setCurrentIndex(self.kind_box.findData(fact.kind.value))
        if fact.source_id is not None:
            self.source_box.setCurrentIndex(max(0, self.source_box.findData(fact.source_id)))
        if fact.start is not None and fact.end is not None:
            self._span = (fact.start, fact.end)
        for key in ("text", "unit", "counts", "qualifier", "stem", "event", "speaker", "role",
                    "name", "front", "back"):
            self._set(key, values.get(key))
        value = values.get("value")
        self._set("value", value)
        self.reported.setChecked(bool(values.get("reported")))
        self._set("roles", "\n".join(values.get("roles", [])))
        self._set("tags", ", ".join(values.get("tags", [])))

    def _fill_new(self, initial: dict[str, Any]) -> None:
        kind = initial.get("kind", "qa" if not self.deck.sources else "date")
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(kind)))
        if "source" in initial:
            self.source_box.setCurrentIndex(max(0, self.source_box.findData(initial["source"])))
        if "start" in initial and "end" in initial:
            self._span = (int(initial["start"]), int(initial["end"]))
        for key in ("text", "front", "back", "stem", "speaker", "name", "role"):
            if key in initial:
                self._set(key, initial[key])
        if "id" in initial:
            self.id_edit.setText(str(initial["id"]))
            self._id_touched = True

    def _id_edited(self, _text: str) -> None:
        self._id_touched = True

    def _maybe_suggest_id(self, *_args: object) -> None:
        if self._id_touched or self._suggest_id is None or self.fact is not None:
            return
        self.id_edit.setText(self._suggest_id(self.kind(), self))

    def _show_media_names(self) -> None:
        self.media_label.setText(", ".join(self.media) if self.media else "None")
        self.remove_media_button.setEnabled(bool(self.media))

    def choose_media_to_remove(self) -> None:
        """Ask which file to take off the fact (the only one without asking) and remove it."""
        from PySide6.QtWidgets import QInputDialog

        if len(self.media) == 1:
            self.remove_media(self.media[0])
            return
        name, ok = QInputDialog.getItem(self, "Remove a picture or sound",
                                        "Stop showing with this fact:", self.media, 0, False)
        if ok and name:
            self.remove_media(name)

    def remove_media(self, name: str) -> bool:
        """Take ``name`` off the fact (on Save); its text alternative leaves a note's text.

        The file itself stays in the deck while another fact shows it; once no
        fact does, saving deletes it.
        """
        from quizapp.facts.media import fact_text_alternatives, is_image_name

        if name not in self.media:
            return False
        if self.kind() == "qa":
            now = Fact(id="x", kind=FactKind.QA, front=self._text("front"),
                       back=self._text("back"), media=tuple(self.media))
            label = fact_text_alternatives(now)[name]
            marker = f"[{'image' if is_image_name(name) else 'sound'}: {label}]"
            for key in ("front", "back"):
                text = self._text(key)
                if marker in text:
                    left = text.replace(marker, "", 1).splitlines()
                    self._set(key, "\n".join(" ".join(line.split()) for line in left).strip())
                    break
        self.media.remove(name)
        self.new_media = [m for m in self.new_media if m.name != name]
        self._show_media_names()
        return True

    def choose_picture(self) -> None:
        """Ask for a picture file and add it (see :meth:`add_picture_file`)."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Add a picture", "",
            "Pictures (*.png *.jpg *.jpeg *.gif *.webp *.bmp *.svg)")
        if path:
            self.add_picture_file(path)

    def add_picture_file(self, path: str) -> bool:
        """Add the picture at ``path`` to the fact (stored on Save); False with the problem shown.

        A note's front gains the picture's text alternative (``[image: name]``),
        which the teacher may reword: screen readers say it for the picture.
        """
        from quizapp.facts.media import MediaError, alternative, is_image_name, read_media_file

        try:
            media = read_media_file(path)
        except MediaError as exc:
            self._show_form_error(str(exc))
            return False
        taken = {n for f in self.deck.facts for n in f.media} | {m.name for m in self.new_media}
        if not is_image_name(media.name):
            self._show_form_error(f"{path}: media: not a picture (use PNG, JPEG, GIF, WebP, BMP "
                                  "or SVG)")
            return False
        if media.name in taken and media.name not in self.media:
            self._show_form_error(f"{path}: media: the deck has another file named "
                                  f"{media.name!r}; rename the picture")
            return False
        self._show_form_error("")
        if media.name not in self.media:
            self.media.append(media.name)
            self.new_media = [m for m in self.new_media if m.name != media.name] + [media]
            if self.kind() == "qa":
                front = self._text("front").rstrip()
                self._set("front", (front + " " if front else "") + alternative(media.name))
        self._show_media_names()
        return True

    def table(self) -> dict[str, Any]:
        """The fact as a deck-file table, from the form (unchecked)."""
        kind = self.kind()
        required = REQUIRED[kind]
        out: dict[str, Any] = {"id": self.id_edit.text().strip(), "kind": kind}
        for key in KIND_FIELDS[kind]:
            if key == "source":
                if self.source_box.count():
                    out["source"] = self.source_box.currentData()
                continue
            if key == "occurrence":
                if self.occurrence.value() > 0:
                    out["occurrence"] = self.occurrence.value()
                continue
            if key == "reported":
                if self.reported.isChecked():
                    out["reported"] = True
                continue
            if key == "roles":
                roles = [r.strip() for r in self._text("roles").splitlines() if r.strip()]
                if roles:
                    out["roles"] = roles
                continue
            if key == "tags":
                tags = [t.strip() for t in self._text("tags").split(",") if t.strip()]
                if tags:
                    out["tags"] = tags
                continue
            raw = self._text(key)
            text = raw if key == "text" else " ".join(raw.split())
            if key == "value" and kind == "number" and text:
                out["value"] = parse_number(text)
            elif text or key in required:
                out[key] = text
        if self.media:
            out["media"] = list(self.media)
        if kind != "qa" and self._span is not None and "occurrence" not in out:
            start, end = self._span
            source = self.deck.source(out.get("source"))
            if source is not None and source.text[start:end] == out.get("text"):
                out["start"], out["end"] = start, end
        return out

    # ------------------------------------------------------------------ checking

    def try_save(self) -> None:
        """Hand the table to the checker; close if it was stored, else show the problems."""
        problems = list(self._save(self.table()))
        if problems:
            self.show_problems(problems)
            return
        self.accept()

    def clear_problems(self) -> None:
        """Hide every error message."""
        for label in self.errors.values():
            label.clear()
            label.hide()
        self._show_form_error("")

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Put each problem under its field (the rest above the form)."""
        self.clear_problems()
        general: list[str] = []
        by_field: dict[str, list[str]] = {}
        shown = {"id", "kind", *KIND_FIELDS[self.kind()]}
        for p in problems:
            key = {"start": "text", "end": "text"}.get(p.field, p.field)
            if key in self.errors and key in shown:
                by_field.setdefault(key, []).append(f"{p.field}: {p.message}")
            else:
                general.append(f"{p.field}: {p.message}")
        first: QWidget | None = None
        for key, messages in by_field.items():
            label = self.errors[key]
            label.setText("\n".join(messages))
            label.setAccessibleName(f"Problem with {LABELS.get(key, key).replace('&', '')}")
            label.show()
            if first is None:
                first = self.fields[key]
        if general:
            self._show_form_error("\n".join(general))
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_form_error(self, text: str) -> None:
        self.form_error.setText(text)
        self.form_error.setVisible(bool(text))

    def shown_problems(self) -> dict[str, str]:
        """The messages on show, by field ("" for the ones above the form); for tests."""
        out = {k: label.text() for k, label in self.errors.items() if label.isVisibleTo(self)}
        if self.form_error.isVisibleTo(self):
            out[""] = self.form_error.text()
        return out

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.try_save()
            return
        super().keyPressEvent(event)


class NewDeckDialog(QDialog):
    """Name a new deck, optionally with the article its facts will come from.

    ``save`` gets ``{"id", "name", "description", "title", "text"}`` and returns
    the loader's problems (empty: the deck was created).
    """

    def __init__(self, save: Callable[[dict[str, str]], Sequence[Problem]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from quizapp.browse import slug

        self._slug = slug
        self._save = save
        self.setWindowTitle("New deck")
        self.setAccessibleName("New deck")
        self.setStyleSheet(error_style())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 12)
        outer.setSpacing(10)
        intro = QLabel("An empty deck to write facts and Q/A notes into. Paste the article "
                       "its facts come from, or leave it out for a deck of Q/A notes.", self)
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        outer.addWidget(intro)
        self.form_error = QLabel("", self)
        self.form_error.setObjectName("formError")
        self.form_error.setWordWrap(True)
        self.form_error.hide()
        outer.addWidget(self.form_error)
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(4)
        self.fields: dict[str, QLineEdit | _MultiLine] = {}
        self.errors: dict[str, QLabel] = {}
        specs = (
            ("name", "&Name *", QLineEdit(self), "Shown in the deck list"),
            ("id", "&Id *", QLineEdit(self), HINTS["id"]),
            ("description", "&Description", QLineEdit(self), "One or two sentences"),
            ("title", "Article &title", QLineEdit(self), "The article's headline"),
            ("text", "Article te&xt", _MultiLine(self, 8), "Paste the whole article"),
        )
        for key, label_text, widget, hint in specs:
            holder = QWidget(self)
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 4)
            box.setSpacing(2)
            box.addWidget(widget)
            error = _error_label(holder)
            box.addWidget(error)
            label = QLabel(label_text, self)
            label.setBuddy(widget)
            widget.setAccessibleName(label_text.replace("&", "").replace(" *", ""))
            if isinstance(widget, QLineEdit):
                widget.setPlaceholderText(hint)
            else:
                widget.setToolTip(hint)
                widget.setPlaceholderText(hint)
            form.addRow(label, holder)
            self.fields[key] = widget
            self.errors[key] = error
        outer.addLayout(form, 1)
        self._id_touched = False
        name = self.fields["name"]
        assert isinstance(name, QLineEdit)
        name.textChanged.connect(self._name_changed)
        ident = self.fields["id"]
        assert isinstance(ident, QLineEdit)
        ident.textEdited.connect(lambda _t: setattr(self, "_id_touched", True))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Create deck")
        ok.setAccessibleName("Create the deck")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            "Cancel without creating a deck")
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.setMinimumWidth(600)

    def _name_changed(self, text: str) -> None:
        if not self._id_touched:
            self.fields["id"].setText(self._slug(text) if text.strip() else "")

    def values(self) -> dict[str, str]:
        """The form's values."""
        return {k: (w.text() if k == "text" else w.text().strip())
                for k, w in self.fields.items()}

    def try_save(self) -> None:
        """Create the deck, or show what is wrong."""
        for label in self.errors.values():
            label.hide()
        self.form_error.hide()
        problems = list(self._save(self.values()))
        if not problems:
            self.accept()
            return
        general = []
        for p in problems:
            key = {"sources.title": "title", "sources.text": "text", "sources.id": "title",
                   "sources.published": "title"}.get(p.field, p.field)
            if key in self.errors:
                self.errors[key].setText(f"{p.field}: {p.message}")
                self.errors[key].show()
            else:
                general.append(f"{p.field}: {p.message}")
        if general:
            self.form_error.setText("\n".join(general))
            self.form_error.show()


def _esc(text: str) -> str:
    import html

    return html.escape(text)
