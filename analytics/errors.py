"""Errors a user can cause, and how they are shown.

An :class:`InputError` names the file, the row and the column and says what was expected; the
CLI prints it on one line and exits with status 2, never with a traceback.
"""

from __future__ import annotations


class InputError(Exception):
    """Bad input from a user: a file, parameter or option that cannot be used as given.

    Parameters
    ----------
    source : str
        The file (or option) at fault, as the user named it.
    message : str
        What is wrong, in plain words.
    row : int, optional
        1-based data row (the header is not counted).
    column : str, optional
        Column name at fault.
    expected : str, optional
        What would have been accepted.
    found : object, optional
        The offending value, shortened for display.
    """

    def __init__(self, source, message, *, row=None, column=None, expected=None, found=None):
        self.source = str(source)
        self.message = message
        self.row = row
        self.column = column
        self.expected = expected
        self.found = found
        super().__init__(str(self))

    def __reduce__(self):
        # Raised in a worker process (scale.run_partitioned, Dask), it is pickled back to
        # the caller: by default with its text only, which __init__ cannot take.
        return (_input_error, (self.source, self.message, self.row, self.column,
                               self.expected, self.found))

    def located(self, source, row=None) -> InputError:
        """The same error in ``source`` at ``row`` (e.g. the dataset a temporary copy came
        from, and the row there)."""
        return InputError(source, self.message, row=row, column=self.column,
                          expected=self.expected, found=self.found)

    def __str__(self) -> str:
        where = [self.source]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = f"{', '.join(where)}: {self.message}"
        if self.expected is not None:
            text += f"; expected {self.expected}"
        if self.found is not None:
            shown = str(self.found)
            if len(shown) > 60:
                shown = shown[:57] + "..."
            text += f", found {shown!r}"
        return text


def _input_error(source, message, row, column, expected, found) -> InputError:
    return InputError(source, message, row=row, column=column, expected=expected, found=found)


class DataNotCompleteError(Exception):
    """The data does not yet cover the requested period (a scheduled run should retry later)."""


class ReportLockedError(Exception):
    """Another run holds the lock of the same report (name and period); nothing was done."""


class OperationalError(Exception):
    """The machine, not the input, stopped a run: a folder that cannot be written, a full
    disk, a pause gate that is not a file. The last good report is left as it was."""
