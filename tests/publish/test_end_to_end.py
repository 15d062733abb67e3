"""Render the real report suite on a real sample, check what is published, and open the pages
in headless Chromium (Debian's package; the browser test is skipped, with the reason printed,
where it is not installed)."""

import json
import shutil

import pytest

from analytics.publish.registry import load_registry
from analytics.publish.run import render_report

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("end_to_end")]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    folder = render_report({"source": "twcs", "period": "2017-W44", "tz": "UTC",
                            "hours": "always", "holidays": ""}, output=out, workers=2)
    return out, folder


def test_every_registered_notebook_is_published_with_its_data(rendered):
    out, folder = rendered
    names = set(load_registry()["notebooks"])
    assert {p.stem for p in folder.glob("*.html")} == names
    assert {p.stem for p in (folder / "notebooks").glob("*.ipynb")} == names
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["period"]["label"] == "2017-W44" and summary["source"] == "twcs"
    assert summary["contacts"] > 0 and summary["first_response"]["n"] > 0
    conversations = (folder / "conversations.csv").read_text().splitlines()
    assert len(conversations) == summary["contacts"] + 1
    header = conversations[0].split(",")
    for column in ("channel", "customer_id", "start", "first_response_s",
                   "first_response_business_s", "repeated", "intent"):
        assert column in header, column
    index = (out / "index.html").read_text()
    assert "twcs/2017-W44/response_times.html" in index


def test_pages_hold_no_code_tracebacks_or_warnings(rendered):
    _, folder = rendered
    for page in folder.glob("*.html"):
        text = page.read_text()
        assert "Traceback" not in text, page.name
        assert "Warning" not in text, page.name
        assert "import " not in text, page.name
        assert "jp-OutputArea-output" in text


def test_page_titles_are_in_the_report_language_only(rendered):
    _, folder = rendered
    text = (folder / "response_times.html").read_text()
    assert 'id="Response-times"' in text
    assert "Tempos de resposta" not in text


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                             "(.ci/run installs it); browser check skipped")
def test_pages_load_in_chromium_without_console_errors_and_images_render(rendered):
    from playwright.sync_api import sync_playwright

    out, folder = rendered
    pages = sorted(folder.glob("*.html")) + [out / "index.html"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        try:
            for path in pages:
                page = browser.new_page()
                problems = []
                page.on("console", lambda m, bag=problems: m.type == "error" and bag.append(m.text))
                page.on("pageerror", lambda e, bag=problems: bag.append(str(e)))
                page.on("requestfailed", lambda r, bag=problems: bag.append(r.url))
                page.goto(path.as_uri(), wait_until="load")
                widths = page.evaluate(
                    "Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0)")
                assert problems == [], f"{path.name}: {problems}"
                if path.name != "index.html":
                    assert widths and all(w > 0 for w in widths), f"{path.name}: {widths}"
                page.close()
        finally:
            browser.close()


@pytest.mark.skipif(CHROMIUM is None or shutil.which("pdftotext") is None,
                    reason="Debian's chromium or poppler-utils is not installed (.ci/run "
                           "installs both); PDF check of the real suite skipped")
def test_the_suite_pdf_holds_every_page_in_order_and_no_cut_figure(rendered, tmp_path):
    import subprocess

    from test_pdf import check_contents, pdf_pages

    from analytics.publish.pdf import write_report_pdf

    _, folder = rendered
    registry = load_registry()
    titles = [(name, entry["title"]["en"]) for name, entry in registry["notebooks"].items()]
    target = write_report_pdf(folder, titles, lang="en", target=tmp_path / "suite.pdf")
    pages = pdf_pages(target)
    assert "Support report" in pages[0] and "Week of 30 Oct 2017" in pages[0]
    check_contents(pages, [title for _, title in titles])
    listing = subprocess.run(["pdfimages", "-list", str(target)], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    figures = sum((folder / f"{name}.html").read_text().count("<img") for name, _ in titles)
    assert len([line for line in listing if line.strip()]) == figures  # none drawn twice
