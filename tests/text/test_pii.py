"""Personal data (analytics.text.pii): masking of each kind, ordinary numbers left alone, and
customer text shown as escaped HTML."""

import numpy as np
import pandas as pd
import pytest
from helpers import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.text import mask_pii, verbatim_html


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


@pytest.fixture(scope="module")
def demo_messages():

    path = ROOT / "data" / "demo" / "messages.csv.gz"
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
