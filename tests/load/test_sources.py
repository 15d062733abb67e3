"""Built-in source adapters, on the samples bundled in ``data/`` (never on /work/shared)."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from helpers import ROOT

from analytics.errors import InputError
from analytics.load.schema import validate_messages
from analytics.load.sources import SOURCES, load_consumidor_gov, load_mapped, load_source, load_twcs
from analytics.load.sources.consumidor_gov import COLUMNS

DATA = ROOT / "data"
TWCS = DATA / "twcs" / "twcs_head5000.csv.gz"
CONSUMIDOR = DATA / "consumidor_gov" / "consumidor_gov_br_2014-05_2015-01.csv.gz"
CONSUMIDOR_RAW = DATA / "consumidor_gov" / "raw" / "2014-08.csv.gz"
MAPPING = DATA / "mapping_example" / "mapping.toml"
# Rows of the combined file before 2014-08 (2014-05, 06, 07).
ROWS_BEFORE_AUGUST = 70 + 585 + 5015


@pytest.fixture(scope="module")
def twcs():
    return load_twcs(TWCS)


@pytest.fixture(scope="module")
def twcs_all():
    return load_twcs(TWCS, keep_partial=True)


@pytest.fixture(scope="module")
def consumidor():
    return load_consumidor_gov(CONSUMIDOR)


@pytest.fixture(scope="module")
def consumidor_raw():
    return load_consumidor_gov(CONSUMIDOR_RAW)


def roots(log) -> pd.DataFrame:
    """Each twcs conversation's root message (its id is the conversation id) and attributes."""
    first = log.messages.set_index("message_id").reindex(log.conversation_attributes.index)
    return first.join(log.conversation_attributes)


def consumidor_lines(count: int) -> list[str]:
    """The header and the first ``count`` data rows of the bundled combined file."""
    with gzip.open(CONSUMIDOR, "rt", encoding="utf-8") as handle:
        return [next(handle).rstrip("\n") for _ in range(count + 1)]


