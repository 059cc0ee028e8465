"""An independent checker of roster.json (issue 3, item 5).

`check_roster` recomputes every rule of DOMAIN.md / CONTRACT.md from the raw input fields
and returns the violations it finds (empty list = the roster is valid). It shares no code
with ``camp_planner.scheduler`` and uses none of the helper methods of
``camp_planner.models`` (travel, next step, segment, working days): the haversine, the
Danish working-day calendar, the next step, the age group and the level policy are all
recomputed here from the inputs. Inputs may be pydantic models or plain dicts (e.g. the
parsed round.toml and CSV rows); the roster is the parsed roster.json dict.

The remedies of a round (docs/remedies.md) are checked from round.toml's raw keys too: an
online cohort (``venue_id`` ``"online"``, ``online`` true) only when ``online_cohorts`` is
true, for Module 1, with ``online_cohort_min``..``cohort_max`` people, no venue rules and
0 km; a cohort whose members differ in level only for Module 1 and levels within one entry
of ``mix_levels``; young and established members together only when every member's level
is in ``mix_age_groups``; ``level`` is the members' levels joined by ``+`` (highest
first), ``age_group`` theirs or ``mixed``, ``mixed`` true exactly for such cohorts.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import holidays

EARTH_RADIUS_KM = 6371.0088
CODES = {
    "segment_too_small",
    "capacity",
    "not_eligible",
    "track_complete",
    "unavailable",
    "too_far",
    "priority",
    "later_round",
    "not_yet_available",
}
#: roster.json's `reason_code`s (docs/roster-json.md): the round's, then the programme's and
#: the replan's own with the `code` each goes with ("Reason codes of the programme and the
#: replan").
REASON_CODES = {
    "segment_too_small", "higher_priority", "waiting_longer", "shorter_travel", "cohort_sizes",
    "limits_priority", "limits_tie", "limits_travel", "track_done", "track_complete",
    "module2_level", "too_many_people", "unavailable_every_day", "starts_too_late",
    "after_round", "round_too_short", "too_far_limit", "too_far",
}  # fmt: skip
LATER_REASON_CODES = {
    "later_available": "later_round", "later_full": "later_round", "later_tracks": "later_round",
    "horizon_too_small": "segment_too_small", "horizon_full": "capacity",
    "no_common_dates": "unavailable", "lost_to_other": "capacity",
    "lost_unavailable": "unavailable", "lost_rules": "capacity", "lost_budget": "capacity",
    "left_too_small": "segment_too_small", "no_cohort_runs": "capacity",
    "no_place_left": "capacity", "unavailable_from": "unavailable",
}  # fmt: skip
STATUSES = {"OPTIMAL", "FEASIBLE", "INFEASIBLE", "TIME_LIMIT"}
LAB_FOR = {"module1": "lab1", "module2": "lab2"}
MODULE_DAYS = {"module1": 1, "module2": 2}
#: tolerance of the travel total, km per placed company (CONTRACT.md rounding)
KM_TOLERANCE = 0.01
#: the venue_id of an online cohort (roster.json contract)
ONLINE = "online"


# -- raw field access -------------------------------------------------------------------
def _get(obj: Any, name: str, default: Any = None) -> Any:
    value = obj.get(name, default) if isinstance(obj, Mapping) else getattr(obj, name, default)
    return default if value is None else value


def _text(value: Any) -> str:
    """Enum or string -> its plain text value."""
    return str(getattr(value, "value", value))


def _day(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def _days(values: Any) -> set[date]:
    if not values:
        return set()
    if isinstance(values, str):
        values = [v for v in values.split(";") if v.strip()]
    return {_day(v) for v in values}


def _steps(values: Any) -> set[str]:
    if not values:
        return set()
    if isinstance(values, str):
        values = [v for v in values.split(";") if v.strip()]
    return {_text(v).strip() for v in values}


def _flag(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


# -- independent recomputations ---------------------------------------------------------
def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle km on a sphere of radius 6371.0088 km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlam = math.radians(lon2 - lon1) / 2
    h = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlam) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@lru_cache(maxsize=32)
def _danish_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DK", years=year))


def is_workday(day: date) -> bool:
    """Monday-Friday and not a Danish public holiday."""
    return day.weekday() < 5 and day not in _danish_holidays(day.year)


def next_workday(day: date) -> date:
    """The first working day after `day`."""
    nxt = day + timedelta(days=1)
    while not is_workday(nxt):
        nxt += timedelta(days=1)
    return nxt


def round_settings(rnd: Any) -> dict[str, Any]:
    """The round's settings with CONTRACT.md defaults, dates parsed."""
    lab_gap = _get(rnd, "lab_gap_days", (14, 42))
    return {
        "name": _get(rnd, "name", ""),
        "start": _day(_get(rnd, "start")),
        "end": _day(_get(rnd, "end")),
        "cohort_min": int(_get(rnd, "cohort_min", 8)),
        "cohort_max": int(_get(rnd, "cohort_max", 10)),
        "max_venues": int(_get(rnd, "max_venues", 6)),
        "facilitators": int(_get(rnd, "facilitators", 1)),
        "facilitator_unavailable": _days(_get(rnd, "facilitator_unavailable", ())),
        "lab_gap": (int(lab_gap[0]), int(lab_gap[1])),
        "road_factor": float(_get(rnd, "road_factor", 1.3)),
        "max_travel_km": float(_get(rnd, "max_travel_km", 0)),
        "unapproved_a_level": _text(_get(rnd, "unapproved_a_level", "A")),
        "level_priority": {
            str(getattr(k, "value", k)).upper(): int(v)
            for k, v in dict(_get(rnd, "level_priority", None) or {}).items()
        },
        "online_cohorts": bool(_flag(_get(rnd, "online_cohorts", False))),
        "online_cohort_min": int(_get(rnd, "online_cohort_min", 5)),
        "mix_levels": [
            frozenset(part.strip().upper() for part in str(mix).split("+"))
            for mix in _get(rnd, "mix_levels", ()) or ()
        ],
        "mix_age_groups": {_text(v).strip().upper() for v in _get(rnd, "mix_age_groups", ()) or ()},
    }


