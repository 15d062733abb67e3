"""One PDF per report: a cover, a table of contents, then every page of the report in order.

Made from the rendered HTML pages by headless Chromium (Debian's ``chromium`` package), driven
through playwright's ``page.pdf()`` with ``executable_path`` (playwright never downloads a
browser here). Why playwright rather than ``chromium --print-to-pdf``: one browser serves every
page of a run, the print stylesheet is applied with ``emulate_media("print")``, and the
call takes the A4 size, margins, page-number footer, PDF outline (bookmarks) and tagged-PDF
options the command line does not offer. nbconvert's ``webpdf`` exporter cannot be used
offline: it makes playwright download its own browser.

How the document is made:

1. the ``<main>`` of each page (the notebook output, without the site header and footer, whose
   links lead nowhere in a PDF) becomes one section that starts on a new page; the styles of
   the first page are kept once (every page has the same template);
2. a print stylesheet sets A4, prints backgrounds, and keeps every figure, table row,
   output block and heading-with-its-first-paragraph from being cut by a page break (a table
   longer than a page still breaks between rows, with its header repeated);
3. each section is printed alone once to count its pages (a section starts on a fresh page
   of the same size, so it takes the same pages in the whole document); the table of contents
   then gets the page number of every section, and the whole document is printed.

The words of the cover, contents and footer are the ``[pdf]`` and ``[site]`` tables of
``analytics/report/strings/<lang>.toml``. Figures are the PNGs of the pages, drawn at twice
their display density (see :func:`analytics.report.style.apply`): about 280 dpi at the A4
text width.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from pathlib import Path

from analytics.errors import InputError
from analytics.publish.headline import headline_rows, period_text
from analytics.report.i18n import strings
from analytics.report.sentences import source_description, source_name
from analytics.report.style import capitalize, format_datetime, period_name

#: Chromium flags for a locked-down machine: no sandbox (root in CI), no GPU, no network
#: calls of its own (updates, metrics), no first-run dialogs.
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run")

#: A4 with room for the page-number footer.
_MARGIN = {"top": "14mm", "bottom": "16mm", "left": "13mm", "right": "13mm"}

_PRINT_CSS = """
@page { size: A4; }
html, body { -webkit-print-color-adjust: exact; print-color-adjust: exact; background: #fff;
  margin: 0 !important; padding: 0 !important; }
body.jp-Notebook { font-size: 12px; }
main { max-width: none !important; padding: 0 !important; }
.pdf-section { break-before: page; }
a.anchor-link { display: none; }
/* No page break through a chart, a table row, an output block or a caption. */
img, svg, figure, tr, .jp-OutputArea-child, .jp-RenderedImage, .jp-RenderedMarkdown p,
.jp-RenderedHTMLCommon table { break-inside: avoid; }
thead { display: table-header-group; }
h1, h2, h3, h4 { break-after: avoid; break-inside: avoid; }
.jp-OutputArea-output img { max-width: 100% !important; height: auto !important; }
/* The A4 text width (184 mm, about 695 px) is narrower than a screen page: no cell padding or
   prompt indent, and tables that wrap their cells and use a smaller font rather than being
   cut at the right edge. */
.jp-Cell, .jp-Cell-outputWrapper, .jp-OutputArea-child, .jp-Cell-inputWrapper
  { padding: 0 !important; margin: 0 !important; }
