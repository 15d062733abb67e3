"""E-mail delivery against a real SMTP server (aiosmtpd, started by the test on loopback):
the digest, the operator's notice, a server that is down, and the SMTP settings."""

import email
import html
import json
import shutil
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from helpers import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.cli import main
from analytics.errors import InputError
from analytics.publish import delivery as delivery_module
from analytics.publish.delivery import (
    Delivery,
    SmtpSettings,
    deliver,
    delivery_from_args,
    digest_message,
    notice_message,
    send,
    smtp_settings,
)

FIXTURES = ROOT / "tests" / "fixtures" / "render"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Inbox:
    """aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((tuple(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free loopback port; yields (inbox, host, port)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield inbox, controller.hostname, controller.port
    finally:
        controller.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _smtp(host, port, **extra) -> SmtpSettings:
    return SmtpSettings(host=host, port=port, sender="reports@example.com", starttls=False,
                        **extra)


SUMMARY = {
    "source": "messages", "synthetic": False, "description": "log.csv",
    "period": {"label": "2024-03", "start": "2024-03-01T00:00:00-03:00",
               "end": "2024-04-01T00:00:00-03:00", "tz": "America/Sao_Paulo"},
    "previous_period": {"label": "2024-02"}, "as_of": "2024-03-31T12:00:00+00:00",
    "contacts": 150, "first_response": {"median_s": 1800.0, "unanswered": 5},
    "repeat_contacts": {"rate": 0.2},
    "previous": {"contacts": 120, "first_response": {"median_s": 3600.0, "unanswered": 5},
                 "repeat_contacts": {"rate": 0.25}},
}


def _published(tmp_path, summary=SUMMARY, pdf=b"%PDF-1.4 fixture"):
    """A published report folder as the renderer leaves it, and a failed run elsewhere."""
    output = tmp_path / "reports"
    folder = output / "messages" / "2024-03"
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text(json.dumps(summary))
    (folder / "summary.html").write_text("<main></main>")
    (folder / "messages-2024-03.pdf").write_bytes(pdf)
    (output / "_status.json").write_text(json.dumps({
        "messages/2024-03": {"state": "published", "at": "2024-04-01T06:30:00+00:00"},
        "twcs/2017-W44": {"state": "failed", "at": "2024-04-01T06:31:00+00:00"}}))
    return output, folder


def _parts(message):
    return (message.get_body(("plain",)).get_content(),
            message.get_body(("html",)).get_content())


def test_digest_holds_the_figures_their_change_notices_link_and_pdf(tmp_path):
    output, folder = _published(tmp_path)
    delivery = Delivery(mail_to=("a@example.com",), base_url="https://reports.example.com/",
                        attach_pdf=True, smtp=_smtp("localhost", 25))
    message = digest_message(folder, output, delivery=delivery, lang="en")
    text, page = _parts(message)
    assert message["Subject"] == "Support report ready: messages March 2024"
    assert message["Content-Language"] == "en"
    # 150 vs 120 contacts: +25%; 30 min vs 60 min: -50%; 5 vs 5: ±0%; 20% vs 25%: -5 points.
    for row in ("Contacts", "150", "120", "+25%", "30 min", "1 h", "−50%", "±0%", "20.0%",
                "25.0%", "−5.0 pts"):
        assert row in text and html.escape(row) in page, row
    assert "Figures as of 31 Mar 2024 09:00" in text  # 12:00 UTC in São Paulo
    assert "Not updated" in text and "twcs/2017-W44: failed" in text
    assert "messages/2024-03: " not in text  # a published report is not a notice
    assert "https://reports.example.com/messages/2024-03/summary.html" in text
    assert 'href="https://reports.example.com/messages/2024-03/summary.html"' in page
    assert "https://reports.example.com/index.html" in text
    assert 'href="https://reports.example.com/definitions.html"' in page
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "messages-2024-03.pdf"
    assert attachment.get_content() == b"%PDF-1.4 fixture"


def test_portuguese_digest_is_in_portuguese_with_its_number_notation(tmp_path):
    output, folder = _published(tmp_path, {**SUMMARY, "synthetic": True})
    delivery = Delivery(mail_to=("a@example.com",), smtp=_smtp("localhost", 25))
    message = digest_message(folder, output, delivery=delivery, lang="pt-BR")
    text, page = _parts(message)
    assert message["Subject"] == ("Relatório de atendimento pronto: messages Março de 2024 "
                                  "(dados sintéticos)")
    assert message["Content-Language"] == "pt-BR" and '<html lang="pt">' in page
    assert "Contatos" in text and "20,0%" in text and "−5,0 p.p." in text
    assert "Não atualizado" in text and "falhou" in text
    assert "DADOS SINTÉTICOS" in page
    assert not list(message.iter_attachments())  # not asked for
    # No base URL: the local files, the Portuguese index and definitions.
    for name in ("index.pt-BR.html", "definitions.pt-BR.html"):
        assert (output / name).resolve().as_uri() in text and (output / name).resolve().as_uri() in page


def test_portuguese_operator_notice_links_the_portuguese_index(tmp_path):
    delivery = Delivery(operator="ops@example.com", base_url="https://reports.example.com")
    message = notice_message({"source": "messages", "period": "2024-03"}, "failed", "boom",
                             delivery=delivery, output=tmp_path, lang="pt-BR")
    assert "https://reports.example.com/index.pt-BR.html" in message.get_content()


@settings(max_examples=30, deadline=None)
@given(description=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                           min_size=1, max_size=40))
def test_digest_html_escapes_every_value(tmp_path_factory, description):
    output, folder = _published(tmp_path_factory.mktemp("d"),
                                {**SUMMARY, "description": f"<b>{description}</b>"})
    delivery = Delivery(mail_to=("a@example.com",), smtp=_smtp("localhost", 25))
    _, page = _parts(digest_message(folder, output, delivery=delivery, lang="en"))
    assert html.escape(f"<b>{description}</b>") in page
    assert "<b>" not in page


def test_digest_arrives_through_a_real_smtp_server(tmp_path, smtp_server, capsys):
    inbox, host, port = smtp_server
    output, folder = _published(tmp_path)
    delivery = Delivery(mail_to=("a@example.com", "b@example.com"), attach_pdf=True,
                        smtp=_smtp(host, port))
    assert deliver(delivery, state="published", where={"source": "messages",
                                                       "period": "2024-03", "lang": "en"},
                   output=output, folder=folder) is True
    [(recipients, message)] = inbox.messages
    assert recipients == ("a@example.com", "b@example.com")
    assert message["Subject"] == "Support report ready: messages March 2024"
    assert message["From"] == "reports@example.com"
    assert "+25%" in message.get_body(("plain",)).get_content()
    assert [a.get_content() for a in message.iter_attachments()] == [b"%PDF-1.4 fixture"]
    assert capsys.readouterr().out == "mailed digest of messages 2024-03 to 2 recipient(s)\n"


def test_a_server_that_is_down_gives_one_line_and_no_exception(tmp_path, capsys):
    output, folder = _published(tmp_path)
    port = _free_port()  # nothing listens there
    delivery = Delivery(mail_to=("a@example.com",), smtp=_smtp("127.0.0.1", port))
    sent = deliver(delivery, state="published", where={"source": "messages",
                                                       "period": "2024-03"},
                   output=output, folder=folder)
    err = capsys.readouterr().err
    assert sent is False
    assert err.startswith(f"mail: not sent: digest of messages 2024-03 to 1 recipient(s) via "
                          f"127.0.0.1:{port}: ConnectionRefusedError: ")
    assert err.count("\n") == 1


def test_login_uses_the_password_from_the_environment(tmp_path, monkeypatch):
    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        seen.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"from-env")

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(),
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    try:
        config = tmp_path / "smtp.toml"
        config.write_text('[smtp]\nhost = "nowhere.invalid"\nport = 2525\nuser = "file-user"\n'
                          'starttls = true\n')
        monkeypatch.setattr(delivery_module, "suite_root", lambda: tmp_path / "repo")
        smtp = smtp_settings(config, {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(controller.port),
                                      "SMTP_STARTTLS": "false", "SMTP_USER": "env-user",
                                      "SMTP_PASSWORD": "from-env"})
        output, folder = _published(tmp_path)
        message = digest_message(folder, output, delivery=Delivery(mail_to=("a@example.com",),
                                                                   smtp=smtp), lang="en")
        assert send(message, smtp, "digest") is True
    finally:
        controller.stop()
    assert seen == [(b"env-user", b"from-env")] and len(inbox.messages) == 1


def test_environment_wins_over_the_config_file(tmp_path, monkeypatch):
    config = tmp_path / "smtp.toml"
    config.write_text('[smtp]\nhost = "smtp.example.com"\nport = 2525\nuser = "u"\n'
                      'password = "outside-the-repo"\nfrom = "r@example.com"\n')
    monkeypatch.setattr(delivery_module, "suite_root", lambda: tmp_path / "repo")
    assert smtp_settings(config, {}) == SmtpSettings(
        host="smtp.example.com", port=2525, sender="r@example.com", user="u",
        password="outside-the-repo", starttls=True)
    env = {"SMTP_HOST": "relay", "SMTP_PORT": "25", "SMTP_STARTTLS": "no", "SMTP_PASSWORD": "p"}
    assert smtp_settings(config, env) == SmtpSettings(
        host="relay", port=25, sender="r@example.com", user="u", password="p", starttls=False)
    assert smtp_settings(None, {"SMTP_HOST": "relay"}).port == 587  # STARTTLS by default


def test_a_password_in_a_repository_file_is_refused(tmp_path, monkeypatch):
    config = tmp_path / "smtp.toml"
    config.write_text('[smtp]\nhost = "smtp.example.com"\npassword = "secret"\n')
    monkeypatch.setattr(delivery_module, "suite_root", lambda: tmp_path)
    with pytest.raises(InputError, match="password in a file of the repository.*SMTP_PASSWORD"):
        smtp_settings(config, {})


@pytest.mark.parametrize("env, message", [
    ({}, "no SMTP server given"),
    ({"SMTP_HOST": "h", "SMTP_PORT": "smtp"}, "SMTP_PORT: not a port number"),
    ({"SMTP_HOST": "h", "SMTP_PORT": "70000"}, "SMTP_PORT: not a port number"),
    ({"SMTP_HOST": "h", "SMTP_STARTTLS": "maybe"}, "SMTP_STARTTLS: not a yes/no value"),
])
def test_bad_smtp_settings_are_one_line_errors(env, message):
    with pytest.raises(InputError, match=message):
        smtp_settings(None, env)


class _Args:
    mail_to = mail_operator = attach_pdf = base_url = smtp_config = pdf = None
    no_mail = False


def test_the_registry_delivery_table_gives_defaults_and_options_override_it():
    registry = {"delivery": {"mail_to": ["m@example.com"], "operator": "ops@example.com",
                             "base_url": "https://r.example.com", "attach_pdf": True}}
    args = _Args()
    delivery = delivery_from_args(args, registry, {"SMTP_HOST": "relay"})
    assert (delivery.mail_to, delivery.operator, delivery.pdf) == (
        ("m@example.com",), "ops@example.com", True)
    args.mail_to = ["x@example.com,y@example.com"]
    assert delivery_from_args(args, registry, {"SMTP_HOST": "relay"}).mail_to == (
        "x@example.com", "y@example.com")
    args.no_mail = True
    assert not delivery_from_args(args, registry, {}).mails  # no SMTP needed then
    with pytest.raises(InputError, match="password in the registry"):
        delivery_from_args(_Args(), {"delivery": {"password": "x"}}, {})
    with pytest.raises(InputError, match="not an e-mail address.*found 'nobody'"):
        delivery_from_args(_Args(), {"delivery": {"mail_to": ["nobody"]}}, {})


# Through the CLI, on the renderer's fixture notebooks ---------------------------------------

LOG = """message_id,conversation_id,customer_id,channel,sent_at,direction,author_type,agent_id,text
m1,c1,u1,chat,2024-03-04T10:00:00-03:00,inbound,customer,,<script>alert(1)</script>
m2,c1,,chat,2024-03-04T10:05:00-03:00,outbound,agent,a1,ok
m3,c2,u2,email,2024-03-05T11:00:00-03:00,inbound,customer,,help
"""


def _render(tmp_path, monkeypatch, host, port, *extra, registry="registry_ok.toml"):
    log = tmp_path / "log.csv"
    log.write_text(LOG)
    monkeypatch.setenv("SMTP_HOST", host)
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("SMTP_STARTTLS", "false")
    return main(["render", "--messages", str(log), "--period", "2024-03", "--workers", "1",
                 "--registry", str(FIXTURES / registry), "--output", str(tmp_path / "reports"),
                 "--base-url", "https://reports.example.com", *extra])


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run "
                                             "installs it); the PDF digest test is skipped")
def test_render_mails_the_digest_with_the_published_pdf(tmp_path, monkeypatch, smtp_server):
    inbox, host, port = smtp_server
    code = _render(tmp_path, monkeypatch, host, port, "--mail-to", "m@example.com",
                   "--mail-operator", "ops@example.com", "--attach-pdf")
    assert code == 0
    [(recipients, message)] = inbox.messages  # the digest only: no operator notice
    assert recipients == ("m@example.com",)
    assert message["Subject"] == "Support report ready: messages March 2024"
    text, page = _parts(message)
    assert "Contacts" in text and " 2 " in text  # two contacts in the fixture log
    assert "https://reports.example.com/messages/2024-03/ok.html" in text
    assert "alert(1)" not in text and "alert(1)" not in page  # no customer text
    published = tmp_path / "reports" / "messages" / "2024-03" / "messages-2024-03.pdf"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content() == published.read_bytes()


@pytest.mark.slow
def test_a_failed_render_sends_the_operator_notice_only(tmp_path, monkeypatch, smtp_server,
                                                         capsys):
    inbox, host, port = smtp_server
    code = _render(tmp_path, monkeypatch, host, port, "--mail-to", "m@example.com",
                   "--mail-operator", "ops@example.com", registry="registry_fail.toml")
    assert code == 1
    [(recipients, message)] = inbox.messages
    assert recipients == ("ops@example.com",)
    assert message["Subject"] == "Support report FAILED: messages 2024-03"
    body = message.get_body(("plain",)).get_content()
    assert "Exit status: 1" in body and "notebook fail failed" in body
    assert "https://reports.example.com/index.html" in body
    assert "mailed failed notice of messages 2024-03" in capsys.readouterr().out


@pytest.mark.slow
def test_a_server_that_is_down_never_fails_the_publish(tmp_path, monkeypatch, capsys):
    port = _free_port()
    code = _render(tmp_path, monkeypatch, "127.0.0.1", port, "--mail-to", "m@example.com")
    out, err = capsys.readouterr()
    assert code == 0 and "rendered" in out
    assert (tmp_path / "reports" / "messages" / "2024-03" / "ok.html").exists()
    [line] = [x for x in err.splitlines() if x.startswith("mail:")]
    assert line.startswith(f"mail: not sent: digest of messages 2024-03 to 1 recipient(s) via "
                           f"127.0.0.1:{port}: ConnectionRefusedError")
