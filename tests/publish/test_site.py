"""The site pages in the reader's language: the definitions page and the index exist in English
and in Portuguese, each links its own language's pages, and a Portuguese report page links
the Portuguese ones."""

import html
import json
import re

import mistune
import pytest
from helpers import ROOT

from analytics.paths import package_file
from analytics.publish.run import render_report
from analytics.publish.site import DEFINITIONS_SOURCES, write_definitions, write_index
from analytics.report.i18n import LANGS, strings

FIXTURES = ROOT / "tests" / "fixtures" / "render"

#: Words only one of the two languages uses, with spaces around them: one of them on a page
#: of the other language is a sentence left untranslated.
ONLY = {"en": (" the ", " which ", " when ", " and ", " is ", " are ", " with ", " of "),
        "pt-BR": (" não ", " que ", " são ", " uma ", " dos ", " com ")}

SUMMARY = {
    "source": "messages", "synthetic": False, "description": "log.csv",
    "period": {"label": "2024-03", "start": "2024-03-01T00:00:00-03:00",
               "end": "2024-04-01T00:00:00-03:00", "tz": "America/Sao_Paulo"},
    "as_of": "2024-03-31T12:00:00+00:00", "contacts": 150,
    "first_response": {"median_s": 1800.0, "unanswered": 5}, "repeat_contacts": {"rate": 0.2},
}


def _tokens(lang):
    markdown = mistune.create_markdown(renderer=None, plugins=["table"])
    return markdown(package_file("resources", DEFINITIONS_SOURCES[lang]).read_text("utf-8"))


def _walk(tokens):
    for token in tokens:
        yield token
        yield from _walk(token.get("children", []))


def _text(token) -> str:
    """The plain text of a token and its children."""
    return token.get("raw", "") + "".join(_text(child) for child in token.get("children", []))


def _prose(page: str) -> str:
    """A page's visible words outside ``<code>``, lower-cased, on one line."""
    body = re.sub(r"<code>.*?</code>", " ", page.split("<body>", 1)[1], flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).lower().split())


def test_both_definitions_have_the_same_structure():
    en, pt = _tokens("en"), _tokens("pt-BR")
    levels = {lang: [t["attrs"]["level"] for t in _walk(tokens) if t["type"] == "heading"]
              for lang, tokens in (("en", en), ("pt-BR", pt))}
    assert len(levels["en"]) == 15 and levels["en"] == levels["pt-BR"]  # same order, too
    rows = {lang: [sum(1 for r in _walk([t]) if r["type"] == "table_row")
                   for t in _walk(tokens) if t["type"] == "table"]
            for lang, tokens in (("en", en), ("pt-BR", pt))}
    assert rows["en"] == rows["pt-BR"]
    items = {lang: [t["type"] for t in _walk(tokens) if t["type"] in ("list_item", "paragraph")]
             for lang, tokens in (("en", en), ("pt-BR", pt))}
    assert items["en"] == items["pt-BR"]
    strong = {lang: sum(1 for t in _walk(tokens) if t["type"] == "strong")
              for lang, tokens in (("en", en), ("pt-BR", pt))}
    assert strong["en"] == strong["pt-BR"]  # every term the English defines in bold


def test_portuguese_definitions_keep_every_code_name_and_link():
    def kept(lang):
        tokens = list(_walk(_tokens(lang)))
        return (sorted(t["raw"] for t in tokens if t["type"] == "codespan"),
                sorted(t["attrs"]["url"] for t in tokens if t["type"] == "link"))

    assert kept("pt-BR") == kept("en")


