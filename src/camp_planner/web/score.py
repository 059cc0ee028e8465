"""The Score page and ``POST /api/score``: a consultant's scorecards file scored by the
shared scoring module (:func:`camp_planner.scoring.score`), as ``camp-planner score`` does.

The upload is one file (CSV with ``,`` or ``;``, or an Excel workbook; the reader
:func:`camp_planner.io.scorecards.read_scorecards` decides what it accepts). It is saved
under a fixed name (``scorecards.csv`` / ``scorecards.xlsx``) in a folder of the data
folder's ``tmp`` (the client's name is only shown, never used as a path), read in a child
process with the plan reader's CPU and memory limits (:mod:`camp_planner.web.parsing`), and
the folder is removed at once: nothing of the file is kept. Problems name the client's
file and the columns as its header writes them.

levels.csv is the command's text (:func:`camp_planner.outputs.levels_file.levels_frame`
through :func:`camp_planner.outputs.excel_safe.csv_text`, UTF-8), so its English
explanations stay as CONTRACT.md fixes them; a page in Danish shows each explanation in
Danish (:func:`explanation_in`, the same sentence built from the result's fields).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import InputError, InputProblem
from camp_planner.models.domain import Scorecard
from camp_planner.models.enums import Level
from camp_planner.outputs.excel_safe import csv_text
from camp_planner.outputs.levels_file import levels_frame
from camp_planner.scoring import CRITERION_NAMES, LEVELS, ScoreResult, score
from camp_planner.web import parsing
from camp_planner.web.common import Problems
from camp_planner.web.store import Store
from camp_planner.web.uploads import Upload, _workbook_problem, discard

__all__ = ["LEVEL_KEYS", "Scored", "explanation_in", "level_label", "score_upload"]

#: The counts' keys, in order: the three levels and ``below_C`` (levels.csv's texts).
LEVEL_KEYS = ("A", "B", "C", "below_C")
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
NO_FILE = N_("a scorecards file (CSV, or an Excel workbook .xlsx)")
ONE_FILE = N_("one scorecards file")

#: The criteria's names as the explanation gives them, marked for the web catalog.
CRITERION_WORDS = (
    N_("growth ambition"), N_("scalability"), N_("organisational capacity"), N_("market"),
    N_("financing"), N_("technology"), N_("role model"),
)  # fmt: skip
_BELOW = N_("below C: meets no level (score C %(score)s)")
_MEETS = N_("%(level)s: meets %(level)s (score %(score)s)")
_NOT_MET_A = N_("Not met at A: %(criteria)s")
_RECOMMENDATION = N_("A is a recommendation until the growth panel approves")
_MISSING = N_("Missing for %(level)s (score %(score)s): %(criteria)s")
_TRAINED_WITH_C = N_("Trained with C companies")
BELOW_C_LABEL = N_("below C")


@dataclass(frozen=True)
class Scored:
    """A scored file: the results in file order, the columns not used (as the file names
    them) and levels.csv's bytes as the command writes them."""

    results: list[ScoreResult]
    ignored: list[str]
    levels_csv: bytes

    def counts(self) -> dict[str, int]:
        """Companies per level (``A``, ``B``, ``C``, ``below_C``), every key present."""
        found = Counter(r.level_text for r in self.results)
        return {key: found.get(key, 0) for key in LEVEL_KEYS}

    @property
    def pending(self) -> int:
        """A levels that wait for the growth panel."""
        return sum(r.a_recommendation_only for r in self.results)


def level_label(result: ScoreResult, gettext: Callable[[str], str]) -> str:
    """``A``, ``B``, ``C`` or "below C" in the page's language."""
    return gettext(BELOW_C_LABEL) if result.level is None else result.level.value


def _pct(value: float, lang: str) -> str:
    text = f"{value:g}"
    return f"{text.replace('.', ',') if lang == 'da' else text} %"


def explanation_in(result: ScoreResult, lang: str, gettext: Callable[[str], str]) -> str:
    """The result's explanation in `lang`: in English exactly the library's text
    (:func:`camp_planner.scoring.scorecard.explain`), in Danish the same sentence from the
    catalog, built from the result's level, scores and missing criteria."""

    def names(keys: list[str]) -> str:
        return ", ".join(gettext(CRITERION_NAMES[key]) for key in keys)

    scores, missing, level = result.scores, result.missing, result.level
    if level is None:
        parts = [gettext(_BELOW) % {"score": _pct(scores[Level.C], lang)}]
        next_up: Level | None = Level.C
    else:
        head = gettext(_MEETS) % {"level": level.value, "score": _pct(scores[level], lang)}
        parts = [head]
        next_up = LEVELS[level.rank - 1] if level.rank > 0 else None
    if next_up is None:
        if missing[Level.A]:
            parts.append(gettext(_NOT_MET_A) % {"criteria": names(missing[Level.A])})
        if result.a_recommendation_only:
            parts.append(gettext(_RECOMMENDATION))
        return ". ".join(parts)
    score_next = _pct(scores[next_up], lang)
    missed = {"level": next_up.value, "score": score_next, "criteria": names(missing[next_up])}
    parts.append(gettext(_MISSING) % missed)
    if level is None:
        parts.append(gettext(_TRAINED_WITH_C))
    return ". ".join(parts)


