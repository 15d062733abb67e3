"""Read a user's table file (CSV, Excel ``.xlsx`` or Parquet) as text columns, or say how to fix it.

:func:`analytics.load.files.read_table` is this module's :func:`read_table`.

Every failure is one :class:`~analytics.errors.InputError` naming the file (and the row where
there is one) and the setting that fixes it: for a plain ``--messages`` file the mapping keys
of ``docs/mapping.md``, for a mapping file its own ``[input]`` keys.

- **Encoding**: UTF-8 (with or without a byte-order mark) unless one is given; a file that is
  not UTF-8 is refused with the encoding its bytes do decode as (``cp1252``, ``latin-1``),
  never guessed silently (a wrong guess garbles every accent without an error).
- **Delimiter**: guessed from the header line (``,``, ``;``, tab or ``|``) unless one is given;
  a header read as one column that holds another separator names the ``delimiter`` key.
- **Long cells**: read with pandas' C parser, which has no field size limit (Python's ``csv``
  module stops at 128 KB); a row with the wrong number of fields or an unclosed quote is
  named by its row number.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import lzma
import re
from pathlib import Path

import pandas as pd

from analytics.errors import InputError

#: Separators the header line is searched for, in order of preference.
DELIMITERS = ",;\t|"
_EXCEL = (".xlsx", ".xlsm")
_COMPRESSED = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_EOF_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")


def read_table(path, *, sep=None, encoding=None, sheet=None, mapping=None) -> pd.DataFrame:
    """Read a CSV, ``.xlsx`` or Parquet file (or Parquet folder) with every CSV/Excel cell as
    text and empty cells missing; Parquet keeps its types.

    Parameters
    ----------
    path : str or Path
        The file.
    sep, encoding : str, optional
        CSV delimiter (guessed from the header when absent) and encoding (UTF-8 when absent).
    sheet : str, optional
        The ``.xlsx`` sheet (default: the first).
    mapping : Path, optional
        The mapping file that named ``path``: errors then name its ``[input]`` keys; without
        it they name the mapping that would read the file (``docs/mapping.md``).

    Raises
    ------
    InputError
        The file is missing, empty, not in the encoding, or not well-formed (names the row).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    suffix = path.suffix.lower()
    if path.is_dir() or suffix in (".parquet", ".pq"):
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises many types for a corrupt file
            raise InputError(path, f"cannot be read as Parquet ({exc})") from None
    elif path.stat().st_size == 0:
        raise InputError(path, "the file is empty", expected="a header row and data rows")
    elif suffix in _EXCEL:
        frame = _read_excel(path, sheet, mapping)
    elif suffix == ".xls":
        raise InputError(path, "old Excel .xls files cannot be read",
                         expected="the sheet saved as .xlsx or as CSV")
    else:
        frame = _read_csv(path, sep, encoding, mapping)
    if frame.empty:
        raise InputError(path, "the file has no data rows", expected="at least one row")
    return frame


def _fix(mapping, key, value) -> str:
    """How to set an ``[input]`` key: in the given mapping, or in a new one."""
    if mapping is not None:
        return f'[input] {key} = "{value}" in {Path(mapping).name}'
    return (f'a mapping file (--mapping, docs/mapping.md) with [input] {key} = "{value}", '
            "or the file saved as UTF-8 CSV" if key == "encoding" else
            f'a mapping file (--mapping, docs/mapping.md) with [input] {key} = "{value}"')


def _read_excel(path, sheet, mapping) -> pd.DataFrame:
    try:
        frame = pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, dtype="str",
                              engine="openpyxl")
    except ValueError as exc:  # an unknown sheet name
        raise InputError(path, f"cannot be read as Excel ({exc})",
                         expected=_fix(mapping, "sheet", "the sheet's name")) from None
    except Exception as exc:  # openpyxl raises zipfile/KeyError types for a broken workbook
        raise InputError(path, f"cannot be read as Excel ({exc.__class__.__name__}: {exc})",
                         expected="an .xlsx workbook saved by a spreadsheet program") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.astype("str").where(frame.notna())


def _read_csv(path, sep, encoding, mapping) -> pd.DataFrame:
    codec = encoding or "utf-8-sig"
    try:
        with _open(path, encoding=codec, newline="") as handle:
            header = handle.readline()
    except UnicodeDecodeError as exc:
        _not_in_encoding(path, exc, encoding, mapping)
    if sep is None:
        try:
            sep = csv.Sniffer().sniff(header, delimiters=DELIMITERS).delimiter
        except csv.Error:
            sep = ","
    try:
        frame = pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[""], sep=sep,
                            engine="c", encoding=codec)
    except UnicodeDecodeError as exc:
        _not_in_encoding(path, exc, encoding, mapping)
    except pd.errors.ParserError as exc:
        raise _broken_csv(path, str(exc), sep) from None
    except (pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(path, f"cannot be read as CSV ({exc})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame.columns) == 1:
        other = next((d for d in DELIMITERS if d != sep and d in frame.columns[0]), None)
        if other is not None:
            shown = {"\t": "\\t"}.get(other, other)
            raise InputError(path, f"the header is one column holding {shown!r}",
                             expected=_fix(mapping, "delimiter", shown),
                             found=frame.columns[0])
    return frame


def _open(path: Path, **text):
    """The file (uncompressed when .gz, .bz2 or .xz), as text with ``text`` options, else bytes."""
    opener = _COMPRESSED.get(path.suffix.lower())
    if opener is None:
        return path.open("r" if text else "rb", **text)
    return opener(path, "rt" if text else "rb", **text)


def _not_in_encoding(path, exc: UnicodeDecodeError, encoding, mapping):
    """Raise the one-line error naming the encoding the bytes do decode as."""
    if encoding:
        raise InputError(path, f"is not {encoding} text ({exc.reason} at byte {exc.start})",
                         expected=f"the file's real encoding in {_fix(mapping, 'encoding', '...')}"
                         ) from None
    with _open(path) as handle:
        data = handle.read()
    guess = "latin-1"
    try:
        data.decode("cp1252")
        guess = "cp1252"
    except UnicodeDecodeError:
        pass
    raise InputError(path, f"is not UTF-8 text ({exc.reason} at byte {exc.start}); its bytes "
                     f"read as {guess}", expected=_fix(mapping, "encoding", guess)) from None


def _broken_csv(path, message, sep) -> InputError:
    """The parser's complaint as one line naming the data row (the header is line 1)."""
    shown = {"\t": "\\t"}.get(sep, sep)
    fields = _FIELDS.search(message)
    if fields:
        wanted, line, saw = map(int, fields.groups())
        return InputError(path, f"the row has {saw} fields, the header {wanted} "
                          f"(separator {shown!r})", row=line - 1,
                          expected="cells holding the separator in double quotes, or the right "
                                   "delimiter")
    quote = _EOF_QUOTE.search(message)
    if quote:
        return InputError(path, "a quoted cell is never closed", row=int(quote.group(1)),
                          expected='a closing double quote (a " inside a cell is written "")')
    return InputError(path, f"cannot be read as CSV ({message})")
