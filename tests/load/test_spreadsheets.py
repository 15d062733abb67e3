"""A user's table file (analytics/load/spreadsheets.py): every cell as text, the delimiter
guessed, the encoding never guessed silently, long cells, Excel, and one line naming the fix."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from analytics.errors import InputError
from analytics.load.spreadsheets import read_table


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_the_delimiter_is_guessed_from_the_header(tmp_path, sep):
    path = _write(tmp_path, "t.csv", sep.join(["id", "when", "note"]) + "\n"
                  + sep.join(["007", "2024-03-01", ""]) + "\n")
    frame = read_table(path)
    assert frame.columns.tolist() == ["id", "when", "note"]
    assert frame["id"].tolist() == ["007"]  # text: leading zeros kept
    assert frame["note"].isna().all()  # an empty cell is missing, not ''


def test_a_utf8_byte_order_mark_and_a_gzip_file(tmp_path):
    path = _write(tmp_path, "t.csv", "\ufeffid,canal\n1,ligação\n")
    assert read_table(path).to_dict("list") == {"id": ["1"], "canal": ["ligação"]}
    packed = tmp_path / "t.csv.gz"
    packed.write_bytes(gzip.compress(b"id;canal\n1;e-mail\n"))
    assert read_table(packed).to_dict("list") == {"id": ["1"], "canal": ["e-mail"]}


def test_a_file_that_is_not_utf8_names_the_encoding_its_bytes_read_as(tmp_path):
    path = _write(tmp_path, "t.csv", "id;canal\n1;ligação\n", encoding="cp1252")
    with pytest.raises(InputError, match=r"t.csv: is not UTF-8 text .*its bytes read as "
                                         r"cp1252; expected a mapping file .*encoding = \"cp1252\""):
        read_table(path)
    assert read_table(path, encoding="cp1252")["canal"].tolist() == ["ligação"]


def test_inside_a_mapping_the_error_names_its_own_input_key(tmp_path):
    path = _write(tmp_path, "t.csv", "id;canal\n1;ligação\n", encoding="cp1252")
    with pytest.raises(InputError, match=r'\[input\] encoding = "cp1252" in mapping.toml'):
        read_table(path, mapping=tmp_path / "mapping.toml")


def test_a_header_of_one_column_holding_another_separator_names_the_delimiter(tmp_path):
    path = _write(tmp_path, "t.csv", "id|canal\n1|chat\n")
    with pytest.raises(InputError, match=r"the header is one column holding '\|'; expected .*"
                                         r'delimiter = "\|"'):
        read_table(path, sep=",")


def test_a_long_cell_is_read_and_a_broken_row_is_named(tmp_path):
    long = "x" * 300_000  # over the 128 KB field limit of Python's csv module
    assert read_table(_write(tmp_path, "t.csv", f"id,text\n1,{long}\n"))["text"].str.len()[0] \
        == 300_000
    path = _write(tmp_path, "b.csv", "id,text\n1,a\n2,b,c\n")
    with pytest.raises(InputError) as caught:
        read_table(path)
    assert caught.value.row == 2 and "the row has 3 fields, the header 2" in str(caught.value)
    path = _write(tmp_path, "q.csv", 'id,text\n1,"never closed\n')
    with pytest.raises(InputError, match="a quoted cell is never closed"):
        read_table(path)


def test_empty_missing_and_old_excel_files(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="the file is empty"):
        read_table(_write(tmp_path, "e.csv", ""))
    with pytest.raises(InputError, match="has no data rows"):
        read_table(_write(tmp_path, "h.csv", "id,text\n"))
    with pytest.raises(InputError, match="old Excel .xls files cannot be read"):
        read_table(_write(tmp_path, "old.xls", "whatever"))


def test_an_xlsx_sheet_as_text(tmp_path):
    path = tmp_path / "t.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"id": [7, 8]}).to_excel(writer, sheet_name="First", index=False)
        pd.DataFrame({" id ": [1], "note": [None]}).to_excel(writer, sheet_name="Tickets",
                                                             index=False)
    assert read_table(path)["id"].tolist() == ["7", "8"]  # the first sheet by default
    tickets = read_table(path, sheet="Tickets")
    assert tickets.columns.tolist() == ["id", "note"] and tickets["id"].tolist() == ["1"]
    assert tickets["note"].isna().all()
    with pytest.raises(InputError, match="cannot be read as Excel"):
        read_table(path, sheet="Other")


def test_parquet_keeps_its_types(tmp_path):
    path = tmp_path / "t.parquet"
    pd.DataFrame({"n": [1, 2]}).to_parquet(path)
    assert read_table(path)["n"].tolist() == [1, 2]
