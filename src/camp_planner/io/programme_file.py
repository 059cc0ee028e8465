"""programme.toml read (``camp-planner programme``); what the programme writes is in
:mod:`camp_planner.outputs.programme_files`.

programme.toml lists the rounds of the horizon in order as ``[[round]]`` tables; a round's
keys override round.toml's, which supplies everything a round leaves out.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import Collector, InputError
from camp_planner.io.round_file import ROUND_TOML, _syntax_problem, line_finder, round_from_data
from camp_planner.models import RoundConfig

PROGRAMME_TOML = "programme.toml"
PROGRAMME_JSON = "programme.json"
PROGRAMME_XLSX = "programme.xlsx"
ROUNDS_DIR = "rounds"


def read_programme_rounds(folder: Path) -> list[RoundConfig]:
    """The rounds of FOLDER/programme.toml, each completed from FOLDER/round.toml.

    Raises:
        InputError: Every problem of the file (missing, not TOML, a bad key in a round,
            rounds that overlap or are out of order).
    """
    out = Collector()
    path = folder / PROGRAMME_TOML
    if not path.is_file():
        out.problem(PROGRAMME_TOML, None, None, None, N_("a programme.toml with [[round]] tables"))
        raise InputError(out.problems)
    base_text = (folder / ROUND_TOML).read_bytes().decode("utf-8-sig", errors="replace")
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    try:
        base = tomllib.loads(base_text)
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        out.problems.append(replace(_syntax_problem(text, exc), file=PROGRAMME_TOML))
        raise InputError(out.problems) from None
    entries = data.get("round")
    if (
        not isinstance(entries, list)
        or not entries
        or not all(isinstance(e, dict) for e in entries)
    ):
        expected = N_("one [[round]] table per round, in order")
        out.problem(PROGRAMME_TOML, None, "round", None, expected)
        raise InputError(out.problems)
    lines = text.splitlines()
    headers = [i for i, line in enumerate(lines) if re.match(r"\s*\[\[round\]\]", line)]
    rounds: list[RoundConfig] = []
    for k, entry in enumerate(entries):
        first = headers[k] if k < len(headers) else 0
        finder = line_finder("\n".join(lines[first:]))
        merged = {**base, **entry}
        config = round_from_data(
            merged,
            out,
            f"{PROGRAMME_TOML} round {k + 1}",
            lambda key, first=first, finder=finder: (  # type: ignore[misc]
                None if finder(key) is None else finder(key) + first  # type: ignore[operator]
            ),
        )
        if config is not None:
            rounds.append(config)
    names = [str({**base, **entry}.get("name", "")).strip() for entry in entries]
    if len(set(names)) != len(names):
        out.problem(PROGRAMME_TOML, None, "name", None, N_("a different name for every round"))
    for before, after in zip(rounds, rounds[1:], strict=False):
        if after.start <= before.end:
            out.problem(
                PROGRAMME_TOML,
                None,
                "start",
                str(after.start),
                Message(
                    N_("round %(round)s to start after round %(before)s ends (%(end)s)"),
                    round=after.name,
                    before=before.name,
                    end=before.end,
                ),
            )
    if out.problems:
        raise InputError(out.problems)
    return rounds
