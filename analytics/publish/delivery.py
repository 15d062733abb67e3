"""E-mail after a scheduled run: a digest to the readers, or a short notice to an operator.

After a report is published, ``render ... --mail-to ADDRESSES`` (or ``mail_to`` in the
registry's ``[delivery]`` table) sends a digest in the report's language: the headline figures
of the index row with their change against the previous period, the "not updated" notices
of the index, links to the report, the index and the definitions (the pages of the report's
language) under the configured base URL, and optionally the PDF.
Its words are the ``[mail]`` and ``[site]`` tables of ``analytics/report/strings/<lang>.toml``.
After a failed or postponed run an operator address gets a short notice instead.

Sent with :mod:`smtplib` and :mod:`email` only. The SMTP settings come from a TOML file
(``[smtp]`` table: ``host``, ``port``, ``user``, ``starttls``, ``from``) and from the
environment (``SMTP_HOST``, ``SMTP_PORT``, ``SMTP_USER``, ``SMTP_PASSWORD``, ``SMTP_STARTTLS``,
``SMTP_FROM``); the environment wins. A password is refused in any file inside the
repository (give it in ``SMTP_PASSWORD``).

What a message holds: figures and labels only. The digest is built from ``summary.json`` and
``_status.json`` (never from messages or the conversation table), and every value is
HTML-escaped. A failure to send is one line on stderr beginning ``mail: not sent``; it never
changes the exit status of the run (:func:`deliver` returns False).
"""

from __future__ import annotations

import html
import json
import os
import smtplib
import socket
import ssl
import sys
import tomllib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from analytics.errors import InputError
from analytics.paths import suite_root

# The site labels and the headline figures (pandas, matplotlib) are imported where a message is
# built, so that `python -m analytics` stays quick to start for every other command.

#: A PDF larger than this is linked, not attached (many mail servers refuse 10-25 MB).
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
#: Seconds to wait for the SMTP server before giving up (a run must not hang on mail).
SMTP_TIMEOUT_S = 30.0

