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


def normalize_channels(channels: pd.Series) -> pd.Series:
    """Map channel spellings to canonical names; keep unknown ones, tidied.

    >>> normalize_channels(pd.Series(["E-mail", "Email", "Live Chat", "Reclame Aqui", "Fax"])).tolist()
    ['email', 'email', 'chat', 'reclame_aqui', 'fax']
    """
    tidy = channels.astype("str").str.strip().str.lower()
    keys = tidy.str.replace(_KEY, "", regex=True)
    mapped = keys.map(CHANNEL_ALIASES)
    fallback = tidy.str.replace(r"[\s\-]+", "_", regex=True)
    return mapped.fillna(fallback).rename(channels.name)


def is_public(channels: pd.Series, public_channels=PUBLIC_CHANNELS) -> pd.Series:
    """True where the channel is public (see :data:`PUBLIC_CHANNELS`)."""
    return channels.isin(set(public_channels))


# What the source says about the complaint (consumidor.gov.br) --------------------------------

#: ``consumer_evaluation`` values (consumidor.gov.br) that count towards confirmed resolution.
_RESOLVED, _NOT_RESOLVED = "Resolvida", "Não Resolvida"


def _with_attributes(contacts: pd.DataFrame, attributes: pd.DataFrame | None, columns):
    """The contacts joined to the listed attributes; None when the source lacks any of them."""
    if attributes is None or not set(columns) <= set(attributes.columns):
        return None
    if "proactive" in contacts.columns:
        contacts = contacts[~contacts["proactive"].astype(bool)]
    rows = attributes.reindex(contacts["conversation_id"].to_numpy())[list(columns)]
    rows.index = contacts.index
    return contacts.drop(columns=[c for c in columns if c in contacts.columns]).join(rows)


def purchase_channel_stats(contacts: pd.DataFrame, attributes: pd.DataFrame | None,
                           *, column: str = "purchase_channel") -> pd.DataFrame | None:
    """Outcome, rating and response time by how the consumer bought (``purchase_channel``).

    Parameters
    ----------
    contacts : DataFrame
        The period's contacts (conversation facts: ``first_response_s``, ``answered``).
    attributes : DataFrame or None
        ``SupportLog.conversation_attributes`` with ``purchase_channel``,
        ``consumer_evaluation`` and ``score``.

    Returns
    -------
    DataFrame or None
        None when the source does not carry the attributes. Otherwise one row per purchase
        channel, most complaints first: ``purchase_channel``, ``complaints``, ``share``;
        ``evaluated`` (the consumer said resolved or not) and ``confirmed_resolution``
        (Resolvida ÷ evaluated); ``rated``, ``mean_score``, ``median_score`` (1-5, rated
        complaints only); ``answered``, ``median_response_s``. A figure with no base is NaN,
        never 0. A missing purchase channel is its own row (``""``).

    Notes
    -----
    The purchase channel is how the product was bought (phone, internet, shop...), not the
    channel of the complaint. Confirmed resolution follows :mod:`analytics.satisfaction`.
    """
    joined = _with_attributes(contacts, attributes,
                              (column, "consumer_evaluation", "score"))
    if joined is None:
        return None
    evaluation = joined["consumer_evaluation"]
    score = pd.to_numeric(joined["score"], errors="coerce").astype("float64")
    frame = pd.DataFrame({
        "purchase_channel": joined[column].fillna("").astype("str"),
        "evaluated": evaluation.isin([_RESOLVED, _NOT_RESOLVED]),
        "resolved": evaluation.eq(_RESOLVED),
        "score": score,
        "answered": joined["answered"].astype(bool),
        "response_s": joined["first_response_s"].where(joined["answered"].astype(bool)),
    })
    grouped = frame.groupby("purchase_channel", sort=False)
    table = grouped.agg(complaints=("evaluated", "size"), evaluated=("evaluated", "sum"),
                        resolved=("resolved", "sum"), rated=("score", "count"),
                        mean_score=("score", "mean"), median_score=("score", "median"),
                        answered=("answered", "sum"),
                        median_response_s=("response_s", "median")).reset_index()
    table["share"] = table["complaints"] / table["complaints"].sum()
    table["confirmed_resolution"] = table["resolved"] / table["evaluated"].where(
        table["evaluated"] > 0)
    table = table.sort_values(["complaints", "purchase_channel"], ascending=[False, True],
                              kind="stable", ignore_index=True)
    for name in ("complaints", "evaluated", "rated", "answered"):
        table[name] = table[name].astype("int64")
    return table[["purchase_channel", "complaints", "share", "evaluated",
                  "confirmed_resolution", "rated", "mean_score", "median_score", "answered",
                  "median_response_s"]]


def contacted_before_stats(contacts: pd.DataFrame, attributes: pd.DataFrame | None, *,
                           by: str = "segment", top: int | None = 10) -> pd.DataFrame | None:
    """Share of complaints whose author had contacted the company before, by ``by``
    (``segment`` or ``company``), the ``top`` groups by number of complaints.

    Returns
    -------
    DataFrame or None
        None when the source does not carry ``contacted_company_before`` and ``by``.
        Otherwise ``group``, ``complaints``, ``contacted_before`` (count), ``share``
        (÷ complaints with a known answer), largest groups first; ``top=None`` keeps all.

    Notes
    -----
    consumidor.gov.br asks every consumer whether they tried the company first
    (*Procurou Empresa*). A complaint made after an unsuccessful contact is, in effect, a
    repeat contact that the platform can see and the company cannot.
    """
    joined = _with_attributes(contacts, attributes, ("contacted_company_before", by))
    if joined is None:
        return None
    flag = joined["contacted_company_before"].astype("boolean")
    frame = pd.DataFrame({"group": joined[by].fillna("").astype("str"),
                          "known": flag.notna().to_numpy(),
                          "before": flag.fillna(False).astype(bool).to_numpy()})
    table = frame.groupby("group", sort=False).agg(
        complaints=("known", "size"), known=("known", "sum"),
        contacted_before=("before", "sum")).reset_index()
    table["share"] = table["contacted_before"] / table["known"].where(table["known"] > 0)
    table = table.sort_values(["complaints", "group"], ascending=[False, True], kind="stable",
                              ignore_index=True)
    if top is not None:
        table = table.head(top)
    for name in ("complaints", "contacted_before"):
        table[name] = table[name].astype("int64")
    return table[["group", "complaints", "contacted_before", "share"]]


def contacted_before_share(contacts: pd.DataFrame, attributes: pd.DataFrame | None):
    """``(contacted_before, known, share)`` over all the contacts, or None when the source does
    not ask whether the consumer contacted the company before."""
    joined = _with_attributes(contacts, attributes, ("contacted_company_before",))
    if joined is None:
        return None
    flag = joined["contacted_company_before"].astype("boolean")
    known = int(flag.notna().sum())
    before = int(flag.fillna(False).sum())
    return before, known, (before / known if known else None)
