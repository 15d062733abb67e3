"""The generator's shared draws (analytics/synthetic/draws.py): hand-checked on tiny arrays."""

from __future__ import annotations

import numpy as np

from analytics.synthetic.draws import categorical, const, digit_chars, digits, join, lognormal


def test_categorical_draws_the_only_possible_category_of_each_row():
    rng = np.random.default_rng(0)
    # Rows need not be normalised: the third row's single weight 5 is certain.
    probs = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 5.0]])
    assert categorical(rng, probs).tolist() == [1, 0, 2]


def test_categorical_follows_the_weights():
    rng = np.random.default_rng(1)
    drawn = categorical(rng, np.tile([1.0, 3.0], (40_000, 1)))
    assert abs(drawn.mean() - 0.75) < 0.01  # P(1) = 3 / (1 + 3)


def test_lognormal_without_spread_is_its_median():
    assert np.allclose(lognormal(np.random.default_rng(2), 600.0, 0.0, 3), [600.0] * 3)


def test_lognormal_median_is_the_median():
    values = lognormal(np.random.default_rng(3), 600.0, 1.0, 20_001)
    assert 570 < np.median(values) < 630


def test_digits_are_decimal_and_shaped_rows_by_columns():
    d = digits(np.random.default_rng(4), 500, 3)
    assert d.shape == (500, 3) and d.min() == 0 and d.max() == 9


def test_digit_columns_join_into_strings():
    chars = digit_chars(np.array([[1, 2, 3], [0, 0, 9]]))
    assert chars.tolist() == [["1", "2", "3"], ["0", "0", "9"]]
    joined = join([chars[:, :2], const(2, "-"), chars[:, 2:]])
    assert joined.tolist() == ["12-3", "00-9"]
