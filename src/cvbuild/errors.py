"""Every exception a user can see. One root, so the CLI catches one type."""

from __future__ import annotations

from dataclasses import dataclass


class CvbuildError(Exception):
    """A problem the user can fix; the CLI prints it and exits with code 1."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One input problem, with where it is and what to do."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class InputError(CvbuildError):
    """cv.yaml could not be read or is not a valid CV. Carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ToolMissing(CvbuildError):
    """A program the build needs (the TeX engine, poppler) is not installed."""


class CompileError(CvbuildError):
    """The TeX engine failed; the message holds the lines of the log that matter."""

    def __init__(self, message: str, log_path: str | None = None):
        self.log_path = log_path
        super().__init__(message if not log_path else f"{message}\nfull log: {log_path}")
