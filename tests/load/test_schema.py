"""Loading and validating the message log: every error names file, row and column."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from helpers import agent, bot, inbound, log, raw, t, write_csv
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.errors import InputError
from analytics.load.log import load_log
from analytics.load.schema import validate_messages

HEADER = "message_id,conversation_id,customer_id,channel,sent_at,direction,author_type\n"
GOOD = "m1,A,c1,chat,2024-03-04T10:00:00Z,inbound,customer\n"


def load_error(tmp_path, text, name="messages.csv", **kw) -> str:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_log(path, **kw)
    return str(info.value)


def test_missing_column_names_file_and_column(tmp_path):
    text = ("message_id,conversation_id,channel,sent_at,direction,author_type\n"
            "m1,A,chat,2024-03-04T10:00:00Z,inbound,customer\n")
    message = load_error(tmp_path, text)
    assert "messages.csv" in message
    assert "missing column(s) customer_id" in message
    assert "expected columns message_id" in message


@pytest.mark.parametrize("value", ["2024-13-04T10:00:00Z", "2024-02-30T10:00:00Z",
                                   "2024-03-04T25:00:00Z"])
def test_unparseable_timestamp_names_file_row_column(tmp_path, value):
    message = load_error(tmp_path, HEADER + GOOD + f"m2,A,c1,chat,{value},outbound,agent\n")
    assert "messages.csv" in message and "row 2" in message and "'sent_at'" in message
    assert "cannot be read" in message and "expected an ISO 8601 timestamp" in message


def test_text_that_is_no_timestamp_names_file_row_column(tmp_path):
    message = load_error(tmp_path, HEADER + GOOD + "m2,A,c1,chat,yesterday at noon,outbound,agent\n")
    assert "messages.csv, row 2, column 'sent_at'" in message and "'yesterday at noon'" in message
    assert "cannot be read" in message and "ISO 8601" in message and "offset" not in message


def test_empty_timestamp_is_an_error(tmp_path):
    message = load_error(tmp_path, HEADER + GOOD + "m2,A,c1,chat,,outbound,agent\n")
    assert "row 2" in message and "'sent_at'" in message and "empty" in message


def test_naive_timestamp_without_source_tz_is_refused(tmp_path):
    message = load_error(tmp_path, HEADER + GOOD + "m2,A,c1,chat,2024-03-04 10:05:00,outbound,agent\n")
    assert "messages.csv" in message and "row 2" in message and "'sent_at'" in message
    assert "no UTC offset" in message and "--source-tz" in message


def test_naive_timestamps_accepted_with_source_tz(tmp_path):
    path = tmp_path / "naive.csv"
    path.write_text(HEADER + "m1,A,c1,chat,2024-03-04 10:00:00,inbound,customer\n"
                    "m2,A,c1,chat,2024-03-04T10:30:00-03:00,outbound,agent\n"
                    "m3,A,c1,chat,2024-07-01T10:00,outbound,agent\n")
    messages = load_log(path, source_tz="America/Sao_Paulo").messages
    assert messages["sent_at"].tolist() == [t("2024-03-04 13:00"), t("2024-03-04 13:30"),
                                            t("2024-07-01 13:00")]
    assert str(messages["sent_at"].dtype) == "datetime64[ns, UTC]"


def test_bare_date_is_naive_refused_without_source_tz_and_local_midnight_with_it(tmp_path):
    # The "-04" ending "2024-03-04" is the day, not a UTC offset.
    text = HEADER + GOOD + "m2,A,c1,chat,2024-03-04,outbound,agent\n"
    message = load_error(tmp_path, text)
    assert "row 2" in message and "'sent_at'" in message and "no UTC offset" in message
    path = tmp_path / "dates.csv"
    path.write_text(HEADER + "m1,A,c1,chat,2024-03-04,inbound,customer\n")
    messages = load_log(path, source_tz="America/Sao_Paulo").messages
    assert messages["sent_at"].tolist() == [t("2024-03-04 03:00")]


@pytest.mark.parametrize("value, utc", [
    ("2024-03-04T10:00:00Z", "2024-03-04 10:00"),
    ("2024-03-04T10:00:00-0300", "2024-03-04 13:00"),
    ("2024-03-04 10:00:00+05:30", "2024-03-04 04:30"),
    ("2024-03-04T10:00:00.5-03", "2024-03-04 13:00:00.5"),
    ("20240304T100000Z", "2024-03-04 10:00"),
])
def test_offset_forms_are_read_without_source_tz(tmp_path, value, utc):
    path = tmp_path / "offsets.csv"
    path.write_text(HEADER + f"m1,A,c1,chat,{value},inbound,customer\n")
    assert load_log(path).messages["sent_at"].tolist() == [t(utc)]


def test_unknown_source_tz_is_an_input_error(tmp_path):
    message = load_error(tmp_path, HEADER + "m1,A,c1,chat,2024-03-04 10:00,inbound,customer\n",
                         source_tz="Mars/Olympus")
    assert "Mars/Olympus" in message


@pytest.mark.parametrize("column, row, expected", [
    ("direction", "m2,A,c1,chat,2024-03-04T10:05:00Z,in,customer\n", "inbound, outbound"),
    ("author_type", "m2,A,c1,chat,2024-03-04T10:05:00Z,outbound,robot\n",
     "customer, agent, bot, system"),
])
def test_unknown_direction_or_author_type(tmp_path, column, row, expected):
    message = load_error(tmp_path, HEADER + GOOD + row)
    assert "messages.csv" in message and "row 2" in message and f"'{column}'" in message
    assert f"expected one of {expected}" in message


def test_inbound_message_written_by_an_agent_is_refused(tmp_path):
    message = load_error(tmp_path, HEADER + GOOD + "m2,A,c1,chat,2024-03-04T10:05:00Z,inbound,agent\n")
    assert "row 2" in message and "'author_type'" in message


def test_duplicate_message_id_names_the_second_occurrence(tmp_path):
    text = HEADER + GOOD + "m2,A,c1,chat,2024-03-04T10:05:00Z,outbound,agent\n" + GOOD
    message = load_error(tmp_path, text)
    assert "messages.csv" in message and "row 3" in message and "'message_id'" in message
    assert "duplicate id" in message and "'m1'" in message


def test_empty_id_is_an_error(tmp_path):
    message = load_error(tmp_path, HEADER + GOOD + "m2,,c1,chat,2024-03-04T10:05:00Z,inbound,customer\n")
    assert "row 2" in message and "'conversation_id'" in message


def test_empty_file_and_header_only_file_are_errors(tmp_path):
    assert "empty.csv: the file is empty" in load_error(tmp_path, "", name="empty.csv")
    assert "no data rows" in load_error(tmp_path, HEADER, name="header.csv")


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="nowhere.csv: file not found"):
        load_log(tmp_path / "nowhere.csv")


def test_event_for_unknown_conversation_names_events_file_row_column(tmp_path):
    messages = write_csv(tmp_path / "messages.csv", inbound("A", "2024-03-04 10:00"))
    evts = tmp_path / "events.csv"
    evts.write_text("conversation_id,event,at\nA,resolved,2024-03-04T11:00:00Z\n"
                    "Z,resolved,2024-03-04T11:00:00Z\n")
    with pytest.raises(InputError) as info:
        load_log(messages, events=evts)
    message = str(info.value)
    assert "events.csv" in message and "row 2" in message and "'conversation_id'" in message
    assert "'Z'" in message


def test_unknown_event_type_is_an_error(tmp_path):
    messages = write_csv(tmp_path / "messages.csv", inbound("A", "2024-03-04 10:00"))
    evts = tmp_path / "events.csv"
    evts.write_text("conversation_id,event,at\nA,closed,2024-03-04T11:00:00Z\n")
    with pytest.raises(InputError, match=r"events.csv, row 1, column 'event'"):
        load_log(messages, events=evts)


def test_parquet_input_with_aware_and_naive_timestamps(tmp_path):
    frame = pd.DataFrame({
        "message_id": [1, 2], "conversation_id": ["A", "A"], "customer_id": ["c1", None],
        "channel": ["E-mail", "email"],
        "sent_at": pd.to_datetime(["2024-03-04T10:00:00Z", "2024-03-04T11:30:00+01:00"], utc=True),
        "direction": ["inbound", "outbound"], "author_type": ["customer", "agent"],
    })
    frame.to_parquet(tmp_path / "aware.parquet")
    messages = load_log(tmp_path / "aware.parquet").messages
    assert messages["message_id"].tolist() == ["1", "2"]
    assert messages["sent_at"].tolist() == [t("2024-03-04 10:00"), t("2024-03-04 10:30")]
    assert messages["channel"].tolist() == ["email", "email"]
    assert messages["customer_id"].isna().tolist() == [False, True]

    frame["sent_at"] = frame["sent_at"].dt.tz_localize(None)
    frame.to_parquet(tmp_path / "naive.parquet")
    with pytest.raises(InputError, match="naive.parquet, column 'sent_at'"):
        load_log(tmp_path / "naive.parquet")
    local = load_log(tmp_path / "naive.parquet", source_tz="America/New_York").messages
    assert local["sent_at"].tolist() == [t("2024-03-04 15:00"), t("2024-03-04 15:30")]


def test_loading_leaves_the_input_file_and_frame_unchanged(tmp_path):
    path = write_csv(tmp_path / "messages.csv", agent("A", "2024-03-04 10:00"),
                     inbound("A", "2024-03-04 10:00", channel=" E-mail "),
                     bot("A", "2024-03-04 09:00"))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    load_log(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before

    frame = raw(inbound("A", "2024-03-04 10:00", channel="E-mail"), agent("A", "2024-03-04 09:00"))
    copy = frame.copy()
    validate_messages(frame)
    pd.testing.assert_frame_equal(frame, copy)


def test_order_is_time_then_inbound_before_outbound_then_input_order():
    messages = log(
        agent("A", "2024-03-04 10:00", agent_id="first-agent"),   # m1
        bot("A", "2024-03-04 10:00"),                              # m2
        inbound("A", "2024-03-04 10:00"),                          # m3
        inbound("A", "2024-03-04 10:00", author="system"),         # m4
        inbound("A", "2024-03-04 09:59"),                          # m5
        agent("A", "2024-03-04 10:00", agent_id="second-agent"),   # m6
    )
    assert messages["message_id"].tolist() == ["m5", "m3", "m4", "m1", "m2", "m6"]


def test_order_uses_instants_not_local_text():
    # 10:00-03:00 is 13:00 UTC, after 12:00Z although its text sorts first.
    messages = log(inbound("A", "2024-03-04T10:00:00-03:00"), inbound("B", "2024-03-04T12:00:00Z"))
    assert messages["conversation_id"].tolist() == ["B", "A"]


def test_channel_names_are_normalised():
    spellings = ["E-mail", " Email ", "EMAIL", "e_mail", "Live Chat", "WhatsApp", "Reclame Aqui",
                 "Fax Machine"]
    messages = log(*[inbound(f"C{i}", f"2024-03-04 10:{i:02d}", channel=c)
                     for i, c in enumerate(spellings)])
    assert messages["channel"].tolist() == ["email", "email", "email", "email", "chat",
                                            "whatsapp", "reclame_aqui", "fax_machine"]


def test_twilio_addresses_give_their_channel():
    # Twilio writes a WhatsApp sender as whatsapp:+E.164 and an SMS sender as the bare number;
    # an address scheme that is no channel stays as it is.
    addresses = ["whatsapp:+5511987654321", "WhatsApp:+14155238886", "+5511987654321",
                 "tel:+5511987654321"]
    messages = log(*[inbound(f"C{i}", f"2024-03-04 10:{i:02d}", channel=c)
                     for i, c in enumerate(addresses)])
    assert messages["channel"].tolist() == ["whatsapp", "whatsapp", "sms", "tel:+5511987654321"]


def test_blank_customer_id_is_missing_not_a_customer():
    messages = log(inbound("A", "2024-03-04 10:00", customer="  "),
                   inbound("B", "2024-03-04 10:01", customer="c9"))
    assert messages["customer_id"].isna().tolist() == [True, False]


def test_utf8_byte_order_mark_from_spreadsheet_exports_is_not_part_of_the_header(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + GOOD).encode())
    assert load_log(path).messages["message_id"].tolist() == ["m1"]


def test_non_utf8_file_is_an_input_error(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "m1,A,Jo\u00e3o,chat,2024-03-04T10:00:00Z,inbound,customer\n")
                     .encode("latin-1"))
    with pytest.raises(InputError, match="latin1.csv: is not UTF-8 text"):
        load_log(path)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=4),
                          st.sampled_from(["", " ", "a ", " a", "\t", "\xa0b", "b\u2003", "é"])),
                max_size=12))
def test_edge_space_is_only_ruled_out_when_stripping_changes_nothing(strings):
    from analytics.load.schema import _may_have_edge_space

    values = pd.Series(strings, dtype="str")
    if not _may_have_edge_space(values):
        assert values.str.strip().equals(values)


def test_a_column_the_file_lacks_is_all_missing_strings():
    from analytics.load.schema import _missing_text, _text_column

    index = pd.RangeIndex(4)
    missing = _text_column(pd.DataFrame(index=index), "text")
    pd.testing.assert_series_equal(missing, pd.Series(pd.NA, index=index, dtype="str"),
                                   check_exact=True)
    assert _missing_text(pd.RangeIndex(0)).empty


@pytest.mark.parametrize("author", ["agent", "bot"])
def test_an_inbound_agent_or_bot_message_is_refused_in_categorical_columns_too(author):
    # Parquet dictionary columns arrive as categoricals (keep_categorical): checked by category.
    frame = raw(inbound("A", "2024-03-04 10:00"), inbound("A", "2024-03-04 10:01"),
                agent("A", "2024-03-04 10:05"))
    frame.loc[1, "author_type"] = author
    for column in ("direction", "author_type", "channel"):
        frame[column] = frame[column].astype("category")
    with pytest.raises(InputError) as error:
        validate_messages(frame, keep_categorical=True)
    assert error.value.row == 2 and error.value.column == "author_type"
    assert "cannot be written by an agent or a bot" in str(error.value)