def who_goes_first(company: Any, settings: Mapping[str, Any]) -> tuple[int, float]:
    """DOMAIN.md "Who goes first": (priority + level_priority[level], days waited by the
    round's start, 0 when not waiting); a larger tuple goes first."""
    level = roster_level(company, settings)
    policy = int(_get(company, "priority", 0)) + settings["level_priority"].get(level, 0)
    since = _get(company, "waiting_since")
    waited = 0 if since is None else (settings["start"] - _day(since)).days + 1
    return policy, waited


def is_young(company: Any, round_start: date) -> bool:
    """`young` if given; else founded less than 3 years before the round's start."""
    given = _flag(_get(company, "young"))
    if given is not None:
        return given
    founded = _day(_get(company, "founded"))
    # founded + 3 years > start  <=>  founded > start - 3 years (29 Feb -> 1 Mar)
    try:
        anniversary = date(founded.year + 3, founded.month, founded.day)
    except ValueError:
        anniversary = date(founded.year + 3, 3, 1)
    return anniversary > round_start


def roster_level(company: Any, settings: Mapping[str, Any]) -> str:
    """The level the roster uses: an A the panel has not approved follows the policy."""
    level = _text(_get(company, "level"))
    if level == "A" and _flag(_get(company, "panel_approved")) is False:
        return settings["unapproved_a_level"]
    return level


def next_step(company: Any, settings: Mapping[str, Any]) -> str | None:
    """module1 unless done; module2 for A/B (roster level) not done; else None."""
    done = _steps(_get(company, "completed", ()))
    if "module1" not in done:
        return "module1"
    if roster_level(company, settings) in ("A", "B") and "module2" not in done:
        return "module2"
    return None


def travel(company: Any, venue: Any, settings: Mapping[str, Any]) -> float:
    """One-way travel km: haversine x road_factor."""
    km = haversine(
        float(_get(company, "lat")),
        float(_get(company, "lon")),
        float(_get(venue, "lat")),
        float(_get(venue, "lon")),
    )
    return km * settings["road_factor"]