def test_each_definitions_page_is_in_its_language_and_links_its_index(tmp_path):
    write_definitions(tmp_path)
    for lang, name, tag, other in (("en", "definitions.html", "en", "pt-BR"),
                                   ("pt-BR", "definitions.pt-BR.html", "pt", "en")):
        page = (tmp_path / name).read_text(encoding="utf-8")
        labels = strings(lang)["site"]
        assert page.startswith(f'<!DOCTYPE html><html lang="{tag}">')
        assert f"<title>{labels['definitions']}</title>" in page
        assert f'<a href="{labels["index_page"]}">{labels["home"]}</a>' in page
        assert f'href="{strings(other)["site"]["definitions_page"]}"' in page
        prose = _prose(page)
        assert len(prose.split()) > 3000, name
        untranslated = [w for w in ONLY[other] if w in prose]
        assert not untranslated, (name, untranslated,
                                  [prose[max(0, prose.find(w) - 60):prose.find(w) + 60]
                                   for w in untranslated])


def test_both_indexes_are_written_with_their_labels_and_cross_links(tmp_path):
    folder = tmp_path / "messages" / "2024-03"
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text(json.dumps(SUMMARY))
    (folder / "summary.html").write_text("<main></main>")
    write_index(tmp_path)
    pages = {lang: (tmp_path / strings(lang)["site"]["index_page"]).read_text(encoding="utf-8")
             for lang in LANGS}
    assert sorted(p.name for p in tmp_path.glob("index*.html")) == ["index.html",
                                                                  "index.pt-BR.html"]
    assert pages["en"].startswith('<!DOCTYPE html><html lang="en">')
    assert pages["pt-BR"].startswith('<!DOCTYPE html><html lang="pt">')
    for lang, other in (("en", "pt-BR"), ("pt-BR", "en")):
        labels, theirs = strings(lang)["site"], strings(other)["site"]
        page = pages[lang]
        for key in ("index_title", "period", "contacts", "frt", "unanswered", "repeat"):
            assert labels[key] in page, (lang, key)
        assert f'<a href="{labels["definitions_page"]}">{labels["definitions"]}</a>' in page
        assert (f'<a href="{theirs["index_page"]}" hreflang="{other}" '
                f'lang="{other.split("-")[0]}">{theirs["language_name"]}</a>') in page
        assert 'href="messages/2024-03/summary.html"' in page
    assert "Português" in pages["en"] and "English" in pages["pt-BR"]
    assert "March 2024" in pages["en"] and "Março de 2024" in pages["pt-BR"]
    assert "20.0%" in pages["en"] and "20,0%" in pages["pt-BR"]


def test_site_strings_hold_the_same_keys_and_distinct_file_names():
    site = {lang: strings(lang)["site"] for lang in LANGS}
    assert set(site["en"]) == set(site["pt-BR"])
    for key in ("index_page", "definitions_page", "language_name"):
        assert len({site[lang][key] for lang in LANGS}) == len(LANGS), key
    assert set(DEFINITIONS_SOURCES) == set(LANGS)


@pytest.mark.slow
def test_a_portuguese_report_page_links_the_portuguese_index_and_definitions(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("message_id,conversation_id,customer_id,channel,sent_at,direction,"
                   "author_type,agent_id,text\n"
                   "m1,c1,u1,chat,2024-03-04T10:00:00-03:00,inbound,customer,,oi\n"
                   "m2,c1,,chat,2024-03-04T10:05:00-03:00,outbound,agent,a1,ok\n")
    out = tmp_path / "reports"
    folder = render_report({"source": "messages", "input_path": str(log), "period": "2024-03",
                            "tz": "America/Sao_Paulo", "lang": "pt-BR"}, output=out,
                           workers=1, registry_path=FIXTURES / "registry_ok.toml")
    page = (folder / "ok.html").read_text(encoding="utf-8")
    assert '<a href="../../index.pt-BR.html">Todos os relatórios</a>' in page
    assert '<a href="../../definitions.pt-BR.html">Definições das métricas e ressalvas</a>' in page
    assert 'href="../../index.html"' not in page and 'href="../../definitions.html"' not in page
    for name in ("index.html", "index.pt-BR.html", "definitions.html", "definitions.pt-BR.html"):
        assert (out / name).exists(), name
