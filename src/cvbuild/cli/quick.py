"""`cvbuild validate FILE…` without typer: the pre-commit hook's command, the one run
most often on a machine where nothing stays resident (a hook leaves no zygote), starts
without the 20 ms of importing typer. zygote.main calls `validate_files` for exactly
that argument shape (file names, no option); everything else, `--help` included, goes
through the typer app, whose `validate` calls the same function: one behaviour."""

from __future__ import annotations

import sys
from pathlib import Path


def validate_files(cv_files: list[Path]) -> int:
    """Validate each file (cv.yaml when none is given), print "FILE: valid (ru, en)" or
    its problems; the exit code."""
    from cvbuild.errors import CvbuildError, told

    code = 0
    for cv_file in cv_files or [Path("cv.yaml")]:
        try:
            languages = _languages(cv_file)
        except (CvbuildError, KeyboardInterrupt) as exc:
            lines, code = told(exc, f" in {cv_file}")
            sys.stderr.write("".join(line + "\n" for line in lines))
            sys.stderr.flush()
            if code != 1:  # interrupted, or a tool missing: stop here
                return code
            continue
        sys.stdout.write(f"{cv_file}: valid ({', '.join(languages)})\n")
        sys.stdout.flush()
    return code


def _languages(cv_file: Path) -> list[str]:
    from cvbuild.cache import known_valid, remember_valid

    languages = known_valid(cv_file)  # the same bytes passed before: no need to parse
    if languages is None:
        from cvbuild.source.load import load_cv

        languages = load_cv(cv_file).languages
        remember_valid(cv_file, languages)
    return languages


def validate_argv(argv: list[str]) -> list[Path] | None:
    """The files of `validate FILE…` when that is all argv says (no option, no `--`);
    None for anything typer must parse."""
    if argv[:1] != ["validate"] or any(a.startswith("-") for a in argv[1:]):
        return None
    return [Path(a) for a in argv[1:]]
