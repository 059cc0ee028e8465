"""The web app's planning files, for the ``serve --ray`` tests."""

from tests.web.conftest import demo_files, small_files  # noqa: F401 - fixtures shared
