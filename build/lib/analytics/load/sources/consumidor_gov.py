"""Adapter for the consumidor.gov.br complaint exports (Senacon/MJSP open data).

Each row is one complaint finalised on the platform, in 23 ``;``-separated fields:

==========================  =================================================================
``Região``                  region (``SE``, ``NE``...; the raw files pad it to two characters)
``UF``, ``Cidade``          state and city of the consumer
``Sexo``, ``Faixa Etária``  sex and age band of the consumer
``Ano Abertura``            year and month the complaint was opened (redundant with the date)
``Mês Abertura``
``Data Abertura``           date opened, ``DD/MM/YYYY``
``Data Resposta``           date the company answered; blank when ``Respondida`` is ``N``
``Data Finalização``        date the complaint was closed
``Tempo Resposta``          whole days to the answer; blank when unanswered
``Nome Fantasia``           the company
``Segmento de Mercado``     its market segment
``Área``, ``Assunto``       area and subject of the complaint
``Grupo Problema``          problem group and problem
``Problema``
``Como Comprou Contratou``  how the consumer bought (a purchase channel, not a contact channel)
``Procurou Empresa``        ``S``/``N``: the consumer contacted the company before
``Respondida``              ``S``/``N``: the company answered
``Situação``                ``Finalizada avaliada`` / ``Finalizada não avaliada``
``Avaliação Reclamação``    ``Resolvida``, ``Não Resolvida`` or ``Não Avaliada``
``Nota do Consumidor``      score 1-5; blank when the consumer did not rate
==========================  =================================================================

The monthly source files have no header, end lines with CRLF and are cp1252 or UTF-8 depending
on the month; the bundled combined file is UTF-8 with the header above. Both load. The UTF-8
source months 2014-05 to 2014-07 already had their accents replaced by U+FFFD when they were
published; the bundled combined file has them repaired, the raw files are loaded as they are.

Dates carry no time of day, so every date is placed at 12:00 in America/Sao_Paulo and the log
says ``time_precision="day"``. Noon rather than midnight because Brazil's daylight saving time
began at 00:00 (on 2014-10-19 the clock jumped from 00:00 to 01:00): midnight does not exist
on that day, and noon is never skipped or repeated. Durations between two such times are whole
days, give or take the DST hour.

The platform records no consumer id, so ``customer_id`` is empty: repeat contacts can only be
estimated from ``contacted_company_before``.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd

from analytics.errors import InputError
from analytics.load.schema import SupportLog, validate_events, validate_messages

COLUMNS = ("Região", "UF", "Cidade", "Sexo", "Faixa Etária", "Ano Abertura", "Mês Abertura",
           "Data Abertura", "Data Resposta", "Data Finalização", "Tempo Resposta",
           "Nome Fantasia", "Segmento de Mercado", "Área", "Assunto", "Grupo Problema",
           "Problema", "Como Comprou Contratou", "Procurou Empresa", "Respondida", "Situação",
           "Avaliação Reclamação", "Nota do Consumidor")
TIME_ZONE = "America/Sao_Paulo"
DESCRIPTION = ("consumidor.gov.br complaints (Senacon/MJSP – consumidor.gov.br), "
               "Brazilian federal open data")

# Export column -> conversation attribute, for the attributes kept as text.
_TEXT_ATTRIBUTES = {
    "Nome Fantasia": "company", "Segmento de Mercado": "segment", "Área": "area",
    "Assunto": "subject", "Grupo Problema": "problem_group", "Problema": "problem",
    "Como Comprou Contratou": "purchase_channel", "Avaliação Reclamação": "consumer_evaluation",
    "Região": "region", "UF": "uf", "Cidade": "city", "Sexo": "sex", "Faixa Etária": "age_band",
}


def load_consumidor_gov(path, *, encoding=None) -> SupportLog:
    """Load consumidor.gov.br complaints as a validated :class:`SupportLog`.

    Parameters
    ----------
    path : str, Path, or list of them
        A file (``.csv`` or ``.csv.gz``) with or without the header row, a folder of such
        files, or a list of files; several files are concatenated in the order given (a
        folder: by file name). The columns are listed in the module docstring.
    encoding : str, optional
        Text encoding of every file. By default each file is read as UTF-8 and, if that
        fails, as cp1252 (the encoding of the source months from 2014-08 on).

    Returns
    -------
    SupportLog
        One conversation per complaint, ``conversation_id`` = ``cg-<file stem>-<row>`` (row is
        the 1-based data row, header not counted), channel ``consumidor_gov``, no
        ``customer_id``. ``messages``: an inbound customer message at ``Data Abertura``
        and, when ``Respondida`` is ``S``, an outbound agent message at ``Data Resposta``
        with ``agent_id`` = company. ``events``: ``resolved`` at ``Data Finalização`` for
        every complaint (the platform closes every complaint; whether the consumer found it
        solved is ``consumer_evaluation``). ``conversation_attributes`` (index
        ``conversation_id``): ``company, segment, area, subject, problem_group, problem,
        purchase_channel, consumer_evaluation, region, uf, city, sex, age_band`` (text,
        stripped), ``contacted_company_before`` (bool), ``score`` and ``response_days``
        (Int64, missing when unrated / unanswered). ``time_precision`` day.

    Raises
    ------
    InputError
        Unreadable file, a row without 23 fields, an unexpected header, or a bad date, flag or
        number (naming the file, the row and the column).
    """
    files = _input_files(path)
    frame = pd.concat([_read_file(file, encoding) for file in files], ignore_index=True)
    source = "; ".join(map(str, files)) if isinstance(path, list | tuple) else str(path)

    text = frame[list(COLUMNS)].apply(lambda column: column.str.strip())
    text = text.mask(text == "")
    opened = _dates(frame, text, "Data Abertura", required=True)
    answered_flag = _flag(frame, text, "Respondida")
    answered = _dates(frame, text, "Data Resposta", required=answered_flag)
    finalised = _dates(frame, text, "Data Finalização", required=True)
    conversation_id = "cg-" + frame["_stem"] + "-" + frame["_row"].astype("str")

    inbound = pd.DataFrame({"message_id": conversation_id + "-in",
                            "conversation_id": conversation_id, "sent_at": opened,
                            "direction": "inbound", "author_type": "customer"})
    outbound = pd.DataFrame({"message_id": conversation_id + "-out",
                             "conversation_id": conversation_id, "sent_at": answered,
                             "direction": "outbound", "author_type": "agent",
                             "agent_id": text["Nome Fantasia"]})[answered_flag]
    messages = pd.concat([inbound, outbound], ignore_index=True)
    messages["customer_id"] = pd.Series(pd.NA, index=messages.index, dtype="str")
    messages["channel"] = "consumidor_gov"
    messages = validate_messages(messages, source=source)
    events = validate_events(pd.DataFrame({"conversation_id": conversation_id,
                                           "event": "resolved", "at": finalised}),
                             messages, source=source)

    attributes = text[list(_TEXT_ATTRIBUTES)].rename(columns=_TEXT_ATTRIBUTES)
    attributes["contacted_company_before"] = _flag(frame, text, "Procurou Empresa")
    attributes["score"] = _integers(frame, text, "Nota do Consumidor")
    attributes["response_days"] = _integers(frame, text, "Tempo Resposta")
    attributes.index = pd.Index(conversation_id, name="conversation_id")
    return SupportLog(messages=messages, events=events, conversation_attributes=attributes,
                      source="consumidor_gov", time_precision="day", synthetic=False,
                      description=DESCRIPTION, agent_ids="company",
                      message_detail="milestones")


def _input_files(path) -> list[Path]:
    """The files to read: the list given, a folder's CSVs by name, or the one file."""
    if isinstance(path, list | tuple):
        files = [Path(p) for p in path]
    elif Path(path).is_dir():
        files = sorted(p for p in Path(path).iterdir()
                       if p.name.lower().endswith((".csv", ".csv.gz")))
        if not files:
            raise InputError(path, "the folder has no .csv or .csv.gz file",
                             expected="consumidor.gov.br monthly CSV files")
    else:
        files = [Path(path)]
    if not files:
        raise InputError("consumidor_gov", "no file given", expected="at least one CSV file")
    stems = pd.Series([_stem(file) for file in files])
    # The stem is part of the conversation id, so two files must not share it.
    if stems.duplicated().any():
        repeated = files[int(stems.duplicated().to_numpy().argmax())]
        raise InputError(repeated, "another file has the same name",
                         expected="one file per month (conversation ids use the file name)")
    return files


