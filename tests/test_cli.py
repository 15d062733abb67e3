"""``python -m analytics metrics --json``: the contract on a hand-computed log, and bad input;
``python -m analytics intents``: a CSV in, the same rows with their intent out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from helpers import agent, bot, inbound, write_csv

from analytics.cli import main

ROOT = Path(__file__).resolve().parent.parent

# Monday 2024-03-04 .. Wednesday 2024-03-20 (UTC):
#   A  c1 email  10:00 -> bot 10:01, agent 10:10         FRT 600 s
#   B  c1 chat   03-06 10:00, never answered             age 14 days at as_of
#   C  --  chat  03-05 10:00 -> agent 12:00               FRT 7200 s; then 13:00 -> 13:30
#   D  c2 chat   03-20 10:00 (= as_of)                    unanswered, age 0
#   P  proactive (agent only), 03-07
ROWS = (
    inbound("A", "2024-03-04 10:00", customer="c1", channel="E-mail"),
    bot("A", "2024-03-04 10:01", customer="c1", channel="E-mail"),
    agent("A", "2024-03-04 10:10", customer="c1", channel="E-mail"),
    inbound("B", "2024-03-06 10:00", customer="c1"),
    inbound("C", "2024-03-05 10:00", customer=""),
    agent("C", "2024-03-05 12:00", customer=""),
    inbound("C", "2024-03-05 13:00", customer=""),
    agent("C", "2024-03-05 13:30", customer=""),
    agent("P", "2024-03-07 09:00", customer="c3"),
    inbound("D", "2024-03-20 10:00", customer="c2"),
)

CONTRACT = {"source", "synthetic", "description", "period", "previous_period", "as_of", "data",
            "parameters", "contacts", "customers", "proactive", "first_response",
            "first_response_business", "reply_time", "resolution_first", "resolution_full",
            "reopened", "repeat_contacts", "channels", "previous", "one_touch",
            "frequent_contacters", "channel_movement", "dependency"}


def run_json(capsys, *argv) -> dict:
    assert main(["metrics", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def messages_csv(tmp_path):
    return str(write_csv(tmp_path / "messages.csv", *ROWS))


def test_metrics_json_contract_and_hand_computed_figures(capsys, messages_csv):
    out = run_json(capsys, "--messages", messages_csv, "--period", "2024-03", "--tz", "UTC")
    assert CONTRACT <= set(out)
    assert out["period"] == {"label": "2024-03", "start": "2024-03-01T00:00:00+00:00",
                             "end": "2024-04-01T00:00:00+00:00", "tz": "UTC"}
    assert out["previous_period"]["label"] == "2024-02"
    assert out["as_of"] == "2024-03-20T10:00:00+00:00"
    assert out["data"]["messages"] == len(ROWS)
    assert out["contacts"] == 4
    assert out["customers"] == 2            # c1, c2; the empty id is nobody
    assert out["proactive"] == 1

    frt = out["first_response"]
    assert set(frt) == {"n", "unanswered", "median_s", "p90_s", "mean_s", "within_sla",
                        "median_ci_s", "small_n", "survival_median_s", "oldest_unanswered_s",
                        "within_sla_targets"}
    assert (frt["n"], frt["unanswered"]) == (2, 2)
    assert frt["median_s"] == 3900.0 and frt["mean_s"] == 3900.0
    assert frt["p90_s"] == 6540.0                       # 600 + 0.9 * 6600
    assert frt["within_sla"] == 0.5                     # 600 <= 1 h < 7200
    assert frt["small_n"] is True
    assert frt["oldest_unanswered_s"] == 14 * 86400
    # KM: D censored at 0, A answered at 600 (3/4 -> S = 2/3), C at 7200 (S = 1/3).
    assert frt["survival_median_s"] == 7200.0
    assert set(out["first_response_business"]) == {"n", "unanswered", "median_s", "p90_s",
                                                   "mean_s"}
    assert out["first_response_business"]["median_s"] == 3900.0   # all inside mon-fri 9-18

    assert out["reply_time"] == {"n": 3, "median_s": 1800.0, "p90_s": 6120.0, "mean_s": 3200.0,
                                 "open_waits": 2}
    for key in ("resolution_first", "resolution_full"):
        assert out[key] == {"available": False, "n": None, "median_s": None, "p90_s": None,
                            "mean_s": None}
    assert out["reopened"] is None

    repeats = out["repeat_contacts"]
    assert set(repeats) == {"window_days", "eligible", "repeated", "rate", "fcr",
                            "excluded_no_lookahead", "cross_channel", "identity_coverage",
                            "cross_channel_share", "same_topic_repeats", "topic_known_repeats"}
    assert repeats["cross_channel_share"] == 1.0
    dependency = out["dependency"]
    assert dependency["how_to"]["share"] is None          # the log has no text: unknown, not 0
    assert dependency["contacts_per_customer"] == {"customers": 2, "contacts": 3,
                                                   "per_customer": 1.5}
    assert dependency["avoidable_cost"]["total"] is None
    assert out["parameters"]["cost_table"]["currency"] == "USD"
    # A (c1, email) is repeated by B (c1, chat) 2 days later; D has no full look-ahead.
    assert (repeats["eligible"], repeats["repeated"], repeats["excluded_no_lookahead"]) == (3, 1, 1)
    assert repeats["rate"] == pytest.approx(1 / 3) and repeats["cross_channel"] == 1
    assert repeats["identity_coverage"] == 0.75
    assert out["channels"] == {"chat": 3, "email": 1}
    assert out["previous"]["contacts"] == 0 and out["previous"]["first_response"]["median_s"] is None
    assert out["warnings"]


def test_metrics_with_events_as_of_and_sla(capsys, messages_csv, tmp_path):
    events = tmp_path / "events.csv"
    events.write_text("conversation_id,event,at\nA,resolved,2024-03-04T11:00:00Z\n"
                      "A,reopened,2024-03-04T12:00:00Z\nA,resolved,2024-03-04T13:00:00Z\n"
                      "C,resolved,2024-03-05T14:00:00Z\n")
    out = run_json(capsys, "--messages", messages_csv, "--events", str(events),
                   "--period", "2024-03-04..2024-03-10", "--tz", "UTC",
                   "--as-of", "2024-03-10T00:00:00Z", "--sla", "3h")
    assert out["as_of"] == "2024-03-10T00:00:00+00:00"
    assert out["contacts"] == 3                      # D starts after the range
    assert out["first_response"]["within_sla"] == 1.0
    assert out["first_response"]["oldest_unanswered_s"] == 4 * 86400 - 10 * 3600
    # A resolved 1 h after its start (then reopened, resolved again at 3 h); C after 4 h.
    assert out["resolution_first"] == {"available": True, "n": 2, "median_s": 9000.0,
                                       "p90_s": 13320.0, "mean_s": 9000.0}
    assert out["resolution_full"]["median_s"] == 12600.0   # A 3 h, C 4 h
    assert out["reopened"] == 1
    assert out["previous_period"]["label"] == "2024-02-26..2024-03-03"


def test_bad_input_exits_2_with_one_line_and_no_traceback(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("message_id,conversation_id,customer_id,channel,sent_at,direction,author_type\n"
                   "m1,A,c1,chat,2024-03-04T10:00:00Z,inbound,customer\n"
                   "m2,A,c1,chat,not a time,outbound,agent\n")
    assert main(["metrics", "--messages", str(bad), "--period", "2024-03", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err
    assert "bad.csv" in lines[0] and "row 2" in lines[0] and "sent_at" in lines[0]


@pytest.mark.parametrize("argv, needle", [
    (["--period", "2024-13"], "--period"),
    (["--period", "2024-03", "--as-of", "2024-03-10T00:00:00"], "--as-of"),
    (["--period", "2024-03", "--sla", "soon"], "--sla"),
    (["--period", "2024-03", "--tz", "Mars/Olympus"], "Mars/Olympus"),
    (["--period", "2024-03", "--hours", "weekdays"], "--hours"),
    (["--period", "2024-03", "--holidays", "XX"], "--holidays"),
    (["--period", "2024-03", "--closed", "2024-13-01"], "--closed"),
])
def test_bad_options_exit_2_with_one_line(capsys, messages_csv, argv, needle):
    assert main(["metrics", "--messages", messages_csv, *argv]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and needle in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["metrics", "render"])
def test_an_input_file_without_its_source_is_refused_not_ignored(capsys, tmp_path, command,
                                                                 messages_csv):
    # Without --source the file was dropped and the bundled demo reported in its place.
    output = tmp_path / "out"
    argv = [command, "--input", messages_csv, "--period", "2024-03"]
    assert main(argv + (["--output", str(output)] if command == "render" else [])) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "--input" in err and "--messages FILE" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not output.exists()


def test_module_exits_2_on_a_bad_file_without_traceback(tmp_path):
    bad = tmp_path / "missing_column.csv"
    bad.write_text("message_id,conversation_id\nm1,A\n")
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "metrics", "--messages", str(bad),
         "--period", "2024-03", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "missing_column.csv" in result.stderr and "customer_id" in result.stderr


def test_sla_in_days_is_accepted_without_warnings():
    import warnings

    from analytics.metrics.summary import parse_duration

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert parse_duration("10d").total_seconds() == 10 * 86400


def test_several_sla_targets_each_get_their_share_and_the_first_is_the_headline(
        capsys, messages_csv):
    out = run_json(capsys, "--messages", messages_csv, "--period", "2024-03", "--tz", "UTC",
                   "--sla", "1h,2h")
    frt = out["first_response"]
    assert frt["within_sla"] == 0.5                              # 600 s within 1 h
    assert frt["within_sla_targets"] == {"1h": 0.5, "2h": 1.0}  # 7200 s within 2 h too


# X starts the day before the period and is answered inside it; Z starts inside and is
# answered the day after.
COHORT_ROWS = (
    inbound("X", "2024-03-04 23:00", customer="x"), agent("X", "2024-03-05 01:00", customer="x"),
    inbound("Y", "2024-03-05 09:00", customer="y"), agent("Y", "2024-03-05 09:10", customer="y"),
    inbound("Z", "2024-03-05 22:00", customer="z"), agent("Z", "2024-03-06 02:00", customer="z"),
)


@pytest.mark.parametrize(("cohort", "median"), [("started", (600 + 14400) / 2),
                                                ("replied", (7200 + 600) / 2)])
def test_cohort_basis_chooses_conversations_started_or_answered_in_the_period(
        capsys, tmp_path, cohort, median):
    log = str(write_csv(tmp_path / "m.csv", *COHORT_ROWS))
    out = run_json(capsys, "--messages", log, "--period", "2024-03-05..2024-03-05",
                   "--tz", "UTC", "--cohort", cohort)
    assert out["contacts"] == 2                   # contacts always count starts: Y and Z
    assert out["first_response"]["n"] == 2
    assert out["first_response"]["median_s"] == median
    assert out["reply_time"]["median_s"] == median
    assert out["parameters"]["cohort"] == cohort


def test_inactivity_rule_is_off_by_default_and_resolves_quiet_conversations_when_on(
        capsys, tmp_path):
    rows = (inbound("Q", "2024-03-04 10:00", customer="q"), agent("Q", "2024-03-04 10:30",
                                                                  customer="q"),
            inbound("R", "2024-03-05 10:00", customer="r"), agent("R", "2024-03-05 10:20",
                                                                  customer="r"),
            inbound("R", "2024-03-05 11:00", customer="r"))  # the customer spoke last
    log = str(write_csv(tmp_path / "m.csv", *rows))
    args = ("--messages", log, "--period", "2024-03", "--tz", "UTC",
            "--as-of", "2024-03-10T00:00:00Z")
    off = run_json(capsys, *args)
    assert off["resolution_first"]["available"] is False and off["reopened"] is None
    on = run_json(capsys, *args, "--inactivity", "72h")
    # Q: last message an agent reply, silent 5.5 days >= 72 h -> resolved at 10:30 (1800 s).
    # R: the customer wrote last, so it stays open.
    assert on["resolution_first"] == {"available": True, "n": 1, "median_s": 1800.0,
                                      "p90_s": 1800.0, "mean_s": 1800.0}
    assert on["parameters"]["inactivity"] == "72h"


@pytest.mark.parametrize("argv, message", [
    (["--cost-table", "{phone: 9"], "--cost-table: not a readable table"),
    (["--cost-table", '{"phone": -2}'], "cost_table: the cost of 'phone'"),
    (["--cost-table", "missing.toml"], "missing.toml: file not found"),
    (["--frequent-k", "1"], "--frequent-k: not a whole number"),
])
def test_bad_dependency_and_repeat_options_exit_2_with_one_line(capsys, messages_csv, argv,
                                                                message):
    code = main(["metrics", "--messages", messages_csv, "--period", "2024-03", *argv])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err


def test_a_cost_table_file_sets_the_avoidable_cost_currency(capsys, messages_csv, tmp_path):
    table = tmp_path / "costs.toml"
    table.write_text('currency = "BRL"\ndefault = 12.5\nself_service = 0.5\n')
    out = run_json(capsys, "--messages", messages_csv, "--period", "2024-03",
                   "--cost-table", str(table))
    assert out["parameters"]["cost_table"] == {"currency": "BRL", "default": 12.5,
                                               "self_service": 0.5}
    assert out["dependency"]["avoidable_cost"]["currency"] == "BRL"


# python -m analytics intents ---------------------------------------------------------------------

def test_cli_intents_writes_the_input_columns_plus_intent(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("id,text,lang,extra\n"
                   "007,Como faço para trocar a senha?,pt-BR,NA\n"
                   "2,my order never arrived,en,x\n"
                   "3,,pt,\n", encoding="utf-8")
    before = src.read_bytes()
    out = tmp_path / "sub" / "out.csv"
    assert main(["intents", "--input", str(src), "--text-column", "text", "--lang-column",
                 "lang", "--output", str(out)]) == 0
    assert src.read_bytes() == before
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(got.columns) == ["id", "text", "lang", "extra", "intent", "intent_probability"]
    probability = pd.to_numeric(got["intent_probability"].replace("", None))
    assert probability.iloc[:2].between(1 / 3, 1).all() and pd.isna(probability.iloc[2])
    assert got["id"].tolist() == ["007", "2", "3"]
    assert got["extra"].tolist() == ["NA", "x", ""]
    assert got["intent"].tolist() == ["how_to", "problem", ""]
    assert not list(out.parent.glob(".*.tmp"))
    assert "wrote 3 rows" in capsys.readouterr().out


def test_cli_intents_detects_the_language_without_a_lang_column(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("body\nnão consigo acessar minha conta\nhow do I reset my password?\n",
                   encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["intents", "--input", str(src), "--text-column", "body",
                 "--output", str(out)]) == 0
    got = pd.read_csv(out, dtype=str)
    assert got["lang_detected"].tolist() == ["pt", "en"]
    assert got["intent"].tolist() == ["problem", "how_to"]


def test_cli_intents_missing_text_column_is_one_line_exit_2(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("id,body\n1,hello\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["intents", "--input", str(src), "--text-column", "text",
                 "--output", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert str(src) in err and "'text'" in err and "Traceback" not in err
    assert not out.exists()


def test_cli_intents_missing_lang_column_and_missing_file(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("text\nhello\n", encoding="utf-8")
    assert main(["intents", "--input", str(src), "--lang-column", "lang",
                 "--output", str(tmp_path / "o.csv")]) == 2
    assert "'lang'" in capsys.readouterr().err
    assert main(["intents", "--input", str(tmp_path / "nope.csv"),
                 "--output", str(tmp_path / "o.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err


def test_cli_intents_refuses_to_overwrite_its_input(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("text\nhello\n", encoding="utf-8")
    before = src.read_bytes()
    assert main(["intents", "--input", str(src), "--output", str(src)]) == 2
    assert src.read_bytes() == before
    assert "overwrite" in capsys.readouterr().err
