"""Uploaded planning files: which file is which, saved under fixed names, read safely.

An upload holds ``companies.csv``, ``venues.csv`` and ``round.toml``, or ``plan.xlsx`` and
``round.toml``. The JSON API names each part by its file name (the multipart field
``companies.csv``); the page's file picker sends them all as ``files``, and each is known
by its name (``companies.csv``, any ``.xlsx``, a ``.toml`` other than ``programme.toml`` or
``scenarios.toml``) or, for a CSV file with another name (``Tilmeldinger forår.csv``), by
its columns: the names only a companies or only a venues table has, in English or Danish
(:func:`camp_planner.io.columns.table_kind`, the readers' own vocabulary), else by words
in its name (``virksomheder.csv``). Other files (a README, a
programme.toml) are not used, and the plan's notes say so. The client's file name is only
compared, never used as a path: files are saved under the four fixed names into a folder
made by :class:`~camp_planner.web.store.Store`.

Workbooks are checked before openpyxl opens them: a zip file whose contents unpack to at
most 200 MB and at most 200 times its size (no zip bombs), with no tag or text of over
1 MB in its XML (the XML parser takes time quadratic in the longest one); openpyxl itself
parses the XML with ``defusedxml`` (a dependency), which refuses entity expansion and
external entities. The web app reads a plan's files in a worker process with a CPU-time
and memory limit (:mod:`camp_planner.web.parsing`).

The problems' texts are marked for the web app's catalog (``N_``), and shown in the page's
language like the library's (:func:`camp_planner.web.views.expected_text`).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from camp_planner.i18n import N_, Message
from camp_planner.io.columns import header_columns, table_kind
from camp_planner.io.errors import InputError, InputProblem
from camp_planner.models import PlanningProblem

__all__ = [
    "ALLOWED",
    "Assigned",
    "MAX_UNPACKED",
    "Upload",
    "assign_files",
    "load_plan_folder",
    "save_plan_files",
]

COMPANIES, VENUES, ROUND, WORKBOOK = "companies.csv", "venues.csv", "round.toml", "plan.xlsx"
#: The only names a plan's files are saved under.
ALLOWED = (COMPANIES, VENUES, WORKBOOK, ROUND)
#: What an upload must hold, in words (for problems).
EXPECTED_SET = N_("companies.csv, venues.csv and round.toml, or plan.xlsx and round.toml")
#: The most a workbook may unpack to, bytes.
MAX_UNPACKED = 200 * 1024 * 1024
_MAX_ENTRIES = 10_000
#: The longest tag or text a workbook's XML may hold, bytes (Excel's longest cell is 32,767
#: characters); a longer one is refused before parsing (the parser is quadratic in it).
MAX_TOKEN = 1024 * 1024
#: A workbook may unpack to at most this many times its size (past MIN_RATIO_CHECK bytes).
MAX_RATIO, MIN_RATIO_CHECK = 200, 50 * 1024 * 1024
_DELIMITERS = re.compile(rb"[<>]")

_NAME_HINTS = (
    (VENUES, re.compile(r"venue|spillested|sted|lokale", re.I)),
    (COMPANIES, re.compile(r"compan|virksomhed|firma", re.I)),
)
_OTHER_TOML = re.compile(r"programme|program|scenario", re.I)


@dataclass(frozen=True)
class Upload:
    """One uploaded part: its form field, the client's file name and the bytes."""

    field: str
    filename: str
    data: bytes


def _kind_of(upload: Upload) -> str | None:
    """The fixed name for a file picked as ``files``, from its name or header; None if not
    known."""
    name = Path(upload.filename.replace("\\", "/")).name.lower()
    if name in ALLOWED:
        return name
    suffix = Path(name).suffix
    if suffix in (".xlsx", ".xlsm"):
        return WORKBOOK
    if suffix == ".toml":
        return None if _OTHER_TOML.search(name) else ROUND
    if suffix not in (".csv", ".txt", ".tsv"):
        return None
    kind = table_kind(header_columns(upload.data))  # the columns tell, whatever the name
    if kind is not None:
        return COMPANIES if kind == "companies" else VENUES
    for kind, pattern in _NAME_HINTS:
        if pattern.search(name):
            return kind
    return None


