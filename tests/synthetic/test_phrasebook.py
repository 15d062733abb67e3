"""The demo company's words (analytics/synthetic/phrasebook.py): a template for every key the
generator can draw, in both languages, and only slots the generator fills."""

from __future__ import annotations

import re

from analytics.synthetic import parameters as p
from analytics.synthetic import phrasebook as b

SLOTS = {"cidade", "pedido", "produto", "valor", "canal", "protocolo", "agente", "email",
         "telefone", "cpf", "cartao", "handle"}
BANKS = ("OPENINGS", "PRE_TEXT", "MENU_TEXT", "BOT_GREET", "BOT_HANDOFF", "BOT_ANSWER",
         "AGENT_FIRST", "AGENT_FORMAL", "AGENT_TRANSFER", "AGENT_MORE", "CUST_MORE", "THANKS",
         "REOPEN", "AGENT_REOPEN", "SYS_PROTOCOL", "SYS_INACTIVE", "PROACTIVE", "FOLLOW_PREFIX",
         "RA_SUFFIX", "GREETINGS", "PII_TEXT")


def test_an_opening_for_every_language_intent_and_topic_the_mix_can_draw():
    for lang in p.LANGS:
        for i, intent in enumerate(p.INTENTS):
            for j, topic in enumerate(p.TOPICS):
                if p.TOPIC_MIX[i, j] > 0:
                    assert b.OPENINGS.get((lang, intent, topic)), (lang, intent, topic)


def test_both_languages_in_every_bank():
    for lang in p.LANGS:
        for name in ("PRE_TEXT", "MENU_TEXT", "BOT_GREET", "BOT_HANDOFF", "AGENT_FORMAL",
                     "AGENT_TRANSFER", "THANKS", "REOPEN", "AGENT_REOPEN", "SYS_PROTOCOL",
                     "SYS_INACTIVE", "RA_SUFFIX", "PRODUCTS", "CHANNEL_LABEL"):
            assert getattr(b, name)[lang], (name, lang)
        for intent in p.INTENTS:
            for name in ("AGENT_FIRST", "AGENT_MORE", "CUST_MORE"):
                assert getattr(b, name)[(lang, intent)], (name, lang, intent)
        for topic in p.TOPICS[:-1]:  # the bot answers how-to topics ("outro" is not one)
            assert b.BOT_ANSWER[(lang, topic)]
        for topic in p.PROACTIVE_TOPICS:
            assert b.PROACTIVE[(lang, p.TOPICS[topic])]
        for outcome in (p.UNANSWERED, p.UNRESOLVED, p.SLOW, p.RESOLVED):
            assert b.FOLLOW_PREFIX[(lang, outcome)]
        for part in range(4):
            assert b.GREETINGS[(lang, part)]
        for kind in p.PII_KINDS:
            assert b.PII_TEXT[(lang, kind)]
        assert b.INCIDENT_TEXT[lang] in b.OPENINGS[(lang, "problem", "pagamento")]


def test_templates_use_only_the_slots_the_generator_fills():
    for name in BANKS:
        for texts in getattr(b, name).values():
            for text in texts:
                assert set(re.findall(r"\{(\w+)\}", text)) <= SLOTS, (name, text)


def test_names_places_and_their_weights_line_up():
    assert len(b.AGENT_NAMES) == p.N_AGENTS + 1  # the bot (Lia) and ag-01 .. ag-25
    assert len(b.CITY_WEIGHT) == len(b.DDD) == len(b.CITIES)
    assert len(b.PRODUCTS["pt"]) == len(b.PRODUCTS["en"])
    assert len(b.CHANNEL_LABEL["pt"]) == len(b.CHANNEL_LABEL["en"]) == len(p.CHANNELS)
    assert set(b.EMOJI) == {p.HOW, p.PROB, p.OTHER}
