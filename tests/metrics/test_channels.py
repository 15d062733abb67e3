"""Channels (analytics/metrics/channels.py): public against private, identity coverage, and the
complaint's own attributes (purchase channel, contacted before) — hand-made logs with exact
answers. Channel movement: test_channel_movement.py; channel names: tests/load/test_channel_names.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import REPEAT_AS_OF, agent, inbound, write_csv

from analytics.errors import InputError
from analytics.load.channel_names import PUBLIC_CHANNELS
from analytics.metrics import channels
from analytics.metrics.channels import (
    contacted_before_share,
    contacted_before_stats,
    purchase_channel_stats,
)
from analytics.metrics.summary import Settings

AS_OF = REPEAT_AS_OF


# Public channels ---------------------------------------------------------------------------------

def test_public_channels_setting_is_normalised_and_printed():
    settings = Settings(public_channels=["Live Chat", "E-mail"])
    assert settings.public_channels == ("chat", "email")
    assert settings.as_dict()["public_channels"] == ["chat", "email"]
    assert Settings().as_dict()["public_channels"] == []
    with pytest.raises(InputError, match="public-channels"):
        Settings(public_channels="twitter")


def test_report_public_channels_parameter_changes_the_public_private_split(tmp_path):
    from analytics.report.context import prepare

    path = write_csv(tmp_path / "log.csv",
                     inbound("A", "2024-03-04 10:00", channel="twitter"),
                     agent("A", "2024-03-04 10:10", channel="twitter"),
                     inbound("B", "2024-03-05 10:00", customer="c2", channel="chat"),
                     agent("B", "2024-03-05 10:01", customer="c2", channel="chat"))
    default = prepare(source="messages", input_path=str(path), period="2024-03", tz="UTC")
    assert default.public_private_stats["contacts"].to_dict() == {"public": 1, "private": 1}
    assert default.public_channels == PUBLIC_CHANNELS
    chosen = prepare(source="messages", input_path=str(path), period="2024-03", tz="UTC",
                     public_channels=["chat", "twitter"])
    stats = chosen.public_private_stats
    assert stats.loc["public", "contacts"] == 2 and stats.loc["private", "contacts"] == 0
    assert chosen.parameters["public_channels"] == ["chat", "twitter"]
    assert chosen.channel_stats["public"].all()


# The complaint's own attributes (consumidor.gov.br) ------------------------------------------

def _complaints():
    """Six complaints with purchase channel, evaluation, score and response time."""
    contacts = pd.DataFrame({
        "conversation_id": [f"k{i}" for i in range(6)],
        "proactive": False,
        "answered": [True, True, True, False, True, True],
        "first_response_s": [86400.0, 3 * 86400.0, 5 * 86400.0, np.nan, 0.0, 2 * 86400.0],
    })
    attributes = pd.DataFrame({
        "purchase_channel": ["Internet", "Internet", "Internet", "Telefone", "Telefone", None],
        "consumer_evaluation": ["Resolvida", "Não Resolvida", "Não Avaliada", "Resolvida",
                                "Resolvida", "Não Avaliada"],
        "score": pd.array([5, 1, pd.NA, 4, pd.NA, pd.NA], dtype="Int64"),
        "contacted_company_before": [True, True, False, True, False, True],
        "segment": ["Telecom", "Telecom", "Bancos", "Telecom", "Bancos", "Varejo"],
        "company": ["Oi", "Vivo", "Itaú", "Oi", "Itaú", "Extra"],
    }, index=pd.Index([f"k{i}" for i in range(6)], name="conversation_id"))
    return contacts, attributes


def test_purchase_channel_outcome_rating_and_response_with_their_bases():
    contacts, attributes = _complaints()
    table = purchase_channel_stats(contacts, attributes).set_index("purchase_channel")
    assert list(table.index) == ["Internet", "Telefone", ""]
    internet = table.loc["Internet"]
    assert (internet["complaints"], internet["evaluated"], internet["rated"],
            internet["answered"]) == (3, 2, 2, 3)
    assert internet["confirmed_resolution"] == 0.5
    assert (internet["mean_score"], internet["median_score"]) == (3.0, 3.0)
    assert internet["median_response_s"] == 3 * 86400.0
    phone = table.loc["Telefone"]
    assert phone["confirmed_resolution"] == 1.0 and phone["rated"] == 1
    assert phone["median_response_s"] == 0.0  # answered the same day: 0, and the unanswered
    assert phone["answered"] == 1              # one is left out, not counted as 0
    unknown = table.loc[""]
    assert np.isnan(unknown["confirmed_resolution"]) and np.isnan(unknown["mean_score"])
    assert table["share"].sum() == pytest.approx(1.0)


def test_purchase_channel_needs_the_attributes():
    contacts, attributes = _complaints()
    assert purchase_channel_stats(contacts, None) is None
    assert purchase_channel_stats(contacts, attributes.drop(columns="score")) is None


def test_contacted_before_share_by_segment_and_top_companies():
    contacts, attributes = _complaints()
    segments = contacted_before_stats(contacts, attributes, by="segment")
    assert segments.values.tolist() == [["Telecom", 3, 3, 1.0], ["Bancos", 2, 0, 0.0],
                                        ["Varejo", 1, 1, 1.0]]
    companies = contacted_before_stats(contacts, attributes, by="company", top=2)
    assert companies[["group", "complaints", "contacted_before"]].values.tolist() == [
        ["Itaú", 2, 0], ["Oi", 2, 2]]
    assert contacted_before_share(contacts, attributes) == (4, 6, pytest.approx(4 / 6))


def test_contacted_before_needs_the_attribute():
    contacts, attributes = _complaints()
    assert contacted_before_stats(contacts, None) is None
    assert contacted_before_stats(contacts, attributes.drop(columns="segment")) is None
    assert contacted_before_share(contacts, attributes.drop(
        columns="contacted_company_before")) is None


def test_proactive_conversations_are_not_complaints():
    contacts, attributes = _complaints()
    contacts.loc[0, "proactive"] = True
    table = purchase_channel_stats(contacts, attributes).set_index("purchase_channel")
    assert table.loc["Internet", "complaints"] == 2


def test_identity_coverage_per_channel(contacts):
    table = channels.identity_coverage(contacts)
    assert table.set_index("channel")["coverage"].to_dict() == {
        "email": 1.0, "chat": 1.0, "phone": 0.0, "whatsapp": 1.0}
