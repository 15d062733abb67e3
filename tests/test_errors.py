"""Errors a user can cause (analytics/errors.py): one line naming the file, row and column, what
was expected and what was found."""

from __future__ import annotations

import pytest

from analytics.errors import DataNotCompleteError, InputError, OperationalError


def test_the_whole_line():
    error = InputError("my_log.csv", "the timestamp has no UTC offset", row=17, column="sent_at",
                       expected="an offset such as -03:00", found="2026-10-05 09:15")
    assert str(error) == ("my_log.csv, row 17, column 'sent_at': the timestamp has no UTC "
                          "offset; expected an offset such as -03:00, found '2026-10-05 09:15'")
    assert (error.source, error.row, error.column) == ("my_log.csv", 17, "sent_at")
    assert error.args == (str(error),)


def test_only_the_parts_given():
    assert str(InputError("--period", "unknown period 'soon'")) == \
        "--period: unknown period 'soon'"
    assert str(InputError("a.csv", "bad", column="channel")) == "a.csv, column 'channel': bad"
    assert str(InputError("a.csv", "bad", row=0)) == "a.csv, row 0: bad"  # row 0 is shown too


def test_a_long_value_is_shortened_to_60_characters():
    error = InputError("a.csv", "bad", found="x" * 100)
    assert str(error).endswith(", found '" + "x" * 57 + "...'")
    assert str(InputError("a.csv", "bad", found="y" * 60)).endswith("'" + "y" * 60 + "'")


def test_a_path_source_is_kept_as_text(tmp_path):
    assert InputError(tmp_path / "a.csv", "bad").source == str(tmp_path / "a.csv")


@pytest.mark.parametrize("kind", [DataNotCompleteError, OperationalError])
def test_the_other_errors_are_plain_exceptions_apart_from_input_errors(kind):
    assert issubclass(kind, Exception) and not issubclass(kind, InputError)


def test_an_input_error_crosses_process_boundaries_whole():
    import pickle

    error = InputError("log/", "duplicate id", row=7, column="message_id",
                       expected="each value to appear once", found="m1")
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, InputError) and str(again) == str(error)
    assert (again.source, again.row, again.column, again.found) == ("log/", 7, "message_id", "m1")


def test_an_error_can_be_placed_in_the_file_it_came_from():
    error = InputError("/tmp/bucket-3.arrows", "unknown value", row=2, column="direction",
                       expected="one of inbound, outbound", found="sideways")
    moved = error.located("messages/", row=6)
    assert str(moved) == ("messages/, row 6, column 'direction': unknown value; expected one "
                          "of inbound, outbound, found 'sideways'")
    assert error.located("messages/").row is None
