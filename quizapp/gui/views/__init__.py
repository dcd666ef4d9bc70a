"""Layouts of the screens and dialogs (no behaviour beyond showing values)."""
