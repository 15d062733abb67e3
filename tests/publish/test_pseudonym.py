"""Pseudonyms (analytics/publish/pseudonym.py): keyed HMAC of the ids, the private key made once
outside the reports; no kernel."""

import hashlib
import hmac

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.errors import InputError
from analytics.publish.pseudonym import ensure_key, pseudonyms, read_key

KEY = b"k" * 32


def test_a_pseudonym_is_the_keyed_hmac_of_the_id():
    want = "c-" + hmac.new(KEY, b"ana@example.com", hashlib.sha256).hexdigest()[:16]
    assert pseudonyms(pd.Series(["ana@example.com"]), KEY, "c-").tolist() == [want]


@given(st.lists(st.one_of(st.none(), st.text(min_size=1, max_size=12)), max_size=40))
def test_pseudonyms_keep_equality_missing_values_and_the_index(ids):
    series = pd.Series(ids, index=range(100, 100 + len(ids)), dtype=object)
    out = pseudonyms(series, KEY, "a-")
    assert out.index.equals(series.index)
    assert (out.isna() == series.isna()).all()
    given_ids = series.dropna()
    pairs = set(zip(given_ids, out[given_ids.index], strict=True))
    assert len({p for _, p in pairs}) == len(set(given_ids))  # one pseudonym per id


def test_another_key_gives_other_pseudonyms():
    ids = pd.Series(["123.456.789-09"])
    assert pseudonyms(ids, KEY, "c-")[0] != pseudonyms(ids, b"j" * 32, "c-")[0]


def test_the_key_is_made_once_private_and_outside_the_reports(tmp_path):
    path = ensure_key(tmp_path / "conf" / "id-key")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    key = read_key(path)
    assert len(key) == 32 and ensure_key(path) == path and read_key(path) == key
    with pytest.raises(InputError, match="inside the reports folder"):
        ensure_key(tmp_path / "reports" / "id-key", output=tmp_path / "reports")
