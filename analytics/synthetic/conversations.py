"""What happens: support needs become conversations (first contacts after self-service
deflection, repeat contacts after bad experiences, unknown people, the company's proactive
messages), and each conversation is played out into messages and events (bot, insisting
customer, first reply, transfer, exchanges, resolution, reopening), all rows at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.load.schema import SELF_SERVICE_SOURCES
from analytics.synthetic.demand import Calendar
from analytics.synthetic.draws import categorical, lognormal
from analytics.synthetic.parameters import (
    A_AGENT,
    A_BOT,
    A_CUSTOMER,
    A_SYSTEM,
    BOLETO,
    BOT,
    BOT_RATE,
    CHANNELS,
    CHAT,
    DAY,
    E_HANDOFF,
    E_REOPENED,
    E_RESOLVED,
    E_TRANSFER,
    EMAIL,
    EXCHANGES,
    FIRST_INTENT_BIAS,
    FIRST_SHARE,
    FOLLOW_P,
    HOW,
    INTENT_MIX,
    K_AGENT_FIRST,
    K_AGENT_MORE,
    K_AGENT_REOPEN,
    K_AGENT_TRANSFER,
    K_BOT_ANSWER,
    K_BOT_GREET,
    K_BOT_HANDOFF,
    K_CUST_MORE,
    K_MENU,
    K_OPEN,
    K_PRE,
    K_PROACTIVE,
    K_REOPEN,
    K_SYS_INACTIVE,
    K_SYS_PROTOCOL,
    K_THANKS,
    MIGRATION,
    OTHER,
    PAGAMENTO,
    PER_CHANNEL,
    PHONE,
    PLANO,
    PRE,
    PROACTIVE_TOPICS,
    PROB,
    PROFILE,
    RA,
    RESOLVE_BY_INTENT,
    RESOLVED,
    SLOW,
    TOPIC_MIX,
    UNANSWERED,
    UNRESOLVED,
    WA,
)
from analytics.synthetic.people import People
from analytics.synthetic.texts import INCIDENT_TEMPLATE, OPENING_BANK


class World:
    """The company over a period: its people, the conversations drawn so far (frames of one row
    per conversation, keyed ``0 ..``) and the messages and events played out for them (dicts
    of integer-coded columns, which :func:`analytics.synthetic.frames.frames` turns into the
    log).
    """

    def __init__(self, rng, cal: Calendar, customers: int):
        self.rng = rng
        self.cal = cal
        self.customers = customers
        self.conversations: list[pd.DataFrame] = []
        self.messages: list[dict] = []
        self.events: list[dict] = []
        self.next_key = 0
        self.people = People(rng, customers)

    def _frame(self, cust, ch, t0, intent, topic, tmpl, lang, *, gen=0, prev_cls=None,
               prev_ch=None, proactive=False) -> pd.DataFrame:
        n = len(ch)
        return pd.DataFrame({
            "cust": cust, "ch": ch, "t0": t0.astype(np.int64), "intent": intent, "topic": topic,
            "tmpl": tmpl, "lang": lang, "gen": gen,
            "prev_cls": np.zeros(n, dtype=np.int64) if prev_cls is None else prev_cls,
            "prev_ch": np.full(n, -1) if prev_ch is None else prev_ch,
            "proactive": proactive,
        })

    def add_conversations(self, conv: pd.DataFrame):
        conv.insert(0, "key", np.arange(self.next_key, self.next_key + len(conv)))
        self.next_key += len(conv)
        self.conversations.append(conv)

    def _topics_and_templates(self, lang, intent):
        topic = categorical(self.rng, TOPIC_MIX[intent])
        tmpl = OPENING_BANK.index((lang * 3 + intent) * 8 + topic, self.rng)
        return topic, tmpl

    def _times_for(self, ch):
        t = np.zeros(len(ch), dtype=np.int64)
        for profile in ("day", "social", "phone"):
            rows = np.flatnonzero(np.isin(ch, [i for i, p in enumerate(PROFILE) if p == profile]))
            t[rows] = self.cal.sample(profile, len(rows), self.rng)
        return t

    def background_sessions(self) -> pd.DataFrame:
        """Self-service sessions that happen whatever the contacts (customers and anonymous)."""
        rng, n = self.rng, self.people.n
        contacting = np.arange(n) < self.customers
        count = rng.poisson(self.people.propensity * np.where(contacting, 8.5, 5.5))
        cust = np.repeat(np.arange(n), count)
        anonymous = np.full(round(len(cust) * 0.22 / 0.78), -1)
        cust = np.concatenate([cust, anonymous])
        m = len(cust)
        source = rng.choice(len(SELF_SERVICE_SOURCES), size=m, p=[0.28, 0.18, 0.32, 0.12, 0.10])
        source = np.where(cust < 0, rng.choice([0, 1], size=m, p=[0.6, 0.4]), source)
        topic = rng.choice(7, size=m, p=[0.2, 0.18, 0.2, 0.1, 0.07, 0.12, 0.13])
        ivr = source == SELF_SERVICE_SOURCES.index("ivr")
        topic = np.where(ivr, rng.choice([BOLETO, PAGAMENTO, PLANO], size=m), topic)
        return pd.DataFrame({"cust": cust, "t": self.cal.sample("self", m, rng),
                             "source": source, "topic": topic})

    def first_contacts(self, sessions: pd.DataFrame) -> pd.DataFrame:
        """Independent needs of the customers, minus those self-service answered."""
        rng = self.rng
        # Heavy-tailed needs per customer (scaled to the period's length, 92 days = 1);
        # customers keen on self-service need less help.
        r = 0.3
        scale = (self.cal.end - self.cal.start) / (92 * DAY)
        mean = 4.6 * scale / (1 + 0.3 * self.people.propensity[:self.customers])
        needs = 1 + np.minimum(rng.negative_binomial(r, r / (r + mean)), 11)
        cust = np.repeat(np.arange(self.customers), needs)
        n = len(cust)
        other = rng.choice(len(CHANNELS), size=n, p=FIRST_SHARE)
        ch = np.where(rng.random(n) < 0.55, self.people.pref[cust], other)
        lang = self.people.lang[cust]
        intent = categorical(rng, INTENT_MIX[ch] * FIRST_INTENT_BIAS)
        topic, tmpl = self._topics_and_templates(lang, intent)
        t0 = self._times_for(ch)
        # Independent needs of one customer rarely fall in the same week: redraw most of them.
        for _ in range(3):
            order = np.lexsort((t0, cust))
            close = np.zeros(n, dtype=bool)
            close[order[1:]] = ((cust[order[1:]] == cust[order[:-1]])
                                & (t0[order[1:]] - t0[order[:-1]] < 7 * DAY))
            close &= rng.random(n) < 0.95
            t0[close] = self._times_for(ch[close])
        # A one-day incident: the billing system charges cards twice.
        incident = self.cal.start + 45 * DAY + 12 * 3600
        hit = (rng.random(n) < 0.03) & (incident + DAY < self.cal.end)
        t0 = np.where(hit, incident + rng.integers(0, 30 * 3600, n), t0)
        intent = np.where(hit, PROB, intent)
        topic = np.where(hit, PAGAMENTO, topic)
        tmpl = np.where(hit, INCIDENT_TEMPLATE[lang], tmpl)
        # Deflection: the same topic looked up in self-service in the previous 45 days.
        seen = sessions[sessions["cust"] >= 0].sort_values("t", kind="stable")
        need = pd.DataFrame({"cust": cust, "topic": topic, "t": t0, "row": np.arange(n)})
        need = need.sort_values("t", kind="stable")
        match = pd.merge_asof(need, seen.rename(columns={"t": "t_ss"})[["cust", "topic", "t_ss"]],
                              left_on="t", right_on="t_ss", by=["cust", "topic"],
                              direction="backward", tolerance=45 * DAY)
        looked = np.zeros(n, dtype=bool)
        looked[match["row"].to_numpy()] = match["t_ss"].notna().to_numpy()
        p_drop = np.select([intent == HOW, intent == PROB], [0.8, 0.3], 0.0)
        keep = ~(looked & (rng.random(n) < p_drop) & ~hit)
        return self._frame(cust[keep], ch[keep], t0[keep], intent[keep], topic[keep],
                           tmpl[keep], lang[keep])

    def follow_ups(self, conv: pd.DataFrame, outcome: dict) -> pd.DataFrame | None:
        """Repeat contacts within 7 days, likelier after unanswered/unresolved/slow ones."""
        rng = self.rng
        n = len(conv)
        cls = outcome["cls"]
        cust, ch, intent = (conv[c].to_numpy() for c in ("cust", "ch", "intent"))
        p = FOLLOW_P[cls] * np.where(intent == OTHER, 0.3, 1.0)
        go = (cust >= 0) & (rng.random(n) < p)
        base = np.where(cls == UNANSWERED, conv["t0"].to_numpy(), outcome["t_last"])
        delay = np.clip(lognormal(rng, np.where(cls == UNANSWERED, 18.0, 24.0) * 3600, 1.0, n),
                        600, 6.9 * DAY).astype(np.int64)
        t_new = base + delay
        bad = (cls == UNANSWERED) | (cls == UNRESOLVED)
        switch = rng.random(n) < np.where(bad, 0.65, 0.3)
        weights = np.tile(MIGRATION, (n, 1))
        weights[:, RA] *= np.where(bad & (intent == PROB), 2.0, 1.0)
        weights[np.arange(n), ch] = 0.0
        new_ch = np.where(switch, categorical(rng, weights), ch)
        phone = new_ch == PHONE
        t_new = np.where(phone, self.cal.push(t_new, 0.8, 1800, rng), t_new)
        go &= t_new < self.cal.end
        if not go.any():
            return None
        lang, topic = conv["lang"].to_numpy(), conv["topic"].to_numpy()
        tmpl = OPENING_BANK.index((lang * 3 + intent) * 8 + topic, rng)
        gen = int(conv["gen"].iloc[0]) + 1
        return self._frame(cust[go], new_ch[go], t_new[go], intent[go], topic[go], tmpl[go],
                           lang[go], gen=gen, prev_cls=cls[go], prev_ch=ch[go])

    def unknown_contacts(self, n: int) -> pd.DataFrame:
        """Conversations of people the company cannot identify (empty customer_id)."""
        rng = self.rng
        p = np.array([0.15, 0.25, 0.10, 0.22, 0.06, 0.03, 0.05, 0.02, 0.12])
        ch = rng.choice(len(CHANNELS), size=n, p=p / p.sum())
        lang = (rng.random(n) < 0.15).astype(np.int64)
        intent = categorical(rng, INTENT_MIX[ch])
        topic, tmpl = self._topics_and_templates(lang, intent)
        return self._frame(np.full(n, -1), ch, self._times_for(ch), intent, topic, tmpl, lang)

    def proactive(self, n: int) -> pd.DataFrame:
        """Outbound-only conversations started by the company (notices, surveys, calls)."""
        rng = self.rng
        cust = rng.integers(0, self.customers, n)
        ch = rng.choice([WA, EMAIL, PHONE], size=n, p=[0.45, 0.4, 0.15])
        sampled = self.cal.sample("phone", n, rng)
        t0 = self.cal.push(sampled, 1.0, 3600, rng)
        t0 = np.where(t0 < self.cal.end, t0, sampled)
        topic = rng.choice(PROACTIVE_TOPICS, size=n, p=[0.35, 0.3, 0.15, 0.2])
        conv = self._frame(cust, ch, t0, np.full(n, -1), topic, np.full(n, -1),
                           self.people.lang[cust], proactive=True)
        author = np.where((ch != PHONE) & (rng.random(n) < 0.6), A_SYSTEM, A_AGENT)
        agent = np.where(author == A_AGENT, self.people.pick_agents(ch), -1)
        second = rng.random(n) < 0.3
        t1 = t0 + rng.integers(1 * DAY, 3 * DAY, n)
        key = np.arange(self.next_key, self.next_key + n)
        self._add_messages(key, t0, K_PROACTIVE, author, agent)
        self._add_messages(key[second], t1[second], K_PROACTIVE, author[second], agent[second])
        return conv

    def _add_messages(self, key, t, kind, author, agent, mask=None):
        if mask is not None:
            key, t = key[mask], t[mask]
            author = author[mask] if np.ndim(author) else author
            agent = agent[mask] if np.ndim(agent) else agent
        n = len(key)
        self.messages.append({
            "key": key, "t": np.asarray(t, dtype=np.int64), "kind": np.full(n, kind),
            "author": np.broadcast_to(author, n).astype(np.int64),
            "agent": np.broadcast_to(agent, n).astype(np.int64)})

    def _add_events(self, key, t, event, agent, mask):
        n = int(mask.sum())
        self.events.append({"key": key[mask], "t": np.asarray(t, dtype=np.int64)[mask],
                            "event": np.full(n, event),
                            "agent": np.broadcast_to(agent, len(key))[mask].astype(np.int64)})

    def play(self, conv: pd.DataFrame) -> dict:
        """Play out inbound conversations: messages, events and the outcome of each."""
        rng, cal = self.rng, self.cal
        n = len(conv)
        key = conv["key"].to_numpy()
        ch = conv["ch"].to_numpy()
        t0 = conv["t0"].to_numpy()
        intent = conv["intent"].to_numpy()
        P = {name: values[ch] for name, values in PER_CHANNEL.items()}

        def u():
            return rng.random(n)

        def reply_delay(agent, median_min, sigma):
            d = lognormal(rng, median_min * 60, sigma, n) * self.people.speed[agent]
            return (5 + np.minimum(d, 12 * DAY)).astype(np.int64)

        def push(t, agent):
            return cal.push(t, P["push"], P["backlog"] * 60 * self.people.speed[agent], rng)

        has_bot = u() < BOT_RATE[ch]
        bot_only = has_bot & (intent == HOW) & (u() < 0.3)
        unanswered = ~bot_only & (u() < P["unans"])
        human = ~bot_only & ~unanswered
        transfer = human & (u() < np.where(intent == PROB, 0.14, 0.05))
        handoff_msg = has_bot & human & (u() < 0.6)
        p_resolve = np.minimum(P["resolve"] * RESOLVE_BY_INTENT[intent], 0.98)
        resolved = (human & (u() < p_resolve)) | (bot_only & (u() < 0.85))
        reopen = resolved & human & (intent != OTHER) & (u() < 0.11)
        reopen_event = reopen & (u() < 0.75)
        re_resolved = reopen & (u() < 0.8)
        sys_protocol = np.isin(ch, [PHONE, WA]) & (u() < 0.12)
        sys_inactive = unanswered & np.isin(ch, [CHAT, WA]) & (u() < 0.4)
        thanks = (human | bot_only) & (u() < 0.3)
        r = u()
        p1 = np.where(unanswered, 0.35, PRE[ch, 0])
        p2 = np.where(unanswered, 0.20, PRE[ch, 1])
        p1, p2 = np.where(ch == PHONE, 0, p1), np.where(ch == PHONE, 0, p2)
        k_pre = (r < p1 + p2).astype(np.int64) + (r < p2)
        k_pre = np.where(has_bot, np.maximum(k_pre, (u() < 0.8).astype(np.int64)), k_pre)
        r = u()
        q = EXCHANGES[ch]
        k_ex = (r < q.sum(axis=1)).astype(np.int64) + (r < q[:, 1] + q[:, 2]) + (r < q[:, 2])
        # At most 8 messages: optional parts shrink first.
        budget = 8 - (1 + has_bot + handoff_msg + bot_only + human + transfer + 2 * reopen
                      + sys_protocol + sys_inactive)
        k_pre = np.minimum(k_pre, budget)
        budget = budget - k_pre
        k_ex = np.where(human, np.minimum(k_ex, budget // 2), 0)
        budget = budget - 2 * k_ex
        thanks &= budget >= 1

        # Opening, bot greeting, customer messages before any answer.
        no_agent = np.full(n, -1)
        self._add_messages(key, t0, K_OPEN, A_CUSTOMER, no_agent)
        t_bot = t0 + rng.integers(2, 15, n)
        self._add_messages(key, t_bot, K_BOT_GREET, A_BOT, BOT, has_bot)
        self._add_messages(key, t0 + 1, K_SYS_PROTOCOL, A_SYSTEM, no_agent, sys_protocol)
        agent_a = self.people.pick_agents(ch)
        t1 = push(t0 + reply_delay(agent_a, P["reply"], P["sigma"]), agent_a)
        cur = np.where(has_bot, t_bot, t0)
        last_pre = cur.copy()
        for j in range(2):
            gap = np.where(has_bot & (j == 0), lognormal(rng, 40, 0.6, n),
                           lognormal(rng, P["insist"] * 60, 1.0, n))
            cur = cur + 3 + gap.astype(np.int64)
            ok = (k_pre > j) & (has_bot | ~human | (cur < t1))
            kind = K_MENU if j == 0 else K_PRE
            menu = ok & has_bot & (j == 0)
            self._add_messages(key, cur, kind, A_CUSTOMER, no_agent, menu if j == 0 else ok)
            if j == 0:
                self._add_messages(key, cur, K_PRE, A_CUSTOMER, no_agent, ok & ~has_bot)
            last_pre = np.where(ok, cur, last_pre)
        # Bot: answers alone (how-to) or hands off to a human.
        t_answer = last_pre + 5 + lognormal(rng, 30, 0.5, n).astype(np.int64)
        self._add_messages(key, t_answer, K_BOT_ANSWER, A_BOT, BOT, bot_only)
        t_handoff = last_pre + 3 + lognormal(rng, 20, 0.5, n).astype(np.int64)
        self._add_messages(key, t_handoff + 1, K_BOT_HANDOFF, A_BOT, BOT, handoff_msg)
        t1 = np.where(has_bot, push(t_handoff + reply_delay(agent_a, P["reply"], P["sigma"]),
                                    agent_a), t1)
        queued = has_bot & (human | (unanswered & (u() < 0.7)))
        self._add_events(key, t_handoff, E_HANDOFF, np.where(human, agent_a, -1), queued)
        self._add_messages(key, t1, K_AGENT_FIRST, A_AGENT, agent_a, human)
        # Transfer to a second agent.
        agent_b = self.people.pick_transfer(ch, agent_a)
        t_transfer = t1 + 10 + lognormal(rng, P["agap"] * 90, 0.8, n).astype(np.int64)
        t_b = push(t_transfer + reply_delay(agent_b, P["agap"] * 2, 0.9), agent_b)
        self._add_events(key, t_transfer, E_TRANSFER, agent_b, transfer)
        self._add_messages(key, t_b, K_AGENT_TRANSFER, A_AGENT, agent_b, transfer)
        owner = np.where(transfer, agent_b, agent_a)
        cur = np.where(transfer, t_b, np.where(bot_only, t_answer, t1))
        # Exchanges.
        for j in range(3):
            act = k_ex > j
            t_c = cur + 3 + lognormal(rng, P["cgap"] * 60, 1.0, n).astype(np.int64)
            t_a = push(t_c + reply_delay(owner, P["agap"], 0.9), owner)
            self._add_messages(key, t_c, K_CUST_MORE, A_CUSTOMER, no_agent, act)
            self._add_messages(key, t_a, K_AGENT_MORE, A_AGENT, owner, act)
            cur = np.where(act, t_a, cur)
        t_thanks = cur + 3 + lognormal(rng, P["cgap"] * 30, 0.8, n).astype(np.int64)
        self._add_messages(key, t_thanks, K_THANKS, A_CUSTOMER, no_agent, thanks)
        t_last = np.where(thanks, t_thanks, cur)
        # Resolution, reopening.
        resolver = np.where(bot_only, BOT, owner)
        t_res = t_last + 10 + lognormal(rng, P["agap"] * 30, 0.8, n).astype(np.int64)
        self._add_events(key, t_res, E_RESOLVED, resolver, resolved)
        t_ro = t_res + np.clip(lognormal(rng, 1.5 * DAY, 0.8, n), 3600, 6 * DAY).astype(
            np.int64)
        self._add_messages(key, t_ro, K_REOPEN, A_CUSTOMER, no_agent, reopen)
        self._add_events(key, t_ro + rng.integers(1, 120, n), E_REOPENED, no_agent,
                         reopen_event)
        t_ra = push(t_ro + 120 + reply_delay(owner, P["reply"], P["sigma"]), owner)
        self._add_messages(key, t_ra, K_AGENT_REOPEN, A_AGENT, owner, reopen)
        t_rr = t_ra + 10 + lognormal(rng, P["agap"] * 30, 0.8, n).astype(np.int64)
        self._add_events(key, t_rr, E_RESOLVED, owner, re_resolved)
        wait = np.where(ch == CHAT, 1800, DAY)
        self._add_messages(key, last_pre + wait, K_SYS_INACTIVE, A_SYSTEM, no_agent,
                           sys_inactive)

        final_resolved = np.where(reopen, re_resolved, resolved)
        slow = human & ((t1 - t0) > P["slow"] * 60)
        cls = np.select([~human & ~bot_only, ~final_resolved, slow],
                        [UNANSWERED, UNRESOLVED, SLOW], RESOLVED)
        t_end = np.where(reopen, np.maximum(t_ra, t_rr), np.maximum(t_last, t_res))
        return {"cls": cls, "t_last": np.where(human | bot_only, t_end, last_pre)}

    def failed_self_service(self) -> pd.DataFrame:
        """Sessions minutes before a how-to contact on the same topic (self-service failed)."""
        rng = self.rng
        conv = pd.concat(self.conversations, ignore_index=True)
        how = ((conv["intent"] == HOW) & (conv["cust"] >= 0)).to_numpy()
        pick = how & (rng.random(len(conv)) < 0.06)
        n = int(pick.sum())
        t = conv["t0"].to_numpy()[pick] - 60 - lognormal(rng, 600, 0.8, n).astype(np.int64)
        source = rng.choice([0, 1, 2, 4], size=n, p=[0.35, 0.15, 0.35, 0.15])
        frame = pd.DataFrame({"cust": conv["cust"].to_numpy()[pick], "t": t, "source": source,
                              "topic": conv["topic"].to_numpy()[pick]})
        return frame[frame["t"] >= self.cal.start]
