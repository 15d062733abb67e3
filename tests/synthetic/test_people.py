"""The demo company's customers and agents (analytics/synthetic/people.py): valid personal data
of the right shapes, agents of the right team."""

from __future__ import annotations

import re

import numpy as np
import pytest

from analytics.synthetic.parameters import CHANNELS, N_AGENTS, PHONE, RA, TEAMS, WA
from analytics.synthetic.people import People
from analytics.synthetic.phrasebook import CITIES, DDD, DOMAINS


@pytest.fixture(scope="module")
def people() -> People:
    return People(np.random.default_rng(11), 200)


def _cpf_is_valid(text: str) -> bool:
    d = [int(c) for c in re.sub(r"\D", "", text)]
    first = sum(v * w for v, w in zip(d[:9], range(10, 1, -1), strict=True)) * 10 % 11 % 10
    second = sum(v * w for v, w in zip(d[:10], range(11, 1, -1), strict=True)) * 10 % 11 % 10
    return len(d) == 11 and d[9] == first and d[10] == second


def _luhn_is_valid(text: str) -> bool:
    d = [int(c) for c in re.sub(r"\D", "", text)][::-1]
    total = sum(v if i % 2 == 0 else (2 * v - 9 if v > 4 else 2 * v) for i, v in enumerate(d))
    return len(d) == 16 and total % 10 == 0


def test_the_check_digit_helpers_themselves():
    assert _cpf_is_valid("529.982.247-25") and not _cpf_is_valid("529.982.247-26")
    assert _luhn_is_valid("4539 1488 0343 6467") and not _luhn_is_valid("4539 1488 0343 6468")


def test_contacting_customers_and_self_service_only_customers(people):
    assert people.n == 200 + 160  # 80 % more who only use self-service
    for name in ("lang", "city", "pref", "propensity", "email", "handle", "phone", "cpf", "card"):
        assert len(getattr(people, name)) == people.n, name
    assert set(np.unique(people.lang)) <= {0, 1} and set(np.unique(people.pref)) <= set(
        range(len(CHANNELS)))


def test_cpf_numbers_carry_valid_check_digits(people):
    assert all(_cpf_is_valid(c) for c in people.cpf.tolist())
    assert all(re.fullmatch(r"\d{3}\.\d{3}\.\d{3}-\d{2}|\d{11}", c) for c in people.cpf.tolist())


def test_card_numbers_pass_the_luhn_check(people):
    assert all(_luhn_is_valid(c) for c in people.card.tolist())
    assert all(re.fullmatch(r"[45]\d{3}( \d{4}){3}|[45]\d{15}", c) for c in people.card.tolist())


def test_phones_carry_the_area_code_of_the_customers_city(people):
    for phone, city in zip(people.phone.tolist(), people.city.tolist(), strict=True):
        ddd = str(DDD[city])
        assert re.fullmatch(rf"\({ddd}\) 9\d{{4}}-\d{{4}}|{ddd}9\d{{8}}|\+55 {ddd} 9\d{{4}}-\d{{4}}",
                            phone), (phone, CITIES[city])


def test_emails_and_handles(people):
    assert all(e.split("@")[1] in DOMAINS for e in people.email.tolist())
    assert all(re.fullmatch(r"@[a-z_0-9]+", h) for h in people.handle.tolist())


def test_agents_answer_their_channels_and_a_transfer_goes_to_someone_else(people):
    assert len(people.speed) == N_AGENTS + 1 and people.speed[0] == 1.0  # code 0: the bot
    ch = np.array([PHONE] * 300 + [RA] * 300 + [WA] * 300)
    agents = people.pick_agents(ch)
    assert set(agents[:300]) <= set(TEAMS["voz"]) and set(agents[300:600]) <= set(TEAMS["n2"])
    assert set(agents[600:]) <= set(TEAMS["chat"]) | set(TEAMS["social"])
    second = people.pick_transfer(ch, agents)
    assert (second != agents).all() and ((second >= 1) & (second <= N_AGENTS)).all()
