"""The per-customer kernel every figure starts from: conversation facts, repeat flags, waits.

A conversation's facts depend only on its own messages, and its repeat flags only on its
customer's other contacts, so :func:`customer_facts` runs unchanged on one validated log, on
customer buckets out of core (:mod:`analytics.scale`) or on a Dask cluster.
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from analytics.metrics.facts import _facts_and_waits
from analytics.metrics.repeats import REPEAT_COLUMNS, repeat_flags

# --- the kernel ----------------------------------------------------------------------------


def customer_facts(messages: pd.DataFrame, events: pd.DataFrame | None = None, *, as_of,
                   calendar=None, window_days: float = 7, resolve_after_inactivity=None):
    """Conversation facts with repeat flags, and reply waits, of a validated message log.

    The per-customer kernel: the reports (``summary.analyse``), :func:`run_partitioned` and
    :func:`run_dask` all call it. On a partition of the log it gives exactly the rows of the
    whole log's result for the partition's conversations, provided the partition holds whole
    conversations and all contacts of its customers (:func:`customer_buckets`) and ``as_of``
    is the whole log's cut-off.

    Parameters
    ----------
    messages : DataFrame
        Validated message log (``validate_messages``), or one customer bucket of it.
    events : DataFrame, optional
        Validated events of those conversations.
    as_of : Timestamp
        The cut-off (UTC); required, so that every partition uses the same one.
    calendar : BusinessCalendar, optional
        For the business-hours columns.
    window_days : float
        The repeat-contact window.
    resolve_after_inactivity : Timedelta, optional
        See :func:`analytics.metrics.facts.facts_and_waits`.

    Returns
    -------
    facts : DataFrame
        :func:`analytics.metrics.facts.facts_and_waits` facts plus the repeat columns of
        :func:`analytics.metrics.repeats.repeat_contacts` (proactive rows: ``lookahead_complete``,
        ``repeated`` and ``cross_channel`` False, the others missing).
    waits : DataFrame
        Every reply wait.
    """
    # The repeat flags need only who started each contact, when and where: they are
    # computed, for every conversation at once, while another thread builds the waits.
    facts, waits, flags = _facts_and_waits(
        messages, events, as_of=as_of, calendar=calendar,
        resolve_after_inactivity=resolve_after_inactivity,
        contacts=partial(repeat_flags, window_days=window_days, as_of=as_of))
    for column in REPEAT_COLUMNS:  # proactive rows: not contacts (missing, or False)
        facts[column] = flags[column]
    return facts, waits
