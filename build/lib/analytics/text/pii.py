"""Masking personal data in customer text (e-mail, phone, CPF/CNPJ with check digits, Luhn
cards, @handles) and escaping verbatims for HTML.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from analytics.text._common import _text_series

PLACEHOLDERS = ("[email]", "[phone]", "[cpf]", "[cnpj]", "[card]", "[@user]")


# ----------------------------------------------------------------------------------------
# personal data
# ----------------------------------------------------------------------------------------

def _digits_of(text: str) -> list[int]:
    return [int(c) for c in text if c.isdigit()]


def _valid_cpf(d: list[int]) -> bool:
    if len(d) != 11 or len(set(d)) == 1:
        return False
    for k in (9, 10):
        total = sum(v * w for v, w in zip(d[:k], range(k + 1, 1, -1), strict=True))
        check = total * 10 % 11 % 10
        if check != d[k]:
            return False
    return True


def _valid_cnpj(d: list[int]) -> bool:
    if len(d) != 14 or len(set(d)) == 1:
        return False
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    for k, w in ((12, weights), (13, [6, *weights])):
        rest = sum(v * x for v, x in zip(d[:k], w, strict=True)) % 11
        if (0 if rest < 2 else 11 - rest) != d[k]:
            return False
    return True


def _luhn(d: list[int]) -> bool:
    total = 0
    for i, v in enumerate(reversed(d)):
        if i % 2:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return total % 10 == 0


_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_CNPJ_FORMATTED = r"\b\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}\b"
_CPF_FORMATTED = r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b"
_CARD_GROUPED = r"\b\d{4}(?:[ -]\d{4}){3}\b"
_DIGIT_RUN = r"(?<![\d.,/-])\d(?:[ -]?\d){10,18}(?![\d,/]|\.\d)"
# Phones. Brazilian: (11) 91234-5678, 11 91234-5678, +55 11 91234-5678, 11912345678 (an
# unseparated run only as a mobile: area code + 9 + 8 digits); international with "+"; US
# (818) 930-5703 / 818-930-5703; local 91234-5678 / 3456-7890.
_PHONE = (r"(?:\+\d{1,3}[\s.-]?)?\(\d{2,3}\)[\s.-]?9?\d{4}[\s.-]?\d{4}\b"
          r"|(?:\+\d{1,3}[\s.-]?)?\b\d{2}[\s.-]9?\d{4}[\s.-]\d{4}\b"
          r"|(?:\+55[\s.-]?)?\b[1-9]{2}9\d{8}\b"
          r"|\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}\b"
          r"|\(\d{3}\)\s?\d{3}[\s.-]\d{4}\b"
          r"|\b\d{3}[.-]\d{3}[.-]\d{4}\b"
          r"|(?<![\d/.-])\b9?\d{4}-\d{4}\b(?![/-]\d)")
_HANDLE = r"(?<![\w.@\[])@\w{1,30}"


def _digit_run(match: re.Match) -> str:
    text = match.group(0)
    d = _digits_of(text)
    if len(d) == 11 and _valid_cpf(d):
        return "[cpf]"
    if len(d) == 14 and _valid_cnpj(d):
        return "[cnpj]"
    if 13 <= len(d) <= 19 and _luhn(d):
        return "[card]"
    return text


def mask_pii(texts: pd.Series) -> pd.Series:
    """Replace personal data with placeholders.

    Parameters
    ----------
    texts : Series of str

    Returns
    -------
    Series
        Same index and name; missing stays missing. Replaced, in this order:

        * e-mail addresses -> ``[email]``;
        * CNPJ ``12.345.678/0001-95`` -> ``[cnpj]``, CPF ``123.456.789-09`` -> ``[cpf]``;
        * card numbers in four groups of four -> ``[card]``;
        * runs of 11 to 19 digits (spaces or dashes allowed between them): a valid CPF (check
          digits) -> ``[cpf]``, a valid CNPJ -> ``[cnpj]``, 13-19 digits passing the Luhn
          check -> ``[card]``; other runs are left alone (order and tracking numbers);
        * phone numbers: Brazilian ``(11) 91234-5678``, ``11 91234-5678``, ``11912345678``,
          ``+55 11 91234-5678``, international ``+44 20 7946 0958``, ``+1(818)930-5703``,
          ``(818) 930-5703``, local ``91234-5678`` -> ``[phone]``;
        * @handles (people and brands alike) -> ``[@user]``.

        Prices (``R$ 1.234,56``, ``$171``), dates (``12/03/2024``, ``2017-10-30``), times and
        order numbers of up to 10 digits are not touched. Masking is idempotent.

    Examples
    --------
    >>> mask_pii(pd.Series(["cpf 123.456.789-09, pedido #4511792, @ana_b"])).iloc[0]
    'cpf [cpf], pedido #4511792, [@user]'
    """
    texts = _text_series(texts)
    s = texts.astype(object)
    ok = s.map(lambda v: isinstance(v, str))
    if not ok.any():
        return texts.copy()
    t = s[ok].astype(str)
    t = t.str.replace(_EMAIL, "[email]", regex=True)
    t = t.str.replace(_CNPJ_FORMATTED, "[cnpj]", regex=True)
    t = t.str.replace(_CPF_FORMATTED, "[cpf]", regex=True)
    t = t.str.replace(_CARD_GROUPED, "[card]", regex=True)
    t = t.str.replace(_DIGIT_RUN, _digit_run, regex=True)
    t = t.str.replace(_PHONE, "[phone]", regex=True)
    t = t.str.replace(_HANDLE, "[@user]", regex=True)
    out = s.copy()
    out[ok] = t.to_numpy()
    return out.rename(texts.name)


def verbatim_html(text) -> str:
    """One verbatim ready for a page: personal data masked, then HTML-escaped.

    Returns
    -------
    str
        ``""`` for a missing text. ``<script>`` comes out as ``&lt;script&gt;``, quotes as
        ``&quot;`` / ``&#x27;``, so the text can go inside an element or an attribute.

    Examples
    --------
    >>> verbatim_html("<script>alert(1)</script> me: ana@example.com")
    '&lt;script&gt;alert(1)&lt;/script&gt; me: [email]'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    masked = mask_pii(pd.Series([str(text)], dtype=object)).iloc[0]
    return html.escape(masked, quote=True)
