"""Writing ``round.toml`` (docs/planning-folder.md) from settings already checked by
:class:`camp_planner.models.RoundConfig`: the web app's settings form and its versions.

Only the keys a person wrote are written (the others keep their defaults when the file is
read back); values are written in TOML's own forms (dates bare, ``2027-01-04``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from enum import Enum
from typing import Any

from camp_planner.models import RoundConfig

__all__ = ["round_toml_text", "toml_value"]


def toml_value(value: Any) -> str:
    """One value in TOML's form (strings quoted with TOML's basic-string escapes)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return toml_value(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # JSON's escapes are TOML's basic-string escapes; non-ASCII is written as it is.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        items = sorted((toml_value(k).strip('"'), toml_value(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k} = {v}" for k, v in items) + "}"
    if isinstance(value, frozenset | set):
        return toml_value(sorted(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def round_toml_text(
    config: RoundConfig, keys: Iterable[str], extra: Mapping[str, Any] | None = None
) -> str:
    """The round.toml of `config`, with the settings in `keys` (in the model's order) and
    `extra` keys the model does not hold (``change_cost``, kept as they were read)."""
    wanted = set(keys)
    lines = []
    for key in RoundConfig.model_fields:
        if key in wanted and getattr(config, key) is not None:
            lines.append(f"{key} = {toml_value(getattr(config, key))}")
    for key, value in (extra or {}).items():
        if key not in RoundConfig.model_fields:
            lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"