def _members(roster_json: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    return [(m, c) for c in roster_json.get("cohorts", []) for m in c.get("members", [])]


def placed_count(roster_json: Mapping[str, Any]) -> int:
    """Companies placed in a cohort."""
    return len(_members(roster_json))


def total_travel(
    rnd: Any, companies: Iterable[Any], venues: Iterable[Any], roster_json: Mapping[str, Any]
) -> float:
    """Recomputed total one-way travel km of the placed companies."""
    settings = round_settings(rnd)
    by_company = {_text(_get(c, "company_id")): c for c in companies}
    by_venue = {_text(_get(v, "venue_id")): v for v in venues}
    return sum(
        travel(by_company[m], by_venue[cohort["venue_id"]], settings)
        for m, cohort in _members(roster_json)
    )


def venues_of(roster_json: Mapping[str, Any]) -> set[str]:
    """Venues hosting at least one cohort."""
    return {c["venue_id"] for c in roster_json.get("cohorts", [])}


# -- the checker ------------------------------------------------------------------------
def check_roster(
    rnd: Any,
    companies: Iterable[Any],
    venues: Iterable[Any],
    roster_json: Mapping[str, Any],
) -> list[str]:
    """Every rule violation of `roster_json` given the inputs (empty list = valid)."""
    s = round_settings(rnd)
    companies = list(companies)
    venues = list(venues)
    by_company = {_text(_get(c, "company_id")): c for c in companies}
    by_venue = {_text(_get(v, "venue_id")): v for v in venues}
    errors: list[str] = []
    err = errors.append

    # -- every input company exactly once ---------------------------------------------
    seen: Counter[str] = Counter()
    for m, _ in _members(roster_json):
        seen[m] += 1
    for u in roster_json.get("unplaced", []):
        seen[u["company_id"]] += 1
    for cid, n in seen.items():
        if cid not in by_company:
            err(f"{cid}: not an input company")
        elif n > 1:
            err(f"{cid}: appears {n} times")
    for cid in by_company:
        if cid not in seen:
            err(f"{cid}: lost (neither placed nor unplaced)")

    # -- solver report ----------------------------------------------------------------
    status = roster_json.get("solver", {}).get("status")
    if status not in STATUSES:
        err(f"solver status {status!r} not in {sorted(STATUSES)}")
    if roster_json.get("round") != s["name"]:
        err(f"round {roster_json.get('round')!r} != {s['name']!r}")

    # -- cohorts ----------------------------------------------------------------------
    load: Counter[date] = Counter()
    cohorts_at: Counter[str] = Counter()
    cohort_ids: Counter[str] = Counter()
    placed_travel: dict[str, float] = {}
    placed_segment: dict[tuple[str, str, str], list[tuple[int, float]]] = defaultdict(list)
    for cohort in roster_json.get("cohorts", []):
        cid = cohort.get("cohort_id", "?")
        cohort_ids[cid] += 1
        where = f"cohort {cid}"
        module = cohort.get("module")
        vid = cohort.get("venue_id")
        venue = by_venue.get(vid)
        members = [by_company[m] for m in cohort.get("members", []) if m in by_company]
        if not cohort.get("members"):
            err(f"{where}: no members")
        if module not in MODULE_DAYS:
            err(f"{where}: module {module!r} is not module1/module2")
            continue
        online = vid == ONLINE and (s["online_cohorts"] or venue is None)
        if online:
            if not s["online_cohorts"]:
                err(f"{where}: online cohort, but the round has no online_cohorts")
            if module != "module1":
                err(f"{where}: online cohort for {module}; only Module 1 may be online")
            if cohort.get("online") is not True:
                err(f"{where}: venue_id 'online' but online is {cohort.get('online')!r}")
        elif cohort.get("online"):
            err(f"{where}: online is true but venue_id is {vid!r}")
        if venue is None and not online:
            err(f"{where}: unknown venue {vid!r}")
            continue
        if not online:
            cohorts_at[vid] += 1
            vstatus = _text(_get(venue, "status", "candidate"))
            if vstatus == "closed":
                err(f"{where}: venue {vid} is closed")
            if module == "module2" and not _flag(_get(venue, "residential", False)):
                err(f"{where}: Module 2 at non-residential venue {vid}")
        age = cohort.get("age_group")
        level = cohort.get("level")
        levels: set[str] = set()
        ages: set[str] = set()
        for c in members:
            mid = _text(_get(c, "company_id"))
            step = next_step(c, s)
            if step != module:
                err(f"{where}: {mid} has next step {step}, cohort is {module}")
            lvl = roster_level(c, s)
            grp = "young" if is_young(c, s["start"]) else "established"
            levels.add(lvl)
            ages.add(grp)
            km = 0.0 if online else travel(c, venue, s)
            if s["max_travel_km"] > 0 and km > s["max_travel_km"] + 1e-9:
                err(f"{where}: {mid} travels {km:.3f} km > max_travel_km {s['max_travel_km']}")
            placed_travel[mid] = km
            placed_segment[module, lvl, grp].append(who_goes_first(c, s))
        # level and age group: the members', joined when mixed, and only as the round allows
        if members:
            want_level = "+".join(sorted(levels))  # "A" < "B" < "C": highest first
            want_age = ages.copy().pop() if len(ages) == 1 else "mixed"
            if level != want_level:
                err(f"{where}: members are level {want_level}, cohort is {level}")
            if age != want_age:
                err(f"{where}: members are {want_age}, cohort is {age}")
            if len(levels) > 1:
                if module != "module1":
                    err(f"{where}: levels {want_level} mixed in {module}; only Module 1 may mix")
                if not any(levels <= mix for mix in s["mix_levels"]):
                    err(
                        f"{where}: levels {want_level} share a cohort; mix_levels does not allow it"
                    )
            if len(ages) > 1 and not levels <= s["mix_age_groups"]:
                err(
                    f"{where}: young and established at level(s) {want_level} share a cohort; "
                    f"mix_age_groups is {sorted(s['mix_age_groups'])}"
                )
            is_mixed = len(levels) > 1 or len(ages) > 1
            if bool(cohort.get("mixed", False)) != is_mixed:
                err(f"{where}: mixed is {cohort.get('mixed')!r}, members make it {is_mixed}")
        size = sum(int(_get(c, "participants", 1)) for c in members)
        smallest = s["online_cohort_min"] if online else s["cohort_min"]
        if not smallest <= size <= s["cohort_max"]:
            err(f"{where}: {size} people, not in [{smallest}, {s['cohort_max']}]")

        # sessions
        sessions = cohort.get("sessions", [])
        by_step: dict[str, list[date]] = {}
        for sess in sessions:
            step = sess.get("step")
            if step in by_step:
                err(f"{where}: two {step} sessions")
            by_step[step] = [_day(d) for d in sess.get("dates", [])]
        lab = LAB_FOR[module]
        if set(by_step) != {module, lab}:
            err(f"{where}: sessions {sorted(by_step)} != [{module}, {lab}]")
            continue
        mod_dates, lab_dates = by_step[module], by_step[lab]
        if len(mod_dates) != MODULE_DAYS[module]:
            err(f"{where}: {module} has {len(mod_dates)} dates, needs {MODULE_DAYS[module]}")
            continue
        if len(lab_dates) != 1:
            err(f"{where}: {lab} has {len(lab_dates)} dates, needs 1")
            continue
        if module == "module2" and mod_dates[1] != next_workday(mod_dates[0]):
            err(
                f"{where}: Module 2 on {mod_dates[0]} and {mod_dates[1]}, not consecutive "
                f"working days (next is {next_workday(mod_dates[0])})"
            )
        gap = (lab_dates[0] - mod_dates[-1]).days
        lo, hi = s["lab_gap"]
        if not lo <= gap <= hi:
            err(f"{where}: lab {gap} days after the module, not in [{lo}, {hi}]")
        blocked_venue = set() if online else _days(_get(venue, "unavailable", ()))
        for d in [*mod_dates, *lab_dates]:
            load[d] += 1
            if not is_workday(d):
                err(f"{where}: session on {d}, not a working day")
            if not s["start"] <= d <= s["end"]:
                err(f"{where}: session on {d}, outside {s['start']}..{s['end']}")
            if d in s["facilitator_unavailable"]:
                err(f"{where}: session on {d}, facilitator unavailable")
            if d in blocked_venue:
                err(f"{where}: session on {d}, venue {vid} unavailable")
            for c in members:
                if d in _days(_get(c, "unavailable", ())):
                    err(f"{where}: session on {d}, member {_get(c, 'company_id')} unavailable")
                available = _get(c, "available_from")
                if available is not None and d < _day(available):
                    err(
                        f"{where}: session on {d}, member {_get(c, 'company_id')} can start "
                        f"only from {available}"
                    )
    for cid, n in cohort_ids.items():
        if n > 1:
            err(f"cohort id {cid} used {n} times")

    # -- round-wide rules -------------------------------------------------------------
    for d, n in sorted(load.items()):
        if n > s["facilitators"]:
            err(f"{d}: {n} sessions, facilitators = {s['facilitators']}")
    used = set(cohorts_at)
    if len(used) > s["max_venues"]:
        err(f"{len(used)} venues used > max_venues {s['max_venues']}")
    for vid, venue in by_venue.items():
        if _text(_get(venue, "status", "candidate")) == "required" and vid not in used:
            err(f"required venue {vid} hosts no cohort")
        cap = _get(venue, "max_cohorts")
        if cap not in (None, "") and cohorts_at[vid] > int(cap):
            err(f"venue {vid} hosts {cohorts_at[vid]} cohorts > max_cohorts {cap}")

    # -- unplaced codes ---------------------------------------------------------------
    for u in roster_json.get("unplaced", []):
        uid, code = u.get("company_id"), u.get("code")
        if code not in CODES:
            err(f"{uid}: unplaced code {code!r} not in CONTRACT.md")
        if not u.get("reason"):
            err(f"{uid}: unplaced without a reason")
        _check_reason_code(u, err)
        c = by_company.get(uid)
        if c is None:
            continue
        step = next_step(c, s)
        if step is None:
            done = _steps(_get(c, "completed", ()))
            # module1 done; either module2 done too, or the level is C (no Module 2)
            want = "track_complete" if "module2" in done else "not_eligible"
            if code != want:
                err(f"{uid}: has no next step, code should be {want}, got {code}")
            continue
        if code in ("not_eligible", "track_complete"):
            err(f"{uid}: next step is {step}, code {code} is wrong")
        if code == "too_far" and _has_allowed_venue(c, step, venues, s):
            err(f"{uid}: code too_far, yet a venue it may use is allowed")
        if code == "too_far" and step == "module1" and s["online_cohorts"]:
            err(f"{uid}: code too_far, yet online cohorts need no venue")
        grp = "young" if is_young(c, s["start"]) else "established"
        if code == "segment_too_small" and placed_segment.get((step, roster_level(c, s), grp)):
            err(f"{uid}: code segment_too_small, yet companies of its group were placed")
        if code == "priority":
            key = (step, roster_level(c, s), "young" if is_young(c, s["start"]) else "established")
            mine = who_goes_first(c, s)
            if not any(p > mine for p in placed_segment.get(key, [])):
                err(f"{uid}: code priority, yet no higher-priority company of its group placed")

    # -- summary ----------------------------------------------------------------------
    summary = roster_json.get("summary", {})
    placed = placed_count(roster_json)
    if summary.get("placed") != placed:
        err(f"summary.placed {summary.get('placed')} != {placed}")
    if summary.get("unplaced") != len(roster_json.get("unplaced", [])):
        err(f"summary.unplaced {summary.get('unplaced')} != {len(roster_json.get('unplaced', []))}")
    total = sum(placed_travel.values())
    reported = summary.get("travel_km_total")
    if reported is None or abs(float(reported) - total) > KM_TOLERANCE * max(1, placed):
        err(f"summary.travel_km_total {reported} != recomputed {total:.3f}")
    if set(summary.get("venues_used", [])) != used or len(summary.get("venues_used", [])) != len(
        used
    ):
        err(f"summary.venues_used {summary.get('venues_used')} != {sorted(used)}")
    for mid, km in (roster_json.get("travel_km") or {}).items():
        if mid not in placed_travel:
            err(f"travel_km lists {mid}, which is not placed")
        elif abs(float(km) - placed_travel[mid]) > KM_TOLERANCE:
            err(f"travel_km[{mid}] = {km} != recomputed {placed_travel[mid]:.3f}")
    return errors


def _has_allowed_venue(
    company: Any, step: str, venues: Iterable[Any], settings: Mapping[str, Any]
) -> bool:
    """Some venue is open, residential when the step is Module 2, and within the limit."""
    for v in venues:
        if _text(_get(v, "status", "candidate")) == "closed":
            continue
        if step == "module2" and not _flag(_get(v, "residential", False)):
            continue
        limit = settings["max_travel_km"]
        if limit > 0 and travel(company, v, settings) > limit:
            continue
        return True
    return False


# -- programmes -----------------------------------------------------------------------------
def _as_dict(obj: Any) -> dict[str, Any]:
    if isinstance(obj, Mapping):
        return dict(obj)
    return dict(obj.model_dump())


def check_programme(
    rounds: list[Any],
    companies: Iterable[Any],
    venues: Iterable[Any],
    programme_json: Mapping[str, Any],
    rosters: list[Mapping[str, Any]],
) -> list[str]:
    """Every rule violation of a programme: each round's roster re-checked with `completed`
    as it stands after the rounds before it, then the rules across rounds (one step per
    round; Module 2 only after Module 1; at most once each) and programme.json's totals."""
    companies = [_as_dict(c) for c in companies]
    venues = list(venues)
    errors: list[str] = []
    if len(rosters) != len(rounds):
        return [f"{len(rosters)} rosters for {len(rounds)} rounds"]
    done: dict[str, set[str]] = {
        _text(c["company_id"]): _steps(c.get("completed")) for c in companies
    }
    first_done = {cid: set(steps) for cid, steps in done.items()}
    taken: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for r, (rnd, roster) in enumerate(zip(rounds, rosters, strict=True)):
        as_of = [{**c, "completed": sorted(done[_text(c["company_id"])])} for c in companies]
        errors += [f"round {r + 1}: {e}" for e in check_roster(rnd, as_of, venues, roster)]
        for cohort in roster.get("cohorts", []):
            for member in cohort.get("members", []):
                taken[member].append((r, cohort["module"]))
        for member, steps in taken.items():
            for rr, module in steps:
                if rr == r:
                    done[member] |= {module, LAB_FOR[module]}
    for cid, steps in taken.items():
        rounds_used = [r for r, _ in steps]
        if len(set(rounds_used)) != len(rounds_used):
            errors.append(f"{cid}: more than one step in one round")
        modules = [m for _, m in steps]
        if len(set(modules)) != len(modules):
            errors.append(f"{cid}: a module taken twice")
        m1 = [r for r, m in steps if m == "module1"]
        for r, m in steps:
            if m == "module2" and "module1" not in first_done[cid] and not any(x < r for x in m1):
                errors.append(f"{cid}: Module 2 in round {r + 1} without Module 1 before it")
    # programme.json's totals
    settings = round_settings(rounds[0])
    planned = tracks = 0
    for c in companies:
        cid = _text(c["company_id"])
        first = next_step(c, settings)
        modules = {m for _, m in taken.get(cid, [])}
        if first is not None and first in modules:
            planned += 1
        level = roster_level(c, settings)
        if (
            "module1" not in first_done[cid]
            and level in ("A", "B")
            and {"module1", "module2"} <= modules
        ):
            tracks += 1
    summary = programme_json.get("summary", {})
    if summary.get("next_step_planned") != planned:
        errors.append(f"summary.next_step_planned {summary.get('next_step_planned')} != {planned}")
    if summary.get("tracks_completed") != tracks:
        errors.append(f"summary.tracks_completed {summary.get('tracks_completed')} != {tracks}")
    travel = sum(float(r.get("summary", {}).get("travel_km_total", 0)) for r in rosters)
    if abs(float(summary.get("travel_km_total", 0)) - travel) > 0.01:
        errors.append(f"summary.travel_km_total {summary.get('travel_km_total')} != {travel:.3f}")
    listed = {e["company_id"]: e for e in programme_json.get("companies", [])}
    if set(listed) != {_text(c["company_id"]) for c in companies}:
        errors.append("programme.json does not list every company exactly once")
    for cid, entry in listed.items():
        steps_json = {(s["round"], s["step"]) for s in entry.get("steps", [])}
        names = [_get(rnd, "name") for rnd in rounds]
        steps_roster = {(names[r], m) for r, m in taken.get(cid, [])}
        if steps_json != steps_roster:
            errors.append(f"{cid}: programme.json steps {steps_json} != rosters {steps_roster}")
        if (
            not steps_json
            and entry.get("unplaced") is None
            and next_step(next(c for c in companies if _text(c["company_id"]) == cid), settings)
        ):
            errors.append(f"{cid}: no step and no reason")
    return errors


def _check_reason_code(u: dict[str, Any], err: Callable[[str], None]) -> None:
    """An unplaced entry's `reason_code` (absent or null in older rosters) is a documented
    one, goes with its `code`, and has its `reason_values` as an object."""
    uid, reason_code = u.get("company_id"), u.get("reason_code")
    if reason_code is None:
        return
    if reason_code not in REASON_CODES and reason_code not in LATER_REASON_CODES:
        err(f"{uid}: reason_code {reason_code!r} not in docs/roster-json.md")
    elif reason_code in LATER_REASON_CODES and u.get("code") != LATER_REASON_CODES[reason_code]:
        err(f"{uid}: reason_code {reason_code!r} with code {u.get('code')!r}")
    if not isinstance(u.get("reason_values"), dict):
        err(f"{uid}: reason_code {reason_code!r} without reason_values")


# -- replanned rosters (camp-planner replan, docs/replan.md) ----------------------------
#: errors of check_roster that a cohort which has met may carry: it keeps running as it was
_HISTORY_EXCUSED = (
    "people, not in",
    "unavailable",
    "has next step",
    "is closed",
    "travels",
    "can start only from",
    "members are",
)


def _cohort_days(cohort: Mapping[str, Any]) -> list[date]:
    return sorted(_day(d) for s in cohort.get("sessions", []) for d in s.get("dates", []))


def expected_changes(
    companies: Iterable[Any], published: Mapping[str, Any], replanned: Mapping[str, Any]
) -> dict[str, tuple[str, ...]]:
    """company_id -> (change, old cohort, new cohort, old venue, new venue, old dates, new
    dates) as changes.csv must have it, recomputed from the two rosters and the folder."""
    old = {m: c for c in published.get("cohorts", []) for m in c.get("members", [])}
    new = {m: c for c in replanned.get("cohorts", []) for m in c.get("members", [])}
    known = set(old) | {u["company_id"] for u in published.get("unplaced", [])}
    ids = [_text(_get(c, "company_id")) for c in companies]

    def dates(c: Mapping[str, Any] | None) -> str:
        return ";".join(d.isoformat() for d in _cohort_days(c)) if c else ""

    rows = {}
    for cid in ids:
        o, n = old.get(cid), new.get(cid)
        if o is None and n is None:
            change = "new" if cid not in known else ""
        elif o is None:
            change = "new"
        elif n is None:
            change = "unplaced"
        elif o["cohort_id"] != n["cohort_id"]:
            change = "moved"
        elif o["venue_id"] != n["venue_id"]:
            change = "venue"
        elif dates(o) != dates(n):
            change = "dates"
        elif sorted(o["members"]) != sorted(n["members"]) or any(
            o.get(k) != n.get(k) for k in ("level", "age_group", "online")
        ):
            change = "members"  # the invitation says who and how many: sent again
        else:
            change = ""
        if change:
            rows[cid] = (
                change,
                *(c["cohort_id"] if c else "" for c in (o, n)),
                *(c["venue_id"] if c else "" for c in (o, n)),
                dates(o),
                dates(n),
            )
    for cid in known - set(ids):
        o = old.get(cid)
        rows[cid] = (
            "withdrawn",
            o["cohort_id"] if o else "",
            "",
            o["venue_id"] if o else "",
            "",
            dates(o),
            "",
        )
    return rows


def check_replan(
    rnd: Any,
    companies: Iterable[Any],
    venues: Iterable[Any],
    published: Mapping[str, Any],
    replanned: Mapping[str, Any],
    as_of: date,
    pins: Iterable[tuple[str, str]] = (),
    changes: Iterable[Mapping[str, str]] | None = None,
) -> list[str]:
    """Every violation of a replanned roster (empty list = valid): the roster's rules
    (:func:`check_roster`; a cohort that has met may break the rules it broke by changes
    after it met: too few people, new unavailable days, ...), and the replan's own:

    - the notice period: a published cohort with a session before `as_of` + `notice_days` + 1
      (round.toml, default 7) has met or is too near to change: it is in the replanned roster
      with its venue and sessions, and its members are its published ones still in the
      folder; only a session of it after the notice period whose day is now lost (the
      facilitator or the venue unavailable) may be re-dated, to a day after the notice period
      that is not lost (the lab rule is check_roster's);
    - no other session is before that day; a published cohort id keeps its module;
    - a pin (cohort_id, field) keeps the published cohort's members (those still in the
      folder), venue or dates;
    - changes.csv (if given) has exactly the rows recomputed by :func:`expected_changes`.
    """
    companies = list(companies)
    present = {_text(_get(c, "company_id")) for c in companies}
    old = {c["cohort_id"]: c for c in published.get("cohorts", [])}
    new = {c["cohort_id"]: c for c in replanned.get("cohorts", [])}
    # Kept as published: cohorts that have met or meet within the notice period.
    first = as_of + timedelta(days=int(_get(rnd, "notice_days", 7)) + 1)
    met = {cid for cid, c in old.items() if _cohort_days(c) and _cohort_days(c)[0] < first}
    errors = [
        e
        for e in check_roster(rnd, companies, venues, replanned)
        if not (
            e.startswith("cohort ")
            and e.split(":")[0].removeprefix("cohort ") in met
            and any(text in e for text in _HISTORY_EXCUSED)
        )
    ]
    err = errors.append
    venue_off = {_text(_get(v, "venue_id")): _days(_get(v, "unavailable")) for v in venues}
    ill = _days(_get(rnd, "facilitator_unavailable"))
    for cid in sorted(met):
        stay = sorted(m for m in old[cid]["members"] if m in present)
        if not stay:
            if cid in new:
                err(f"cohort {cid} has met and every member withdrew, yet it is still there")
            continue
        c = new.get(cid)
        if c is None:
            err(f"cohort {cid} has met but is not in the replanned roster")
            continue
        lost = ill | venue_off.get(old[cid]["venue_id"], set())
        if c["venue_id"] != old[cid]["venue_id"]:
            err(f"cohort {cid} has met but its venue changed")
        for was, now in zip(old[cid]["sessions"], c["sessions"], strict=False):
            before, after = _days(was["dates"]), _days(now["dates"])
            if before == after:
                continue
            if min(before) < first or not before & lost:
                err(f"cohort {cid} has met but its {was['step']} moved from {sorted(before)}")
            elif min(after) < first or after & lost:
                err(f"cohort {cid}: {was['step']} re-dated into the notice period or a lost day")
        if len(old[cid]["sessions"]) != len(c["sessions"]):
            err(f"cohort {cid} has met but its sessions changed")
        if sorted(c["members"]) != stay:
            err(f"cohort {cid} has met but its members changed: {sorted(c['members'])} != {stay}")
    for cid, c in new.items():
        if cid not in met and any(d < first for d in _cohort_days(c)):
            err(f"cohort {cid}: a session before {first} (--as-of {as_of} and the notice period)")
        if cid in old and old[cid]["module"] != c["module"]:
            err(f"cohort id {cid} was {old[cid]['module']}, is now {c['module']}")
    for cid, what in pins:
        c, o = new.get(cid), old.get(cid)
        if o is None:
            err(f"pin {cid}: not a published cohort")
        elif c is None:
            err(f"pin {cid} {what}: the cohort no longer runs")
        elif what == "members" and sorted(c["members"]) != sorted(
            m for m in o["members"] if m in present
        ):
            err(f"pin {cid} members: {sorted(c['members'])} != published {sorted(o['members'])}")
        elif what == "venue" and c["venue_id"] != o["venue_id"]:
            err(f"pin {cid} venue: {c['venue_id']} != published {o['venue_id']}")
        elif what == "dates" and _cohort_days(c) != _cohort_days(o):
            err(f"pin {cid} dates changed")
    if changes is not None:
        want = expected_changes(companies, published, replanned)
        got = {
            r["company_id"]: (
                r["change"],
                r["old_cohort_id"],
                r["new_cohort_id"],
                r["old_venue_id"],
                r["new_venue_id"],
                r["old_dates"],
                r["new_dates"],
            )
            for r in changes
        }
        for cid in sorted(set(want) | set(got)):
            if want.get(cid) != got.get(cid):
                err(f"changes.csv {cid}: {got.get(cid)} != recomputed {want.get(cid)}")
    return errors


# -- next round's folder (camp-planner next-round, CONTRACT "The year done right") -------
def check_next_round(
    rnd: Any,
    old_companies: Iterable[Any],
    roster_json: Mapping[str, Any],
    new_rows: Mapping[str, Mapping[str, str]],
    absent: Iterable[str] = (),
) -> list[str]:
    """Every violation of the next round's companies (rows of its companies.csv by id):

    - every company is there; one placed in the roster and not absent has its module and lab
      added to `completed`, others keep theirs;
    - a company placed (and present) has no `waiting_since` before the old round's `end`,
      and none at all when it has no step left;
    - a company that still waits for a step has a `waiting_since`, no earlier than its
      `signed_up` or its `available_from`;
    - a company with no step to wait for has none.
    """
    settings = round_settings(rnd)
    end = _day(_get(rnd, "end"))
    placed = {m: c["module"] for c in roster_json.get("cohorts", []) for m in c["members"]}
    missing = set(absent)
    lab = {"module1": "lab1", "module2": "lab2"}
    errors = []
    for company in old_companies:
        cid = _text(_get(company, "company_id"))
        row = new_rows.get(cid)
        if row is None:
            errors.append(f"{cid}: not in the next round's companies")
            continue
        done = _steps(_get(company, "completed", ()))
        trained = cid in placed and cid not in missing
        if trained:
            done |= {placed[cid], lab[placed[cid]]}
        got = _steps(row.get("completed", ""))
        if got != done:
            errors.append(f"{cid}: completed {sorted(got)} != {sorted(done)}")
        since = _day(row["waiting_since"]) if row.get("waiting_since") else None
        after = dict(_as_dict(company), completed=";".join(sorted(done)))
        step = next_step(after, settings)
        if step is None:
            if since is not None:
                errors.append(f"{cid}: no step left, yet waiting since {since}")
        elif since is None:
            errors.append(f"{cid}: waits for {step} but has no waiting_since")
        elif trained and since < end:
            errors.append(f"{cid}: trained this round, yet waiting since {since} < end {end}")
        else:
            for key in ("signed_up", "available_from"):
                floor = _get(company, key)
                if not trained and floor is not None and since < _day(floor):
                    errors.append(f"{cid}: waiting since {since}, before its {key} {floor}")
    return errors
