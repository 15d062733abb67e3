"""The page tables (analytics.report.tables): formatted strings in the reader's language, on
hand-made facts and summaries and on the bundled samples."""

import re

import pandas as pd
import pytest
from helpers import PERIOD

from analytics.metrics import repeats
from analytics.report import i18n, sentences, tables

pytestmark = pytest.mark.usefixtures("_house_style")


def test_cross_channel_table_lists_repeats_by_channel_pair(contacts):
    table = tables.cross_channel_table(contacts, "en")
    assert table.to_dict("list") == {
        "First contact on": ["Chat", "Email"], "Came back on": ["Email", "Chat"],
        "Same channel": ["no", "no"], "Repeats": ["1", "1"],
        "Share of repeats": ["50.0%", "50.0%"]}


def test_tables_are_formatted_strings_in_the_reader_language(twcs_report):
    for table in (tables.sla_table(twcs_report), tables.channel_table(twcs_report),
                  tables.public_private_table(twcs_report),
                  tables.headline_table(twcs_report.summary, "pt-BR")):
        assert len(table) > 0
        assert all(pd.api.types.is_string_dtype(table[c]) for c in table.columns)
    sla = tables.sla_table(twcs_report)
    assert list(sla.columns)[:2] == ["Canal", "Contatos"]
    assert sla.iloc[0, 1] == "950"
    assert "Respondidos em até 1 h" in sla.columns


def test_headline_table_shows_n_previous_and_change_and_never_zero_for_missing():
    summary = {
        "contacts": 1000, "customers": 8, "parameters": {"sla": "1h"},
        "previous_period": {"label": "2024-10"},
        "first_response": {"n": 9, "median_s": 600.0, "p90_s": 7200.0, "within_sla": 0.5,
                           "unanswered": 1},
        "first_response_business": {"n": 9, "median_s": 300.0},
        "reply_time": {"n": 12, "median_s": 900.0},
        "resolution_first": {"available": False},
        "reopened": None,
        "repeat_contacts": {"window_days": 7.0, "eligible": 10, "rate": 0.2, "cross_channel": 1,
                            "excluded_no_lookahead": 0, "identity_coverage": 1.0},
        "previous": {"contacts": 800, "customers": 8,
                     "first_response": {"n": 0, "median_s": None, "p90_s": None,
                                        "within_sla": None, "unanswered": 0},
                     "repeat_contacts": {"rate": 0.25}},
    }
    table = tables.headline_table(summary, "en")
    assert list(table.columns) == ["Figure", "Value", "Based on (contacts or replies)",
                                   "Previous period (October 2024)", "Change"]
    rows = table.set_index("Figure")
    assert rows.loc["Contacts", "Change"] == "+25%"
    assert rows.loc["Median time to first answer", "Value"] == "10 min"
    assert rows.loc["Median time to first answer", "Based on (contacts or replies)"] == "9"
    assert rows.loc["Median time to first answer", "Previous period (October 2024)"] == "n/a"
    assert rows.loc["Repeat contact rate (7 days)", "Change"] == "−5.0 pts"
    assert "Median time to resolve" not in rows.index  # not recorded by the source
    assert rows.loc["First answers within the 1 h target", "Value"] == "50.0%"
    assert sentences.comparison_note(summary, "en") == ""
    # Below 100 contacts in either period there is no change column, and the page says why.
    small = {**summary, "contacts": 950, "previous": {**summary["previous"], "contacts": 35}}
    assert list(tables.headline_table(small, "en").columns) == [
        "Figure", "Value", "Based on (contacts or replies)"]  # no previous value either
    assert sentences.comparison_note(small, "en") == (
        "No change against October 2024 is shown: this period has 950 contacts and "
        "October 2024 had 35, and a comparison needs at least 100 in each.")
    # Enough contacts, but data on 10 of 30 days against 31 of 31: 0.33 < 0.5 x 1.0.
    partial = {**summary, "days_with_contacts": 10, "days": 30,
               "previous": {**summary["previous"], "days_with_contacts": 31, "days": 31}}
    assert "Change" not in tables.headline_table(partial, "en").columns
    assert sentences.comparison_note(partial, "pt-BR") == (
        "Nenhuma variação em relação a outubro de 2024 é mostrada: este período tem contatos em "
        "10 de seus 30 dias e outubro de 2024 em 31 de 31; uma comparação precisa de cobertura "
        "parecida (pelo menos metade dos dias com dados).")
    half = {**partial, "days_with_contacts": 15}  # 0.5 >= 0.5 x 1.0: compared
    assert "Change" in tables.headline_table(half, "en").columns
    assert sentences.comparison_note(half, "en") == ""


