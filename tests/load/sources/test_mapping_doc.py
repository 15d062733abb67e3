"""Every example of docs/mapping.md runs as printed, and every mapping key is in one of them.

The TOML blocks (```toml example=NAME) and the CSV blocks (```csv file=NAME) are parsed out of
the page; the test writes the CSV blocks, and the Excel, cp1252 and DuckDB files the page
describes, next to each mapping and checks figures derived by hand from the page's data.
"""

import re
import tomllib
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics.errors import InputError
from analytics.load.sources import mapping as mapping_module
from analytics.load.sources.mapping import load_mapped
from analytics.metrics.summary import Settings, analyse

DOC = Path(__file__).resolve().parents[3] / "docs" / "mapping.md"
BLOCK = re.compile(r"```(toml|csv) (example|file)=(\S+)\n(.*?)```", re.DOTALL)


def _blocks():
    found = {"toml": {}, "csv": {}}
    for kind, _, name, body in BLOCK.findall(DOC.read_text(encoding="utf-8")):
        found[kind][name] = body
    return found


BLOCKS = _blocks()


def run(tmp_path, name, **files):
    """Write the page's CSV blocks, the extra ``files`` and the example; load it."""
    for file, body in BLOCKS["csv"].items():
        (tmp_path / file).write_text(body, encoding="utf-8")
    for file, content in files.items():
        content(tmp_path / file)
    path = tmp_path / "mapping.toml"
    path.write_text(BLOCKS["toml"][name], encoding="utf-8")
    return load_mapped(path)


def facts(log):
    return analyse(log, Settings(), "UTC").facts.set_index("conversation_id")


def test_the_page_has_one_example_per_layout():
    assert set(BLOCKS["toml"]) == {"messages", "tickets", "excel", "semicolon", "query"}


def test_every_mapping_key_is_in_an_example():
    used = {"": set(), "derive": set(), "filter": set(), "event_filter": set()}
    for body in BLOCKS["toml"].values():
        config = tomllib.loads(body)
        used[""] |= set(config) | {f"input.{key}" for key in config["input"]}
        for table in ("derive", "filter", "event_filter"):
            used[table] |= set(config.get(table, {}))
    assert set(mapping_module._TABLES) <= used[""]
    assert {f"input.{key}" for key in mapping_module._INPUT_KEYS} <= used[""]
    assert set(mapping_module._DERIVE_KEYS) <= used["derive"]
    assert used["filter"] == {"keep", "drop"} and "keep" in used["event_filter"]
    text = DOC.read_text(encoding="utf-8")
    for key in mapping_module._INPUT_KEYS + mapping_module._DERIVE_KEYS:
        assert f"`{key}" in text, key


def test_messages_example(tmp_path):
    log = run(tmp_path, "messages")
    assert log.messages["message_id"].tolist() == ["1", "2", "5", "6"]
    assert log.messages["author_type"].tolist() == ["customer", "system", "agent", "customer"]
    figures = facts(log)
    assert figures.loc["T1", "first_response_s"] == 45 * 60
    assert pd.isna(figures.loc["T2", "first_response_s"])
    assert log.events[["conversation_id", "event"]].values.tolist() == [["T1", "resolved"]]
    assert log.events["at"].iloc[0] == pd.Timestamp("2024-03-04 13:00", tz="UTC")
    assert log.description == "Chat export of March 2024"


def test_tickets_example(tmp_path):
    log = run(tmp_path, "tickets")
    figures = facts(log)
    assert figures.loc["3001", "first_response_s"] == 86_400
    assert figures.loc["3002", "first_response_s"] == 0
    assert pd.isna(figures.loc["3003", "first_response_s"])
    assert figures["resolved"].fillna(False).tolist() == [True, False, False]
    assert (log.time_precision, log.message_detail, log.agent_ids) == (
        "day", "milestones", "company")
    # Noon UTC on 29 July 2013 (no source_tz).
    assert log.messages["sent_at"].min() == pd.Timestamp("2013-07-29 12:00", tz="UTC")


