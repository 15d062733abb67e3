"""What a reader of the rendered pages can check by hand, checked on every page of two reports
(twcs in English, consumidor.gov.br in Portuguese), rendered once for the module.

- every figure a sentence beside a table quotes is in that table or in ``summary.json``;
- the shares of one whole in a table add up to at most 100 %;
- names a sentence cites (agents, channels) are in the table beside it;
- no sentence of the other language on a page (words only one language uses).
"""

import json
import re

import pytest
from bs4 import BeautifulSoup

from analytics.publish.run import render_report
from analytics.report import style
from analytics.report.comparison import comparable
from analytics.report.i18n import CHANNEL_NAMES, TEXTS, t
from analytics.report.sentences import comparison_note

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("page_content")]

CASES = {
    "twcs": {"source": "twcs", "period": "2017-W44", "tz": "UTC", "hours": "always",
             "holidays": "", "lang": "en"},
    "consumidor_gov": {"source": "consumidor_gov", "period": "2014-12",
                       "tz": "America/Sao_Paulo", "holidays": "BR",
                       "hours": "mon-fri 08:00-18:00", "sla": "10d", "lang": "pt-BR"},
}

#: Every section heading (the alternative text of a chart is its section's heading).
TEXTS_HEADINGS = sorted(k for k in TEXTS["en"] if k.startswith("heading."))
#: A figure as the pages write it: a share, a duration or a change.
FIGURE = re.compile(r"[−+]?\d[\d.,]*(?:\s?%|\s(?:min|h|s|days?|dias?)\b|\s(?:p\.p\.|pts)\b)")
#: Words of one language that the other never writes, matched as whole words.
ONLY = {"en": {"the", "and", "with", "were", "which", "contacts", "customers", "answered"},
        "pt-BR": {"não", "dos", "das", "com", "uma", "foram", "contatos", "clientes"}}


