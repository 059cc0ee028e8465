"""Templates from text (the web app's editor) and the sandbox they run in: a syntax error
names its line, a template reaches none of Python's internals, a runaway expression and any
error while rendering are a TemplateProblem (never a traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from camp_planner.mail.letters import (
    TEMPLATES,
    TemplateProblem,
    default_template_text,
    load_template,
    render,
    template_from_text,
)
from tests.mail.conftest import run


def test_a_template_from_text_renders_subject_and_body() -> None:
    template = template_from_text("Til {{ name }}\n\nKære {{ name }}\n", "editor")
    assert render(template, {"name": "Åse"}) == ("Til Åse", "Kære Åse\n")


def test_a_syntax_error_names_the_line() -> None:
    with pytest.raises(TemplateProblem, match=r"editor, line 3"):
        template_from_text("Emne\n\n{% if x %}\n", "editor")


@pytest.mark.parametrize(
    ("source", "said"),
    [
        ("{{ ''.__class__.__mro__ }}\nx", "unsafe"),
        ("{{ cycler.__init__.__globals__ }}\nx", "unsafe"),
        ("{{ 'x' * 100000000 }}\nx", "too large"),
        ("{{ 9 ** 99999999 }}\nx", "too large"),
        ("{{ 1 / 0 }}\nx", "division by zero"),
        ("{{ 'a' + 1 }}\nx", "concatenate"),
        ("{{ missing }}\nx", "undefined"),
        ("\n\n", "no subject"),
    ],
)
def test_what_a_template_cannot_do_is_a_problem(source: str, said: str) -> None:
    template = template_from_text(source, "editor")
    with pytest.raises(TemplateProblem, match=said):
        render(template, {})


def test_small_arithmetic_still_works() -> None:
    template = template_from_text("{{ 3 * 4 }} {{ 'ab' * 2 }} {{ 2 ** 10 }}\n", "t")
    assert render(template, {})[0] == "12 abab 1024"


def test_the_default_text_is_the_built_in_file() -> None:
    assert default_template_text("da") == (TEMPLATES / "invitation.da.txt").read_text("utf-8-sig")
    assert default_template_text("xx") == default_template_text("en")  # no such language
    assert load_template(None, "da").render  # the file loads in the same sandbox


def test_the_command_refuses_an_unsafe_template(solved_demo: Path, tmp_path: Path) -> None:
    unsafe = tmp_path / "unsafe.txt"
    unsafe.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\nx\n", "utf-8")
    code, output = run(
        "send", solved_demo, "--roster", solved_demo / "out" / "roster.json",
        "--template", unsafe, "--eml", tmp_path / "eml",
    )  # fmt: skip
    assert code == 2 and "unsafe" in output and "Nothing was sent" in output
    assert not (tmp_path / "eml").exists()