.jp-OutputArea-output, .jp-RenderedMarkdown { overflow: visible !important; padding: 0 !important; }
.jp-RenderedHTMLCommon table { table-layout: auto !important; font-size: 10.5px !important;
  max-width: 100%; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { white-space: normal !important;
  padding: 3px 5px !important; }
.pdf-cover { padding-top: 55mm; font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #222; }
.pdf-cover h1 { font-size: 30px; margin: 0 0 6px; }
.pdf-cover .pdf-source { font-size: 16px; color: #444; margin: 0 0 18px; }
.pdf-cover .pdf-period { font-size: 20px; font-weight: bold; margin: 0 0 4px; }
.pdf-cover table { border-collapse: collapse; margin: 28px 0; font-size: 13px; }
.pdf-cover th, .pdf-cover td { border-bottom: 1px solid #ddd; padding: 6px 12px;
  text-align: right; }
.pdf-cover th:first-child, .pdf-cover td:first-child { text-align: left; }
.pdf-cover .pdf-meta { font-size: 11px; color: #555; }
.pdf-synthetic { display: inline-block; background: #fff3cd; color: #664d03; padding: 4px 10px;
  border-radius: 4px; font-weight: bold; margin: 0 0 16px; }
.pdf-toc { break-before: page; font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; }
.pdf-toc ol { list-style: none; padding: 0; font-size: 15px; }
.pdf-toc li { display: flex; border-bottom: 1px dotted #999; padding: 8px 0; }
.pdf-toc li a { color: #222; text-decoration: none; flex: 1; }
"""


def chromium_path() -> str | None:
    """The Chromium executable (Debian's ``chromium``), or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def require_chromium() -> str:
    """The Chromium executable; an :class:`InputError` (exit 2, before any kernel starts)
    saying how to install it when a PDF is asked for and there is none."""
    path = chromium_path()
    if path is None:
        raise InputError("--pdf", "Chromium is not installed, so no PDF can be made",
                         expected="Debian's chromium: apt-get install chromium fonts-dejavu-core")
    return path


def page_count(pdf: bytes) -> int:
    """Number of pages of a PDF written by Chromium: the ``/Count`` of its root page tree
    (the largest ``/Count`` of a ``/Type /Pages`` dictionary; Chromium's PDFs keep the page
    tree uncompressed).

    >>> page_count(b"<< /Type /Pages /Count 2 /Kids [3 0 R 4 0 R] >> << /Count 9 >>")
    2
    """
    counts = [int(count) for tree in re.findall(rb"<<[^<>]*/Type\s*/Pages\b[^<>]*>>", pdf)
              for count in re.findall(rb"/Count\s+(\d+)", tree)]
    if not counts:
        raise ValueError("no page tree found in the PDF")
    return max(counts)


def _split_page(text: str) -> tuple[str, str]:
    """(the styles of a rendered page's ``<head>``, the inside of its ``<main>``)."""
    styles = "".join(re.findall(r"<style[^>]*>.*?</style>", text.split("</head>", 1)[0],
                                flags=re.S))
    start, end = text.find("<main>"), text.rfind("</main>")
    if start < 0 or end < 0:
        raise ValueError("not a rendered report page (no <main>)")
    return styles, text[start + len("<main>"):end]


def _cover(summary: dict, lang: str) -> str:
    labels, words = strings(lang)["site"], strings(lang)["pdf"]
    e = html.escape
    rows = "".join(f"<tr><td>{e(r['label'])}</td><td>{e(r['value'])}</td>"
                   f"<td>{e(r['previous'])}</td><td>{e(r['change'])}</td></tr>"
                   for r in headline_rows(summary, lang))
    previous = (summary.get("previous_period") or {}).get("label")
    previous = period_name(previous, lang) if previous else words["previous"]
    period = capitalize(period_name(summary["period"]["label"], lang))
    synthetic = (f'<div><span class="pdf-synthetic">{e(labels["synthetic"])}</span></div>'
                 if summary.get("synthetic") else "")
    tz = summary["period"]["tz"]
    return (f'<section class="pdf-cover">{synthetic}<h1>{e(words["title"])}</h1>'
            f'<p class="pdf-source">{e(source_name(summary["source"], lang))} · '
            f'{e(source_description(summary, lang))}</p>'
            f'<p class="pdf-period">{e(period)}</p>'
            f'<p>{e(period_text(summary, lang))}</p>'
            f'<table><tr><th>{e(words["figure"])}</th><th>{e(period)}</th>'
            f'<th>{e(previous)}</th><th>{e(words["change"])}</th></tr>{rows}</table>'
            f'<p class="pdf-meta">{e(labels["as_of"].capitalize())} '
            f'{e(format_datetime(summary["as_of"], tz, lang))} · {e(labels["rendered"])} '
            f'{dt.date.today().isoformat()}</p></section>')


def _toc(entries, lang: str) -> str:
    items = "".join(f'<li><a href="#pdf-{html.escape(name)}">{html.escape(title)}</a>'
                    f'<span>{"" if page is None else page}</span></li>'
                    for name, title, page in entries)
    return (f'<section class="pdf-toc"><h1>{html.escape(strings(lang)["pdf"]["contents"])}</h1>'
            f"<ol>{items}</ol></section>")


def _document(styles: str, body: str, title: str, lang: str) -> str:
    return (f'<!DOCTYPE html><html lang="{lang.split("-")[0]}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>{styles}<style>{_PRINT_CSS}</style></head>"
            f'<body class="jp-Notebook" data-jp-theme-light="true"><main>{body}</main>'
            "</body></html>")


def _footer(summary: dict, lang: str) -> str:
    """Chromium's page footer: source · period · page n of N (and the synthetic label)."""
    labels, words = strings(lang)["site"], strings(lang)["pdf"]
    e = html.escape
    synthetic = f" · {e(labels['synthetic'])}" if summary.get("synthetic") else ""
    return ('<div style="font-family: \'DejaVu Sans\', Arial, sans-serif; font-size: 8px; '
            'color: #555; width: 100%; padding: 0 13mm; display: flex; '
            'justify-content: space-between;">'
            f'<span>{e(source_name(summary["source"], lang))} · '
            f'{e(capitalize(period_name(summary["period"]["label"], lang)))}{synthetic}</span>'
            f'<span>{e(words["page"])} <span class="pageNumber"></span> {e(words["of"])} '
            '<span class="totalPages"></span></span></div>')


def write_report_pdf(folder, pages, *, lang: str, target=None) -> Path:
    """Print the rendered pages of one report folder into one PDF and return its path.

    Parameters
    ----------
    folder : path
        A report folder holding ``summary.json`` and ``<name>.html`` for every page.
    pages : sequence of (name, title)
        The pages in reading order, with their titles in the report's language.
    lang : {"en", "pt-BR"}
        Language of the cover, contents and footer.
    target : path, optional
        Where to write; default ``<folder>/<source>-<period>.pdf``.
    """
    from playwright.sync_api import sync_playwright

    folder = Path(folder)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    target = Path(target) if target else folder / pdf_name(summary)
    styles, sections = "", []
    for name, _ in pages:
        page_styles, body = _split_page((folder / f"{name}.html").read_text(encoding="utf-8"))
        styles = styles or page_styles
        sections.append(f'<section class="pdf-section" id="pdf-{html.escape(name)}">{body}'
                        "</section>")
    title = f"{strings(lang)['pdf']['title']} · {summary['source']} · {summary['period']['label']}"
    cover = _cover(summary, lang)
    options = {"format": "A4", "print_background": True, "margin": _MARGIN,
               "display_header_footer": True, "header_template": "<span></span>",
               "footer_template": _footer(summary, lang), "outline": True, "tagged": True}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.emulate_media(media="print")

            def print_pages(body: str) -> bytes:
                page.set_content(_document(styles, body, title, lang), wait_until="load")
                return page.pdf(**options)

            front = page_count(print_pages(cover + _toc([(n, t, 0) for n, t in pages], lang)))
            first, entries = front + 1, []
            for (name, page_title), section in zip(pages, sections, strict=True):
                entries.append((name, page_title, first))
                first += page_count(print_pages(section))
            document = print_pages(cover + _toc(entries, lang) + "".join(sections))
        finally:
            browser.close()
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(document)
    tmp.replace(target)
    return target


def pdf_name(summary: dict) -> str:
    """``<source>-<period>.pdf``: a name that still says what it is once forwarded."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{summary['source']}-{summary['period']['label']}")
    return f"{slug}.pdf"
