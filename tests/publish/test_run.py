"""The renderer on tiny fixture notebooks: publishing, atomic failure, parameters, exit codes."""

import json

import pytest
from helpers import ROOT

from analytics.cli import main
from analytics.errors import InputError
from analytics.publish.run import RenderError, render_report

FIXTURES = ROOT / "tests" / "fixtures" / "render"
pytestmark = pytest.mark.slow

LOG = """message_id,conversation_id,customer_id,channel,sent_at,direction,author_type,agent_id,text
m1,c1,u1,chat,2024-03-04T10:00:00-03:00,inbound,customer,,<script>alert(1)</script>
m2,c1,,chat,2024-03-04T10:05:00-03:00,outbound,agent,a1,ok
m3,c2,u2,email,2024-03-05T11:00:00-03:00,inbound,customer,,help
"""


@pytest.fixture
def log_file(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(LOG)
    return path


def _params(log_file, **extra):
    return {"source": "messages", "input_path": str(log_file), "period": "2024-03",
            "tz": "America/Sao_Paulo", **extra}


def _render(log_file, output, registry="registry_ok.toml", **extra):
    return render_report(_params(log_file, **extra), output=output, workers=1,
                         registry_path=FIXTURES / registry)


def test_render_publishes_pages_data_and_index(log_file, tmp_path):
    out = tmp_path / "reports"
    folder = _render(log_file, out)
    assert folder == out / "messages" / "2024-03"
    page = (folder / "ok.html").read_text()
    assert "Period <strong>2024-03</strong>" in page
    assert "<img" in page and "data:image/png;base64" in page
    assert "import matplotlib" not in page  # code is hidden
    assert 'src="http' not in page  # no CDN scripts: pages are read offline
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["contacts"] == 2 and summary["first_response"]["median_s"] == 300.0
    rows = (folder / "conversations.csv").read_text().splitlines()
    assert len(rows) == 3 and rows[0].startswith("conversation_id,")
    assert (folder / "notebooks" / "ok.ipynb").exists()
    index = (out / "index.html").read_text()
    assert "2024-03" in index and "messages/2024-03/ok.html" in index
    for name in ("index.pt-BR.html", "definitions.html", "definitions.pt-BR.html"):
        assert (out / name).exists(), name
    assert not list(out.glob("messages/.*"))  # no temporary folders left


def test_failed_notebook_keeps_the_last_good_report(log_file, tmp_path):
    out = tmp_path / "reports"
    folder = _render(log_file, out)
    good = (folder / "ok.html").read_bytes()
    with pytest.raises(RenderError, match="fail failed .*RuntimeError"):
        _render(log_file, out, registry="registry_fail.toml")
    assert (folder / "ok.html").read_bytes() == good
    assert not (folder / "fail.html").exists()
    failed = list((out / "_failed" / "messages").glob("2024-03-*"))
    assert len(failed) == 1
    assert (failed[0] / "fail.ipynb").exists()
    assert "fixture notebook failed on purpose" in (failed[0] / "errors.txt").read_text()
    assert not list(out.glob("messages/.*"))


def test_rendering_the_same_period_again_replaces_it_cleanly(log_file, tmp_path):
    out = tmp_path / "reports"
    _render(log_file, out)
    folder = _render(log_file, out, sla="30min")
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["parameters"]["sla"] == "30min"
    assert sorted(p.name for p in (out / "messages").iterdir()) == ["2024-03"]


def test_relative_period_is_resolved_before_naming_the_folder(log_file, tmp_path):
    import datetime as dt

    folder = render_report(_params(log_file, period="last-month"), output=tmp_path / "r",
                           workers=1, registry_path=FIXTURES / "registry_ok.toml",
                           today=dt.date(2024, 4, 10))
    assert folder.name == "2024-03"


def test_unknown_parameter_is_refused_before_any_kernel_starts(log_file, tmp_path):
    with pytest.raises(InputError, match="unknown report parameter.*colour"):
        _render(log_file, tmp_path / "reports", colour="red")
    assert not (tmp_path / "reports").exists()


def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(LOG.replace("2024-03-05T11:00:00-03:00", "2024-03-05 11:00"))
    code = main(["render", "--messages", str(bad), "--period", "2024-03",
                 "--output", str(tmp_path / "reports")])
    err = capsys.readouterr().err
    assert code == 2
    assert "bad.csv, row 3, column 'sent_at'" in err and "Traceback" not in err
    assert not (tmp_path / "reports").exists()


SCHEDULE = str(FIXTURES / "registry_schedule.toml")


def test_a_successful_render_writes_nothing_on_stderr(log_file, tmp_path, capfd):
    code = main(["render", "--messages", str(log_file), "--period", "2024-03",
                 "--registry", str(FIXTURES / "registry_ok.toml"), "--workers", "1",
                 "--output", str(tmp_path / "reports")])
    out, err = capfd.readouterr()
    assert code == 0 and "rendered" in out
    # A cron log stays quiet: no kernel transport warning, no progress bar, no traceback. (Not
    # err == "": a kernel under heavy load may log a timing notice of its own.)
    assert "over TCP" not in err and "Executing" not in err and "Traceback" not in err, err


def test_scheduled_runs_stop_at_the_first_failed_report_and_say_so(tmp_path, capsys):
    out = tmp_path / "reports"
    code = main(["render", "--defaults", "--registry", SCHEDULE, "--output", str(out)])
    assert code == 1
    assert "flaky failed" in capsys.readouterr().err
    assert not (out / "twcs" / "2017-W44").exists()  # stopped after the failure
    status = json.loads((out / "_status.json").read_text())
    assert status["twcs/2017-W43"]["state"] == "failed"
    assert "Not updated" in (out / "index.html").read_text()


def test_continue_on_error_renders_the_remaining_reports(tmp_path):
    out = tmp_path / "reports"
    code = main(["render", "--defaults", "--registry", SCHEDULE, "--output", str(out),
                 "--continue-on-error"])
    assert code == 1  # still loud: one report failed
    assert (out / "twcs" / "2017-W44" / "flaky.html").exists()
    assert not (out / "twcs" / "2017-W43").exists()
    status = json.loads((out / "_status.json").read_text())
    assert {k: v["state"] for k, v in status.items()} == {"twcs/2017-W43": "failed",
                                                          "twcs/2017-W44": "published"}


def test_a_pause_file_stops_scheduled_runs_without_rendering(tmp_path, capsys):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "PAUSED").write_text("warehouse migration until Monday\n")
    code = main(["render", "--defaults", "--registry", SCHEDULE, "--output", str(out)])
    assert code == 0
    assert "paused" in capsys.readouterr().err and "warehouse migration" in \
        (out / "PAUSED").read_text()
    assert sorted(p.name for p in out.iterdir()) == ["PAUSED"]