#: The logged line in an operator's notice is cut here (the full line is in the run's log).
MAX_LINE = 600
#: The run's exit status for each outcome (as documented in the README).
EXIT_STATUS = {"failed": 1, "postponed": 3}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. ``port`` defaults to 587 with STARTTLS, else 25."""

    host: str
    port: int
    sender: str
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = True


def _flag(text: str, where: str) -> bool:
    value = str(text).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise InputError(where, "not a yes/no value", expected="true or false", found=text)


def smtp_settings(config=None, environ=None) -> SmtpSettings:
    """SMTP settings from a TOML file's ``[smtp]`` table, overridden by the environment.

    Raises :class:`InputError` (exit 2, before anything is rendered) for a missing host, a
    bad port or flag, or a password written in a file inside the repository.
    """
    environ = os.environ if environ is None else environ
    values = {}
    if config:
        path = Path(config)
        if not path.is_file():
            raise InputError(str(config), "SMTP settings file not found")
        try:
            values = dict(tomllib.loads(path.read_text(encoding="utf-8")).get("smtp", {}))
        except tomllib.TOMLDecodeError as exc:
            raise InputError(str(config), f"not readable TOML ({exc})") from None
        if values.get("password") and path.resolve().is_relative_to(suite_root()):
            raise InputError(str(config), "an SMTP password in a file of the repository",
                             expected="the password in the SMTP_PASSWORD environment variable")
    for key in ("host", "port", "user", "password", "starttls", "from"):
        if environ.get(f"SMTP_{key.upper()}", "") != "":
            values[key] = environ[f"SMTP_{key.upper()}"]
    if not values.get("host"):
        raise InputError("SMTP_HOST", "no SMTP server given for --mail-to",
                         expected="SMTP_HOST in the environment or host in the [smtp] table "
                                  "of --smtp-config")
    starttls = _flag(values.get("starttls", True), "SMTP_STARTTLS")
    try:
        port = int(values.get("port") or (587 if starttls else 25))
    except ValueError:
        raise InputError("SMTP_PORT", "not a port number", expected="e.g. 587",
                         found=str(values.get("port"))) from None
    if not 0 < port < 65536:
        raise InputError("SMTP_PORT", "not a port number", expected="1-65535", found=str(port))
    sender = values.get("from") or f"support-analytics@{socket.getfqdn()}"
    return SmtpSettings(host=str(values["host"]), port=port, sender=str(sender),
                        user=str(values.get("user", "")),
                        password=str(values.get("password", "")), starttls=starttls)


@dataclass(frozen=True)
class Delivery:
    """What a run delivers: the PDF, who gets the digest and the failure notice, the link."""

    pdf: bool = False
    mail_to: tuple = ()
    operator: str = ""
    base_url: str = ""
    attach_pdf: bool = False
    smtp: SmtpSettings | None = None

    @property
    def mails(self) -> bool:
        return bool(self.mail_to or self.operator)


def _addresses(values) -> tuple:
    """``a@x, b@y`` or several arguments -> ('a@x', 'b@y'); each must hold one @."""
    if isinstance(values, str):
        values = [values]
    found = tuple(a.strip() for v in values or () for a in str(v).split(",") if a.strip())
    for address in found:
        if address.count("@") != 1 or any(c.isspace() for c in address):
            raise InputError("--mail-to", "not an e-mail address", expected="name@example.com",
                             found=address)
    return found


def add_options(parser) -> None:
    """The delivery options of ``render`` (see the README, Scheduling)."""
    group = parser.add_argument_group("delivery (also the [delivery] table of the registry)")
    group.add_argument("--pdf", action="store_true", default=None,
                       help="also publish <source>-<period>.pdf (needs Debian's chromium)")
    group.add_argument("--mail-to", dest="mail_to", nargs="+", metavar="ADDRESS",
                       help="e-mail a digest to these addresses after a successful publish")
    group.add_argument("--mail-operator", dest="mail_operator", metavar="ADDRESS",
                       help="e-mail a short notice here after a failed or postponed run")
    group.add_argument("--attach-pdf", dest="attach_pdf", action="store_true", default=None,
                       help="attach the PDF to the digest (implies --pdf)")
    group.add_argument("--base-url", dest="base_url",
                       help="where reports/ is served, for the link in the digest")
    group.add_argument("--smtp-config", dest="smtp_config", metavar="FILE",
                       help="TOML file with an [smtp] table; SMTP_* variables override it")
    group.add_argument("--no-mail", dest="no_mail", action="store_true",
                       help="send nothing, whatever the registry says")


def delivery_from_args(args, registry: dict, environ=None) -> Delivery:
    """The delivery of a run: the registry's ``[delivery]`` table, overridden by options."""
    table = dict(registry.get("delivery", {}))
    if "password" in table or "smtp_password" in table:
        raise InputError("[delivery]", "an SMTP password in the registry",
                         expected="the password in the SMTP_PASSWORD environment variable")
    unknown = sorted(set(table) - {"pdf", "mail_to", "operator", "base_url", "attach_pdf",
                                   "smtp_config"})
    if unknown:
        raise InputError("[delivery]", "unknown key(s) " + ", ".join(unknown),
                         expected="pdf, mail_to, operator, base_url, attach_pdf, smtp_config")

    def option(name, key=None):
        value = getattr(args, name, None)
        return table.get(key or name) if value is None else value

    no_mail = getattr(args, "no_mail", False)
    mail_to = () if no_mail else _addresses(option("mail_to"))
    operator = "" if no_mail else ",".join(_addresses(option("mail_operator", "operator")))
    attach_pdf = bool(option("attach_pdf"))
    smtp = None
    if mail_to or operator:
        smtp = smtp_settings(option("smtp_config"), environ)
    return Delivery(pdf=bool(option("pdf")) or attach_pdf, mail_to=mail_to, operator=operator,
                    base_url=str(option("base_url") or ""), attach_pdf=attach_pdf, smtp=smtp)


def _link(base_url: str, relative: str, output: Path) -> str:
    if base_url:
        return base_url.rstrip("/") + "/" + relative
    return (output / relative).resolve().as_uri()


def _not_updated(output: Path) -> list[str]:
    """The index's "not updated" entries: ``source/period: state (at)``, figures only."""
    from analytics.publish.status import STATUS_FILE

    path = output / STATUS_FILE
    status = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return [(key, entry["state"], entry["at"]) for key, entry in sorted(status.items())
            if entry["state"] != "published"]


