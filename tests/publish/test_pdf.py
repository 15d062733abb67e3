"""The PDF of a report: published with the pages, a cover, the contents with the right page
numbers, and every page in order (read back with poppler's pdftotext/pdfinfo/pdfimages).
Skipped, with the reason printed, where Debian's chromium or poppler-utils is missing."""

import re
import shutil
import subprocess

import pytest
from helpers import ROOT

from analytics.errors import InputError
from analytics.publish.pdf import page_count
from analytics.publish.run import render_report

FIXTURES = ROOT / "tests" / "fixtures" / "render"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo") and shutil.which("pdfimages")

LOG = """message_id,conversation_id,customer_id,channel,sent_at,direction,author_type,agent_id,text
m1,c1,u1,chat,2024-03-04T10:00:00-03:00,inbound,customer,,hello
m2,c1,,chat,2024-03-04T10:05:00-03:00,outbound,agent,a1,ok
m3,c2,u2,email,2024-03-05T11:00:00-03:00,inbound,customer,,help
"""

browser = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                                      "(.ci/run installs it); PDF test skipped")
poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext) is not installed "
                                                 "(.ci/run installs it); PDF check skipped")


def pdf_pages(path) -> list[str]:
    """The text of every page, in order (pdftotext, page by page)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)[1])
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
            for n in range(1, pages + 1)]


def check_contents(pages: list[str], titles: list[str]):
    """Page 2 lists every title in order with a page number, and each numbered page begins
    with its title; the numbers grow and the pages after the contents are all accounted for."""
    listed = [(title, int(re.search(re.escape(title) + r"\s+(\d+)", pages[1])[1]))
              for title in titles]
    numbers = [n for _, n in listed]
    assert numbers[0] == 3 and numbers == sorted(set(numbers)), listed
    for title, number in listed:
        assert pages[number - 1].lstrip().startswith(title), (title, number)
    return numbers


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it); PDF test skipped")
    tmp = tmp_path_factory.mktemp("pdf")
    log = tmp / "log.csv"
    log.write_text(LOG)
    folder = render_report({"source": "messages", "input_path": str(log), "period": "2024-03",
                            "tz": "America/Sao_Paulo", "lang": "pt-BR"},
                           output=tmp / "reports", workers=1,
                           registry_path=FIXTURES / "registry_pdf.toml", pdf=True)
    return tmp / "reports", folder


@pytest.mark.slow
@browser
def test_the_pdf_is_published_with_the_pages(published):
    output, folder = published
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == [
        "conversations.csv", "first.html", "messages-2024-03.pdf", "render.json",
        "second.html", "summary.json"]  # no temporary file left
    assert not list(output.glob("messages/.*"))
    assert 'href="messages/2024-03/messages-2024-03.pdf"' in (output / "index.html").read_text()
    data = (folder / "messages-2024-03.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and page_count(data) >= 4


@pytest.mark.slow
@browser
@poppler
def test_the_pdf_has_a_cover_the_contents_and_every_page_in_order(published):
    _, folder = published
    pages = pdf_pages(folder / "messages-2024-03.pdf")
    cover = pages[0]
    assert "Relatório de atendimento" in cover and "Março de 2024" in cover
    assert "1 mar. 2024 – 31 mar. 2024, America/Sao_Paulo" in cover
    assert "Contatos" in cover and "Mediana da primeira resposta" in cover
    assert pages[1].lstrip().startswith("Sumário")
    check_contents(pages, ["Primeira página de teste", "Segunda página de teste"])
    assert all(f"página {n} de {len(pages)}" in page for n, page in enumerate(pages, 1))
    # The fixture page's own text, once per page of the suite, and no site links.
    assert sum("Period 2024-03 in America/Sao_Paulo" in p for p in pages) == 2
    assert not any("Todos os relatórios" in p for p in pages)


@pytest.mark.slow
@browser
@poppler
def test_no_figure_is_cut_by_a_page_break(published):
    _, folder = published
    listing = subprocess.run(["pdfimages", "-list", str(folder / "messages-2024-03.pdf")],
                             capture_output=True, text=True, check=True).stdout
    images = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    # One image per figure of the pages (a figure cut in two would be drawn on two pages).
    html_images = sum((folder / f"{n}.html").read_text().count("<img") for n in ("first",
                                                                                 "second"))
    assert len(images) == html_images == 2


def test_asking_for_a_pdf_without_chromium_is_refused_before_any_kernel(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    log = tmp_path / "log.csv"
    log.write_text(LOG)
    with pytest.raises(InputError, match="--pdf: Chromium is not installed.*apt-get install"):
        render_report({"source": "messages", "input_path": str(log), "period": "2024-03"},
                      output=tmp_path / "reports", registry_path=FIXTURES / "registry_pdf.toml",
                      pdf=True)
    assert not (tmp_path / "reports").exists()