def test_excel_example(tmp_path):
    def xlsx(path):
        pd.DataFrame({"Message": [1, 2], "Case": ["K1", "K1"],
                      "Timestamp": [1709546400000, 1709547300000], "Channel": ["WhatsApp"] * 2,
                      "From": ["customer", "agent"], "Direction": ["inbound", "outbound"]}
                     ).to_excel(path, sheet_name="Messages", index=False)

    log = run(tmp_path, "excel", **{"export.xlsx": xlsx})
    assert log.messages["sent_at"].tolist() == [pd.Timestamp("2024-03-04 10:00", tz="UTC"),
                                                pd.Timestamp("2024-03-04 10:15", tz="UTC")]
    assert facts(log).loc["K1", "first_response_s"] == 15 * 60
    assert set(log.messages["channel"]) == {"whatsapp"}


def _chamados(path):
    path.write_bytes("Chamado;Data;Canal;Autor\nC1;05/03/2024 09:00;Ligação;Cliente\n"
                     "C1;05/03/2024 09:30;Ligação;Atendente\n".encode("cp1252"))


def test_semicolon_example(tmp_path):
    log = run(tmp_path, "semicolon", **{"chamados.csv": _chamados})
    assert log.messages["sent_at"].iloc[0] == pd.Timestamp("2024-03-05 12:00", tz="UTC")
    assert set(log.messages["channel"]) == {"phone"}
    assert log.messages["message_id"].tolist() == ["row-1", "row-2"]
    assert facts(log).loc["C1", "first_response_s"] == 30 * 60


def test_semicolon_example_without_encoding_names_the_key(tmp_path):
    _chamados(tmp_path / "chamados.csv")
    path = tmp_path / "mapping.toml"
    path.write_text(BLOCKS["toml"]["semicolon"].replace('encoding = "cp1252"', ""),
                    encoding="utf-8")
    with pytest.raises(InputError, match=r'expected \[input\] encoding = "cp1252" in mapping.toml'):
        load_mapped(path)


def test_query_example(tmp_path):
    def database(path):
        with duckdb.connect(str(path)) as db:
            db.execute("CREATE TABLE conversations (id INTEGER, customer VARCHAR, "
                       "channel VARCHAR, closed TIMESTAMPTZ)")
            db.execute("CREATE TABLE messages (id INTEGER, conversation INTEGER, "
                       "sent TIMESTAMPTZ, from_customer BOOLEAN, internal BOOLEAN)")
            db.execute("INSERT INTO conversations VALUES (1, 'c1', 'email', "
                       "'2024-03-04 12:00:00+00'), (2, 'c2', 'chat', NULL)")
            db.execute("INSERT INTO messages VALUES "
                       "(1, 1, '2024-03-04 09:00:00+00', true, false),"
                       "(2, 1, '2024-03-04 09:10:00+00', false, true),"
                       "(3, 1, '2024-03-04 10:00:00+00', false, false),"
                       "(4, 2, '2024-03-04 11:00:00+00', true, false)")

    log = run(tmp_path, "query", **{"helpdesk.duckdb": database})
    figures = facts(log)
    assert figures.loc["1", "first_response_s"] == 3600  # the internal note does not answer
    assert pd.isna(figures.loc["2", "first_response_s"])
    assert log.events["conversation_id"].tolist() == ["1"]


@pytest.mark.slow
def test_tickets_export_renders_without_hour_level_claims(tmp_path):
    """A one-row-per-ticket export with US dates: the pages carry the dates-only caveat and
    name the busiest day, never a busiest hour or an out-of-hours share."""
    from analytics.cli import main

    rows = [f"{4000 + i},3/{1 + i % 28}/2024,3/{1 + (i + i % 3) % 28}/2024,,Web,Acme\n"
            for i in range(40) if (i + i % 3) % 28 >= i % 28]
    (tmp_path / "complaints.csv").write_text(
        "Complaint ID,Date received,Date sent to company,Date closed,Submitted via,Company\n"
        + "".join(rows), encoding="utf-8")
    (tmp_path / "mapping.toml").write_text(BLOCKS["toml"]["tickets"], encoding="utf-8")
    out = tmp_path / "reports"
    assert main(["render", "--mapping", str(tmp_path / "mapping.toml"), "--period", "2024-03",
                 "--sla", "1d", "--notebooks", "summary", "response_times", "--output",
                 str(out)]) == 0
    pages = {page.stem: page.read_text(encoding="utf-8") for page in out.rglob("*.html")}
    for name in ("summary", "response_times"):
        assert "Dates only:" in pages[name]
        assert "busiest hour" not in pages[name] and "outside working hours" not in pages[name]
    assert "The busiest day was" in pages["response_times"]