def _sections(path):
    """The page as ``[(heading, sentences, tables)]``; the text before the first heading is
    the section ``""``. Customer quotes (``<li>“...”``) are not sentences of the page."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    sections = [["", [], []]]
    for output in soup.select(".jp-OutputArea-output"):
        heading = output.find("h2")
        if heading:
            sections.append([heading.get_text(" ", strip=True).rstrip("¶ "), [], []])
            continue
        for table in output.find_all("table"):
            sections[-1][2].append([[c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]
                                    for row in table.find_all("tr")])
        if "jp-RenderedMarkdown" in output.get("class", []):
            for block in output.find_all(["p", "li"]):
                text = block.get_text(" ", strip=True)
                if text and not text.startswith("“"):
                    sections[-1][1].append(text)
    return [tuple(s) for s in sections]


def _summary_figures(summary: dict, lang: str) -> set[str]:
    """Every number of summary.json written the ways a page writes it."""
    figures = set()

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            figures.update({style.format_percent(value, lang), style.format_duration(value, lang),
                            style.format_count(value, lang), style.format_number(value, lang, 1)})
    walk(summary)
    return figures


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    rendered = {}
    for name, parameters in CASES.items():
        folder = render_report(parameters, output=tmp_path_factory.mktemp(name), workers=2)
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        rendered[name] = (parameters["lang"], summary,
                          {p.stem: _sections(p) for p in sorted(folder.glob("*.html"))})
        rendered[name + "/folder"] = folder
    return rendered


def _reports(pages):
    return {name: value for name, value in pages.items() if not name.endswith("/folder")}


def _each_section(pages):
    for name, (lang, summary, by_page) in _reports(pages).items():
        for page, sections in by_page.items():
            for heading, sentences, tables in sections:
                yield f"{name}/{page}/{heading}", lang, summary, sentences, tables


def test_the_pages_were_parsed(pages):
    # consumidor.gov.br has no customer ids and no text: its repeat and dependency pages
    # would say nothing and are not published (test_pages_with_nothing_to_say_...).
    assert sorted(_reports(pages)["consumidor_gov"][2]) == ["channel_usage", "response_times",
                                                            "summary"]
    assert len(_reports(pages)["twcs"][2]) == 5
    for _, _, by_page in _reports(pages).values():
        for sections in by_page.values():
            assert len(sections[0][1]) >= 3  # the header lines
        assert sum(bool(tables) for sections in by_page.values()
                   for _, _, tables in sections) >= 5


def test_figures_beside_a_table_are_in_the_table_or_in_summary_json(pages):
    wrong = []
    for where, lang, summary, sentences, tables in _each_section(pages):
        if not tables:
            continue
        known = _summary_figures(summary, lang)
        cells = " | ".join(c for table in tables for row in table for c in row)
        for sentence in sentences:
            for figure in FIGURE.findall(sentence):
                if figure not in known and figure not in cells:
                    wrong.append((where, figure, sentence))
    assert not wrong, wrong


def test_shares_of_one_whole_add_up_to_at_most_100_percent(pages):
    share_headers = {t(key, lang) for key in ("table.share", "table.share_of_repeats",
                                              "table.share_complaints", "table.share_of_cross")
                     for lang in ("en", "pt-BR")}
    checked = 0
    for where, _, _, _, tables in _each_section(pages):
        for header, *rows in tables:
            for i, name in enumerate(header):
                if name in share_headers:
                    values = [float(r[i].rstrip("%").replace(".", "").replace(",", "."))
                              if "," in r[i] else float(r[i].rstrip("%").replace(",", ""))
                              for r in rows if r[i].endswith("%")]
                    checked += 1
                    assert sum(values) <= 100.0 + 0.05 * len(values), (where, name, values)
    assert checked >= 3


def test_names_cited_beside_a_table_are_in_the_table(pages):
    channel_names = {n for names in CHANNEL_NAMES.values() for n in names.values()}
    # Agent ids and brand handles: a letter run with a digit (ag-02) or an inner capital
    # (TMobileHelp).
    name_like = re.compile(r"\b(?:[A-Za-z]+-?\d+|[A-Z][a-z]+[A-Z]\w*)\b")
    wrong = []
    for where, _, _, sentences, tables in _each_section(pages):
        if not tables:
            continue
        cells = " | ".join(c for table in tables for row in table[1:] for c in row)
        for sentence in sentences:
            cited = set(name_like.findall(re.sub(r"\d{4}-W\d\d", "", sentence)))
            cited |= {n for n in channel_names if re.search(rf"\b{re.escape(n)}\b", sentence)}
            wrong += [(where, n) for n in cited if n not in cells]
    assert not wrong, wrong


def test_no_sentence_shows_markdown_or_maths_markup(pages):
    # "$965** would ... $0.10" once rendered as maths: the bold and the dollars were lost.
    broken = [(where, sentence[:120]) for where, _, _, sentences, _ in _each_section(pages)
              for sentence in sentences if "**" in sentence or "\\$" in sentence]
    assert not broken, broken
    costs = [s for where, _, _, sentences, _ in _each_section(pages) for s in sentences
             if where.startswith("twcs/dependency") and "$8.01" in s]
    assert costs  # the cost sentence of twcs shows its dollars


def test_no_sentence_of_the_other_language(pages):
    found = []
    for where, lang, _, sentences, _ in _each_section(pages):
        other = ONLY["pt-BR" if lang == "en" else "en"]
        for sentence in sentences:
            words = set(re.findall(r"\w+", sentence.lower()))
            if words & other:
                found.append((where, sorted(words & other), sentence[:120]))
    assert not found, found


def test_pages_with_nothing_to_say_are_not_published_and_the_index_says_why(pages):
    folder = pages["consumidor_gov/folder"]
    record = json.loads((folder / "render.json").read_text(encoding="utf-8"))
    assert sorted(record["not_published"]) == ["dependency", "repeat_contacts"]
    assert record["not_published"]["repeat_contacts"]["reasons"] == ["why.no_identity"]
    index = BeautifulSoup((folder.parents[1] / "index.pt-BR.html").read_text(encoding="utf-8"),
                          "html.parser")
    notes = [n.get_text(" ", strip=True) for n in index.select(".unpublished")]
    dependency = record["not_published"]["dependency"]["reasons"]
    assert "why.no_text" in dependency and "why.no_identity" in dependency
    # The reasons in one sentence, without the independence index's (it repeats the others).
    assert notes == [  # in reading order, as the pages are listed
        f"{t('title.repeat_contacts', 'pt-BR')}: não publicada, {t('why.no_identity', 'pt-BR')}",
        f"{t('title.dependency', 'pt-BR')}: não publicada, " + "; ".join(
            t(key, "pt-BR").rstrip(".") for key in dependency if key != "why.no_index") + "."]
    assert not (folder / "dependency.html").exists()
    assert "não registra quem é o cliente" in notes[0]


def test_every_chart_is_described_in_the_pages_language(pages):
    described = 0
    for name, (lang, _, by_page) in _reports(pages).items():
        folder = pages[name + "/folder"]
        headings = {t(key, lang) for key in TEXTS_HEADINGS}
        for page in by_page:
            soup = BeautifulSoup((folder / f"{page}.html").read_text(encoding="utf-8"),
                                 "html.parser")
            for image in soup.select(".jp-OutputArea-output img"):
                assert image["alt"] in headings, (name, page, image["alt"])
                described += 1
    assert described >= 10


def test_a_dates_only_source_makes_no_hour_level_claim(pages):
    # consumidor.gov.br records the day of each message, not the time: no figure in minutes or
    # hours, no hour of the day, on any of its pages (tables and sentences).
    hourly = re.compile(r"\d\s?(?:min|h)\b|\d{2}:\d{2}\s?[–-]\s?\d{2}:\d{2}\b(?! ?;|\))")
    claims, in_days = [], 0
    for where, _, _, sentences, tables in _each_section(pages):
        if not where.startswith("consumidor_gov/") or "Defini" in where:
            continue
        cells = [c for table in tables for row in table for c in row]
        claims += [(where, text) for text in sentences + cells if hourly.search(text)]
        in_days += sum(bool(re.search(r"\d dias?\b", text)) for text in sentences + cells)
    assert not claims, claims
    assert in_days >= 10  # the durations are there, in days
    twcs = [text for where, _, _, sentences, _ in _each_section(pages)
            if where.startswith("twcs/") for text in sentences]
    assert any(hourly.search(text) for text in twcs)  # the pattern finds what it looks for


def test_a_period_that_cannot_be_compared_is_not_quoted(pages):
    # twcs 2017-W44 (950 contacts) against a 35-contact week: below the comparison floor, so
    # no sentence or table column quotes the previous week; only the note says why, once per
    # page. consumidor.gov.br (8,723 against 7,060 contacts) keeps its comparisons.
    reports = _reports(pages)
    for name, expect_quoted in (("twcs", False), ("consumidor_gov", True)):
        lang, summary, by_page = reports[name]
        assert comparable(summary) is expect_quoted
        previous = style.period_name(summary["previous_period"]["label"], lang)
        note = comparison_note(summary, lang)
        quoted, notes = [], 0
        for page, sections in by_page.items():
            for heading, sentences, tables in sections:
                for sentence in sentences:
                    if sentence == note:
                        notes += 1
                    elif previous in sentence and not sentence.startswith(
                            t(f"title.{page}", lang)):  # the header line names the period
                        quoted.append((page, heading, sentence[:100]))
                quoted += [(page, heading, cell) for table in tables for cell in table[0]
                           if previous in cell]
        if expect_quoted:
            assert quoted and notes == 0
        else:
            assert not quoted, quoted
            assert notes == len(by_page), notes  # once on every page
