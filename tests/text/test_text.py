"""analytics.text: language, intents, personal data, verbatims, terms, sentiment, CLI."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from helpers import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.cli import main
from analytics.text import (
    INTENTS,
    classify_intents,
    detect_language,
    example_messages,
    explain_intent,
    intent_scores,
    mask_pii,
    normalise_lang,
    sentiment,
    term_changes,
    top_terms,
    verbatim_html,
    voice_of_customer,
)
from analytics.text import intents as intents_module


def intents(texts, lang):
    return classify_intents(pd.Series(texts, dtype=object), lang).astype(str).tolist()


# ---------------------------------------------------------------------------- intents (pt)

# Questions version 5 reads as problems (warranty and return-policy questions, which in the
# training tweets are mostly complaints); kept as strict expected failures so that a fix shows.
_V5_MISREADS = pytest.mark.xfail(strict=True, reason="version 5 reads it as problem "
                                 "(docs/intents.md, Limits)")

PT_HOW_TO = [
    "Como faço para trocar a senha do app?",
    "boa tarde, qual o prazo de entrega para Recife?",
    "onde encontro a segunda via do boleto",
    pytest.param("gostaria de saber se o produto tem garantia", marks=_V5_MISREADS),
    "é possível parcelar em 12x?",
    "vcs entregam no sábado?",
    "tem como mudar o endereço de entrega?",
    "quanto custa o frete para Curitiba",
    "olá, queria saber como funciona o plano família",
    "tenho uma dúvida sobre a fatura",
]
PT_PROBLEM = [
    "meu pedido não chegou ainda",
    "fui cobrado duas vezes no cartão",
    "não consigo acessar minha conta",
    "cobrança indevida na minha fatura",
    "o produto veio quebrado",
    "a internet está caindo toda hora",
    "quero cancelar meu pedido, ninguém responde",
    "nao recebi o produto e ja paguei",
    # complains and asks: the main need (what went wrong) decides
    "o produto não foi entregue, gostaria de saber como proceder",
    "recebi o produto errado, como faço pra trocar?",
]
PT_OTHER = [
    "adorei o atendimento, obrigada!",
    "parabéns pela entrega rápida",
    "produto excelente, recomendo",
    "chegou antes do prazo, tudo certo",
    "recomendo sem dúvida",
    "a entrega foi demorada mas o produto é ótimo",
]


@pytest.mark.parametrize("text", PT_HOW_TO)
def test_portuguese_questions_are_how_to(text):
    assert intents([text], "pt") == ["how_to"]


@pytest.mark.parametrize("text", PT_PROBLEM)
def test_portuguese_failures_are_problems(text):
    assert intents([text], "pt") == ["problem"]


@pytest.mark.parametrize("text", PT_OTHER)
def test_portuguese_praise_and_opinions_are_other(text):
    assert intents([text], "pt") == ["other"]


def test_portuguese_without_accents_reads_like_with_accents():
    assert intents(["Não recebi o pedido", "nao recebi o pedido", "n recebi o pedido"],
                   "pt") == ["problem"] * 3
    assert intents(["Como faço para pagar?", "como faco pra pagar"], "pt") == ["how_to"] * 2


# ---------------------------------------------------------------------------- intents (en)

EN_HOW_TO = [
    "how do I change my delivery address?",
    "@Brand is there a student discount?",
    "can I pay with paypal?",
    "Hi, where can I find my invoice?",
    "do you ship to Canada?",
    pytest.param("what's the return policy for sale items?", marks=_V5_MISREADS),
    "is it possible to upgrade my plan mid-month?",
    "How do I cancel my subscription?",
]
EN_PROBLEM = [
    "my order never arrived",
    "I was charged twice for the same order",
    "the app keeps crashing when I open it",
    "@Brand I can't log into my account",
    "still waiting for my refund after 3 weeks",
    "internet has been down all day, please fix this",
    "my package was lost, what do I do?",
]
EN_OTHER = [
    "thanks for the quick help!",
    "love the new update",
    "great service today, shout out to Sam",
    "happy holidays everyone",
]


@pytest.mark.parametrize("text", EN_HOW_TO)
def test_english_questions_are_how_to(text):
    assert intents([text], "en") == ["how_to"]


@pytest.mark.parametrize("text", EN_PROBLEM)
def test_english_failures_are_problems(text):
    assert intents([text], "en") == ["problem"]


@pytest.mark.parametrize("text", EN_OTHER)
def test_english_praise_is_other(text):
    assert intents([text], "en") == ["other"]


def test_classify_keeps_the_index_and_gives_missing_for_empty_text():
    s = pd.Series(["como faço para pagar?", "", None, "   ", np.nan], index=[10, 11, 12, 13, 14])
    out = classify_intents(s, "pt")
    assert out.index.tolist() == [10, 11, 12, 13, 14]
    assert out.name == "intent"
    assert list(out.cat.categories) == list(INTENTS)
    assert out.iloc[0] == "how_to"
    assert out.iloc[1:].isna().all()


def test_classify_detects_language_when_the_tag_is_missing_or_unknown():
    s = pd.Series(["nao consigo acessar minha conta", "my order never arrived"])
    langs = pd.Series([None, "xx"])
    assert classify_intents(s, langs).astype(str).tolist() == ["problem", "problem"]


def test_classify_accepts_region_tags():
    s = pd.Series(["como faço para pagar?", "how do I pay?"])
    assert classify_intents(s, pd.Series(["pt-BR", "en-US"])).astype(str).tolist() == [
        "how_to", "how_to"]


def test_classify_does_not_change_its_input():
    s = pd.Series(["como faço para pagar?", None])
    before = s.copy()
    classify_intents(s)
    pd.testing.assert_series_equal(s, before)


def test_classify_of_nothing_is_empty():
    out = classify_intents(pd.Series([], dtype=object))
    assert len(out) == 0 and out.name == "intent"


def test_classify_rejects_a_non_text_series():
    with pytest.raises(TypeError, match="text"):
        classify_intents(pd.Series([1, 2, 3]))
    with pytest.raises(TypeError, match="Series"):
        classify_intents(["how do I pay?"])


def test_explain_lists_the_cues_found():
    cues = explain_intent("Não recebi o pedido", "pt-BR")
    assert list(cues.columns) == ["intent", "weight", "cue"]
    assert "problem" in set(cues["intent"])


def test_intent_scores_are_sums_of_weights():
    scores = intent_scores(pd.Series(["obrigado", None]), "pt")
    assert scores.loc[0, "other"] > 0 and scores.loc[0, "problem"] == 0
    assert scores.loc[1, ["how_to", "problem", "other"]].isna().all()


def test_lexicon_parses_and_never_downloads(monkeypatch):
    import nltk

    monkeypatch.setattr(nltk, "download", lambda *a, **k: pytest.fail("nltk.download called"))
    intents_module._lexicon.cache_clear()
    for lang in ("en", "pt"):
        lexicon = intents_module._lexicon(lang)
        assert lexicon.cues and lexicon.greetings and lexicon.spelling
    assert intents(["how do I pay?"], "en") == ["how_to"]


def test_the_english_model_is_plain_json_and_names_its_training_rows():
    import json
    import re
    from importlib import resources

    path = resources.files("analytics") / "resources" / "intents" / "model_en.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    assert spec["classes"] == list(INTENTS)
    assert len(spec["bias"]) == 3 and len(spec["numeric"]) == 6
    assert all(len(w) == 3 and all(math.isfinite(v) for v in w) for w in spec["terms"].values())
    labelled = pd.read_csv(ROOT / "data" / "labelled"
                           / "intents.csv", dtype=str, keep_default_na=False)
    # "... splits dev, eval, ... (959 English messages)": the rows it names are all there
    splits, count = re.search(r"splits ([\w, ]+) \((\d+) English", spec["about"]).groups()
    splits = splits.split(", ")
    assert "version 4" in spec["about"] and "train4" in splits and "eval4" not in splits
    english = labelled[(labelled["lang"] == "en") & labelled["split"].isin(splits)]
    assert len(english) == int(count)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.text(max_size=80)), max_size=8),
       st.sampled_from([None, "pt", "en", "pt-BR"]))
def test_classify_never_returns_anything_but_the_three_labels(texts, lang):
    out = classify_intents(pd.Series(texts, dtype=object), lang)
    assert set(out.dropna().astype(str)) <= set(INTENTS)
    blank = [t is None or not t.strip() for t in texts]
    assert out.isna().tolist() == blank


# ---------------------------------------------------------------------------- language

def test_detect_language_on_short_messages():
    s = pd.Series(["Olá, não consigo acessar minha conta", "vc pode me ajudar",
                   "my order never arrived", "Where is my refund?", "obrigado!",
                   "thanks a lot", None, ""])
    assert detect_language(s).tolist() == ["pt", "pt", "en", "en", "pt", "en", np.nan, np.nan]


def test_detect_language_falls_back_to_the_default_without_evidence():
    s = pd.Series(["ok", "https://t.co/x", "👍"])
    assert detect_language(s, default="en").tolist() == ["en"] * 3
    assert detect_language(s).tolist() == ["pt"] * 3
    with pytest.raises(ValueError, match="default"):
        detect_language(s, default="es")


def test_normalise_lang_maps_tags_and_names():
    s = pd.Series(["pt-BR", "PT", "pt_br", "Portuguese", "português", "en", "en-US", "English",
                   "es", "", None], index=range(100, 111))
    out = normalise_lang(s)
    assert out.index.tolist() == list(range(100, 111))
    assert out.iloc[:8].tolist() == ["pt"] * 5 + ["en"] * 3
    assert out.iloc[8:].isna().all()


# ---------------------------------------------------------------------------- personal data

@pytest.mark.parametrize("text, expected", [
    ("meu e-mail é ana.souza+1@gmail.com.br ok", "meu e-mail é [email] ok"),
    ("me liga no (11) 91234-5678", "me liga no [phone]"),
    ("whats 11 91234-5678", "whats [phone]"),
    ("tel +55 11 91234-5678", "tel [phone]"),
    ("tel 11912345678 urgente", "tel [phone] urgente"),
    ("fixo 3456-7890", "fixo [phone]"),
    ("call +44 20 7946 0958 now", "call [phone] now"),
    ("The number is +1(818)930-5703 They", "The number is [phone] They"),
    ("call (818) 930-5703", "call [phone]"),
    ("cpf 123.456.789-09", "cpf [cpf]"),
    ("cpf 52998224725 do titular", "cpf [cpf] do titular"),
    ("cnpj 11.222.333/0001-81", "cnpj [cnpj]"),
    ("cnpj 11222333000181", "cnpj [cnpj]"),
    ("cartão 4111 1111 1111 1111", "cartão [card]"),
    ("card 5500-0000-0000-0004", "card [card]"),
    ("card 4111111111111111 thanks", "card [card] thanks"),
    ("fala com @joao_silva ou @Brand", "fala com [@user] ou [@user]"),
])
def test_mask_pii_masks_each_kind(text, expected):
    assert mask_pii(pd.Series([text])).iloc[0] == expected


@pytest.mark.parametrize("text", [
    "pedido #4511792 atrasado",
    "order 123456 is late",
    "paguei R$ 1.234,56 e R$ 89,90",
    "it cost $171 per month",
    "entrega em 12/03/2024 às 10:30",
    "since 2017-10-30 nothing",
    "rastreio BR123456789BR",
    "flight 1361 from BDL",
    "order# 3632693-6196346",
    "tracking 1234567890",
    "iOS 11.1 update",
])
def test_mask_pii_leaves_ordinary_numbers_alone(text):
    assert mask_pii(pd.Series([text])).iloc[0] == text


def test_mask_pii_keeps_index_name_and_missing():
    s = pd.Series(["a@b.com", None, np.nan], index=["x", "y", "z"], name="text")
    out = mask_pii(s)
    assert out.index.tolist() == ["x", "y", "z"] and out.name == "text"
    assert out.iloc[0] == "[email]" and out.iloc[1:].isna().all()


def test_mask_pii_of_nothing_is_empty():
    assert mask_pii(pd.Series([], dtype=object)).empty


def test_mask_pii_on_the_synthetic_demo_leaves_no_personal_data(demo_messages):
    m = demo_messages
    masked = mask_pii(m["text"])
    with_pii = m["pii"].fillna("") != ""
    placeholder = masked.str.contains(r"\[(?:email|phone|cpf|cnpj|card|@user)\]", regex=True)
    assert placeholder[with_pii].all()
    assert not masked.str.contains(r"@\w+\.\w", regex=True).any()


_pii_text = st.lists(st.sampled_from([
    "ana@example.com", "(11) 91234-5678", "123.456.789-09", "4111 1111 1111 1111",
    "@someone", "pedido #4511792", "R$ 12,50", "12/03/2024", "olá", " ", "não", "x"]),
    max_size=8).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_pii_text, st.text(max_size=60)))
def test_mask_pii_is_idempotent(text):
    once = mask_pii(pd.Series([text])).iloc[0]
    assert mask_pii(pd.Series([once])).iloc[0] == once


@settings(max_examples=200, deadline=None)
@given(_pii_text)
def test_mask_pii_never_adds_digits(text):
    once = mask_pii(pd.Series([text])).iloc[0]
    assert sum(c.isdigit() for c in once) <= sum(c.isdigit() for c in text)
    assert "@example.com" not in once


# ---------------------------------------------------------------------------- verbatims

def test_verbatim_html_escapes_script_and_masks():
    out = verbatim_html('<script>alert("x")</script> ana@example.com')
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "&quot;x&quot;" in out and "[email]" in out and "ana@" not in out


def test_verbatim_html_of_missing_is_empty():
    assert verbatim_html(None) == "" and verbatim_html(np.nan) == ""


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_verbatim_html_never_lets_markup_through(text):
    out = verbatim_html(text)
    assert "<" not in out and ">" not in out and '"' not in out


# ---------------------------------------------------------------------------- terms

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
    en = pd.Series(["Hi, please help, my pre-order never came", "thanks! need my pre-order",
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


# ---------------------------------------------------------------------------- sentiment

def test_sentiment_sign_in_english_and_missing_in_portuguese():
    s = pd.Series(["I love this, great service!", "This is awful, the worst experience.",
                   "adorei o produto", None])
    out = sentiment(s, pd.Series(["en", "en", "pt", "en"]))
    assert out.name == "sentiment"
    assert out.iloc[0] > 0.5 and out.iloc[1] < -0.5
    assert math.isnan(out.iloc[2]) and math.isnan(out.iloc[3])
    assert out.dropna().between(-1, 1).all()


# ---------------------------------------------------------------------------- CLI

def test_cli_intents_writes_the_input_columns_plus_intent(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("id,text,lang,extra\n"
                   "007,Como faço para trocar a senha?,pt-BR,NA\n"
                   "2,my order never arrived,en,x\n"
                   "3,,pt,\n", encoding="utf-8")
    before = src.read_bytes()
    out = tmp_path / "sub" / "out.csv"
    assert main(["intents", "--input", str(src), "--text-column", "text", "--lang-column",
                 "lang", "--output", str(out)]) == 0
    assert src.read_bytes() == before
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(got.columns) == ["id", "text", "lang", "extra", "intent", "intent_probability"]
    probability = pd.to_numeric(got["intent_probability"].replace("", None))
    assert probability.iloc[:2].between(1 / 3, 1).all() and pd.isna(probability.iloc[2])
    assert got["id"].tolist() == ["007", "2", "3"]
    assert got["extra"].tolist() == ["NA", "x", ""]
    assert got["intent"].tolist() == ["how_to", "problem", ""]
    assert not list(out.parent.glob(".*.tmp"))
    assert "wrote 3 rows" in capsys.readouterr().out


def test_cli_intents_detects_the_language_without_a_lang_column(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("body\nnão consigo acessar minha conta\nhow do I reset my password?\n",
                   encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["intents", "--input", str(src), "--text-column", "body",
                 "--output", str(out)]) == 0
    got = pd.read_csv(out, dtype=str)
    assert got["lang_detected"].tolist() == ["pt", "en"]
    assert got["intent"].tolist() == ["problem", "how_to"]


def test_cli_intents_missing_text_column_is_one_line_exit_2(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("id,body\n1,hello\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["intents", "--input", str(src), "--text-column", "text",
                 "--output", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert str(src) in err and "'text'" in err and "Traceback" not in err
    assert not out.exists()


def test_cli_intents_missing_lang_column_and_missing_file(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("text\nhello\n", encoding="utf-8")
    assert main(["intents", "--input", str(src), "--lang-column", "lang",
                 "--output", str(tmp_path / "o.csv")]) == 2
    assert "'lang'" in capsys.readouterr().err
    assert main(["intents", "--input", str(tmp_path / "nope.csv"),
                 "--output", str(tmp_path / "o.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err


def test_cli_intents_refuses_to_overwrite_its_input(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("text\nhello\n", encoding="utf-8")
    before = src.read_bytes()
    assert main(["intents", "--input", str(src), "--output", str(src)]) == 2
    assert src.read_bytes() == before
    assert "overwrite" in capsys.readouterr().err


@pytest.fixture(scope="module")
def demo_messages():

    path = ROOT / "data" / "demo" / "messages.csv.gz"
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
