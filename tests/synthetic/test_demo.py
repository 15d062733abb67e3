"""The synthetic demo company (analytics/synthetic/demo.py, end to end): determinism, validity,
coverage, realism and the committed sample."""

from __future__ import annotations

import gzip
import re
import time

import pandas as pd
import pytest
from helpers import ROOT

from analytics.load.log import load_log
from analytics.load.schema import SELF_SERVICE_SOURCES, SupportLog
from analytics.synthetic import CHANNELS, DEMO_FILES, generate_demo, write_demo

DEMO_DIR = ROOT / "data" / "demo"
START = pd.Timestamp("2026-08-01", tz="America/Sao_Paulo")
END = pd.Timestamp("2026-11-01", tz="America/Sao_Paulo")


@pytest.fixture(scope="module")
def demo() -> SupportLog:
    return generate_demo()


@pytest.fixture(scope="module")
def conversations(demo) -> pd.DataFrame:
    """One row per conversation with what the tests need."""
    m, e = demo.messages, demo.events
    conv = m.groupby("conversation_id").agg(
        channel=("channel", "first"), customer_id=("customer_id", "first"),
        start=("sent_at", "min"), n=("message_id", "size"), intent=("true_intent", "first"),
        topic=("true_topic", "first"), lang=("lang", "first"))
    inbound = m[m.direction == "inbound"].groupby("conversation_id")["sent_at"].min()
    agent = m[m.author_type == "agent"].groupby("conversation_id")["sent_at"].min()
    resolved = e[e.event == "resolved"]
    conv["first_inbound"] = inbound
    conv["first_agent"] = agent
    conv["inbound"] = conv.index.isin(inbound.index)
    conv["resolved"] = conv.index.isin(resolved.conversation_id)
    conv["answered"] = conv["first_agent"].notna() | conv.index.isin(
        resolved.loc[resolved.agent_id == "bot", "conversation_id"])
    return conv


def _frames_equal(a: SupportLog, b: SupportLog):
    pd.testing.assert_frame_equal(a.messages, b.messages)
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(a.self_service, b.self_service)


# -- determinism ---------------------------------------------------------------------------

def test_same_seed_gives_identical_frames(demo):
    _frames_equal(generate_demo(), demo)


def test_different_seed_gives_different_frames():
    small = {"customers": 80, "end": "2026-08-20"}
    a, b = generate_demo(seed=1, **small), generate_demo(seed=2, **small)
    _frames_equal(generate_demo(seed=1, **small), a)
    assert not a.messages.equals(b.messages)
    assert not a.self_service.equals(b.self_service)


def test_generation_is_fast():
    # CPU time of this process, not wall time: other jobs on a shared machine do not count.
    started = time.process_time()
    generate_demo()
    assert time.process_time() - started < 5


# -- validity ------------------------------------------------------------------------------

def test_returns_a_validated_synthetic_support_log(demo):
    assert isinstance(demo, SupportLog)
    assert demo.source == "demo"
    assert demo.synthetic is True
    assert demo.description == "Synthetic demo company (generated, not real data; seed 7)"
    assert demo.time_precision == "second"
    m = demo.messages
    assert list(m.columns[:9]) == ["message_id", "conversation_id", "customer_id", "channel",
                                   "sent_at", "direction", "author_type", "agent_id", "text"]
    assert {"lang", "true_intent", "true_topic", "pii"} <= set(m.columns)
    assert str(m["sent_at"].dtype) == "datetime64[ns, UTC]"
    assert str(demo.events["at"].dtype) == "datetime64[ns, UTC]"
    assert str(demo.self_service["started_at"].dtype) == "datetime64[ns, UTC]"
    assert m["message_id"].is_unique and demo.self_service["session_id"].is_unique
    assert m["sent_at"].is_monotonic_increasing
    assert m["text"].notna().all()
    for times in (m["sent_at"], demo.events["at"], demo.self_service["started_at"]):
        assert times.min() >= START and times.max() < END
    assert demo.events["conversation_id"].isin(m["conversation_id"]).all()
    assert (m.loc[m.direction == "inbound", "author_type"] == "customer").all()
    assert m.loc[m.author_type == "agent", "agent_id"].str.fullmatch(r"ag-\d{2}").all()
    assert (m.loc[m.author_type == "bot", "agent_id"] == "bot").all()
    assert m.loc[m.author_type.isin(["customer", "system"]), "agent_id"].isna().all()


def test_rejects_bad_arguments():
    with pytest.raises(ValueError):
        generate_demo(start="2026-09-01", end="2026-08-01")
    with pytest.raises(ValueError):
        generate_demo(customers=0)


