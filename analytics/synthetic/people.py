"""Who takes part: the customers (language, city, preferred channel, self-service propensity
and their personal data, valid CPF and card numbers included) and the agents (speed, team,
who answers a channel and who takes a transfer).
"""

from __future__ import annotations

import numpy as np

from analytics.synthetic.draws import const, digit_chars, digits, join
from analytics.synthetic.parameters import CHANNEL_TEAM, CHANNELS, FIRST_SHARE, N_AGENTS, STR, TEAMS
from analytics.synthetic.phrasebook import (
    CITIES,
    CITY_WEIGHT,
    DDD,
    DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
)


class People:
    """Customers ``0 .. n-1`` (the first ``customers`` have support needs, the rest only use
    self-service) and agents ``1 .. N_AGENTS`` (code 0 is the bot), drawn from ``rng``.

    Customer attributes are arrays indexed by customer code: ``lang`` (0 pt, 1 en), ``city``,
    ``pref`` (preferred channel), ``propensity`` (self-service), ``email``, ``handle``,
    ``phone``, ``cpf``, ``card``. Agents have a ``speed`` factor and weights within their team.
    """

    def __init__(self, rng, customers: int):
        self.rng = rng
        self.customers = customers
        self._people(customers)
        self._agents()

    def _people(self, customers):
        rng = self.rng
        n = customers + round(customers * 0.8)  # + self-service-only customers
        self.n = n
        self.lang = (rng.random(n) < 0.15).astype(np.int64)
        self.city = rng.choice(len(CITIES), size=n, p=CITY_WEIGHT / CITY_WEIGHT.sum())
        self.pref = rng.choice(len(CHANNELS), size=n, p=FIRST_SHARE)
        self.propensity = rng.gamma(1.0, 1.0, size=n)
        first = np.array(FIRST_NAMES, dtype=STR)[rng.integers(0, len(FIRST_NAMES), n)]
        last = np.array(LAST_NAMES, dtype=STR)[rng.integers(0, len(LAST_NAMES), n)]
        number = rng.integers(1, 100, n).astype(STR)
        style = rng.integers(0, 4, n)
        local = np.select(
            [style == 0, style == 1, style == 2],
            [np.strings.add(np.strings.add(first, "."), last),
             np.strings.add(np.strings.add(first, last), number),
             np.strings.add(np.strings.add(first, "_"), last)],
            np.strings.add(np.strings.add(first, "."), np.strings.add(last, number)))
        domain = np.array(DOMAINS, dtype=STR)[rng.integers(0, len(DOMAINS), n)]
        self.email = np.strings.add(np.strings.add(local, "@"), domain)
        self.handle = np.strings.add("@", np.where(
            rng.random(n) < 0.5, np.strings.add(first, last),
            np.strings.add(np.strings.add(first, "_"), number)))
        self.phone = self._phones(n)
        self.cpf = self._cpfs(n)
        self.card = self._cards(n)

    def _phones(self, n):
        rng = self.rng
        ddd = DDD[self.city].astype(STR)
        d = digit_chars(digits(rng, n, 8))
        local = join([const(n, "9"), d[:, :4], const(n, "-"), d[:, 4:]])
        plain = join([const(n, "9"), d])
        style = rng.random(n)
        return np.select(
            [style < 0.7, style < 0.85],
            [np.strings.add(np.strings.add(np.strings.add("(", ddd), ") "), local),
             np.strings.add(ddd, plain)],
            np.strings.add(np.strings.add(np.strings.add("+55 ", ddd), " "), local))

    def _cpfs(self, n):
        """Valid CPF numbers (check digits computed), mostly formatted 123.456.789-09."""
        d = digits(self.rng, n, 9)
        r1 = (d @ np.arange(10, 1, -1)) * 10 % 11
        v1 = np.where(r1 == 10, 0, r1)
        r2 = (d @ np.arange(11, 2, -1) + v1 * 2) * 10 % 11
        v2 = np.where(r2 == 10, 0, r2)
        c = digit_chars(np.column_stack([d, v1, v2]))
        formatted = join([c[:, 0:3], const(n, "."), c[:, 3:6], const(n, "."), c[:, 6:9],
                           const(n, "-"), c[:, 9:11]])
        return np.where(self.rng.random(n) < 0.75, formatted, join([c]))

    def _cards(self, n):
        """Card numbers passing the Luhn check, mostly in groups of four."""
        rng = self.rng
        d = np.column_stack([rng.choice([4, 5], size=n), digits(rng, n, 14)])
        doubled = d * np.where((14 - np.arange(15)) % 2 == 0, 2, 1)
        doubled = np.where(doubled > 9, doubled - 9, doubled)
        check = (10 - doubled.sum(axis=1) % 10) % 10
        c = digit_chars(np.column_stack([d, check]))
        spaced = join([c[:, 0:4], const(n, " "), c[:, 4:8], const(n, " "), c[:, 8:12],
                        const(n, " "), c[:, 12:16]])
        return np.where(rng.random(n) < 0.7, spaced, join([c]))

    def _agents(self):
        rng = self.rng
        self.speed = np.concatenate([[1.0], rng.lognormal(0.0, 0.4, N_AGENTS)])
        self.team_weights = {name: rng.dirichlet(np.full(len(codes), 4.0))
                             for name, codes in TEAMS.items()}

    def pick_agents(self, ch: np.ndarray) -> np.ndarray:
        out = np.zeros(len(ch), dtype=np.int64)
        for c, teams in enumerate(CHANNEL_TEAM):
            rows = np.flatnonzero(ch == c)
            codes = np.concatenate([TEAMS[t] for t in teams.split("+")])
            weights = np.concatenate([self.team_weights[t] for t in teams.split("+")])
            out[rows] = self.rng.choice(codes, size=len(rows), p=weights / weights.sum())
        return out

    def pick_transfer(self, ch, a):
        """Second agent: mostly the second-level team, otherwise the same team; never ``a``."""
        rng = self.rng
        n2 = rng.choice(TEAMS["n2"], size=len(a), p=self.team_weights["n2"])
        same = self.pick_agents(ch)
        b = np.where(rng.random(len(a)) < 0.6, n2, same)
        b = np.where(b == a, n2, b)
        return np.where(b == a, 23 + (a - 23 + 1) % 3, b)