def test_table_html_hides_the_index_and_left_aligns_the_leading_text_columns(contacts):
    html = tables.table_html(tables.cross_channel_table(contacts)).to_html()
    assert "row_heading" not in html
    assert "First contact on" in html
    for i in range(3):  # first channel, next channel, same channel
        assert re.search(rf"th.col_heading.col{i} {{\s*text-align: left", html)
    assert not re.search(r"th.col_heading.col3 {\s*text-align: left", html)


#: A summary of the fixture's week whose previous week can be compared (both >= 100 contacts).
COMPARABLE_WEEK = {"contacts": 120, "previous_period": {"label": "2024-W44"},
                   "previous": {"contacts": 110}}


def test_repeat_channel_table_has_n_beside_each_rate_and_all_channels_last(facts):
    trend = repeats.repeat_trend(facts, period=PERIOD)
    table = tables.repeat_channel_table(trend, COMPARABLE_WEEK, lang="en")
    assert table.columns.tolist() == ["Channel", "Repeat rate", "Contacts judged",
                                      "Rate in week of 28 Oct 2024", "Judged in week of 28 Oct 2024",
                                      "Change"]
    rows = table.set_index("Channel")
    assert table["Channel"].iloc[-1] == "All channels"
    assert rows.loc["All channels", "Repeat rate"] == "40.0%"   # 2 of 5 judged
    assert rows.loc["All channels", "Contacts judged"] == "5"
    assert rows.loc["All channels", "Rate in week of 28 Oct 2024"] == "n/a"  # nothing to judge
    assert rows.loc["Email", "Repeat rate"] == "50.0%"
    small = {**COMPARABLE_WEEK, "previous": {"contacts": 35}}
    assert tables.repeat_channel_table(trend, small, lang="en").columns.tolist() == [
        "Channel", "Repeat rate", "Contacts judged"]


def test_headline_table_of_the_repeat_page_shows_fcr_cross_share_and_frequent_with_k():
    summary = {
        "contacts": 10, "customers": 8, "parameters": {"sla": "1h"},
        "previous_period": {"label": "2024-10"},
        "repeat_contacts": {"window_days": 7.0, "eligible": 10, "rate": 0.2, "fcr": 0.8,
                            "repeated": 2, "cross_channel": 1, "cross_channel_share": 0.5,
                            "excluded_no_lookahead": 0, "identity_coverage": 1.0},
        "frequent_contacters": {"k": 4, "customers": 1, "share_customers": 0.125,
                                "contacts": 4, "share_contacts": 0.4},
        "previous": {"contacts": 0, "customers": 0, "repeat_contacts": {"rate": None}},
    }
    table = tables.headline_table(summary, "pt-BR", areas=("repeat_detail",))
    rows = table.set_index("Indicador")["Valor"]
    assert rows["Resolvidos no primeiro contato (sem novo contato em 7 dias)"] == "80,0%"
    assert rows["Parcela das repetições que vieram por outro canal"] == "50,0%"
    assert rows["Clientes com 4 ou mais contatos"] == "12,5%"
    assert rows["Contatos feitos por clientes com 4 ou mais contatos"] == "40,0%"


@pytest.fixture(scope="module")
def consumidor_report():
    from analytics.report.context import prepare

    return prepare(source="consumidor_gov", period="2014-12", tz="America/Sao_Paulo",
                   lang="en", sla="10d")


def test_purchase_channel_and_contacted_before_tables_on_consumidor_gov(consumidor_report):
    purchase = tables.purchase_channel_table(consumidor_report)
    assert all(pd.api.types.is_string_dtype(purchase[c]) for c in purchase.columns)
    assert purchase.iloc[0, 0] == "Internet" and "Shop" in purchase.iloc[:, 0].tolist()
    counts = purchase["Complaints"].str.replace(",", "").astype(int)
    assert counts.is_monotonic_decreasing and counts.sum() == 8723
    assert re.fullmatch(r"\d+\.\d% \([\d,]+\)",
                        purchase["Resolved, in the consumer's words (evaluated)"].iloc[0])
    segments = tables.contacted_before_table(consumidor_report, by="segment", top=5)
    companies = tables.contacted_before_table(consumidor_report, by="company", top=3)
    assert len(segments) == 5 + 1 and len(companies) == 3 + 1  # + every complaint
    assert segments.iloc[-1].tolist() == ["All complaints", "8,723", "90.4% (7,887)"]
    assert companies.columns.tolist()[0] == "Company"
    assert "  " not in "".join(segments.iloc[:, 0])  # source double spaces tidied
    text = sentences.purchase_sentence(consumidor_report)
    assert "at least 100 evaluated complaints" in text
    before = sentences.contacted_before_sentence(consumidor_report)
    assert before.startswith("90.4% of the complaints (7,887 of 8,723)")
    fcr = sentences.fcr_sentence(consumidor_report)
    assert "90.4%" in fcr and "at most one answer per contact" in fcr