def digest_message(folder, output, *, delivery: Delivery, lang: str) -> EmailMessage:
    """The digest of one published report folder (plain text + escaped HTML, PDF optional)."""
    from analytics.publish.headline import headline_rows, period_text
    from analytics.report.i18n import strings
    from analytics.report.sentences import source_description, source_name
    from analytics.report.style import capitalize, format_datetime, period_name

    folder, output = Path(folder), Path(output)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    labels, words = strings(lang)["site"], strings(lang)["mail"]
    source = source_name(summary["source"], lang)
    label = capitalize(period_name(summary["period"]["label"], lang))
    relative = folder.relative_to(output).as_posix()
    pages = sorted(p.stem for p in folder.glob("*.html"))
    first = "summary" if "summary" in pages else pages[0]
    report_url = _link(delivery.base_url, f"{relative}/{first}.html", output)
    index_url = _link(delivery.base_url, labels["index_page"], output)
    definitions_url = _link(delivery.base_url, labels["definitions_page"], output)
    rows = headline_rows(summary, lang)
    previous = period_name((summary.get("previous_period") or {}).get("label", ""), lang)
    notices = _not_updated(output)
    pdfs = sorted(folder.glob("*.pdf")) if delivery.attach_pdf else []
    attach = [p for p in pdfs if p.stat().st_size <= MAX_ATTACHMENT_BYTES]
    synthetic = f" ({words['synthetic']})" if summary.get("synthetic") else ""

    message = EmailMessage()
    message["Subject"] = f"{words['ready']}: {source} {label}{synthetic}"
    message["From"] = delivery.smtp.sender if delivery.smtp else "support-analytics"
    message["To"] = ", ".join(delivery.mail_to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="support-analytics")

    width = max(len(r["label"]) for r in rows)
    text = [f"{words['ready']}: {source} {label}{synthetic}",
            f"{source_description(summary, lang)} · {period_text(summary, lang)}", "",
            f"{words['figure']:<{width}}  {label:>10}  {previous:>10}  {words['change']:>10}"]
    text += [f"{r['label']:<{width}}  {r['value']:>10}  {r['previous']:>10}  {r['change']:>10}"
             for r in rows]
    if notices:
        text += ["", labels["not_updated"]]
        text += [f"- {key}: {labels[state]} ({at})" for key, state, at in notices]
    as_of = (f"{labels['as_of'].capitalize()} "
             f"{format_datetime(summary['as_of'], summary['period']['tz'], lang)}")
    text += ["", as_of]
    text += ["", f"{words['open']}: {report_url}", f"{words['index']}: {index_url}",
             f"{words['definitions']}: {definitions_url}"]
    if pdfs:
        text += ["", words["attached"] if attach else words["not_attached"]]
    message.set_content("\n".join(text) + "\n")

    e = html.escape
    cells = "".join(
        f'<tr><td style="{_TD}text-align:left">{e(r["label"])}</td>'
        f'<td style="{_TD}"><strong>{e(r["value"])}</strong></td>'
        f'<td style="{_TD}color:#555">{e(r["previous"])}</td>'
        f'<td style="{_TD}">{e(r["change"])}</td></tr>' for r in rows)
    badge = (f'<p><span style="background:#fff3cd;color:#664d03;padding:2px 8px;'
             f'border-radius:4px">{e(labels["synthetic"])}</span></p>'
             if summary.get("synthetic") else "")
    notice = ""
    if notices:
        items = "".join(f"<li>{e(key)}: {e(labels[state])} ({e(at)})</li>"
                        for key, state, at in notices)
        notice = (f'<div style="background:#f8d7da;color:#58151c;padding:8px 12px;'
                  f'border-radius:4px;margin:12px 0"><strong>{e(labels["not_updated"])}'
                  f"</strong><ul>{items}</ul></div>")
    attached = (f'<p style="color:#555">{e(words["attached"] if attach else words["not_attached"])}'
                "</p>" if pdfs else "")
    page = (
        f'<!DOCTYPE html><html lang="{e(lang.split("-")[0])}"><head><meta charset="utf-8">'
        f"<title>{e(message['Subject'])}</title></head>"
        f'<body style="font-family:\'DejaVu Sans\',\'Segoe UI\',Arial,sans-serif;color:#222;'
        f'max-width:640px;margin:0 auto;padding:16px">'
        f'{badge}<h1 style="font-size:20px;margin:0 0 4px">{e(words["ready"])}</h1>'
        f'<p style="font-size:16px;margin:0 0 4px"><strong>{e(source)} · {e(label)}</strong></p>'
        f'<p style="color:#555;margin:0 0 16px">{e(source_description(summary, lang))} · '
        f"{e(period_text(summary, lang))}</p>"
        f'<table style="border-collapse:collapse;margin:8px 0 16px"><tr>'
        f'<th style="{_TD}text-align:left">{e(words["figure"])}</th>'
        f'<th style="{_TD}">{e(label)}</th><th style="{_TD}">{e(previous)}</th>'
        f'<th style="{_TD}">{e(words["change"])}</th></tr>{cells}</table>'
        f'<p style="color:#555;font-size:13px">{e(as_of)}</p>{notice}'
        f'<p><a href="{e(report_url)}" style="background:#2F5D8A;color:#fff;padding:8px 14px;'
        f'border-radius:4px;text-decoration:none">{e(words["open"])}</a></p>'
        f'<p><a href="{e(index_url)}">{e(words["index"])}</a> · '
        f'<a href="{e(definitions_url)}">{e(words["definitions"])}</a></p>{attached}'
        "</body></html>")
    message.add_alternative(page, subtype="html")
    for path in attach:
        message.add_attachment(path.read_bytes(), maintype="application", subtype="pdf",
                               filename=path.name)
    # Set last: making the message multipart moves Content-* headers into its first part.
    message["Content-Language"] = lang
    return message