def test_small_and_other_zone_periods_validate():
    log = generate_demo(customers=20, start="2026-03-02", end="2026-03-09",
                        tz="America/New_York", seed=3)
    assert len(log.messages) > 0 and log.synthetic
    assert log.messages["sent_at"].max() < pd.Timestamp("2026-03-09", tz="America/New_York")


# -- coverage ------------------------------------------------------------------------------

def test_volume_and_conversation_shape(conversations):
    assert 5000 <= len(conversations) <= 7000
    assert conversations["n"].between(1, 8).all()
    assert set(range(1, 9)) <= set(conversations["n"])


def test_every_channel_is_present_with_roughly_its_share(conversations):
    share = conversations["channel"].value_counts(normalize=True)
    assert set(CHANNELS) <= set(share.index)
    targets = {"whatsapp": 0.30, "chat": 0.20, "email": 0.18, "phone": 0.12, "instagram": 0.06,
               "facebook": 0.03, "twitter": 0.03, "reclame_aqui": 0.05, "web_form": 0.03}
    for channel, target in targets.items():
        assert abs(share[channel] - target) < max(0.03, target * 0.4), channel


def test_bots_agents_transfers_and_system_messages(demo, conversations):
    m = demo.messages
    assert (m.author_type == "bot").any() and (m.author_type == "system").any()
    assert m.loc[m.author_type == "bot", "channel"].isin(["chat", "whatsapp"]).all()
    agents = m.loc[m.author_type == "agent", "agent_id"].unique()
    assert len(agents) == 25
    per_conversation = m[m.author_type == "agent"].groupby("conversation_id")["agent_id"].nunique()
    assert (per_conversation >= 2).sum() > 100
    events = set(demo.events["event"])
    assert events == {"resolved", "reopened", "handoff", "transfer"}
    resolved = demo.events.loc[demo.events.event == "resolved", "conversation_id"].value_counts()
    assert (resolved > 1).any()
    # Most answered conversations are resolved.
    assert conversations.loc[conversations.answered, "resolved"].mean() > 0.7


def test_customers_unknown_people_proactive_and_unanswered(conversations):
    known = conversations.dropna(subset=["customer_id"])
    assert known["customer_id"].str.fullmatch(r"c-\d{5}").all()
    channels_per_customer = known.groupby("customer_id")["channel"].nunique()
    assert (channels_per_customer >= 2).sum() > 100
    contacts = known[known.inbound].groupby("customer_id").size()
    assert contacts.value_counts().idxmax() == 1  # most often a single contact ...
    assert (contacts >= 3).sum() > 100  # ... with a heavy tail
    assert 0.03 < conversations["customer_id"].isna().mean() < 0.08
    proactive = conversations[~conversations.inbound]
    assert len(proactive) > 50 and proactive["customer_id"].notna().all()
    unanswered = conversations[conversations.inbound & ~conversations.answered]
    assert 0.04 < len(unanswered) / conversations.inbound.sum() < 0.12


def test_texts_languages_intents_and_personal_data(demo, conversations):
    inbound = conversations[conversations.inbound]
    lang = inbound["lang"].value_counts(normalize=True)
    assert 0.78 < lang["pt"] < 0.92 and 0.08 < lang["en"] < 0.22
    intent = inbound["intent"].value_counts(normalize=True)
    assert abs(intent["how_to"] - 0.35) < 0.06
    assert abs(intent["problem"] - 0.45) < 0.06
    assert abs(intent["other"] - 0.20) < 0.05
    by_channel = pd.crosstab(inbound["channel"], inbound["intent"], normalize="index")
    assert by_channel.loc["reclame_aqui", "problem"] > 0.8 > by_channel.loc["chat", "problem"]
    m = demo.messages
    openings = m[m.direction == "inbound"].drop_duplicates("conversation_id")["text"]
    assert openings.nunique() > 0.6 * len(openings)  # slot filling and variation
    assert openings.str.contains("não|você|obrigad", case=False).any()
    assert openings.str.contains(r"^(?:bom dia|boa tarde|oi|olá)", case=False).any()
    pii = m["pii"].notna()
    assert 0.02 < pii.mean() < 0.045
    assert set(m.loc[pii, "pii"]) == {"email", "phone", "cpf", "card", "handle"}
    text = m.loc[pii, "text"]
    assert text.str.contains(r"\d{3}\.\d{3}\.\d{3}-\d{2}").any()
    assert text.str.contains(r"\(\d{2}\) 9\d{4}-\d{4}").any()
    assert text.str.contains(r"[\w.]+@[\w-]+\.[\w.]+").any()
    assert text.str.contains(r"\b\d{4} \d{4} \d{4} \d{4}\b").any()
    assert text.str.contains(r"(?:^|\s)@\w+").any()
    assert not m.loc[~pii, "text"].str.contains(r"\d{3}\.\d{3}\.\d{3}-\d{2}").any()


