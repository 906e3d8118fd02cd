"""The `cvbuild` command: parse options, call the library, print. Heavy modules
are imported inside the commands so that `--help` starts fast."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

app = typer.Typer(
    help="Build a bilingual résumé: one cv.yaml in, one typeset PDF per language out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    epilog="""\b
Examples:
  cvbuild pdf                     every language of ./cv.yaml into build/
  cvbuild pdf --lang en           only the English PDF
  cvbuild pdf my.yaml -o out      another file, another folder
  cvbuild validate                check cv.yaml, build nothing
  cvbuild apply applications/x.yaml
                                  a cover letter and the tailored CV for one job""",
)

CV_FILE = typer.Argument(Path("cv.yaml"), help="The CV file.", show_default=True, metavar="CV_FILE")
LANG = typer.Option(
    "all", "--lang", "-l", metavar="LANG",
    help="A language of the CV (ru, en…), several joined by commas, or 'all'.",
)
OUT_DIR = typer.Option(
    Path("build"), "--output-dir", "-o", metavar="DIR", help="Where the PDFs and .tex files go."
)
ONLY = typer.Option(
    None, "--only", metavar="TAG",
    help="Build a variant: keep untagged items and those tagged TAG (repeat for several tags).",
)
EXCEPT = typer.Option(
    None, "--except", metavar="TAG",
    help="Build a variant without the items tagged TAG (repeat for several tags).",
)
THEME = typer.Option(None, "--theme", "-t", help="Use this theme instead of cv.yaml's (see `cvbuild themes`).", metavar="NAME")
NO_LOCAL_THEMES = typer.Option(
    False, "--no-local-themes",
    help="Refuse a theme folder beside cv.yaml (themes/NAME): for CI on pull requests. "
    "CVBUILD_NO_LOCAL_THEMES=1 does the same.",
)
STRICT = typer.Option(
    False, "--strict",
    help="Every warning is an error (untranslated text, a line in the margin, a missing "
    "glyph, pages over max_pages): for CI.",
)


def _variant(only: list[str] | None, except_: list[str] | None):
    """The variant that --only and --except ask for (None: the whole CV). Without either,
    the models are not imported: a build the cache answers never needs them (0.15 s)."""
    if not only and not except_:
        return None
    from cvbuild.source.model import Variant

    return Variant.of(only, except_)


@contextmanager
def _guard(outcome: str = "; nothing was built") -> Iterator[None]:
    """Turn every user-facing error into a message and exit code 1: no tracebacks."""
    from cvbuild.errors import CvbuildError, told

    try:
        yield
    except (CvbuildError, KeyboardInterrupt) as exc:
        lines, code = told(exc, outcome)
        for line in lines:
            typer.echo(line, err=True)
        raise typer.Exit(code) from None


@contextmanager
def _spinner(text: str) -> Iterator[None]:
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(text):
        yield


def _summary(outputs) -> None:
    langs_of: dict[str, list[str]] = {}  # one warning once, naming the PDFs it is in
    for out in outputs:
        for warning in out.warnings:
            langs_of.setdefault(str(warning), []).append(out.lang)
    for text, langs in langs_of.items():
        typer.echo(f"{text} ({' and '.join(langs)} PDF{'s' if len(langs) > 1 else ''})", err=True)
    for out in outputs:
        if out.size:
            pages = f"{out.pages} page{'s' if out.pages != 1 else ''}"
            typer.echo(f"{out.pdf}  {pages}, {out.size / 1024:.0f} KiB, {out.seconds:.2f} s")
        else:
            typer.echo(f"{out.tex}")


@app.command()
def pdf(
    cv_file: Path = CV_FILE,
    lang: str = LANG,
    output_dir: Path = OUT_DIR,
    only: list[str] | None = ONLY,
    except_: list[str] | None = EXCEPT,
    theme: str | None = THEME,
    pdfa: bool = typer.Option(False, "--pdfa", help="Make PDF/A-2b files (archival; XMP metadata, sRGB output intent)."),
    no_local_themes: bool = NO_LOCAL_THEMES,
    strict: bool = STRICT,
) -> None:
    """Build the PDFs, one per language, compiled in parallel.

    Prints one line per PDF: its path, pages, size and seconds taken. On bad input
    (with --strict, on any warning) nothing is written and the PDFs already in the
    folder stay as they were."""
    from cvbuild.pipeline.run import build

    with _guard(" (--strict); nothing was built" if strict else "; nothing was built"), \
            _spinner("Typesetting…"):
        outputs = build(cv_file, lang, output_dir, only=_variant(only, except_), theme=theme, pdfa=pdfa,
                        strict=strict, local_themes=False if no_local_themes else None)
    _summary(outputs)


@app.command()
def apply(
    application: Path = typer.Argument(..., help="The application file, e.g. applications/yandex.yaml.", metavar="APPLICATION"),
    cv: Path = typer.Option(Path("cv.yaml"), "--cv", help="The CV to apply with."),
    output_dir: Path = typer.Option(Path("build"), "--output-dir", "-o", metavar="DIR", help="The PDFs go to DIR/<application's name>/."),
    merge: bool = typer.Option(False, "--merge", help="Also write one PDF per language: the letter, then the CV."),
    theme: str | None = THEME,
    strict: bool = STRICT,
) -> None:
    """Build a cover letter and the tailored CV for one job.

    One of each per language of the application, into DIR/<its name>/. The application
    file names the company, the position, the CV's tags to keep (`only`), the languages
    and the letter's text; see the README's "Applying for a job". Prints one line per
    PDF; on bad input nothing is written."""
    from cvbuild.pipeline.apply import apply as apply_

    with _guard(" (--strict); nothing was built" if strict else "; nothing was built"), \
            _spinner("Typesetting…"):
        applied = apply_(application, cv, output_dir, merge=merge, theme=theme, strict=strict)
    _summary(applied.outputs)
    for path in applied.merged:
        typer.echo(f"{path}")


@app.command()
def check(
    pdfs: list[Path] = typer.Argument(None, help="PDFs to check; none: the CV's PDFs in the output folder (built if needed).", show_default=False),
    cv: Path = typer.Option(Path("cv.yaml"), "--cv", help="The CV the PDFs were built from."),
    lang: str | None = typer.Option(
        None, "--lang", "-l", metavar="LANG",
        help="Without PDFs named: which of the CV's PDFs (ru, en…, several joined by commas). "
        "With PDFs named: their language, if their names do not end in _LANG.pdf.",
    ),
    output_dir: Path = OUT_DIR,
    only: list[str] | None = ONLY,
    except_: list[str] | None = EXCEPT,
    theme: str | None = THEME,
    application: Path | None = typer.Option(None, "--application", "-a", help="Check this application's cover letters and CVs (none given: those in DIR/<its name>/).", metavar="FILE"),
) -> None:
    """Read PDFs back as an applicant tracking system would.

    Reports every text value of the CV in reading order, fonts, page count, size, links
    and metadata; exits 1 with one line per problem. A variant's PDF (--only, --except)
    is checked against what that variant keeps; without those options, a PDF's name
    tells its variant. With --application FILE, the application's cover letters too
    (their text, and the Title "Name — Cover letter — Company") and its CVs.
    """
    from cvbuild.verify.check import application_pdfs, check_files, default_pdfs

    variant = _variant(only, except_)
    with _guard():
        if pdfs:
            reports = check_files(pdfs, cv, lang, variant, application, theme)
        elif application is not None:
            reports = check_files(application_pdfs(cv, output_dir, application), cv,
                                  app_path=application, theme=theme)
        else:
            reports = check_files(default_pdfs(cv, output_dir, lang or "all", variant, theme), cv,
                                  only=variant, theme=theme)
    for report in reports:
        typer.echo(str(report))
    if not all(r.ok for r in reports):
        raise typer.Exit(1)


@app.command()
def tex(
    cv_file: Path = CV_FILE,
    lang: str = LANG,
    output_dir: Path = OUT_DIR,
    only: list[str] | None = ONLY,
    except_: list[str] | None = EXCEPT,
    theme: str | None = THEME,
    no_local_themes: bool = NO_LOCAL_THEMES,
) -> None:
    """Write only the .tex files, one per language (no TeX needed)."""
    from cvbuild.pipeline.run import build

    with _guard():
        outputs = build(cv_file, lang, output_dir, only=_variant(only, except_), theme=theme, tex_only=True,
                        local_themes=False if no_local_themes else None)
    _summary(outputs)


@app.command()
def watch(
    cv_file: Path = CV_FILE,
    lang: str = LANG,
    output_dir: Path = OUT_DIR,
    only: list[str] | None = ONLY,
    except_: list[str] | None = EXCEPT,
) -> None:
    """Rebuild the changed PDFs on every save of the CV file.

    One status line per save; an error in the file is shown and the last good PDFs stay.
    Ctrl-C stops."""
    from cvbuild.pipeline.watch import watch as watch_cv

    with _guard():
        watch_cv(cv_file, lang, output_dir, only=_variant(only, except_), echo=lambda line: typer.echo(line))


@app.command()
def validate(
    cv_files: list[Path] = typer.Argument(
        None, help="The CV files to check (cv.yaml when none is given).", show_default=False
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Warnings (untranslated text, TODO markers) are errors: for CI."),
    translations: bool = typer.Option(
        False, "--translations",
        help="Also list, per language, the texts that are shared, copied from another "
        "language, untranslated or marked TODO, with their positions."),
) -> None:
    """Check CV files and print every problem; build nothing.

    Every text must be given in each declared language; unknown keys, bad dates and
    bad contacts are reported with file:line:column. Text that reads as another
    language's (Cyrillic in the English PDF), copied from another language or marked
    TODO is a warning. Fast enough for a pre-commit hook."""
    from cvbuild.cli.quick import validate_files

    code = validate_files(cv_files or [], strict=strict, translations=translations)
    if code:
        raise typer.Exit(code)


@app.command()
def schema(
    application: bool = typer.Option(False, "--application", help="The schema of application files instead (application.schema.json)."),
    markdown: bool = typer.Option(
        False, "--markdown", help="Print the field reference (docs/cv-yaml.md) instead."
    ),
) -> None:
    """Print the JSON Schema of cv.yaml, for editors.

    Editors that read it complete keys and check values as you type; cv.yaml's first
    line points them at schema.json (write it with: cvbuild schema > schema.json).
    With --markdown, the same keys as a reference to read: every key's type, default,
    description and example (cvbuild schema --markdown > docs/cv-yaml.md)."""
    from cvbuild.source.application import Application
    from cvbuild.source.model import CV

    if markdown:
        from cvbuild.source.reference import reference_markdown

        typer.echo(reference_markdown(), nl=False)
        return
    from cvbuild.source.schema import schema_text

    typer.echo(schema_text(Application if application else CV), nl=False)


@app.command()
def doctor() -> None:
    """Check TeX, fonts and poppler; say how to install what is missing.

    Exit code 1 when something the build needs is missing."""
    from cvbuild.verify.doctor import report, run_checks

    checks = run_checks()
    typer.echo(report(checks))
    if any(c.ok is False for c in checks):
        raise typer.Exit(1)


@app.command()
def init(
    path: Path = typer.Argument(
        Path("cv.yaml"), help="Where to write the CV (a file or a folder)."
    ),
    name: str | None = typer.Option(None, "--name", help="Your name, as it should be printed."),
    langs: str = typer.Option("ru,en", "--langs", help="Language codes, joined by commas."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file."),
) -> None:
    """Write a commented starter cv.yaml that builds as it is.

    It shows every kind of entry; schema.json is written beside it for editors.
    An existing file is kept unless --force is given."""
    from cvbuild.interop.starter import parse_langs, write_starter

    with _guard():
        written = write_starter(path, parse_langs(langs), name, force)
    for file in written:
        typer.echo(f"wrote {file}")
    typer.echo(f"next: edit {written[0]}, then `cvbuild pdf {written[0]}`")


@app.command("import")
def import_(
    json_file: Path = typer.Argument(..., help="A JSON Resume file (resume.json)."),
    output: Path = typer.Option(Path("cv.yaml"), "--output", "-o", help="The cv.yaml to write."),
    lang: str = typer.Option("en", "--lang", "-l", help="The language the JSON Resume is written in."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """Turn a JSON Resume into a cv.yaml; list what did not fit.

    Whatever could not be carried over is printed as a warning with its JSON path."""
    from cvbuild.interop.jsonresume import import_file

    with _guard():
        notes, written = import_file(json_file, output, lang, force=force)
    for note in notes:
        typer.echo(f"warning: {note}", err=True)
    typer.echo(f"{output}: written ({lang}); {len(notes)} value(s) left out, listed above")
    for file in written[1:]:
        typer.echo(f"wrote {file} (for editors: it completes and checks cv.yaml's keys)")


@app.command()
def export(
    cv_file: Path = CV_FILE,
    fmt: str = typer.Option(..., "--format", "-f", help="jsonresume, markdown or text."),
    lang: str | None = typer.Option(None, "--lang", "-l", help="The language to export (one)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    only: list[str] | None = ONLY,
    except_: list[str] | None = EXCEPT,
    application: Path | None = typer.Option(None, "--application", "-a", help="Export this application's cover letter instead (text or markdown).", metavar="FILE"),
) -> None:
    """Write one language as JSON Resume, markdown or plain text.

    JSON Resume output is validated against the official schema before it is written.
    With --application, the cover letter as a web form's text box takes it."""
    from cvbuild.interop.export import export_any

    with _guard():
        text, notes = export_any(cv_file, fmt, lang, only=_variant(only, except_), output=output,
                                 application=application)
    for note in notes:
        typer.echo(f"warning: {note}", err=True)
    if output is None:
        sys.stdout.write(text)


