"""The what-if chart in the page's language.

The what-if job writes ``whatif.png`` in the round's language (as ``camp-planner whatif``
does). A page in another language, or one drawn before the chart wrote numbers as the
language writes them, must not show that copy: the chart is drawn again from the job's
``comparison.json`` (the what-if table) in the page's language on first request and kept
in the job's folder as ``whatif-<lang>.png``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from camp_planner.outputs.whatif_files import whatif_title, write_whatif_png

__all__ = ["chart_in"]


def chart_in(job_dir: Path, summary: dict[str, Any], lang: str, comparison: str) -> Path:
    """The job's chart in `lang`, drawn and kept on first request.

    Args:
        job_dir: The what-if job's folder.
        summary: The job's summary (``round``: the round's name, ``by_venues``).
        lang: The page's language.
        comparison: The name of the job's what-if table (``comparison.json``, split).
    """
    path = job_dir / f"whatif-{lang}.png"
    if path.is_file():
        return path
    stored = json.loads((job_dir / comparison).read_text(encoding="utf-8"))
    table = pd.DataFrame(stored["data"], columns=stored["columns"])
    title = whatif_title(str(summary.get("round") or ""), lang)
    return write_whatif_png(table, path, bool(summary.get("by_venues")), title, lang)