def test_tables_show_no_change_where_the_periods_cannot_be_compared(twcs_report):
    # twcs 2017-W44: 950 contacts against 35 the week before (floor: 100 in each), so no
    # "+2,614 %" anywhere, and no previous value quoted beside a figure either.
    summary = twcs_report.summary
    assert summary["contacts"] == 950 and summary["previous"]["contacts"] == 35
    change = i18n.t("table.change", "pt-BR")
    previous = i18n.t("table.previous", "pt-BR", period="semana de 23 out. 2017")
    trend = twcs_report.repeat_trend
    for table in (tables.channel_table(twcs_report), tables.voice_table(twcs_report),
                  tables.independence_table(summary, "pt-BR"),
                  tables.dependency_table(summary, "pt-BR"),
                  tables.headline_table(summary, "pt-BR"),
                  tables.repeat_channel_table(trend, summary, "pt-BR")):
        assert not table.empty and change not in table.columns
        assert not any(c.startswith(("Período anterior", "Taxa em", "Avaliados em"))
                       for c in table.columns), table.columns
    comparable = {**summary, "previous": {**summary["previous"], "contacts": 500}}
    assert change in tables.independence_table(comparable, "pt-BR").columns
    assert previous in tables.dependency_table(comparable, "pt-BR").columns


def test_contacts_per_customer_reads_as_its_sentence_writes_it(twcs_report):
    # 950 contacts of 931 customers: 1.02, which "1.0" would round into no repeat at all.
    summary = twcs_report.summary
    rows = tables.dependency_table(summary, "pt-BR").set_index("Indicador")
    assert rows.loc[i18n.t("dep.row.cpc", "pt-BR"), "Valor"] == "1,02"
    assert "**1,02**" in sentences.learning_sentence(summary, "pt-BR")


def test_format_columns_writes_each_row_in_its_own_kind():
    # A table whose rows are different figures: the kind column says how each is written.
    frame = pd.DataFrame({"value": [1.024, 0.25, None], "kind": ["number2", "share", "share"],
                          "n": [950, 40, None]}).astype(object)
    table = tables.format_columns(frame, [("table.value", "value", "kind"),
                                          ("table.based_on", "n", "base")], "pt-BR")
    assert table.to_dict("list") == {"Valor": ["1,02", "25,0%", "n/d"],
                                     "Base": ["950", "40", ""]}
    with pytest.raises(KeyError):
        tables.format_columns(frame, [("table.value", "value", "no_such_kind")], "en")


def test_self_service_and_cost_tables_from_hand_set_figures():
    summary = {"dependency": {
        "self_service": {"available": True, "by_source": {"faq": 30, "app": 120},
                         "by_topic": {"billing": {"sessions": 1234, "contacts": 500,
                                                  "score": 2.468},
                                      "login": {"sessions": 0, "contacts": 0, "score": None}}},
        "avoidable_cost": {"currency": "BRL", "by_channel": {
            "chat": {"how_to": 10, "unit": 5.0, "total": 50.0},
            "email": {"how_to": 4, "unit": 20.5, "total": 82.0}}}}}
    assert tables.self_service_table(summary, "en").to_dict("list") == {
        "Topic": ["billing", "login"], "Self-service sessions": ["1,234", "0"],
        "Contacts": ["500", "0"], "Sessions per assisted contact": ["2.5", "n/a"]}
    summary["dependency"]["self_service"]["by_topic"] = None
    by_source = tables.self_service_table(summary, "en")
    assert by_source.iloc[:, 1].tolist() == ["120", "30"]  # most sessions first
    cost = tables.avoidable_cost_table(summary, "pt-BR")
    assert cost.to_dict("list") == {"Canal": ["E-mail", "Chat"], "Dúvidas": ["4", "10"],
                                    "Custo evitável por dúvida (BRL)": ["20,50", "5,00"],
                                    "Custo evitável (BRL)": ["82", "50"]}
    summary["dependency"]["avoidable_cost"]["by_channel"] = {}
    assert tables.avoidable_cost_table(summary, "en").empty
    summary["dependency"]["self_service"]["available"] = False
    assert tables.self_service_table(summary, "en").empty
