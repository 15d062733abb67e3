"""The site pages beside the reports, one of each per page language: the index
(``index.html``, ``index.pt-BR.html``: every period, headline figures, trend, "not updated"
notices) and the metric definitions (``definitions.html``, ``definitions.pt-BR.html``).

Each language's file names are its ``[site]`` strings ``index_page`` and ``definitions_page``,
so the report pages and the e-mail digests link the reader's own language from the same table.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

from analytics.paths import package_file
from analytics.publish.guard import write_atomically
from analytics.publish.status import STATUS_FILE
from analytics.report.i18n import LANGS, TEXTS, strings
from analytics.report.sentences import PAGES, source_description, source_name
from analytics.report.style import (
    capitalize,
    format_count,
    format_duration,
    format_percent,
    period_name,
)

#: The written definitions of each page language, in ``analytics/resources``; the two files
#: hold the same headings and tables in the same order (tested).
DEFINITIONS_SOURCES = {"en": "metrics.md", "pt-BR": "metrics.pt-BR.md"}


def write_definitions(output):
    """Publish the metric definitions beside the reports, one page per language:
    ``resources/metrics.md`` as ``definitions.html`` and ``resources/metrics.pt-BR.md`` as
    ``definitions.pt-BR.html``, each linking back to its language's index."""
    import mistune

    for lang in LANGS:
        labels = strings(lang)["site"]
        text = package_file("resources", DEFINITIONS_SOURCES[lang]).read_text(encoding="utf-8")
        links = [f'<a href="{labels["index_page"]}">{labels["home"]}</a>',
                 *_language_links(lang, "definitions_page")]
        page = (f'<!DOCTYPE html><html lang="{_html_lang(lang)}"><head><meta charset="utf-8">'
                f'<title>{labels["definitions"]}</title><style>{_INDEX_CSS}</style></head>'
                f'<body><main><p>{" · ".join(links)}</p>{mistune.html(text)}</main></body>'
                '</html>')
        write_atomically(Path(output) / labels["definitions_page"], page)


def _html_lang(lang: str) -> str:
    """The ``lang`` attribute of a page, as the report pages write it (``pt``, not ``pt-BR``)."""
    return lang.split("-")[0]


def _language_links(lang: str, page: str) -> list[str]:
    """Links to the same site page (``index_page`` or ``definitions_page``) in every other
    language, each named in its own language ("Português" from English, "English" back)."""
    links = []
    for other in LANGS:
        if other != lang:
            theirs = strings(other)["site"]
            links.append(f'<a href="{theirs[page]}" hreflang="{other}" '
                         f'lang="{_html_lang(other)}">{theirs["language_name"]}</a>')
    return links


_INDEX_CSS = """body{font-family:"DejaVu Sans","Segoe UI",Arial,sans-serif;color:#222;margin:0}
main{max-width:1020px;margin:0 auto;padding:16px}table{border-collapse:collapse;margin:8px 0 24px}
th,td{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}th:first-child,
td:first-child{text-align:left}code,pre{background:#f5f5f5}
.synthetic{background:#fff3cd;color:#664d03;padding:1px 6px;border-radius:4px;font-size:12px}
.unpublished{color:#555}
.notice{background:#f8d7da;color:#58151c;padding:8px 12px;border-radius:4px;margin:8px 0}"""


def write_index(output):
    """The index of every page language (``index.html``, ``index.pt-BR.html``): every rendered
    period per source with its headline figures and a trend built from the ``summary.json``
    files already published, a link to the definitions in the same language and one to the
    other language's index."""
    for lang in LANGS:
        _write_index(Path(output), lang)


