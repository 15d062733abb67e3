"""The twcs adapter (analytics/load/sources/twcs.py), on the bundled sample
``data/twcs/twcs_head5000.csv.gz`` and on hand-written threads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers import ROOT

from analytics.errors import InputError
from analytics.load.schema import validate_messages
from analytics.load.sources import load_twcs

TWCS = ROOT / "data" / "twcs" / "twcs_head5000.csv.gz"


@pytest.fixture(scope="module")
def twcs():
    return load_twcs(TWCS)


@pytest.fixture(scope="module")
def twcs_all():
    return load_twcs(TWCS, keep_partial=True)


def roots(log) -> pd.DataFrame:
    """Each twcs conversation's root message (its id is the conversation id) and attributes."""
    first = log.messages.set_index("message_id").reindex(log.conversation_attributes.index)
    return first.join(log.conversation_attributes)



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
    path.write_text("\n".join([TWCS_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


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


