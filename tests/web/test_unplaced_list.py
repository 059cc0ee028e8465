"""The roster page's list of companies without a place (issue 18): sorted by reason, then
by name, with each company's id and town."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

from fastapi.testclient import TestClient

from camp_planner.web.i18n import translations
from camp_planner.web.views import CODE_LABELS


def _rows(page: str) -> list[list[str]]:
    section = page.split('<section id="unplaced">')[1].split("</section>")[0]
    body = section.split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [[unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in row] for row in cells]


def test_unplaced_sorted_by_reason_then_name_with_id_and_town(
    solved: tuple[TestClient, str, str], small_files: dict[str, bytes]
) -> None:
    client, plan_id, _ = solved
    roster = client.get(f"/api/plans/{plan_id}/roster.json").json()
    companies = {
        r["company_id"]: r
        for r in csv.DictReader(io.StringIO(small_files["companies.csv"].decode("utf-8-sig")))
    }
    assert roster["unplaced"], "the small plan leaves companies without a place"
    gettext = translations("en").gettext
    expected = sorted(
        (
            gettext(CODE_LABELS[u["code"]]),
            companies[u["company_id"]]["name"],
            u["company_id"],
            companies[u["company_id"]].get("town", ""),
        )
        for u in roster["unplaced"]
    )  # by reason label, then name
    expected.sort(key=lambda e: (e[0], e[1].casefold()))
    rows = _rows(client.get(f"/plans/{plan_id}/roster?lang=en").text)
    assert [tuple(r[:4]) for r in rows] == [
        (label, name, cid, town) for label, name, cid, town in expected
    ]
    assert all(r[4] for r in rows), "every row explains why"