def _stem(path: Path) -> str:
    """``2014-08`` for ``2014-08.csv.gz`` and ``2014-08.csv``."""
    name = path.name
    return Path(name[:-3] if name.lower().endswith(".gz") else name).stem


def _read_file(path: Path, encoding) -> pd.DataFrame:
    """One file as text columns plus ``_file``, ``_stem`` and ``_row`` (1-based data row)."""
    if not path.is_file():
        raise InputError(path, "file not found")
    data = path.read_bytes()
    if path.suffix.lower() == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(path, f"cannot be decompressed ({exc})",
                             expected="a gzip file") from None
    text = _decode(data, path, encoding).lstrip("\ufeff").replace("\r\n", "\n")
    lines = pd.Series(text.removesuffix("\n").split("\n"), dtype="str")
    has_header = lines.iloc[0].split(";")[0].strip() == COLUMNS[0]
    if has_header:
        _check_header(lines.iloc[0], path)
        lines = lines.iloc[1:].reset_index(drop=True)
    if lines.empty or (len(lines) == 1 and lines.iloc[0] == ""):
        raise InputError(path, "the file has no data rows", expected="at least one complaint")
    fields = lines.str.count(";") + 1
    wrong = fields != len(COLUMNS)
    if wrong.any():
        position = int(wrong.to_numpy().argmax())
        count = int(fields.iloc[position])
        raise InputError(path, f"the row has {count} fields", row=position + 1,
                         column=COLUMNS[count] if count < len(COLUMNS) else None,
                         expected=f"{len(COLUMNS)} fields separated by ';'",
                         found=lines.iloc[position])
    frame = lines.str.split(";", expand=True)
    frame.columns = list(COLUMNS)
    frame["_file"] = str(path)
    frame["_stem"] = _stem(path)
    frame["_row"] = range(1, len(frame) + 1)
    return frame