_TD = "border-bottom:1px solid #ddd;padding:4px 10px;text-align:right;"


def notice_message(where: dict, state: str, line: str, *, delivery: Delivery,
                   output, lang: str, exit_status: int | None = None) -> EmailMessage:
    """The operator's notice of a failed or postponed run: what, the logged line (cut at
    :data:`MAX_LINE` characters), the exit status and where to look. Plain text."""
    from analytics.report.i18n import strings

    words, index_page = strings(lang)["mail"], strings(lang)["site"]["index_page"]
    what = f"{where.get('source', 'demo')} {where.get('period')}"
    message = EmailMessage()
    message["Subject"] = f"{words[state]}: {what}"
    message["From"] = delivery.smtp.sender if delivery.smtp else "support-analytics"
    message["To"] = delivery.operator
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="support-analytics")
    message["Content-Language"] = lang
    body = [words[f"{state}_body"].format(what=what), "",
            f"{words['exit']}: {exit_status or EXIT_STATUS[state]}",
            f"{words['error']}: {line[:MAX_LINE]}", "",
            f"{words['index']}: {_link(delivery.base_url, index_page, Path(output))}"]
    message.set_content("\n".join(body) + "\n")
    return message


def send(message: EmailMessage, smtp: SmtpSettings, what: str) -> bool:
    """Send one message; on failure print one ``mail: not sent`` line and return False."""
    recipients = [a.strip() for a in message["To"].split(",") if a.strip()]
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT_S) as server:
            if smtp.starttls:
                server.starttls(context=ssl.create_default_context())
            if smtp.user:
                server.login(smtp.user, smtp.password)
            server.send_message(message, to_addrs=recipients)
    except (OSError, smtplib.SMTPException) as exc:  # socket, TLS, refused, auth: all logged
        reason = " ".join(str(exc).split()) or type(exc).__name__
        print(f"mail: not sent: {what} to {len(recipients)} recipient(s) via {smtp.host}:"
              f"{smtp.port}: {type(exc).__name__}: {reason}", file=sys.stderr)
        return False
    print(f"mailed {what} to {len(recipients)} recipient(s)")
    return True


def deliver(delivery: Delivery, *, state: str, where: dict, output, folder=None,
            line: str = "", exit_status: int | None = None) -> bool | None:
    """After one report of a run: the digest (published) or the operator's notice (failed,
    postponed). Returns whether the mail went out, None when there was nothing to send.
    Never raises for a mail problem: the run's exit status stays that of the render."""
    if delivery.smtp is None:
        return None
    from analytics.report.i18n import LANGS

    lang = where.get("lang") or "en"
    lang = lang if lang in LANGS else "en"
    what = f"{where.get('source', 'demo')} {where.get('period')}"
    if state == "published":
        if not delivery.mail_to:
            return None
        message = digest_message(folder, output, delivery=delivery, lang=lang)
        return send(message, delivery.smtp, f"digest of {what}")
    if not delivery.operator:
        return None
    message = notice_message(where, state, line, delivery=delivery, output=output, lang=lang,
                             exit_status=exit_status)
    return send(message, delivery.smtp, f"{state} notice of {what}")