def set_field(line: str, column: str, value: str) -> str:
    fields = line.split(";")
    fields[COLUMNS.index(column)] = value
    return ";".join(fields)


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fingerprint(folder: Path) -> dict:
    return {path: (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


# --- registry --------------------------------------------------------------------------------

def test_registry_names_and_unknown_source():
    assert set(SOURCES) == {"twcs", "consumidor_gov"}
    with pytest.raises(InputError, match="--source.*unknown source 'zendesk'.*twcs, consumidor_gov"):
        load_source("zendesk", TWCS)


def test_load_source_passes_options():
    log = load_source("consumidor_gov", CONSUMIDOR_RAW, encoding="cp1252")
    assert len(log.conversation_attributes) == 5404


def test_inputs_are_not_modified():
    before = fingerprint(DATA)
    load_twcs(TWCS)
    load_consumidor_gov(CONSUMIDOR_RAW)
    load_consumidor_gov([CONSUMIDOR_RAW])
    load_mapped(MAPPING)
    assert fingerprint(DATA) == before


# --- twcs ------------------------------------------------------------------------------------

def test_twcs_customer_started_threads(twcs):
    root = roots(twcs)
    complete = root[~root["root_has_missing_parent"]]
    started = complete[complete["direction"] == "inbound"]
    assert len(started) == 1285
    assert (started["customer_id"].value_counts() > 1).sum() == 19
    # Brands open the other threads (announcements that customers answer).
    assert (complete["direction"] == "outbound").sum() == 21


def test_twcs_partial_threads_are_flagged_when_kept(twcs_all):
    root = roots(twcs_all)
    partial = root[root["root_has_missing_parent"]]
    assert len(partial) == 6
    assert (partial["direction"] == "inbound").sum() == 3


def test_twcs_partial_threads_are_left_out_by_default(twcs, twcs_all):
    attributes = twcs_all.conversation_attributes
    partial = attributes.index[attributes["root_has_missing_parent"]]
    kept = twcs_all.messages[~twcs_all.messages["conversation_id"].isin(partial)]
    assert len(twcs.messages) == len(kept) < 5000
    assert not twcs.conversation_attributes["root_has_missing_parent"].any()
    assert "6 partial threads" in twcs.description


def test_twcs_messages_are_valid(twcs_all):
    twcs = twcs_all
    messages = twcs.messages
    assert len(messages) == 5000
    assert messages["message_id"].is_unique
    assert messages["message_id"].str.startswith("tw-").all()
    assert set(messages["conversation_id"]) == set(twcs.conversation_attributes.index)
    assert twcs.conversation_attributes.index.is_unique
    pd.testing.assert_frame_equal(validate_messages(messages), messages)
    assert (messages["channel"] == "twitter").all()
    inbound = messages["direction"] == "inbound"
    assert inbound.sum() == 2778
    assert (messages.loc[inbound, "author_type"] == "customer").all()
    assert messages.loc[inbound, "customer_id"].notna().all()
    assert messages.loc[~inbound, "customer_id"].isna().all()
    assert messages.loc[~inbound, "agent_id"].nunique() == 76
    assert twcs.source == "twcs" and twcs.time_precision == "second" and not twcs.synthetic
    assert "CC BY-NC-SA" in twcs.description


def test_twcs_company(twcs):
    company = twcs.conversation_attributes["company"]
    assert company.notna().all()
    assert company["tw-8"] == "sprintcare"


TWCS_HEADER = ("tweet_id,author_id,inbound,created_at,text,response_tweet_id,"
               "in_response_to_tweet_id")


def write_twcs(path: Path, rows: list[str]) -> Path:
    return write_lines(path, [TWCS_HEADER, *rows])


def test_twcs_threads_by_pointer_jumping(tmp_path):
    time = "Tue Oct 31 22:{:02d}:00 +0000 2017"
    path = write_twcs(tmp_path / "t.csv", [
        f"5,Brand,False,{time.format(5)},@9 sorry,,4",
        f"4,9,True,{time.format(4)},@Brand still,5,3",
        f"3,Brand,False,{time.format(3)},@9 hi,4,2",
        f"2,9,True,{time.format(2)},@Brand @Other help,3,",
        f"7,8,True,{time.format(7)},@Other @Brand me too,,6",
        f"10,11,True,{time.format(10)},@Other anyone?,,",
    ])
    log = load_twcs(path, keep_partial=True)
    conversation = log.messages.set_index("message_id")["conversation_id"]
    assert conversation[["tw-2", "tw-3", "tw-4", "tw-5"]].eq("tw-2").all()
    attributes = log.conversation_attributes
    assert attributes.loc["tw-2", "company"] == "Brand"
    # no brand reply: the first handle mentioned in the root
    assert attributes.loc["tw-10", "company"] == "Other"
    assert attributes["root_has_missing_parent"].to_dict() == {
        "tw-2": False, "tw-7": True, "tw-10": False}


def test_twcs_long_chain_is_one_thread(tmp_path):
    time = "Tue Oct 31 22:10:47 +0000 2017"
    chain = [f"{i},9,True,{time},hi,,{i - 1 if i > 1 else ''}" for i in range(1, 301)]
    log = load_twcs(write_twcs(tmp_path / "t.csv", chain[::-1]))
    assert set(log.messages["conversation_id"]) == {"tw-1"}


@pytest.mark.parametrize("cycle", [["1", "2"], ["1", "2", "3"]])
def test_twcs_reply_cycle_is_an_error(tmp_path, cycle):
    time = "Tue Oct 31 22:10:47 +0000 2017"
    parents = cycle[1:] + cycle[:1]
    rows = [f"{i},9,True,{time},a,,{p}" for i, p in zip(cycle, parents, strict=True)]
    path = write_twcs(tmp_path / "t.csv", [f"0,9,True,{time},root,,", *rows, f"8,9,True,{time},b,,1"])
    with pytest.raises(InputError, match="cycle") as caught:
        load_twcs(path)
    assert (caught.value.row, caught.value.column) == (2, "in_response_to_tweet_id")


@pytest.mark.parametrize(("row", "column", "match"), [
    ("2,9,True,31/10/2017 22:10,hi,,", "created_at", "cannot be read"),
    ("2,,True,Tue Oct 31 22:10:47 +0000 2017,hi,,", "author_id", "empty"),
    ("2,9,yes,Tue Oct 31 22:10:47 +0000 2017,hi,,", "inbound", "boolean"),
    ("2,9,True,Tue Oct 31 22:10:47 +0000 2017,hi,,x1", "in_response_to_tweet_id", "tweet id"),
    ("1,9,True,Tue Oct 31 22:10:47 +0000 2017,hi,,", "tweet_id", "duplicate"),
])
def test_twcs_bad_values_name_row_and_column(tmp_path, row, column, match):
    path = write_twcs(tmp_path / "t.csv", ["1,9,True,Tue Oct 31 22:10:47 +0000 2017,hi,,", row])
    with pytest.raises(InputError, match=match) as caught:
        load_twcs(path)
    assert (caught.value.row, caught.value.column) == (2, column)
    assert str(path) in str(caught.value)


# --- consumidor.gov.br -----------------------------------------------------------------------

def test_consumidor_conversations(consumidor):
    messages = consumidor.messages
    attributes = consumidor.conversation_attributes
    assert len(attributes) == 45772 and attributes.index.is_unique
    assert messages["conversation_id"].nunique() == 45772
    answered = set(messages.loc[messages["direction"] == "outbound", "conversation_id"])
    assert len(attributes) - len(answered) == 221
    assert messages["customer_id"].isna().all()
    assert (messages["channel"] == "consumidor_gov").all()
    assert attributes["company"].nunique() == 180
    assert (consumidor.events["event"] == "resolved").sum() == 45772
    assert consumidor.time_precision == "day" and consumidor.source == "consumidor_gov"


def test_consumidor_mean_response_days(consumidor):
    messages = consumidor.messages.set_index("conversation_id")
    opened = messages.loc[messages["direction"] == "inbound", "sent_at"]
    answered = messages.loc[messages["direction"] == "outbound", "sent_at"]
    days = (answered - opened.reindex(answered.index)).dt.total_seconds() / 86400
    # Data Resposta - Data Abertura exceeds Tempo Resposta on 323 rows (by 1 to 15 days), so
    # the message times give 6.63 days where the published Tempo Resposta gives 6.59.
    assert round(days.mean(), 2) == 6.63
    assert round(consumidor.conversation_attributes["response_days"].mean(), 2) == 6.59


def test_consumidor_dates_at_local_noon(consumidor):
    local = consumidor.messages["sent_at"].dt.tz_convert("America/Sao_Paulo")
    assert (local.dt.hour == 12).all() and (local.dt.minute == 0).all()
    first = consumidor.messages.set_index("message_id")["sent_at"]
    assert first["cg-consumidor_gov_br_2014-05_2015-01-1-in"] == pd.Timestamp(
        "2014-05-16 12:00", tz="America/Sao_Paulo")


def test_consumidor_attributes(consumidor):
    attributes = consumidor.conversation_attributes
    assert set(attributes["region"]) == {"SE", "S", "NE", "CO", "N"}
    assert str(attributes["score"].dtype) == "Int64"
    assert attributes["score"].isna().sum() == 13798
    assert round(attributes["score"].mean(), 2) == 3.03
    assert attributes["response_days"].isna().sum() == 221
    assert attributes["contacted_company_before"].sum() == 41698
    assert attributes["consumer_evaluation"].value_counts()["Resolvida"] == 19690
    assert attributes["purchase_channel"].value_counts()["Loja física"] == 10810
    assert not attributes["company"].str.endswith(" ").any()


def test_consumidor_raw_cp1252_month(consumidor, consumidor_raw):
    attributes = consumidor_raw.conversation_attributes
    assert len(attributes) == 5404
    assert attributes.index[0] == "cg-2014-08-1"
    assert (attributes["city"] == "Brasília").any()
    assert not attributes.apply(lambda column: column.astype("str").str.contains("\ufffd")).any().any()
    august = consumidor.conversation_attributes.iloc[ROWS_BEFORE_AUGUST:][:5404]
    pd.testing.assert_frame_equal(attributes.reset_index(drop=True),
                                  august.reset_index(drop=True))


def test_consumidor_forced_encoding_must_fit():
    with pytest.raises(InputError, match="cannot be decoded as utf-8"):
        load_consumidor_gov(CONSUMIDOR_RAW, encoding="utf-8")


def test_consumidor_folder_and_list(tmp_path):
    folder = tmp_path / "months"
    folder.mkdir()
    lines = consumidor_lines(4)
    write_lines(folder / "a.csv", lines[:3])
    raw = "\r\n".join(lines[3:]) + "\r\n"
    (folder / "b.csv.gz").write_bytes(gzip.compress(raw.encode("cp1252")))
    (folder / "notes.txt").write_text("not data")
    by_folder = load_consumidor_gov(folder)
    assert list(by_folder.conversation_attributes.index) == [
        "cg-a-1", "cg-a-2", "cg-b-1", "cg-b-2"]
    by_list = load_consumidor_gov([folder / "b.csv.gz", folder / "a.csv"])
    assert list(by_list.conversation_attributes.index) == [
        "cg-b-1", "cg-b-2", "cg-a-1", "cg-a-2"]


def test_consumidor_same_month_twice(tmp_path):
    write_lines(tmp_path / "2014-08.csv", consumidor_lines(1))
    with pytest.raises(InputError, match="same name"):
        load_consumidor_gov([tmp_path / "2014-08.csv", CONSUMIDOR_RAW])


def test_consumidor_bad_date_names_file_row_column(tmp_path):
    lines = consumidor_lines(4)
    lines[3] = set_field(lines[3], "Data Abertura", "31/02/2014")
    path = write_lines(tmp_path / "bad.csv", lines)
    with pytest.raises(InputError, match="the date cannot be read") as caught:
        load_consumidor_gov(path)
    assert (caught.value.row, caught.value.column) == (3, "Data Abertura")
    assert str(path) in str(caught.value) and caught.value.found == "31/02/2014"


def test_consumidor_wrong_field_count(tmp_path):
    lines = consumidor_lines(3)
    lines[2] = lines[2].rsplit(";", 2)[0]
    path = write_lines(tmp_path / "short.csv", lines)
    with pytest.raises(InputError, match="21 fields") as caught:
        load_consumidor_gov(path)
    assert (caught.value.row, caught.value.column) == (2, "Avaliação Reclamação")


def test_consumidor_answered_without_date(tmp_path):
    lines = consumidor_lines(2)
    lines[1] = set_field(lines[1], "Data Resposta", "")
    with pytest.raises(InputError, match="empty") as caught:
        load_consumidor_gov(write_lines(tmp_path / "x.csv", lines))
    assert (caught.value.row, caught.value.column) == (1, "Data Resposta")


# --- mapping ---------------------------------------------------------------------------------

@pytest.fixture()
def mapping_copy(tmp_path):
    """A copy of the worked example; returns a function that rewrites its mapping.toml."""
    folder = shutil.copytree(MAPPING.parent, tmp_path / "example")
    mapping = folder / "mapping.toml"
    original = mapping.read_text(encoding="utf-8")

    def edit(old: str, new: str) -> Path:
        assert old in original
        mapping.write_text(original.replace(old, new, 1), encoding="utf-8")
        return mapping

    return edit


def test_mapping_example_loads():
    log = load_mapped(MAPPING)
    messages = log.messages
    assert len(messages) == 24 and messages["conversation_id"].nunique() == 6
    assert log.source == "mapping_example"
    assert set(messages["channel"]) == {"email", "chat", "whatsapp", "phone", "web_form"}
    system = messages["author_type"] == "system"
    assert system.sum() == 3 and (messages.loc[system, "direction"] == "outbound").all()
    assert (messages["direction"] == "inbound").sum() == 11
    # "Created at" is naive São Paulo time (UTC-3 in March 2024)
    first = messages.set_index("message_id").loc["90001", "sent_at"]
    assert first == pd.Timestamp("2024-03-04 12:12:33", tz="UTC")
    assert log.events["event"].value_counts().to_dict() == {
        "resolved": 6, "reopened": 1, "transfer": 1}


def test_mapping_without_customer_column(mapping_copy):
    log = load_mapped(mapping_copy('customer_id = "Requester"\n', ""))
    assert log.messages["customer_id"].isna().all()


@pytest.mark.parametrize(("old", "new", "key"), [
    ("[derive]", "[extras]\nx = 1\n[derive]", "extras"),
    ("[input]", '[input]\ncolour = "red"', "input.colour"),
    ('text = "Body"', 'text = "Body"\nlang = "Body"', "columns.lang"),
    ('sent_at = "Created at"', 'sent_at = "Created"', "columns.sent_at"),
    ('message_id = "Comment ID"\n', "", "columns.message_id"),
    ("direction_from_author_type = true", "direction_from_author_type = false",
     "columns.direction"),
    ("direction_from_author_type = true", 'direction_from_author_type = "yes"',
     "derive.direction_from_author_type"),
    ("[values.channel]", "[values.direction]", "values.direction"),
    ('"Web Widget" = "chat"', '"Web Widget" = 3', "values.channel.Web Widget"),
    ('source_tz = "America/Sao_Paulo"', 'source_tz = "Mars/Olympus"', "input.source_tz"),
    ('name = "mapping_example"', 'name = "../reports"', "input.name"),
    ('name = "mapping_example"', "", "input.name"),
    ('delimiter = ","', 'delimiter = ",,"', "input.delimiter"),
    ('encoding = "utf-8"', 'encoding = "klingon"', "input.encoding"),
    ('messages = "export.csv"', 'messages = "missing.csv"', "input.messages"),
    ('at = "Updated at"\n', "", "event_columns.at"),
    ('events = "events.csv"\n', "", "input.events"),
    ("[input]", "[input", "TOML"),
])
def test_mapping_errors_name_the_file_and_key(mapping_copy, old, new, key):
    mapping = mapping_copy(old, new)
    with pytest.raises(InputError) as caught:
        load_mapped(mapping)
    assert caught.value.source == str(mapping)
    assert key in str(caught.value)


def test_mapping_data_errors_name_the_export_column(mapping_copy, tmp_path):
    mapping = mapping_copy('source_tz = "America/Sao_Paulo"', "")
    with pytest.raises(InputError, match="no UTC offset") as caught:
        load_mapped(mapping)
    assert caught.value.source.endswith("export.csv")
    assert (caught.value.row, caught.value.column) == (1, "Created at")
