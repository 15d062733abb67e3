"""The messages' words: template banks drawn per language and key, slot filling (cities,
orders, products, amounts, channels, agents, personal data), repeat-contact prefixes, and the
variation of customers' own writing (greetings, case, abbreviations, accents, typos, emojis).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.synthetic.parameters import (
    CHAT,
    EMAIL,
    INTENTS,
    K_AGENT_FIRST,
    K_AGENT_MORE,
    K_AGENT_REOPEN,
    K_AGENT_TRANSFER,
    K_BOT_ANSWER,
    K_BOT_GREET,
    K_BOT_HANDOFF,
    K_CUST_MORE,
    K_MENU,
    K_OPEN,
    K_PRE,
    K_PROACTIVE,
    K_REOPEN,
    K_SYS_INACTIVE,
    K_SYS_PROTOCOL,
    K_THANKS,
    LANGS,
    N_AGENTS,
    OTHER,
    PHONE,
    PII_KINDS,
    PROB,
    RA,
    SOCIAL,
    STR,
    TOPICS,
    WA,
    WEB,
)
from analytics.synthetic.people import People
from analytics.synthetic.phrasebook import (
    ABBREVIATIONS,
    ACCENTS,
    AGENT_FIRST,
    AGENT_FORMAL,
    AGENT_MORE,
    AGENT_NAMES,
    AGENT_REOPEN,
    AGENT_TRANSFER,
    BOT_ANSWER,
    BOT_GREET,
    BOT_HANDOFF,
    CHANNEL_LABEL,
    CITIES,
    CUST_MORE,
    EMOJI,
    FOLLOW_PREFIX,
    GREETINGS,
    INCIDENT_TEXT,
    MENU_TEXT,
    OPENINGS,
    PII_TEXT,
    PRE_TEXT,
    PROACTIVE,
    PRODUCTS,
    RA_SUFFIX,
    REOPEN,
    SWAPS,
    SYS_INACTIVE,
    SYS_PROTOCOL,
    THANKS,
)


class Bank:
    """Text templates grouped by an integer key; vectorised random choice within a key."""

    def __init__(self, entries: dict, key):
        keys, texts = [], []
        for k, values in entries.items():
            for value in values:
                keys.append(key(k))
                texts.append(value)
        keys = np.array(keys)
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.texts = np.array(texts, dtype=STR)[order]
        size = int(self.keys.max()) + 1
        self.start = np.searchsorted(self.keys, np.arange(size))
        self.count = np.searchsorted(self.keys, np.arange(size), side="right") - self.start

    def index(self, keys: np.ndarray, rng) -> np.ndarray:
        u = rng.random(len(keys))
        keys = np.asarray(keys, dtype=np.int64)
        if len(keys) and ((keys >= len(self.count)).any() or (self.count[keys] == 0).any()):
            raise ValueError("no template for some keys")
        return self.start[keys] + (u * self.count[keys]).astype(np.int64)

    def pick(self, keys, rng) -> np.ndarray:
        return self.texts[self.index(keys, rng)]


def _lang_key(k):
    return LANGS.index(k)


OPENING_BANK = Bank(OPENINGS, lambda k: (LANGS.index(k[0]) * 3 + INTENTS.index(k[1])) * 8
                     + TOPICS.index(k[2]))
_B_PRE = Bank(PRE_TEXT, _lang_key)
_B_MENU = Bank(MENU_TEXT, _lang_key)
_B_BOT_GREET = Bank(BOT_GREET, _lang_key)
_B_BOT_HANDOFF = Bank(BOT_HANDOFF, _lang_key)
_B_BOT_ANSWER = Bank(BOT_ANSWER, lambda k: LANGS.index(k[0]) * 8 + TOPICS.index(k[1]))
_B_AGENT_FIRST = Bank(AGENT_FIRST, lambda k: LANGS.index(k[0]) * 3 + INTENTS.index(k[1]))
_B_AGENT_FORMAL = Bank(AGENT_FORMAL, _lang_key)
_B_AGENT_TRANSFER = Bank(AGENT_TRANSFER, _lang_key)
_B_AGENT_MORE = Bank(AGENT_MORE, lambda k: LANGS.index(k[0]) * 3 + INTENTS.index(k[1]))
_B_CUST_MORE = Bank(CUST_MORE, lambda k: LANGS.index(k[0]) * 3 + INTENTS.index(k[1]))
_B_THANKS = Bank(THANKS, _lang_key)
_B_REOPEN = Bank(REOPEN, _lang_key)
_B_AGENT_REOPEN = Bank(AGENT_REOPEN, _lang_key)
_B_SYS_PROTOCOL = Bank(SYS_PROTOCOL, _lang_key)
_B_SYS_INACTIVE = Bank(SYS_INACTIVE, _lang_key)
_B_PROACTIVE = Bank(PROACTIVE, lambda k: LANGS.index(k[0]) * 8 + TOPICS.index(k[1]))
_B_FOLLOW = Bank(FOLLOW_PREFIX, lambda k: LANGS.index(k[0]) * 5 + k[1])
_B_RA_SUFFIX = Bank(RA_SUFFIX, _lang_key)
_B_GREET = Bank(GREETINGS, lambda k: LANGS.index(k[0]) * 4 + k[1])
_B_EMOJI = Bank(EMOJI, int)
_B_PII = Bank(PII_TEXT, lambda k: LANGS.index(k[0]) * 5 + PII_KINDS.index(k[1]))
INCIDENT_TEMPLATE = np.array([
    int(np.flatnonzero(OPENING_BANK.texts == INCIDENT_TEXT[lang])[0]) for lang in LANGS])


def message_texts(conv: pd.DataFrame, msgs: dict, people: People, tz, rng):
    """Message texts (and the kind of personal data each contains, -1 for none).

    ``conv`` has one row per conversation (its language, intent, topic, channel, customer,
    opening template and previous contact), ``msgs`` the integer-coded messages in their
    final order; customers' own data come from ``people``, the hour of day from ``tz``.
    """
    key, kind, agent = msgs["key"], msgs["kind"], msgs["agent"]
    n = len(key)
    lang = conv["lang"].to_numpy()[key]
    intent = conv["intent"].to_numpy()[key]
    topic = conv["topic"].to_numpy()[key]
    ch = conv["ch"].to_numpy()[key]
    cust = conv["cust"].to_numpy()[key]
    person = np.where(cust >= 0, cust, rng.integers(0, people.n, n))
    text = np.empty(n, dtype=STR)

    def fill(k, bank, keys):
        rows = kind == k
        text[rows] = bank.pick(keys[rows], rng)

    rows = kind == K_OPEN
    text[rows] = OPENING_BANK.texts[conv["tmpl"].to_numpy()[key][rows]]
    fill(K_PRE, _B_PRE, lang)
    fill(K_MENU, _B_MENU, lang)
    fill(K_BOT_GREET, _B_BOT_GREET, lang)
    fill(K_BOT_HANDOFF, _B_BOT_HANDOFF, lang)
    fill(K_BOT_ANSWER, _B_BOT_ANSWER, lang * 8 + topic)
    intent0 = np.maximum(intent, 0)
    fill(K_AGENT_FIRST, _B_AGENT_FIRST, lang * 3 + intent0)
    formal = (kind == K_AGENT_FIRST) & (ch == RA)
    text[formal] = _B_AGENT_FORMAL.pick(lang[formal], rng)
    fill(K_AGENT_TRANSFER, _B_AGENT_TRANSFER, lang)
    fill(K_CUST_MORE, _B_CUST_MORE, lang * 3 + intent0)
    fill(K_AGENT_MORE, _B_AGENT_MORE, lang * 3 + intent0)
    fill(K_THANKS, _B_THANKS, lang)
    fill(K_SYS_PROTOCOL, _B_SYS_PROTOCOL, lang)
    fill(K_SYS_INACTIVE, _B_SYS_INACTIVE, lang)
    fill(K_REOPEN, _B_REOPEN, lang)
    fill(K_AGENT_REOPEN, _B_AGENT_REOPEN, lang)
    fill(K_PROACTIVE, _B_PROACTIVE, lang * 8 + topic)

    # Openings of repeat contacts mention the previous one; complaints get a suffix.
    prev_cls = conv["prev_cls"].to_numpy()[key]
    prefix = rows & (prev_cls > 0) & (rng.random(n) < 0.7)
    text[prefix] = np.strings.add(_B_FOLLOW.pick(lang[prefix] * 5 + prev_cls[prefix], rng),
                                  text[prefix])
    suffix = rows & (ch == RA) & (intent == PROB) & (rng.random(n) < 0.6)
    text[suffix] = np.strings.add(text[suffix], _B_RA_SUFFIX.pick(lang[suffix], rng))

    lang_labels = {la: np.array(CHANNEL_LABEL[la], dtype=STR) for la in LANGS}
    prev_ch = np.maximum(conv["prev_ch"].to_numpy()[key], 0)
    products = {la: np.array(PRODUCTS[la], dtype=STR) for la in LANGS}
    which = rng.integers(0, len(PRODUCTS["pt"]), n)
    agent_name = np.where(agent > 0, agent, rng.integers(1, N_AGENTS + 1, n))
    slots = {
        "cidade": np.array(CITIES, dtype=STR)[people.city[person]],
        "pedido": np.strings.add("#", rng.integers(1_000_000, 9_999_999, n).astype(STR)),
        "produto": np.where(lang == 0, products["pt"][which], products["en"][which]),
        "valor": np.strings.add(rng.integers(19, 900, n).astype(STR),
                                np.array([",90", ",99", ",00", ",50"], dtype=STR)[
                                    rng.integers(0, 4, n)]),
        "canal": np.where(lang == 0, lang_labels["pt"][prev_ch], lang_labels["en"][prev_ch]),
        "protocolo": rng.integers(10**9, 10**10 - 1, n).astype(STR),
        "agente": AGENT_NAMES[agent_name],
    }
    text = _fill(text, slots)

    # Customer-written texts vary: greeting, case, abbreviations, accents, typos.
    customer = np.isin(kind, (K_OPEN, K_PRE, K_CUST_MORE, K_THANKS, K_REOPEN))
    hour = pd.DatetimeIndex(pd.to_datetime(msgs["t"], unit="s", utc=True)).tz_convert(
        tz).hour.to_numpy()
    text = _vary(text, customer, rows, lang, ch, hour, rng)

    # Personal data in about 3% of all messages.
    p = np.select([kind == K_OPEN, np.isin(kind, (K_CUST_MORE, K_REOPEN))], [0.085, 0.10],
                  0.0)
    has_pii = rng.random(n) < p
    social = np.isin(ch, SOCIAL)
    pii = np.where(social & (rng.random(n) < 0.5), 4,
                   rng.choice(4, size=n, p=[0.3, 0.3, 0.28, 0.12]))
    pii = np.where(has_pii, pii, -1)
    stop = (np.strings.endswith(text, "?") | np.strings.endswith(text, "!")
            | np.strings.endswith(text, "."))
    text[has_pii] = np.strings.add(np.strings.add(text[has_pii], np.where(
        stop[has_pii], " ", ". ").astype(STR)), _B_PII.pick(lang[has_pii] * 5 + pii[has_pii],
                                                          rng))
    text = _fill(text, {"email": people.email[person], "telefone": people.phone[person],
                        "cpf": people.cpf[person], "cartao": people.card[person],
                        "handle": people.handle[person]})
    # Emojis, mostly on chat and social media.
    p_emoji = np.select([social, np.isin(ch, [CHAT, WA]), ch == PHONE], [0.25, 0.15, 0.0],
                        0.03)
    mood = np.where(kind == K_THANKS, OTHER, intent)
    emoji = (np.isin(kind, (K_OPEN, K_PRE, K_THANKS)) & (intent >= 0)
             & (rng.random(n) < p_emoji))
    text[emoji] = np.strings.add(text[emoji], _B_EMOJI.pick(mood[emoji], rng))
    return text, pii




def _fill(text: np.ndarray, slots: dict) -> np.ndarray:
    """Replace ``{name}`` by ``slots[name]`` row by row (only rows with a slot are touched)."""
    rows = np.flatnonzero(np.strings.find(text, "{") >= 0)
    sub = text[rows]
    for name, values in slots.items():
        sub = np.strings.replace(sub, "{" + name + "}", values[rows])
    text[rows] = sub
    return text


def _replace_all(text: np.ndarray, mask: np.ndarray, pairs) -> np.ndarray:
    """Apply each (old, new) replacement to the rows of ``mask``."""
    rows = np.flatnonzero(mask)
    sub = text[rows]
    for old, new in pairs:
        sub = np.strings.replace(sub, old, new)
    text[rows] = sub
    return text


def _vary(text, customer, opening, lang, ch, hour, rng) -> np.ndarray:
    """Greetings, capitals, abbreviations, missing accents, typos and punctuation."""
    n = len(text)
    pt = lang == 0
    # Greeting by time of day (formal on e-mail, web form, Reclame Aqui).
    formal = np.isin(ch, [EMAIL, WEB, RA])
    part = np.select([formal, (hour >= 5) & (hour < 12), (hour >= 12) & (hour < 18)], [3, 0, 1],
                     2)
    greet = opening & (rng.random(n) < np.where(formal, 0.7, 0.4))
    text[greet] = np.strings.add(_B_GREET.pick(lang[greet] * 4 + part[greet], rng), text[greet])
    text = _replace_all(text, customer & pt & ~formal & (rng.random(n) < 0.3), ABBREVIATIONS)
    text = _replace_all(text, customer & pt & (rng.random(n) < 0.2), ACCENTS)
    typo = customer & (rng.random(n) < 0.1)
    which = rng.integers(0, len(SWAPS), n)
    for j, (old, new) in enumerate(SWAPS):
        rows = typo & (which == j)
        text[rows] = np.strings.replace(text[rows], old, new, 1)
    lower = customer & (rng.random(n) < 0.15)
    text[lower] = np.strings.lower(text[lower])
    cap = customer & ~lower & (rng.random(n) < np.where(formal, 0.9, 0.5))
    text[cap] = np.strings.add(np.strings.upper(np.strings.slice(text[cap], 0, 1)),
                               np.strings.slice(text[cap], 1, None))
    r = rng.random(n)
    question = customer & np.strings.endswith(text, "?")
    more = question & (r < 0.12)
    text[more] = np.strings.add(text[more], "??")
    drop = question & (r > 0.9)
    text[drop] = np.strings.slice(text[drop], 0, -1)
    return text
