"""Channel names (analytics/load/channel_names.py): spellings to canonical names, unknown
channels kept and tidied, Twilio addresses, and the public channels."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.load.channel_names import (
    CANONICAL_CHANNELS,
    CHANNEL_ALIASES,
    PUBLIC_CHANNELS,
    is_public,
    normalize_channels,
)


@pytest.mark.parametrize(("spelling", "name"), [
    ("E-mail", "email"), (" EMAIL ", "email"), ("e_mail", "email"), ("Telefone", "phone"),
    ("Ligação", "phone"), ("Live Chat", "chat"), ("web-chat", "chat"), ("WhatsApp", "whatsapp"),
    ("Zap", "whatsapp"), ("Formulário", "web_form"), ("Contact Form", "web_form"),
    ("X", "twitter"), ("Messenger", "facebook"), ("Reclame Aqui", "reclame_aqui"),
    ("consumidor.gov.br", "consumidor_gov"), ("Vídeo", "video"),
])
def test_spellings_become_the_canonical_name(spelling, name):
    assert normalize_channels(pd.Series([spelling])).tolist() == [name]


def test_unknown_channels_are_kept_lower_case_with_underscores():
    got = normalize_channels(pd.Series(["Fax", "Carrier Pigeon", "walk-in desk"]))
    assert got.tolist() == ["fax", "carrier_pigeon", "walk_in_desk"]


def test_twilio_addresses_name_their_channel_and_a_bare_number_is_sms():
    got = normalize_channels(pd.Series(["whatsapp:+5511987654321", "messenger:1234567",
                                        "+5511987654321", "sip:alice@example.com"]))
    # sip is no known channel: the address is kept as the tidied (unknown) value.
    assert got.tolist() == ["whatsapp", "facebook", "sms", "sip:alice@example.com"]


def test_the_series_name_and_index_are_kept():
    got = normalize_channels(pd.Series(["E-mail"], index=[7], name="canal"))
    assert got.name == "canal" and got.index.tolist() == [7]


def test_every_alias_names_a_canonical_channel():
    assert set(CHANNEL_ALIASES.values()) <= set(CANONICAL_CHANNELS)
    assert PUBLIC_CHANNELS <= set(CANONICAL_CHANNELS)


def test_public_channels_default_table_and_override():
    channels = pd.Series(["twitter", "email", "reclame_aqui", "chat"])
    assert is_public(channels).tolist() == [True, False, True, False]
    assert is_public(channels, {"chat"}).tolist() == [False, False, False, True]
    assert {"twitter", "reclame_aqui", "consumidor_gov"} <= PUBLIC_CHANNELS
