"""Intent classifier version 5 (analytics.text.intent_model): offline, calibrated, cached."""

import socket

import numpy as np
import pandas as pd
import pytest
from helpers import MIXED, MIXED_LANGS

from analytics.text import intent_model
from analytics.text.intent_model import INTENTS, Head, IntentCache, classify, probabilities_of


def test_encoder_and_head_load_and_classify_with_the_network_blocked(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    intent_model.head.cache_clear()
    intent_model._encoder.cache_clear()
    out = classify(pd.Series(["como faço para trocar a senha?", "my order never arrived",
                              "adorei, obrigado!"]), pd.Series(["pt", "en", "pt"]))
    assert out["intent"].tolist() == ["how_to", "problem", "other"]
    assert out["probability"].between(1 / 3, 1).all()


def test_probabilities_are_the_softmax_of_the_tempered_logits():
    toy = Head(version="t", weights=np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], np.float32),
               bias=np.array([0.0, 0.0, np.log(2)], np.float32), temperature=0.5, sha256="x")
    got = probabilities_of(np.array([[0.0, 0.0], [1.0, 0.0]], np.float32), toy)
    # row 1: logits (0, 0, ln 2) / 0.5 = (0, 0, ln 4) -> (1, 1, 4) / 6
    assert got[0] == pytest.approx([1 / 6, 1 / 6, 4 / 6], rel=1e-5)
    # row 2: (2, 0, ln 4) -> (e^2, 1, 4) / (e^2 + 5)
    assert got[1] == pytest.approx(np.array([np.e ** 2, 1, 4]) / (np.e ** 2 + 5), rel=1e-5)


def test_missing_and_blank_texts_stay_missing_and_repeats_agree():
    out = classify(pd.Series(["where is the nearest store?", None, "  ",
                              "where is the nearest store?"]), "en")
    assert out["intent"].isna().tolist() == [False, True, True, False]
    assert out["probability"].isna().tolist() == [False, True, True, False]
    assert out.loc[0, "probability"] == out.loc[3, "probability"]
    assert list(out["intent"].cat.categories) == list(INTENTS)


def test_the_cache_answers_seen_messages_and_computes_only_new_ones(tmp_path, monkeypatch):
    path = tmp_path / "intents.parquet"
    first = classify(pd.Series(["não recebi meu pedido", "qual o horário da loja?"]), "pt",
                     cache_path=path)
    assert len(pd.read_parquet(path)) == 2
    computed = []
    real_features = intent_model.features

    def counting(texts, langs):
        computed.extend(texts)
        return real_features(texts, langs)

    monkeypatch.setattr(intent_model, "features", counting)
    again = classify(pd.Series(["qual o horário da loja?", "não recebi meu pedido",
                                "obrigado pela ajuda"]), "pt", cache_path=path)
    assert computed == ["obrigado pela ajuda"]
    assert again.loc[0, "probability"] == pytest.approx(first.loc[1, "probability"])
    assert len(pd.read_parquet(path)) == 3


def test_cache_rows_of_another_head_are_not_reused(tmp_path):
    path = tmp_path / "intents.parquet"
    pd.DataFrame({"key": ["k"], "head": ["an-old-head"], "how_to": [1.0], "problem": [0.0],
                  "other": [0.0]}).to_parquet(path)
    assert IntentCache(path).lookup(["k"]).isna().all(axis=None)


# Mixed lengths: one character, an emoji, blanks inside, accents, a text whose normalised form
# is empty, repeated words, and one text longer than a pass of the encoder (2,048 tokens).
def test_parallel_chunks_give_the_plain_paths_probabilities(monkeypatch):
    # chunks of 3 messages, a worker process from 6 messages: 4 chunks shared by this process
    # and one worker, against the unchanged encoder's pass in this process
    monkeypatch.setattr(intent_model, "_BATCH", 3)
    monkeypatch.setattr(intent_model, "_PARALLEL_MIN", 6)
    parallel = intent_model.compute_probabilities(MIXED, MIXED_LANGS, workers=2)
    serial = intent_model.compute_probabilities(MIXED, MIXED_LANGS, workers=1)
    plain = probabilities_of(np.hstack([intent_model._encoder().encode(MIXED),
                                        intent_model.cue_features(MIXED, MIXED_LANGS)]))
    np.testing.assert_allclose(parallel, serial, rtol=0, atol=1e-9)
    np.testing.assert_allclose(parallel, plain, rtol=0, atol=1e-5)
    assert (parallel.argmax(axis=1) == plain.argmax(axis=1)).all()


def test_the_number_of_workers_comes_from_the_caller_then_the_environment(monkeypatch):
    monkeypatch.setenv(intent_model.WORKERS_ENV, "3")
    assert intent_model.worker_count() == 3
    assert intent_model.worker_count(1) == 1
    monkeypatch.delenv(intent_model.WORKERS_ENV)
    assert intent_model.worker_count() >= 1
    monkeypatch.setenv(intent_model.WORKERS_ENV, "two")
    with pytest.raises(ValueError, match="ANALYTICS_INTENT_WORKERS"):
        intent_model.worker_count()
    with pytest.raises(ValueError, match="1 or more"):
        intent_model.worker_count(0)


@pytest.mark.parametrize("n", [0, 1, 2047, 2048, 8191, 8192, 8193, 100_000])
def test_chunks_cover_every_message_once_and_end_small(n):
    spans = intent_model._spans(n)
    assert [(0, 0), *spans][-1][1] == n
    assert [a for a, _ in spans] == [b for _, b in [(0, 0), *spans]][:-1]  # contiguous
    assert all(0 < b - a <= intent_model._BATCH for a, b in spans)
    if n >= intent_model._PARALLEL_MIN:  # the last 4 x 2,048 messages in chunks of 512
        small = intent_model._BATCH // intent_model._TAIL_SPLIT
        tail = [b - a for a, b in spans if a >= n - intent_model._TAIL_BATCHES
                * intent_model._BATCH]
        assert tail == [small] * (len(tail))
        assert sum(tail) == intent_model._TAIL_BATCHES * intent_model._BATCH