def test_self_service_overlaps_customers_and_deflects(demo, conversations):
    s = demo.self_service
    assert set(s["source"]) == set(SELF_SERVICE_SOURCES)
    assert 3.0 < len(s) / conversations.inbound.sum() < 5.5
    contacting = set(conversations["customer_id"].dropna())
    assert len(contacting & set(s["customer_id"].dropna())) > 0.7 * len(contacting)
    # Customers who looked a topic up contact less with how-to questions about it.
    how = conversations[conversations.intent.eq("how_to") & conversations.customer_id.notna()]
    asked = set(zip(how["customer_id"], how["topic"], strict=True))
    looked = set(zip(s["customer_id"].dropna(), s.dropna(subset=["customer_id"])["topic"],
                     strict=True))
    customers = sorted(contacting)
    topics = sorted(set(s["topic"]))
    pairs = pd.MultiIndex.from_product([customers, topics]).to_frame(index=False)
    key = list(zip(pairs[0], pairs[1], strict=True))
    pairs["looked"] = [k in looked for k in key]
    pairs["asked"] = [k in asked for k in key]
    rate = pairs.groupby("looked")["asked"].mean()
    assert rate[True] < 0.85 * rate[False]


# -- realism -------------------------------------------------------------------------------

def test_response_times_differ_by_channel(conversations):
    frt = (conversations["first_agent"] - conversations["first_inbound"]).dt.total_seconds() / 60
    median = frt.groupby(conversations["channel"]).median()
    assert median["phone"] < median["chat"] < 15
    assert median["chat"] < median["whatsapp"] < median["instagram"] < median["email"]
    assert 60 < median["email"] < 24 * 60
    assert median["reclame_aqui"] > 24 * 60
    assert frt.mean() > 5 * frt.median()  # heavy right tail
    unanswered = 1 - conversations[conversations.inbound].groupby("channel")["answered"].mean()
    assert unanswered.between(0.01, 0.15).all()


def test_arrivals_follow_business_rhythm(demo):
    local = demo.messages.loc[demo.messages.direction == "inbound", "sent_at"].dt.tz_convert(
        "America/Sao_Paulo")
    weekday, hour = local.dt.day_of_week, local.dt.hour
    inside = ((weekday < 5) & hour.between(8, 17)) | ((weekday == 5) & hour.between(9, 12))
    assert 0.55 < inside.mean() < 0.85
    assert (weekday == 6).mean() > 0.02 and (hour < 6).mean() > 0.005
    assert (hour.between(9, 11)).mean() > (hour.between(14, 16)).mean() * 0.8


def test_repeat_contacts_follow_bad_experiences(conversations):
    c = conversations[conversations.inbound & conversations.customer_id.notna()]
    c = c.sort_values("start")
    following = c.groupby("customer_id")["start"].shift(-1)
    next_channel = c.groupby("customer_id")["channel"].shift(-1)
    repeat = (following - c["start"]) <= pd.Timedelta(days=7)
    after_unanswered = repeat[~c.answered].mean()
    after_resolved = repeat[c.answered & c.resolved].mean()
    assert after_unanswered > after_resolved + 0.1
    assert (next_channel[repeat & ~c.answered] != c.loc[repeat & ~c.answered, "channel"]).mean() > 0.4


# -- the committed sample ------------------------------------------------------------------

def test_committed_demo_files_equal_a_fresh_generation(tmp_path):
    write_demo(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(DEMO_FILES)
    assert sorted(p.name for p in DEMO_DIR.iterdir()) == sorted([*DEMO_FILES, "README.md"])
    for name in DEMO_FILES:
        fresh = (tmp_path / name).read_bytes()
        assert fresh[4:8] == b"\0\0\0\0"  # gzip header without a time stamp
        assert gzip.decompress(fresh) == gzip.decompress((DEMO_DIR / name).read_bytes()), name


def test_committed_demo_files_load_back_to_the_generated_frames(demo):
    log = load_log(DEMO_DIR / "messages.csv.gz", events=DEMO_DIR / "events.csv.gz",
                   self_service=DEMO_DIR / "self_service.csv.gz")
    _frames_equal(log, demo)
    head = gzip.decompress((DEMO_DIR / "messages.csv.gz").read_bytes()).decode()[:400]
    assert re.search(r",2026-08-01T\d{2}:\d{2}:\d{2}-03:00,", head)


def test_readme_states_synthetic_and_current_row_counts(demo):
    readme = (DEMO_DIR / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme
    assert 'write_demo("data/demo")' in readme and "seed 7" in readme
    for frame in (demo.messages, demo.events, demo.self_service):
        assert f"{len(frame):,}" in readme
    assert f"{demo.messages['conversation_id'].nunique():,}" in readme
