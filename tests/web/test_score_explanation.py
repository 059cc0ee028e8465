"""The Score page's explanation in the page's language (web/score.py): in English it is
the library's own sentence for every scorecard, in Danish the catalog's words."""

from __future__ import annotations

import itertools

from camp_planner.models.domain import Scorecard
from camp_planner.scoring import CRITERION_KEYS, score
from camp_planner.web.i18n import translations
from camp_planner.web.score import explanation_in
from tests.web.test_language import english_words

LEVELS = (None, "A", "B", "C")


def _cards() -> list[Scorecard]:
    """Every combination of the seven levels, young or not, approved or not."""
    cards = []
    for combo in itertools.product(LEVELS, repeat=len(CRITERION_KEYS)):
        for young, approved in ((False, None), (True, True)):
            fields = dict(zip(CRITERION_KEYS, combo, strict=True))
            cards.append(Scorecard(company_id="1", young=young, panel_approved=approved, **fields))
    return cards


def test_english_is_the_librarys_sentence() -> None:
    english = translations("en").gettext
    for card in _cards():
        result = score(card)
        assert explanation_in(result, "en", english) == result.explanation


def test_danish_has_no_english_word() -> None:
    danish = translations("da").gettext
    seen = set()
    for card in _cards()[::37]:
        text = explanation_in(score(card), "da", danish)
        assert english_words(text) == [], text
        seen.add(text.split(":")[0])
    assert {"A", "B", "C", "under C"} <= seen
    half = Scorecard(company_id="1", ambition="A", scalability="B", organisation="A",
                     market="B", financing="B", technology="B", growth_pct=None)  # fmt: skip
    text = explanation_in(score(half), "da", danish)
    assert text.startswith("B: opfylder B (score 90 %). Mangler for A (score 50 %): ")
    assert "skalerbarhed, marked, finansiering, teknologi, rollemodel" in text
