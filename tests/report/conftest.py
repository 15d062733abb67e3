"""Fixtures of the report page tests: the house style a drawing test runs in, and a report of
the bundled twcs sample."""

import matplotlib

matplotlib.use("Agg")  # tests need no display; notebooks use the inline backend

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from analytics.report import style  # noqa: E402


# Not autouse: a module asks for it (usefixtures), so the modules that never drew inside the
# house style keep matplotlib's own settings.
@pytest.fixture
def _house_style():
    with style.styled():
        yield
    plt.close("all")


@pytest.fixture(scope="module")
def twcs_report():
    from analytics.report.context import prepare

    return prepare(source="twcs", period="2017-W44", tz="UTC", lang="pt-BR", hours="always")