@app.command()
def themes(cv_file: Path = CV_FILE) -> None:
    """List the themes, one per line: name, then what it looks like."""
    from cvbuild.render.themes import list_themes

    with _guard():
        for info in list_themes(cv_file.parent):
            where = "  (themes/ beside cv.yaml)" if info.custom else ""
            typer.echo(f"{info.name}\t{info.description}{where}")


@app.command()
def gallery(
    cv_file: Path = typer.Argument(Path("docs/gallery/cv.yaml"), help="The CV to show.", metavar="CV_FILE"),
    output_dir: Path = typer.Option(Path("docs/gallery"), "--output-dir", "-o", metavar="DIR", help="Where the pictures go."),
    theme: list[str] = typer.Option(None, "--theme", "-t", metavar="NAME", help="Only this theme (may be given again); default: every built-in one."),
) -> None:
    """Page one of the CV in every theme and language, as PNG pictures.

    Writes DIR/<theme>_<lang>.png and DIR/gallery.json (what each picture was made
    from: a test of the repository fails when a theme changes after its pictures)."""
    from cvbuild.pipeline.gallery import make_gallery

    with _guard(), _spinner("Typesetting every theme…"):
        written = make_gallery(cv_file, output_dir, theme or None)
    for path in written:
        typer.echo(str(path))


theme_app = typer.Typer(help="Work with a theme's files.", no_args_is_help=True)
app.add_typer(theme_app, name="theme")


@theme_app.command("copy")
def theme_copy(
    name: str = typer.Argument(..., help="A built-in theme (see `cvbuild themes`)."),
    cv_file: Path = CV_FILE,
) -> None:
    """Copy a built-in theme to themes/NAME beside cv.yaml, where it overrides the built-in."""
    from cvbuild.render.themes import copy_theme

    with _guard():
        target = copy_theme(name, cv_file.parent)
    typer.echo(f"{target}: edit cv.tex.j2 there; it is used instead of the built-in '{name}'")


def main() -> None:
    # Building the models and templates makes objects by the hundred thousand, and at
    # Python's default threshold (700) the cyclic collector ran 130 times a build for
    # next to nothing (13% of its Python time); every 100,000 keeps memory bounded for
    # `watch` and commands that build many PDFs.
    gc.set_threshold(100_000, 10, 10)
    try:
        app()
    finally:
        # Python's exit runs the collector over every object once more (50 ms of CPU
        # after a build); what is left is freed by the exit itself
        gc.freeze()


if __name__ == "__main__":
    main()
