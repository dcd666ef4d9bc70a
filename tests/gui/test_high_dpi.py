"""High-DPI screens: the exact scale factor is used, and pictures are made for it.

A real process with ``QT_SCALE_FACTOR=1.5`` (a 4K screen at 150%), offscreen.
Qt 6 scales by the exact factor (its rounding policy is PassThrough unless the
user's environment says otherwise), the app icon is an SVG that renders sharp
at any size, and the About and import-error pictures are made at the widget's
device pixel ratio, so nothing is drawn blurred or at a rounded size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(["quizapp"])
from quizapp.gui.main_window import app_icon
from quizapp.gui.views.dialogs import AboutDialog, ImportErrorDialog
icon = app_icon()
about = AboutDialog("1", [], icon)
error = ImportErrorDialog("x.csv", ["x.csv:2: back: empty"])
def ratios(widget):
    return [label.pixmap().devicePixelRatio() for label in widget.findChildren(QLabel)
            if not label.pixmap().isNull()]
print(json.dumps({
    "policy": app.highDpiScaleFactorRoundingPolicy().name,
    "ratio": app.devicePixelRatio(),
    "about": ratios(about),
    "error": ratios(error),
    "icon_sizes": [icon.pixmap(s, s).width() for s in (16, 64, 512)],
}))
"""


def test_the_app_scales_by_the_exact_factor_with_sharp_pictures(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_SCALE_FACTOR")}
    env = {**env, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "1.5",
           "QUIZAPP_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120, check=True).stdout
    found = json.loads(out.strip().splitlines()[-1])
    assert found["policy"] == "PassThrough"
    assert found["ratio"] == 1.5
    assert found["about"] == [1.5] and found["error"] == [1.5]
    # The SVG icon gives a picture of every size asked (a 256 px PNG would stop at 256).
    assert found["icon_sizes"][-1] >= 512
