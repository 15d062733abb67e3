"""Adapter for "Customer Support on Twitter" (twcs, Thought Vector on Kaggle).

The export has one row per tweet:

===========================  ===================================================================
``tweet_id``                 unique numeric id
``author_id``                the brand handle (``AppleSupport``) or an anonymised customer number
``inbound``                  ``True`` when a customer wrote the tweet, ``False`` for a brand
``created_at``               ``Tue Oct 31 22:10:47 +0000 2017`` (``%a %b %d %H:%M:%S %z %Y``)
``text``                     the tweet
``response_tweet_id``        comma-separated ids of the replies (not used: it duplicates the
                             parent links and points to many tweets missing from the dump)
``in_response_to_tweet_id``  the tweet this one replies to; empty for a thread starter
===========================  ===================================================================

A conversation is a root tweet and every tweet that reaches it through
``in_response_to_tweet_id``. A tweet whose parent is not in the file is a root too: its thread
is partial: its start is unknown, so the loader leaves it out of the log (the description says
how many) and no response time is measured from a tweet that only looks like a first message
(``keep_partial=True`` keeps them, flagged by ``conversation_attributes.root_has_missing_parent``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.errors import InputError
from analytics.load.files import read_table
from analytics.load.schema import SupportLog, _fail_at, validate_messages

COLUMNS = ("tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
           "in_response_to_tweet_id")
CREATED_AT_FORMAT = "%a %b %d %H:%M:%S %z %Y"
DESCRIPTION = ("Customer Support on Twitter (Thought Vector, Kaggle); CC BY-NC-SA 4.0: "
               "attribution, non-commercial use only, share-alike; customer ids anonymised")

# A brand handle mentioned in a tweet: Twitter handles are letters, digits and underscores.
_MENTION = r"@([A-Za-z0-9_]+)"


def load_twcs(path, *, keep_partial=False) -> SupportLog:
    """Load a twcs export (CSV or ``.csv.gz``) as a validated :class:`SupportLog`.

    Parameters
    ----------
    path : str or Path
        CSV with the columns ``tweet_id, author_id, inbound, created_at, text,
        response_tweet_id, in_response_to_tweet_id`` (see the module docstring).

    Returns
    -------
    SupportLog
        ``messages``: ``message_id`` = ``tw-<tweet_id>``, ``conversation_id`` =
        ``tw-<root tweet_id>``, ``channel`` twitter; inbound tweets are customer messages
        with ``customer_id`` = author; brand tweets are outbound agent messages with
        ``agent_id`` = brand handle and no ``customer_id``.
        ``conversation_attributes`` (index ``conversation_id``): ``company`` (brand of the
        first outbound tweet, else the first handle mentioned in the root tweet) and
        ``root_has_missing_parent`` (the root replies to a tweet not in the file).
        No events; ``time_precision`` second.

    Raises
    ------
    InputError
        Missing column, empty or unreadable value (with row and column), duplicate tweet id,
        or a reply cycle.
    """
    source = str(path)
    raw = read_table(path, sep=",")
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(source, f"missing column(s) {', '.join(missing)}",
                         expected="the twcs columns " + ", ".join(COLUMNS))
    tweets = _check_tweets(raw, source)
    root = _thread_roots(tweets, source)

    ids = tweets["tweet_id"]
    inbound = tweets["inbound"]
    author = raw["author_id"].str.strip()
    messages = pd.DataFrame({
        "message_id": "tw-" + ids,
        "conversation_id": "tw-" + pd.Series(ids.to_numpy()[root], index=ids.index),
        "customer_id": author.where(inbound),
        "channel": "twitter",
        "sent_at": tweets["created_at"],
        "direction": np.where(inbound, "inbound", "outbound"),
        "author_type": np.where(inbound, "customer", "agent"),
        "agent_id": author.mask(inbound),
        "text": raw["text"],
    })
    messages = validate_messages(messages, source=source)
    attributes = _conversation_attributes(messages, tweets, root)
    partial = attributes.index[attributes["root_has_missing_parent"] & (not keep_partial)]
    messages = messages[~messages["conversation_id"].isin(partial)].reset_index(drop=True)
    attributes = attributes.drop(index=partial)
    description = (f"{DESCRIPTION}; {len(partial)} partial threads whose first tweet is not in "
                   "the file are left out")
    return SupportLog(messages=messages, conversation_attributes=attributes, source="twcs",
                      time_precision="second", synthetic=False, description=description,
                      agent_ids="company")


def _check_tweets(raw: pd.DataFrame, source: str) -> pd.DataFrame:
    """Parse ids, the inbound flag and times; raise InputError at the first bad cell."""
    for column in ("tweet_id", "author_id", "inbound", "created_at"):
        empty = raw[column].isna() | (raw[column].str.strip() == "")
        if empty.any():
            _fail_at(empty, raw, source, column, "the value is empty", "a value on every row")
    tweet_id = raw["tweet_id"].str.strip()
    # pandas round trips of the dump write parent ids as floats ("3.0"); accept that form.
    parent = raw["in_response_to_tweet_id"].str.strip().str.replace(r"\.0$", "", regex=True)
    for column, values in (("tweet_id", tweet_id), ("in_response_to_tweet_id", parent)):
        bad = values.notna() & ~values.str.fullmatch(r"\d+")
        if bad.any():
            _fail_at(bad, raw, source, column, "not a tweet id", "a numeric tweet id")
    duplicate = tweet_id.duplicated()
    if duplicate.any():
        _fail_at(duplicate, raw, source, "tweet_id", "duplicate tweet id",
                 "each tweet once")
    flag = raw["inbound"].str.strip().str.lower()
    bad = ~flag.isin(["true", "false"])
    if bad.any():
        _fail_at(bad, raw, source, "inbound", "not a boolean", "True or False")
    created = pd.to_datetime(raw["created_at"].str.strip(), format=CREATED_AT_FORMAT,
                             errors="coerce", utc=True)
    if created.isna().any():
        _fail_at(created.isna(), raw, source, "created_at", "the time cannot be read",
                 "a time such as 'Tue Oct 31 22:10:47 +0000 2017'")
    return pd.DataFrame({"tweet_id": tweet_id, "parent_id": parent,
                         "inbound": flag == "true", "created_at": created})


def _thread_roots(tweets: pd.DataFrame, source: str) -> np.ndarray:
    """Position of each tweet's root, by pointer jumping over the parent links.

    Every pass doubles the distance each pointer covers, so ``log2(n)`` passes reach the root
    of the deepest thread. A pointer that then rests on a tweet with a parent in the file is
    in a reply cycle.
    """
    n = len(tweets)
    parent = pd.Index(tweets["tweet_id"]).get_indexer(tweets["parent_id"].fillna(""))
    # A tweet without a parent in the file is its own root.
    root = np.where(parent < 0, np.arange(n), parent)
    for _ in range(int(np.ceil(np.log2(max(n, 2)))) + 1):
        jumped = root[root]
        if np.array_equal(jumped, root):
            break
        root = jumped
    in_cycle = parent[root] >= 0
    if in_cycle.any():
        raise InputError(source, "the replies form a cycle", row=int(in_cycle.argmax()) + 1,
                         column="in_response_to_tweet_id",
                         expected="threads that end at a tweet without a parent")
    return root


def _conversation_attributes(messages: pd.DataFrame, tweets: pd.DataFrame,
                             root: np.ndarray) -> pd.DataFrame:
    """``company`` and ``root_has_missing_parent`` per conversation (see :func:`load_twcs`)."""
    roots = tweets[root == np.arange(len(tweets))]
    index = pd.Index("tw-" + roots["tweet_id"], name="conversation_id")
    # messages are sorted by time, so the first outbound row per thread is the first reply.
    outbound = messages[messages["direction"] == "outbound"]
    company = outbound.groupby("conversation_id")["agent_id"].first().reindex(index)
    # A root tweet's message id is its conversation id.
    root_text = messages.set_index("message_id")["text"].reindex(index)
    company = company.fillna(root_text.str.extract(_MENTION, expand=False))
    # A root is a root because its parent is not in the file; a parent id means a partial thread.
    return pd.DataFrame({"company": company,
                         "root_has_missing_parent": roots["parent_id"].notna().to_numpy()},
                        index=index)
