"""The messages' words (analytics/synthetic/texts.py): template banks, slot filling, the
variation of customers' writing."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.synthetic.parameters import EMAIL, STR, WA
from analytics.synthetic.phrasebook import INCIDENT_TEXT, OPENINGS
from analytics.synthetic.texts import (
    INCIDENT_TEMPLATE,
    OPENING_BANK,
    Bank,
    _fill,
    _replace_all,
    _vary,
)


def test_a_bank_draws_within_the_key_of_each_row():
    bank = Bank({("pt",): ["a", "b"], ("en",): ["c"]}, lambda k: ("pt", "en").index(k[0]))
    assert bank.texts.tolist() == ["a", "b", "c"]  # grouped by key, in the order given
    assert bank.start.tolist() == [0, 2] and bank.count.tolist() == [2, 1]
    picked = bank.pick(np.array([1, 1, 0, 0, 0, 0, 0, 0]), np.random.default_rng(0)).tolist()
    assert picked[:2] == ["c", "c"] and set(picked[2:]) <= {"a", "b"}


def test_a_bank_refuses_a_key_without_templates():
    bank = Bank({0: ["x"], 2: ["y"]}, int)
    with pytest.raises(ValueError, match="no template"):
        bank.index(np.array([1]), np.random.default_rng(0))
    with pytest.raises(ValueError, match="no template"):
        bank.index(np.array([3]), np.random.default_rng(0))


def test_the_opening_bank_is_keyed_by_language_intent_and_topic():
    # key = (lang * 3 + intent) * 8 + topic: ("en", "problem", "pagamento") = (1*3 + 1)*8 + 5
    rows = OPENING_BANK.texts[OPENING_BANK.keys == 37].tolist()
    assert rows == OPENINGS[("en", "problem", "pagamento")]


def test_the_incident_template_is_the_double_charge_text_in_each_language():
    assert OPENING_BANK.texts[INCIDENT_TEMPLATE].tolist() == [INCIDENT_TEXT["pt"],
                                                               INCIDENT_TEXT["en"]]


def test_slots_are_filled_row_by_row_and_other_rows_untouched():
    text = np.array(["{a} e {b}", "sem slot", "{b}!"], dtype=STR)
    slots = {"a": np.array(["1", "2", "3"], dtype=STR), "b": np.array(["x", "y", "z"], dtype=STR)}
    assert _fill(text, slots).tolist() == ["1 e x", "sem slot", "z!"]


def test_replacements_apply_to_the_masked_rows_only():
    text = np.array(["você não", "você não"], dtype=STR)
    out = _replace_all(text, np.array([True, False]), (("você", "vc"), ("não", "nao")))
    assert out.tolist() == ["vc nao", "você não"]


def test_only_customer_texts_vary():
    n = 400
    text = np.array(["como faço para trocar a senha?"] * n, dtype=STR)
    customer = np.arange(n) < n // 2
    ch = np.where(np.arange(n) % 2 == 0, WA, EMAIL)
    out = _vary(text.copy(), customer, customer, np.zeros(n, dtype=np.int64), ch,
                np.full(n, 10), np.random.default_rng(7))
    assert (out[n // 2:] == text[n // 2:]).all()  # agents' and bots' texts are kept as written
    assert (out[: n // 2] != text[: n // 2]).mean() > 0.5
    # Greetings by the hour (10:00: morning) on WhatsApp, formal ones on e-mail.
    whatsapp, email = out[: n // 2 : 2].tolist(), out[1 : n // 2 : 2].tolist()
    assert any(t.lower().startswith(("bom dia", "oi", "opa")) for t in whatsapp)
    assert any(t.lower().startswith("prezados, ") for t in email)
    assert not any(t.lower().startswith(("oi", "opa", "boa noite")) for t in email)