def _decode(data: bytes, path: Path, encoding) -> str:
    for candidate in [encoding] if encoding else ["utf-8", "cp1252"]:
        try:
            return data.decode(candidate)
        except UnicodeDecodeError as exc:
            failure = exc
        except LookupError:
            raise InputError(path, f"unknown encoding {encoding!r}",
                             expected="a Python codec name such as utf-8 or cp1252") from None
    raise InputError(path, f"cannot be decoded as {failure.encoding} ({failure.reason} at "
                     f"byte {failure.start})", expected="UTF-8 or cp1252 text") from None


def _check_header(line: str, path: Path) -> None:
    names = [name.strip() for name in line.split(";")]
    if names != list(COLUMNS):
        raise InputError(path, "the header is not the consumidor.gov.br layout",
                         expected="the columns " + "; ".join(COLUMNS), found=line)


def _fail(mask: pd.Series, frame, text, column, message, expected):
    """Raise InputError for the first True of ``mask``, naming its file and data row."""
    position = int(mask.to_numpy().argmax())
    raise InputError(frame["_file"].iloc[position], message,
                     row=int(frame["_row"].iloc[position]), column=column,
                     expected=expected, found=text[column].iloc[position])


def _dates(frame, text, column, *, required) -> pd.Series:
    """``DD/MM/YYYY`` dates at local noon (see the module docstring), NaT where blank."""
    values = text[column]
    missing = values.isna() & required
    if missing.any():
        _fail(missing, frame, text, column, "the date is empty", "a date DD/MM/YYYY")
    dates = pd.to_datetime(values, format="%d/%m/%Y", errors="coerce")
    bad = values.notna() & dates.isna()
    if bad.any():
        _fail(bad, frame, text, column, "the date cannot be read", "a date DD/MM/YYYY")
    return (dates + pd.Timedelta(hours=12)).dt.tz_localize(TIME_ZONE)


def _flag(frame, text, column) -> pd.Series:
    bad = ~text[column].isin(["S", "N"])
    if bad.any():
        _fail(bad, frame, text, column, "unknown value", "S or N")
    return text[column] == "S"


def _integers(frame, text, column) -> pd.Series:
    values = text[column]
    bad = values.notna() & ~values.str.fullmatch(r"\d+")
    if bad.any():
        _fail(bad, frame, text, column, "not a whole number", "a whole number or blank")
    return pd.to_numeric(values).astype("Int64")
