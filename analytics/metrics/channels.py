"""How each channel is used and served: contacts per channel, first response by channel,
public against private channels, identity coverage, and what consumidor.gov.br says of the
complaint. Channel names themselves: :mod:`analytics.load.channel_names`.
"""

from __future__ import annotations

import pandas as pd

from analytics.load.channel_names import PUBLIC_CHANNELS, is_public
from analytics.metrics import response
from analytics.metrics.facts import customer_started

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


def _channel_counts(data) -> pd.Series:
    """Contacts per channel from contacts (a frame with ``channel``), a Series or a dict."""
    if data is None:
        return pd.Series(dtype="int64")
    if isinstance(data, pd.DataFrame):
        return customer_started(data)["channel"].astype("str").value_counts()
    return pd.Series(dict(data), dtype="float64").fillna(0).astype("int64")


def _by_volume(counts: pd.Series) -> list[str]:
    """Channels by volume, largest first; ties by name so the order is stable."""
    frame = pd.DataFrame({"channel": counts.index.astype("str"), "n": counts.to_numpy()})
    return frame.sort_values(["n", "channel"], ascending=[False, True])["channel"].tolist()


def channel_stats(base: pd.DataFrame, contacts: pd.DataFrame, previous_contacts: pd.DataFrame,
                  *, sla_s: float | None, public_channels=PUBLIC_CHANNELS) -> pd.DataFrame:
    """How each channel is served, one row per channel, largest first.

    ``base`` is the first-response base (:func:`analytics.metrics.response.response_base`),
    ``contacts`` and ``previous_contacts`` the contacts of the period and of the previous one.
    Columns: ``channel``, ``contacts``, ``share``, ``previous``, ``customers``, ``answered``,
    ``unanswered``, ``median_s``, ``p90_s``, ``mean_s`` (seconds), ``within_sla`` (share within
    ``sla_s``), ``replies`` (agent replies per contact), ``resolution_median_s`` (NaN when not
    recorded), ``public``.
    """
    table = response.first_response_table(base, "channel", sla_s=sla_s)
    if table.empty:
        return table.assign(share=[], previous=[], customers=[], replies=[],
                            resolution_median_s=[], public=[])
    table["channel"] = table["channel"].astype("str")
    grouped = contacts.groupby(contacts["channel"].astype("str"))
    previous = _channel_counts(previous_contacts)
    table["share"] = table["contacts"] / table["contacts"].sum()
    table["previous"] = previous.reindex(table["channel"], fill_value=0).to_numpy()
    table["customers"] = grouped["customer_id"].nunique().reindex(table["channel"]).to_numpy()
    table["replies"] = grouped["agent_replies"].mean().reindex(table["channel"]).to_numpy()
    table["resolution_median_s"] = (grouped["resolution_first_s"].median()
                                    .reindex(table["channel"]).to_numpy())
    table["public"] = is_public(table["channel"], public_channels)
    order = _by_volume(table.set_index("channel")["contacts"])
    return table.set_index("channel").loc[order].reset_index()


def public_channels_of(chosen=()) -> frozenset:
    """The channels counted as public: ``chosen`` (the ``public_channels`` parameter), or the
    documented default table :data:`analytics.load.channel_names.PUBLIC_CHANNELS` when empty."""
    return frozenset(chosen) if chosen else PUBLIC_CHANNELS


def public_private_stats(base: pd.DataFrame, *, sla_s: float | None,
                         public_channels=PUBLIC_CHANNELS) -> pd.DataFrame:
    """Contacts and first response (seconds; share within ``sla_s``) of the public and of the
    private channels among ``base`` (index ``public``, then ``private``; a group with no
    contacts has ``contacts`` 0)."""
    public = is_public(base["channel"].astype("str"), public_channels)
    rows = []
    for key, mask in (("public", public), ("private", ~public)):
        part = base[mask]
        figures = response.first_response_summary(part, sla_s=sla_s)
        rows.append({"group": key, "channels": sorted(part["channel"].astype("str").unique()),
                     "contacts": len(part), "share": len(part) / len(base) if len(base) else None,
                     "median_s": figures["median_s"], "within_sla": figures["within_sla"],
                     "unanswered": figures["unanswered"]})
    return pd.DataFrame(rows).set_index("group")


def identity_coverage(contacts: pd.DataFrame) -> pd.DataFrame:
    """Per channel (largest first): ``channel``, ``contacts``, ``known`` (with a customer id),
    ``coverage`` (share known)."""
    contacts = customer_started(contacts)
    channel = contacts["channel"].astype("str")
    table = pd.DataFrame({"contacts": channel.value_counts(),
                          "known": channel[contacts["customer_id"].notna()].value_counts()})
    table = table.fillna(0).astype("int64")
    table = table.loc[_by_volume(table["contacts"])] if len(table) else table
    table["coverage"] = table["known"] / table["contacts"]
    return table.rename_axis("channel").reset_index()


def channel_count(contacts: pd.DataFrame) -> int:
    """Number of distinct channels among the contacts."""
    return int(customer_started(contacts)["channel"].nunique())
