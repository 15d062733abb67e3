"""Channel names: one normalisation table and the list of public channels.

Every report shows the same channel under the same name and colour. Source exports spell
channels many ways (``E-mail``, ``email``, ``Email``); :func:`normalize_channels` maps them to
the canonical names below. Unknown channels are kept, lower-cased with ``_`` for spaces, so a
new channel shows up in the reports rather than disappearing.
"""

from __future__ import annotations

import re

import pandas as pd

#: Canonical channel names, in the order reports list them.
CANONICAL_CHANNELS = (
    "phone", "email", "chat", "whatsapp", "sms", "web_form", "app",
    "twitter", "facebook", "instagram", "reclame_aqui", "consumidor_gov", "video",
)


#: Spellings seen in exports -> canonical name (keys are compared lower-cased, without
#: spaces, hyphens, dots or underscores).
CHANNEL_ALIASES = {
    "email": "email", "e-mail": "email", "mail": "email", "correio": "email",
    "phone": "phone", "telephone": "phone", "telefone": "phone", "voice": "phone", "call": "phone",
    "ligacao": "phone", "ligação": "phone", "voz": "phone",
    "chat": "chat", "livechat": "chat", "webchat": "chat",
    "whatsapp": "whatsapp", "wa": "whatsapp", "zap": "whatsapp",
    "sms": "sms", "text": "sms",
    "webform": "web_form", "form": "web_form", "formulario": "web_form", "formulário": "web_form",
    "contactform": "web_form",
    "app": "app", "inapp": "app", "aplicativo": "app",
    "twitter": "twitter", "x": "twitter", "tweet": "twitter",
    "facebook": "facebook", "messenger": "facebook", "fb": "facebook",
    "instagram": "instagram", "ig": "instagram",
    "reclameaqui": "reclame_aqui",
    "consumidorgov": "consumidor_gov", "consumidorgovbr": "consumidor_gov",
    "video": "video", "vídeo": "video", "videocall": "video",
}


#: Channels where a complaint is visible to other people (social networks, complaint sites,
#: the government platform). Override per report with the ``public_channels`` parameter.
PUBLIC_CHANNELS = frozenset({"twitter", "facebook", "instagram", "reclame_aqui", "consumidor_gov"})


_KEY = re.compile(r"[\s\-_.]+")
#: A messaging address as Twilio writes it in From/To: ``whatsapp:+5511...``,
#: ``messenger:1234...``; the part before the colon names the channel.
_ADDRESS = r"^([a-z]+):\+?[\w.@-]+$"
#: A bare E.164 number (``+5511...``): Twilio's address of an SMS.
_PHONE_NUMBER = r"^\+\d{8,15}$"


def normalize_channels(channels: pd.Series) -> pd.Series:
    """Map channel spellings to canonical names; keep unknown ones, tidied.

    A Twilio address stands for its channel, so a mapping can take the channel from a
    Twilio export's ``From`` or ``To``: ``whatsapp:+5511...`` is ``whatsapp``, a bare
    ``+5511...`` number ``sms``.

    >>> normalize_channels(pd.Series(["E-mail", "Email", "Live Chat", "Reclame Aqui", "Fax"])).tolist()
    ['email', 'email', 'chat', 'reclame_aqui', 'fax']
    >>> normalize_channels(pd.Series(["whatsapp:+5511987654321", "+5511987654321"])).tolist()
    ['whatsapp', 'sms']
    """
    tidy = channels.astype("str").str.strip().str.lower()
    scheme = tidy.str.extract(_ADDRESS, expand=False)
    known = scheme.map(CHANNEL_ALIASES).notna()
    tidy = tidy.mask(known, scheme).mask(tidy.str.match(_PHONE_NUMBER), "sms")
    keys = tidy.str.replace(_KEY, "", regex=True)
    mapped = keys.map(CHANNEL_ALIASES)
    fallback = tidy.str.replace(r"[\s\-]+", "_", regex=True)
    return mapped.fillna(fallback).rename(channels.name)


def is_public(channels: pd.Series, public_channels=PUBLIC_CHANNELS) -> pd.Series:
    """True where the channel is public (see :data:`PUBLIC_CHANNELS`)."""
    return channels.isin(set(public_channels))