def _workbook_problem(data: bytes) -> str | None:
    """Why a workbook is refused before it is opened (a text of the catalog), or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            unpacked = sum(e.file_size for e in entries)
            if len(entries) > _MAX_ENTRIES or unpacked > MAX_UNPACKED:
                return N_("an Excel workbook of at most 200 MB unpacked")
            if unpacked > max(MIN_RATIO_CHECK, MAX_RATIO * len(data)):
                return N_("an Excel workbook whose contents are in proportion to its size")
            if any(_longest_token(archive, e) > MAX_TOKEN for e in entries):
                return N_("an Excel workbook without a text or tag of over 1 MB")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        return N_("an Excel workbook (.xlsx); this file is not one (save it as .xlsx in Excel)")
    return None


def _longest_token(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> int:
    """The longest run of bytes without ``<`` or ``>`` in an XML part (a tag or a text):
    the XML parser takes time quadratic in it, so a long one is refused before parsing.
    Stops counting once past :data:`MAX_TOKEN`."""
    if not entry.filename.lower().endswith((".xml", ".rels", ".vml")):
        return 0
    longest = run = 0
    with archive.open(entry) as stream:
        while chunk := stream.read(1 << 20):
            parts = _DELIMITERS.split(chunk)
            if len(parts) == 1:
                run += len(chunk)
            else:
                longest = max(longest, run + len(parts[0]), *(len(p) for p in parts[1:-1]))
                run = len(parts[-1])
            longest = max(longest, run)
            if longest > MAX_TOKEN:
                break
    return longest


@dataclass
class Assigned:
    """What an upload holds: the planning files by their fixed names, the parts that are
    not used, and the problems (a broken workbook, two files for one name, none at all)."""

    files: dict[str, bytes]
    ignored: list[str]
    problems: list[InputProblem]
    #: fixed name -> the client's file name, where they differ (problems name the latter)
    names: dict[str, str] = field(default_factory=dict)

    def unused_problems(self) -> list[InputProblem]:
        """The unused parts as problems (shown when the upload cannot be read)."""
        expected = Message(N_("one of the planning files (%(files)s)"), files=Message(EXPECTED_SET))
        return [InputProblem.of(name, None, None, None, expected) for name in self.ignored]


def assign_files(uploads: list[Upload]) -> Assigned:
    """Which uploaded part is which planning file.

    Parts named by a planning file's name (the field or the file) come first; the others
    are known by name or header (module docstring), or not used.

    Args:
        uploads: Every part of the request that carries a file.
    """
    files: dict[str, bytes] = {}
    names: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[InputProblem] = []
    chosen: list[tuple[str | None, str, Upload]] = []
    for upload in uploads:
        shown = Path(upload.filename.replace("\\", "/")).name or upload.field
        if not upload.data and not upload.filename:
            continue  # a file input left empty
        kind = upload.field if upload.field in ALLOWED else _kind_of(upload)
        chosen.append((kind, shown, upload))
    exact = [c for c in chosen if c[0] is not None and c[1].lower() in (c[0], c[2].field)]
    rest = [c for c in chosen if c not in exact]
    for kind, shown, upload in exact + rest:
        if kind is None:
            ignored.append(shown)
            continue
        if kind in files:
            one = Message(N_("only one file for %(file)s"), file=kind)
            problems.append(InputProblem.of(shown, None, None, None, one))
            continue
        if kind == WORKBOOK and (why := _workbook_problem(upload.data)):
            problems.append(InputProblem(shown, None, None, None, why))
            continue
        files[kind] = upload.data
        if shown != kind:
            names[kind] = shown
    if not files and not problems:
        problems.append(InputProblem("(no file)", None, None, None, EXPECTED_SET))
        problems.extend(Assigned({}, ignored, []).unused_problems())
    return Assigned(files, ignored, problems, names)


#: The client's names of a plan's files (fixed name -> name and the file's SHA-256, so a
#: file replaced by a later version is not called so), beside the files.
NAMES_FILE = ".file-names.json"


def save_plan_files(
    files: dict[str, bytes], folder: Path, shown: dict[str, str] | None = None
) -> list[str]:
    """Write the files under their fixed names into `folder` (which must exist), and the
    names the person gave them (`shown`, :attr:`Assigned.names`) for the problems."""
    names = []
    for name, data in files.items():
        if name not in ALLOWED:  # pragma: no cover - assign_files gives only these
            raise ValueError(name)
        (folder / name).write_bytes(data)
        names.append(name)
    kept = {
        name: {"name": text, "sha256": hashlib.sha256(files[name]).hexdigest()}
        for name, text in (shown or {}).items()
        if name in files
    }
    if kept:
        (folder / NAMES_FILE).write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    return sorted(names)


def _shown_names(folder: Path) -> dict[str, str]:
    """The client's names of the plan's files ({} when none were kept, or unreadable); a
    file changed since (a later version's generated ``venues.csv``) has its own name."""
    try:
        found = json.loads((folder / NAMES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    names = {}
    for name, kept in found.items():
        if name not in ALLOWED or not isinstance(kept, dict):
            continue
        try:
            same = hashlib.sha256((folder / name).read_bytes()).hexdigest() == kept.get("sha256")
        except OSError:
            continue
        if same:
            names[name] = str(kept.get("name", name))
    return names


def load_plan_folder(folder: Path) -> tuple[PlanningProblem, list[Message]]:
    """Read a plan's folder (:func:`camp_planner.io.folder.load_folder_with_messages`): the
    notes are messages, shown in the page's language.

    Raises:
        InputError: Every problem of the files.
    """
    from camp_planner.io.folder import load_folder_with_messages

    try:
        return load_folder_with_messages(folder, _shown_names(folder))
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a file the readers choke on is a problem too
        readable = Message(N_("readable files (%(error)s)"), error=type(exc).__name__)
        raise InputError([InputProblem.of(folder.name, None, None, None, readable)]) from None


def discard(folder: Path) -> None:
    """Remove an upload's folder that was not kept."""
    shutil.rmtree(folder, ignore_errors=True)
