"""Terms (analytics.text.terms): top terms and their change, voice of the customer, examples."""

import pandas as pd
import pytest

from analytics.text import example_messages, term_changes, top_terms, voice_of_customer


def test_top_terms_counts_messages_and_drops_stop_words():
    s = pd.Series(["My order is late", "late order again!", "my refund @Brand", None])
    out = top_terms(s, "en", n=3)
    assert list(out.columns) == ["term", "count", "share"]
    assert out["term"].tolist() == ["late", "order", "refund"]
    assert out["count"].tolist() == [2, 2, 1]
    assert out["share"].tolist() == pytest.approx([2 / 3, 2 / 3, 1 / 3])


def test_term_tables_leave_out_greetings_politeness_and_lone_negations():
    # What the demo's Portuguese table used to list: "não 186", "boa", "onde", "tarde".
    pt = pd.Series(["Boa tarde, não chegou meu pedido", "onde está meu boleto? não recebi",
                    "bom dia, por favor, não consigo pagar o boleto"])
    terms = top_terms(pt, "pt", n=20)["term"].tolist()
    assert terms == ["boleto", "chegou", "pagar", "pedido", "recebi"]
    assert "não chegou" in set(top_terms(pt, "pt", n=20, ngram=2)["term"])
    assert top_terms(pd.Series(["pós venda ruim", "o pós-venda não respondeu"]), "pt")[
        "term"].tolist()[0] == "pós-venda"
    # "pre order" as twcs's customers write it: the prefix joins its word, never "pre" alone.
    en = pd.Series(["Hi, please help, my pre-order never came", "thanks! need my pre order",
                    "ww2 code for my ps4, order 4451"])
    assert top_terms(en, "en", n=20)["term"].tolist() == ["pre-order", "came", "code", "order",
                                                          "ps4", "ww2"]


def test_top_bigrams_keep_negations_and_never_span_a_dropped_word():
    s = pd.Series(["Não recebi o pedido", "ainda não recebi", "pedido atrasado, não recebi"])
    out = top_terms(s, "pt", n=2, ngram=2)
    assert out["term"].tolist()[0] == "não recebi"
    assert out["count"].tolist()[0] == 3
    assert "recebi pedido" not in set(top_terms(s, "pt", n=20, ngram=2)["term"])


def test_top_terms_masks_personal_data_first():
    s = pd.Series(["meu email ana@example.com", "email errado"])
    terms = set(top_terms(s, "pt", n=20)["term"])
    assert "email" in terms and not any("ana" in t for t in terms)


def test_top_terms_of_nothing_is_empty():
    out = top_terms(pd.Series([], dtype=object), "en")
    assert out.empty and list(out.columns) == ["term", "count", "share"]
    with pytest.raises(ValueError, match="ngram"):
        top_terms(pd.Series(["x"]), "en", ngram=3)


def test_term_changes_compare_shares_with_the_previous_period():
    cur = pd.Series(["refund late", "refund please", "hello"])
    prev = pd.Series(["late delivery", "late again"])
    out = term_changes(cur, prev, "en", "en", n=2)
    assert list(out.columns) == ["term", "count", "share", "previous_count", "previous_share",
                                 "change"]
    assert out["term"].tolist() == ["refund", "late"]
    assert out["previous_count"].tolist() == [0, 2]
    assert out["change"].tolist() == pytest.approx([2 / 3, 1 / 3 - 1])


def test_voice_of_customer_groups_by_intent_and_channel():
    cur = pd.DataFrame({"intent": ["problem", "problem", "how_to"],
                        "channel": ["chat", "chat", "email"],
                        "text": ["pedido atrasado", "pedido errado", "como pagar boleto"],
                        "lang": ["pt"] * 3})
    prev = cur.iloc[[0]]
    out = voice_of_customer(cur, prev, n=1)
    assert out[["intent", "channel", "term"]].values.tolist() == [
        ["how_to", "email", "boleto"], ["problem", "chat", "pedido"]]
    assert out["previous_share"].tolist() == [0.0, 1.0]


def test_example_messages_are_masked_deterministic_and_per_group():
    frame = pd.DataFrame({
        "intent": ["problem"] * 4 + ["how_to"],
        "text": ["meu pedido não chegou ainda hoje", "pedido não chegou, liga (11) 91234-5678",
                 "ok", "pedido não chegou ainda", "como faço para pagar o boleto"],
        "lang": ["pt"] * 5})
    out = example_messages(frame, "intent", n=2)
    again = example_messages(frame.sample(frac=1, random_state=1).sort_index(), "intent", n=2)
    pd.testing.assert_frame_equal(out, again)
    assert list(out.columns) == ["intent", "rank", "text"]
    assert out.groupby("intent").size().to_dict() == {"how_to": 1, "problem": 2}
    assert not out["text"].str.contains("91234").any()
    assert "ok" not in out["text"].tolist()
