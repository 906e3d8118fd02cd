"""The work of `cvbuild validate FILE…`, the pre-commit hook's command: each file is
checked and its problems or "valid" printed; a file validated before, byte for byte,
is not parsed again (cache.known_valid), so the model is not even imported."""

from __future__ import annotations

import sys
from pathlib import Path


def validate_files(cv_files: list[Path], strict: bool = False, translations: bool = False) -> int:
    """Validate each file (cv.yaml when none is given), print "FILE: valid (ru, en)" or
    its problems; the exit code. Warnings (untranslated text) are printed and pass,
    unless `strict`: then they are errors. `translations` prints the translation report
    of each valid file."""
    from cvbuild.errors import CvbuildError, InputError, Problem, told

    code = 0
    for cv_file in cv_files or [Path("cv.yaml")]:
        try:
            languages, warnings, report = _checked(cv_file, translations)
            if strict and warnings:
                raise InputError([Problem(**{**w, "severity": "error"}) for w in warnings])
        except (CvbuildError, KeyboardInterrupt) as exc:
            lines, code = told(exc, f" in {cv_file}" + (" (--strict)" if strict else ""))
            sys.stderr.write("".join(line + "\n" for line in lines))
            sys.stderr.flush()
            if code != 1:  # interrupted, or a tool missing: stop here
                return code
            continue
        sys.stderr.write("".join(str(Problem(**w)) + "\n" for w in warnings))
        sys.stderr.flush()
        if report is not None:
            sys.stdout.write(report)
        sys.stdout.write(f"{cv_file}: valid ({', '.join(languages)})"
                         + (f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
                            if warnings else "") + "\n")
        sys.stdout.flush()
    return code


def _checked(cv_file: Path, translations: bool) -> tuple[list[str], list[dict], str | None]:
    """The languages, the warnings (as Problem fields) and, when asked, the translation
    report of a valid file; the cache answers for bytes that passed before."""
    from cvbuild.cache import known_valid, remember_valid

    if cv_file.parent.name == "applications":
        return _application_checked(cv_file, translations)
    known = known_valid(cv_file)  # the same bytes passed before: no need to parse
    if known is not None and not translations:
        return known[0], known[1], None
    from dataclasses import asdict

    from cvbuild.source.load import load_cv_positions
    from cvbuild.source.translations import report, warnings

    cv, positions = load_cv_positions(cv_file)
    found = [asdict(w) for w in warnings(cv, str(cv_file), positions)]
    remember_valid(cv_file, cv.languages, found)
    return cv.languages, found, report(cv, str(cv_file), positions) if translations else None


def _application_checked(app_file: Path, translations: bool
                         ) -> tuple[list[str], list[dict], str | None]:
    """An application file (applications/<id>.yaml) checked against the cv.yaml beside
    its folder: its languages and tags must be the CV's; its letter's texts left in
    another language are warnings, as cv.yaml's. (Not remembered as valid: that depends
    on the CV too.)"""
    from dataclasses import asdict

    from cvbuild.source.application import load_application
    from cvbuild.source.load import load_cv
    from cvbuild.source.translations import application_findings, report, warnings

    cv = load_cv(app_file.parent.parent / "cv.yaml")
    app, positions = load_application(app_file, cv)
    found = [asdict(w) for w in warnings(cv, str(app_file), positions,
                                         found=application_findings(app, cv))]
    return (app.langs(cv), found,
            report(cv, str(app_file), positions, app) if translations else None)
