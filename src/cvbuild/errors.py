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
    # or "warning": printed, but nothing stops (unless --strict); or "note": only said
    severity: str = "error"

    @classmethod
    def at(cls, file: str, pos: tuple[int, int] | None, path: str, message: str,
           severity: str = "error") -> Problem:
        """A problem at a (line, column) found in cv.yaml, or at the file when there is none."""
        line, column = pos if pos else (None, None)
        return cls(file, line, column, path, message, severity)

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.severity != "error":
            where += f": {self.severity}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


def told(exc: CvbuildError | KeyboardInterrupt, outcome: str = "; nothing was built",
         ) -> tuple[list[str], int]:
    """What the user is told of a failure (any other exception is a bug, and keeps its
    traceback), line by line, and the exit code."""
    if isinstance(exc, KeyboardInterrupt):
        return ["error: interrupted"], 130
    if isinstance(exc, InputError):
        n = len(exc.problems)
        return [str(p) for p in exc.problems] + [
            f"{n} problem{'s' if n != 1 else ''} found{outcome}."], 1
    message = str(exc)
    return [f"error: {message}" if "\n" not in message else message], exc.exit_code


class InputError(CvbuildError):
    """cv.yaml could not be read or is not a valid CV. Carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ToolMissing(CvbuildError):
    """A program the build needs (the TeX engine, poppler) is not installed."""


class CompileError(CvbuildError):
    """The TeX engine failed; the message holds the lines of the log that matter:
    the error, the .tex line it points at (and the cv.yaml field written there, when
    known), and where the full log is."""

    def __init__(
        self,
        message: str,
        log_path: str | None = None,
        *,
        tex_line: int | None = None,
        tex_context: str = "",
        source: str | None = None,
        hint: str | None = None,
    ):
        self.message = message
        self.log_path = log_path
        self.tex_line = tex_line
        self.tex_context = tex_context
        self.source = source
        self.hint = hint
        lines = [message]
        if tex_line is not None:
            lines.append(f"  at line {tex_line} of the .tex file: {tex_context}".rstrip(": "))
        if source:
            lines.append(f"  written there from {source}")
        if hint:
            lines.append(f"  {hint}")
        if log_path:
            lines.append(f"  full log: {log_path}")
        super().__init__("\n".join(lines))

    def with_source(self, source: str) -> CompileError:
        """The same error, saying which field of cv.yaml the failing line came from."""
        return CompileError(self.message, self.log_path, tex_line=self.tex_line,
                            tex_context=self.tex_context, source=source, hint=self.hint)


class MissingCharacters(InputError):
    """Characters of the CV no installed font has (or that would print wrong): each a
    Problem at the cv.yaml field that holds it. Nothing is built."""

    def __init__(self, problems: list[Problem], lang: str):
        self.lang = lang
        super().__init__(problems)


class LinesCutOff(InputError):
    """Lines that run past the paper's edge, where their text is cut off: each a Problem
    at the cv.yaml field it came from. Nothing is built."""


class StrictWarnings(InputError):
    """--strict: the warnings of a build (untranslated text, a line in the margin, a
    character no font has, pages over max_pages), each now an error. Nothing is built."""