def test_only_is_an_alias_of_notebooks(log_file, tmp_path):
    code = main(["render", "--messages", str(log_file), "--period", "2024-03", "--workers", "1",
                 "--registry", str(FIXTURES / "registry_fail.toml"), "--only", "ok",
                 "--output", str(tmp_path / "reports")])
    assert code == 0
    assert [p.name for p in (tmp_path / "reports" / "messages" / "2024-03").glob("*.html")] \
        == ["ok.html"]


def test_a_notebook_raising_data_not_complete_postpones_the_run(log_file, tmp_path, capsys):
    out = tmp_path / "reports"
    code = main(["render", "--messages", str(log_file), "--period", "2024-03", "--workers", "1",
                 "--registry", str(FIXTURES / "registry_postpone.toml"), "--output", str(out)])
    assert code == 3
    assert "postponed: messages 2024-03" in capsys.readouterr().err
    assert not (out / "messages" / "2024-03").exists()
    assert not (out / "_failed").exists()  # postponed is not a failure
    assert json.loads((out / "_status.json").read_text())["messages/2024-03"]["state"] == \
        "postponed"


def test_require_complete_postpones_a_period_the_data_does_not_cover(log_file, tmp_path, capsys):
    out = tmp_path / "reports"
    code = main(["render", "--messages", str(log_file), "--period", "2024-03", "--workers", "1",
                 "--registry", str(FIXTURES / "registry_ok.toml"), "--require-complete",
                 "--output", str(out)])
    assert code == 3
    assert "before the last day of 2024-03 (2024-03-31)" in capsys.readouterr().err
    assert not (out / "messages").exists()