def _write_index(output: Path, lang: str):
    """One language's index page (see :func:`write_index`)."""
    labels = strings(lang)["site"]
    rows = []
    for path in sorted(output.glob("*/*/summary.json")):
        if path.parts[-3].startswith(("_", ".")) or path.parts[-2].startswith("."):
            continue
        summary = json.loads(path.read_text(encoding="utf-8"))
        pages = sorted((p.stem for p in path.parent.glob("*.html")), key=_page_order)
        rows.append((path.parent.relative_to(output), summary, pages))
    sections = []
    for source in sorted({str(folder.parts[0]) for folder, _, _ in rows}):
        mine = sorted((r for r in rows if r[0].parts[0] == source),
                      key=lambda r: r[1]["period"]["start"])
        body = []
        for folder, summary, pages in mine:
            frt = summary["first_response"]
            links = " · ".join(f'<a href="{html.escape(str(folder / p))}.html">'
                               f'{html.escape(_page_title(p, lang))}</a>' for p in pages)
            links += "".join(f' · <a href="{html.escape(str(folder / p.name))}">PDF</a>'
                             for p in sorted((output / folder).glob("*.pdf")))
            links += _not_published(output / folder, lang)
            body.append(
                f"<tr><td>{html.escape(capitalize(period_name(summary['period']['label'], lang)))}</td>"
                f"<td>{format_count(summary['contacts'], lang)}</td>"
                f"<td>{format_duration(frt['median_s'], lang)}</td>"
                f"<td>{format_count(frt['unanswered'], lang)}</td>"
                f"<td>{format_percent(summary['repeat_contacts']['rate'], lang)}</td>"
                f"<td>{links}</td></tr>")
        synthetic = any(s["synthetic"] for _, s, _ in mine)
        badge = f' <span class="synthetic">{labels["synthetic"]}</span>' if synthetic else ""
        trend = _trend_image([s for _, s, _ in mine], labels["trend"])
        sections.append(
            f"<h2>{html.escape(source_name(source, lang))}{badge}</h2>"
            f"<p>{html.escape(source_description(mine[-1][1], lang))}"
            f"</p><table><tr><th>{labels['period']}</th><th>{labels['contacts']}</th>"
            f"<th>{labels['frt']}</th><th>{labels['unanswered']}</th><th>{labels['repeat']}</th>"
            f"<th>{labels['pages']}</th></tr>{''.join(body)}</table>{trend}")
    page = (f'<!DOCTYPE html><html lang="{_html_lang(lang)}"><head><meta charset="utf-8">'
            f'<title>{labels["index_title"]}</title><style>{_INDEX_CSS}</style></head><body><main>'
            f'<p class="languages">{" · ".join(_language_links(lang, "index_page"))}</p>'
            f'<h1>{labels["index_title"]}</h1>{_status_notice(output, labels)}{"".join(sections)}'
            f'<p><a href="{labels["definitions_page"]}">{labels["definitions"]}</a></p>'
            '</main></body></html>')
    write_atomically(output / labels["index_page"], page)


def _not_published(folder: Path, lang: str) -> str:
    """The pages a run left out because the source cannot measure anything on them, each with
    its reasons ('' when every page was published)."""
    try:
        record = json.loads((folder / "render.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    labels = strings(lang)["site"]
    notes = [labels["not_published"].format(page=_page_title(page, lang),
                                            reasons=_reasons(entry.get("reasons", []), lang))
             for page, entry in sorted(record.get("not_published", {}).items(),
                                       key=lambda item: _page_order(item[0]))]
    return "".join(f'<br><small class="unpublished">{html.escape(note)}</small>' for note in notes)


def _reasons(keys: list[str], lang: str) -> str:
    """The reasons as one sentence: ``a; b; c.`` (the index's summary of the sections' reasons
    drops the independence index's, which only repeats the others)."""
    if len(keys) > 1:
        keys = [k for k in keys if k != "why.no_index"]
    return "; ".join(TEXTS[lang][k].rstrip(".") for k in keys) + "."


def _page_order(page: str) -> tuple[int, str]:
    """The pages in reading order (summary first, as the registry lists them), others after."""
    return (PAGES.index(page) if page in PAGES else len(PAGES), page)


def _page_title(page: str, lang: str) -> str:
    """A page's title in the index language (its file name when it has none)."""
    key = f"title.{page}"
    return TEXTS[lang][key] if key in TEXTS[lang] else page


def _status_notice(output: Path, labels: dict) -> str:
    """A visible notice for periods whose latest run failed or was postponed ('' if none)."""
    path = output / STATUS_FILE
    status = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    items = [f"<li>{html.escape(key)}: {labels[entry['state']]} ({html.escape(entry['at'])})"
             "</li>" for key, entry in sorted(status.items()) if entry["state"] != "published"]
    if not items:
        return ""
    return (f'<div class="notice"><strong>{labels["not_updated"]}</strong><ul>{"".join(items)}'
            "</ul></div>")


def _trend_image(summaries, title) -> str:
    """A small PNG (inline) of the median first response across periods; '' for < 2 periods."""
    points = [(s["period"]["label"], s["first_response"]["median_s"]) for s in summaries
              if s["first_response"]["median_s"] is not None]
    if len(points) < 2:
        return ""
    import matplotlib

    matplotlib.use("Agg")  # the index is drawn in the CLI process, not in a notebook
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 2.2), dpi=100)
    ax.plot([p for p, _ in points], [v / 60 for _, v in points], marker="o", color="#1f77b4")
    ax.set_ylabel("min")
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode()
    return f'<img alt="{html.escape(title)}" src="data:image/png;base64,{data}">'
