"""Page furniture shared by every page (analytics.report.sentences._common): headings, the
previous-period bracket, the reason periods are not compared, the definitions box."""

import pytest

from analytics.report import sentences
from analytics.report.sentences._common import versus

pytestmark = pytest.mark.usefixtures("_house_style")


def test_versus_quotes_the_previous_period_only_when_the_periods_compare(summary, alone):
    assert versus(summary, "32.3%", "en") == " (32.3% in September 2026)"
    assert versus(summary, "32,3%", "pt-BR") == " (32,3% em setembro de 2026)"
    assert versus(summary, "32.3%", "en", joined=True) == "; 32.3% in September 2026"
    assert versus(alone, "32.3%", "en") == versus(alone, "32.3%", "en", joined=True) == ""


def test_comparison_note_names_the_reason(summary, alone):
    assert sentences.comparison_note(summary, "en") == ""
    assert sentences.comparison_note(alone, "en") == (
        "No change against September 2026 is shown: this period has 1,669 contacts and "
        "September 2026 had 35, and a comparison needs at least 100 in each.")
    # Enough contacts, but data on 10 of September's 30 days against 31 of October's 31.
    summary["previous"]["days_with_contacts"] = 10
    note = sentences.comparison_note(summary, "pt-BR")
    assert note.startswith("Nenhuma variação em relação a setembro de 2026 é mostrada")
    assert "contatos em 31 de seus 31 dias e setembro de 2026 em 10 de 30" in note


def test_headings_name_companies_where_the_source_names_companies():
    assert sentences.heading("agents", "pt-BR", "company") == "## Primeira resposta por empresa"
    assert sentences.heading("agents", "pt-BR") == "## Primeira resposta por atendente"
    # A heading with no company wording keeps its own.
    assert sentences.heading("mix", "en", "company") == sentences.heading("mix", "en")


def test_no_contacts_names_the_period(summary):
    summary["period"]["label"] = "2024-W45"
    assert "week of 4 Nov 2024" in sentences.no_contacts(summary, "en")


def test_definitions_print_the_page_parameters(twcs_report):
    repeat = sentences.definitions(twcs_report, "repeat_contacts")
    assert "3 ou mais contatos" in repeat and "Canais públicos" not in repeat
    channel = sentences.definitions(twcs_report, "channel_usage")
    assert "Canais públicos (a tabela padrão documentada): consumidor.gov.br" in channel
    assert "clientes frequentes" not in sentences.definitions(twcs_report).lower()