def _the_file(uploads: list[Upload]) -> tuple[str, bytes]:
    """The one file of the upload and the name the person gave it.

    Raises:
        Problems: No file, or more than one.
    """
    files = [u for u in uploads if u.data or u.filename]
    if not files:
        raise Problems([InputProblem("(no file)", None, None, None, NO_FILE)])
    if len(files) > 1:
        names = [Path(u.filename.replace("\\", "/")).name or u.field for u in files]
        raise Problems([InputProblem(name, None, None, None, ONE_FILE) for name in names])
    upload = files[0]
    return Path(upload.filename.replace("\\", "/")).name or upload.field, upload.data


def score_upload(store: Store, uploads: list[Upload]) -> Scored:
    """Score the uploaded scorecards file.

    Raises:
        Problems: Every problem of the upload (no file, two files, a refused workbook, the
            reader's problems), named as the person knows the file and its columns.
    """
    shown, data = _the_file(uploads)
    workbook = Path(shown.lower()).suffix in _WORKBOOK_SUFFIXES
    if workbook and (why := _workbook_problem(data)):
        raise Problems([InputProblem(shown, None, None, None, why)])
    folder = store.tmp_dir()
    fixed = "scorecards.xlsx" if workbook else "scorecards.csv"
    try:
        (folder / fixed).write_bytes(data)
        cards, ignored, headers = _read_isolated(folder / fixed)
    except InputError as exc:
        raise Problems([_as_shown(p, folder, fixed, shown) for p in exc.problems]) from None
    finally:
        discard(folder)
    results = [score(card) for card in cards]
    levels = csv_text(levels_frame(results)).encode("utf-8")  # as write_levels writes it
    return Scored(results, [headers.get(c, c) for c in ignored], levels)


def _as_shown(problem: InputProblem, folder: Path, fixed: str, shown: str) -> InputProblem:
    """A reader's problem with the client's file name instead of the server's path (the
    column names are the header's already, :func:`_scorecards_of`)."""
    name = problem.file.replace(f"{folder}/", "").replace(str(folder), "")
    if name.startswith(fixed):
        name = shown + name[len(fixed) :]
    value = problem.value
    if value is not None and str(folder) in value:
        value = value.replace(f"{folder}/", "").replace(str(folder), "")
    return dataclasses.replace(problem, file=name, value=value)


# -- reading in a child process (parsing.py's limits) ------------------------------------------


def _headers(path: Path) -> dict[str, str]:
    """The file's column names (normalised) -> as its header writes them; {} if unreadable."""
    from camp_planner.io.errors import Collector
    from camp_planner.io.scorecards import _read_table

    try:
        table = _read_table(path, Collector())
    except Exception:  # noqa: BLE001 - the names are a courtesy; the problems say the rest
        return {}
    return dict(table.headers) if table is not None else {}


def _scorecards_of(path: Path) -> tuple[list[Scorecard], list[str], dict[str, str]]:
    """What the child reads (`parsing.run_isolated`): the cards, the columns not used and
    the header's own names; every problem naming the user's columns."""
    from camp_planner.io.scorecards import read_scorecards

    try:
        cards, ignored = read_scorecards(path)
    except InputError as exc:
        headers = _headers(path)
        problems = [
            dataclasses.replace(p, column=_shown_column(p.column, headers)) for p in exc.problems
        ]
        raise InputError(problems) from None
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a file the reader chokes on is a problem too
        readable = Message(N_("readable files (%(error)s)"), error=type(exc).__name__)
        raise InputError([InputProblem.of(path.name, None, None, None, readable)]) from None
    return cards, ignored, _headers(path) if ignored else {}


def _shown_column(column: str | None, headers: dict[str, str]) -> str | None:
    return None if column is None else headers.get(column, column)


def _read_isolated(
    path: Path, cpu: int = parsing.CPU_SECONDS, memory: int = parsing.MEMORY_BYTES
) -> tuple[list[Scorecard], list[str], dict[str, str]]:
    """read_scorecards in a child process with the limits of a plan's upload.

    Raises:
        InputError: Every problem of the file, or one saying it took too much.
    """
    cards, ignored, headers = parsing.run_isolated(_scorecards_of, path, "camp-score", cpu, memory)
    return cards, ignored, headers
