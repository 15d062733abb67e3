"""Remake the README's pictures of a received digest and of the PDF's first page.

    .venv/bin/python docs/img/make_screenshots.py

Renders the demo company's 2026-10 report (pt-BR) with ``--pdf --attach-pdf --mail-to`` into
a temporary folder, receives the digest on a real SMTP server on loopback (aiosmtpd), shows
it in headless Chromium as a mail client would (headers, body, attachment) and writes
``digest.png``; ``pdftoppm`` (poppler-utils) draws the PDF's first page as ``pdf-cover.png``.
Needs Debian's chromium and poppler-utils.
"""

import email
import html
import os
import socket
import subprocess
import sys
import tempfile
from email import policy
from pathlib import Path

from aiosmtpd.controller import Controller
from playwright.sync_api import sync_playwright

from analytics.cli import main
from analytics.publish.pdf import CHROMIUM_ARGS, require_chromium

HERE = Path(__file__).resolve().parent


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _mail_client_page(message) -> str:
    """The message as a mail client shows it: the headers, the HTML body, the attachment."""
    body = message.get_body(("html",)).get_content()
    files = ", ".join(f"{a.get_filename()} ({len(a.get_content()) / 1e6:.1f} MB)"
                      for a in message.iter_attachments())
    rows = "".join(f"<tr><th>{k}</th><td>{html.escape(str(v))}</td></tr>" for k, v in (
        ("From", message["From"]), ("To", message["To"]), ("Subject", message["Subject"]),
        ("Attachment", files)))
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
            "body{margin:0;font-family:'DejaVu Sans',Arial,sans-serif;background:#eef1f4}"
            "table.h{width:100%;background:#fff;border-bottom:1px solid #ccc;font-size:13px;"
            "padding:8px 12px}table.h th{text-align:left;color:#666;width:90px;font-weight:"
            "normal}iframe{display:block;border:0;width:100%;height:560px;background:#fff}"
            f'</style></head><body><table class="h">{rows}</table>'
            f'<iframe srcdoc="{html.escape(body)}"></iframe></body></html>')


def make(target=HERE):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ.update({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(controller.port),
                               "SMTP_STARTTLS": "false",
                               "SMTP_FROM": "Relatórios <relatorios@example.com>"})
            code = main(["render", "--source", "demo", "--period", "2026-10",
                         "--tz", "America/Sao_Paulo", "--holidays", "BR-SP", "--lang", "pt-BR",
                         "--output", f"{tmp}/reports", "--pdf", "--attach-pdf",
                         "--mail-to", "marketing@example.com",
                         "--base-url", "https://reports.example.com"])
            if code != 0 or len(inbox.messages) != 1:
                sys.exit(f"the render exited {code} with {len(inbox.messages)} message(s)")
            [pdf] = Path(tmp, "reports", "demo", "2026-10").glob("*.pdf")
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1",
                            "-singlefile", str(pdf), str(target / "pdf-cover")], check=True)
            page = Path(tmp, "digest.html")
            page.write_text(_mail_client_page(inbox.messages[0]), encoding="utf-8")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=require_chromium(),
                                             args=CHROMIUM_ARGS)
                view = browser.new_page(viewport={"width": 760, "height": 680})
                view.goto(page.as_uri(), wait_until="load")
                view.screenshot(path=str(target / "digest.png"))
                browser.close()
    finally:
        controller.stop()


if __name__ == "__main__":
    make()
