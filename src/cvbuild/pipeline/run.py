"""The pipeline: load → localize → render → compile → atomic write, for one or
many languages (compiled in parallel). The CLI, tests and CI all call `build`."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cvbuild import cache
from cvbuild.errors import CompileError, Problem
from cvbuild.pipeline.compile import compile_cached, emoji_pictures
from cvbuild.pipeline.diagnose import (
    checked,
    emoji_warnings,
    page_warnings,
    refuse_warnings,
    source_problem,
)
from cvbuild.pipeline.naming import variant_stem
from cvbuild.pipeline.output import Output
from cvbuild.pipeline.publish import publish
from cvbuild.pipeline.replay import record, replay

if TYPE_CHECKING:  # the heavy modules are imported only when something is built
    from concurrent.futures import Future, ThreadPoolExecutor

    from cvbuild.engine.compiler import Pool
    from cvbuild.engine.tex import Compiled
    from cvbuild.render.template import SourceMap
    from cvbuild.render.view import CVView
    from cvbuild.source.model import CV, Variant
    from cvbuild.source.reader import Positions


def resolve_langs(cv: CV, lang: str) -> list[str]:
    from cvbuild.errors import CvbuildError

    if lang == "all":
        return list(cv.languages)
    langs = [x.strip() for x in lang.split(",") if x.strip()]
    for x in langs:
        if x not in cv.languages:
            raise CvbuildError(
                f"'{x}' is not a language of this CV; it has: {', '.join(cv.languages)}"
            )
    return langs


def render_one_mapped(
    cv: CV, lang: str, cv_dir: Path | None = None, only: Variant | None = None, *,
    theme: str | None = None, today: _dt.date | None = None, photo: str | None = None,
    warnings: list[Problem] | None = None, cv_file: str = "cv.yaml", pdfa: bool = False,
    fit_step: int = 0, local_themes: bool = True,
) -> tuple[str, SourceMap]:
    """The .tex of one language, and which cv.yaml field each part of it came from.

    `theme` overrides cv.yaml's theme name; `photo` is the photo's file name in the
    build folder; emoji that will not be drawn are told of in `warnings`; `fit_step`
    asks the theme for its n-th tighter setting (options.fit)."""
    from cvbuild.render.localize import localize

    return render_view_mapped(cv, localize(cv, lang, only=only, today=today), cv_dir,
                              theme=theme, photo=photo, warnings=warnings, cv_file=cv_file,
                              pdfa=pdfa, fit_step=fit_step, local_themes=local_themes)


def render_view_mapped(
    cv: CV, view: CVView, cv_dir: Path | None = None, *, theme: str | None = None,
    photo: str | None = None, warnings: list[Problem] | None = None,
    cv_file: str = "cv.yaml", pdfa: bool = False, fit_step: int = 0,
    local_themes: bool = True, template: str | None = None,
) -> tuple[str, SourceMap]:
    """A view of the CV (localize's, or a cover letter's) rendered in its theme, as for
    render_one_mapped; `template` is another template of the theme's (a letter's)."""
    from cvbuild.render.template import TEMPLATE, render_tex_mapped
    from cvbuild.render.themes import local_theme_note, theme_options

    dirs, options = theme_options(cv.theme, theme, cv_dir, cv_file, local_themes)
    view = replace(view, header=replace(view.header, photo=photo), pdfa=pdfa)
    if warnings is not None:
        note = local_theme_note(dirs, cv_file)
        if note:
            warnings.append(Problem(cv_file, None, None, "theme", note, "note"))
        warnings += emoji_warnings(view, cv.options.emoji, cv_file)
    return render_tex_mapped(view, dirs, {**options, "fit_step": fit_step},
                             emoji=cv.options.emoji, template=template or TEMPLATE)


def build(
    cv_path: Path | str = "cv.yaml",
    lang: str = "all",
    output_dir: Path | str = "build",
    *,
    only: Variant | None = None,
    tex_only: bool = False,
    source_date_epoch: int | None = None,
    pdfa: bool = False,
    theme: str | None = None,
    use_cache: bool = True,
    pool: Pool | None = None,
    strict: bool = False,
    local_themes: bool | None = None,
    stem: str | None = None,
) -> list[Output]:
    """Build the CV's PDFs (or only the .tex files) for the given languages.

    Every date inside a PDF is `source_date_epoch`; when it is not given, the source
    date of the CV file (SOURCE_DATE_EPOCH, else its last git commit, else its
    modification time: see source_date.py). That date is also the "today" that ends
    the durations of current jobs, so a build can be reproduced (without it, as for
    .tex only, today is today). `theme` overrides cv.yaml's theme name; `pdfa` makes
    PDF/A-2b files. `strict` makes every warning (untranslated text, a line in the
    margin, a character no font has, pages over max_pages, an emoji left out) an error:
    then nothing is written.

    Unchanged inputs are served from the cache (see cache.py) without parsing cv.yaml;
    a language whose .tex did not change is not compiled again. `pool` holds engines
    started ahead of time (`watch`); without one, engines are started from the previous
    build's preambles while cv.yaml is parsed, and all are stopped before this returns
    (see engine/compiler.py). `local_themes` False
    refuses a theme folder beside cv.yaml; None leaves it to CVBUILD_NO_LOCAL_THEMES.
    `stem` names the files instead of `<Name>_CV[_<variant>]` (`cvbuild apply` puts a
    variant in its own folder)."""
    from cvbuild.engine.tex import ENGINE
    from cvbuild.paths import local_themes_refused
    from cvbuild.pipeline.source_date import source_date

    cv_path = Path(cv_path)
    out_dir = Path(output_dir)
    local_themes = not local_themes_refused() if local_themes is None else local_themes
    key = None
    # an unusable cache is one warning, not a stop: no cache, no engines from hints
    cache_ok = cache.usable()
    use_cache = use_cache and cache_ok
    if use_cache:
        key = cache.build_key(cv_path, lang, only=only, tex_only=tex_only, pdfa=pdfa,
                              theme=theme, source_date_epoch=source_date_epoch, engine=ENGINE,
                              strict=strict, local_themes=local_themes, stem=stem)
        replayed = replay(key, out_dir) if key else None
        if replayed is not None:
            return replayed
    if source_date_epoch is None and not tex_only and cv_path.is_file():
        source_date_epoch = source_date(cv_path).epoch
    from cvbuild.engine.compiler import Pool, stopped_by_signals

    own_pool = None
    if pool is None and not tex_only and cache_ok:
        pool = own_pool = Pool()
    from cvbuild.engine.early import asked_early
    from cvbuild.engine.fonts import cyrillic_fonts
    from cvbuild.engine.twemoji import twemoji_pages

    # fontconfig and kpsewhich are asked while cv.yaml is parsed
    with stopped_by_signals(own_pool), asked_early(cyrillic_fonts, twemoji_pages):
        if own_pool is not None:
            own_pool.start_from_hint(cv_path, lang, only, engine=ENGINE,
                                     source_date_epoch=source_date_epoch)
        outputs, documents, inputs = _build(
            cv_path, lang, out_dir, only=only, tex_only=tex_only, pdfa=pdfa, theme=theme,
            source_date_epoch=source_date_epoch, use_cache=use_cache, pool=pool, strict=strict,
            local_themes=local_themes, stem=stem,
        )
    if pool is not None and documents and cache_ok:
        pool.save_hint(cv_path, lang, only, documents)
    if key:
        record(key, out_dir, outputs, inputs)
    return outputs


@dataclass
class _Job:
    """One build: what it was asked, and what each phase leaves for the next."""

    cv_path: Path
    out_dir: Path
    only: Variant | None
    tex_only: bool
    pdfa: bool
    theme: str | None
    source_date_epoch: int | None
    use_cache: bool
    pool: Pool | None
    strict: bool
    local_themes: bool
    stem: str | None
    # set by _load
    cv: CV = field(init=False)
    positions: Positions = field(init=False)
    langs: list[str] = field(init=False)
    today: _dt.date | None = field(init=False)
    resources: dict[str, Path] = field(init=False)
    photo: str | None = field(init=False)
    notes: dict[str, list[Problem]] = field(init=False)
    # set by _render, _compile_language
    rendered: dict[str, tuple[str, SourceMap]] = field(default_factory=dict)
    render_s: dict[str, float] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)
    inputs: set[str] = field(default_factory=set)
    started: set[str] = field(default_factory=set)  # languages an engine reads
    keys: dict[str, str] = field(default_factory=dict)  # .tex → its compile key, once made
    # the emoji pictures: their folder, and the cuts begun while the .tex is rendered
    # (each with the emoji codes it cuts)
    emoji_dir: Path | None = None
    cutter: ThreadPoolExecutor | None = None
    cuts: list[tuple[set[str], Future[dict[str, Path]]]] = field(default_factory=list)

    def paths(self, code: str) -> tuple[Path, Path]:
        return self.out_dir / f"{self.stem}_{code}.tex", self.out_dir / f"{self.stem}_{code}.pdf"

    def localize(self, code: str) -> CVView:
        from cvbuild.render.localize import localize

        return localize(self.cv, code, only=self.only, today=self.today)

    def render(self, code: str, fit_step: int = 0, warnings: list[Problem] | None = None,
               view: CVView | None = None) -> tuple[str, SourceMap]:
        return render_view_mapped(
            self.cv, view or self.localize(code), self.cv_path.parent, theme=self.theme,
            photo=self.photo, warnings=warnings, cv_file=str(self.cv_path), pdfa=self.pdfa,
            fit_step=fit_step, local_themes=self.local_themes)


def _build(cv_path: Path, lang: str, out_dir: Path, *, only, tex_only, pdfa, theme,
           source_date_epoch, use_cache, pool, strict=False, local_themes=True, stem=None,
           ) -> tuple[list[Output], dict[str, str], set[str]]:
    """The phases of a build that the cache did not answer."""
    job = _Job(cv_path, out_dir, only, tex_only, pdfa, theme, source_date_epoch, use_cache,
               pool, strict, local_themes, stem)
    _load(job, lang)
    _note_ignored_options(job)
    if tex_only:
        for code in job.langs:
            _render(job, code)
        return _publish_tex(job), job.documents, job.inputs
    from concurrent.futures import ThreadPoolExecutor

    from cvbuild.engine.tex import engine_slots

    # All languages or none: every one is compiled (in parallel, no more engines than
    # cores) before anything is written, so a failure leaves build/ as it was. Each is
    # compiled from the moment it is rendered: its engine gets the body while the next
    # language is rendered.
    with tempfile.TemporaryDirectory(prefix="cvbuild-emoji-") as emoji_dir, \
            ThreadPoolExecutor(max_workers=1) as cutter, \
            ThreadPoolExecutor(max_workers=min(len(job.langs), engine_slots())) as compiles:
        job.emoji_dir, job.cutter = Path(emoji_dir), cutter
        futures = []
        for code in job.langs:
            _render(job, code)
            futures.append(compiles.submit(_compile_language, job, code, emoji_dir))
        results = [f.result() for f in futures]
    if strict:
        refuse_warnings([out.warnings for out, *_ in results])
    _publish(job, results)
    return [out for out, *_ in results], job.documents, job.inputs


def _load(job: _Job, lang: str) -> None:
    """cv.yaml → the model, with the languages to build, the file names, the photo and
    the warnings known before anything is rendered (untranslated text)."""
    from cvbuild.engine.tex import find_engine
    from cvbuild.pipeline.photo import photo_resource
    from cvbuild.source import translations
    from cvbuild.source.load import load_cv_positions

    cv, positions = load_cv_positions(job.cv_path)
    job.cv, job.positions = cv, positions
    found = translations.findings(cv)
    untranslated = translations.warnings(cv, str(job.cv_path), positions, found=found)
    if job.use_cache:
        cache.remember_valid(job.cv_path, cv.languages,
                             [dataclasses.asdict(w) for w in untranslated])
    job.langs = resolve_langs(cv, lang)
    if not job.tex_only:
        find_engine()  # no engine: one short message before any work
    job.stem = job.stem or variant_stem(cv, job.only, job.theme)
    job.today = (_dt.datetime.fromtimestamp(job.source_date_epoch, _dt.UTC).date()
                 if job.source_date_epoch is not None else None)
    job.resources = photo_resource(cv.header.photo, job.cv_path.parent, str(job.cv_path),
                                   positions.of_value(("header", "photo")))
    job.photo = next(iter(job.resources), None)
    # the photo is read from beside cv.yaml: a new photo is a new build
    job.inputs = {str(src) for src in job.resources.values()}
    job.notes = {code: translations.warnings(cv, str(job.cv_path), positions, code, found)
                 for code in job.langs}


def _render(job: _Job, code: str) -> None:
    """One language's .tex, its emoji pictures begun (in a thread: pdfseparate, where it
    cuts them, runs on a core the rendering leaves free) and its engine started on its
    preamble."""
    started = time.perf_counter()
    view = job.localize(code)
    _cut_soon(job, view)
    job.rendered[code] = job.render(code, warnings=job.notes[code], view=view)
    job.render_s[code] = time.perf_counter() - started
    _start_engine(job, code)


def _note_ignored_options(job: _Job) -> None:
    """A warning for each option the theme does not honour (a photo given to a theme
    that shows none)."""
    from cvbuild.render.themes import ignored_options

    for path, message in ignored_options(job.cv.theme, job.theme, job.cv_path.parent,
                                         photo=job.photo is not None, local=job.local_themes):
        for code in job.langs:
            job.notes[code].append(Problem.at(str(job.cv_path), job.positions.of_name(path),
                                              path, message, "warning"))


def _publish_tex(job: _Job) -> list[Output]:
    if job.strict:
        refuse_warnings([job.notes[code] for code in job.langs])
    outputs = []
    for code in job.langs:
        tex_path, pdf_path = job.paths(code)
        outputs.append(Output(code, pdf_path, tex_path, 0, 0, job.render_s[code],
                              job.notes[code]))
    publish(job.out_dir,
            {out.tex.name: job.rendered[out.lang][0].encode("utf-8") for out in outputs})
    return outputs


def _start_engine(job: _Job, code: str) -> None:
    """An engine of the pool reads this language's preamble now, unless its PDF is in
    the cache or every core has one already."""
    from cvbuild.engine.tex import ENGINE, engine_slots

    if job.pool is None or job.tex_only or len(job.started) >= engine_slots():
        return
    tex = job.rendered[code][0]
    if job.use_cache:
        key = job.keys[tex] = cache.compile_key(
            tex, engine=ENGINE, source_date_epoch=job.source_date_epoch,
            resources=job.resources)
        if cache.get_entry("compiles", key) is not None:
            return
    job.pool.prepare(code, tex, source_date_epoch=job.source_date_epoch)
    job.started.add(code)


def _cut_soon(job: _Job, view: CVView) -> None:
    """Begin cutting the pictures of the view's emoji, in the background."""
    from cvbuild.engine.twemoji import twemoji_code

    if job.cutter is None or job.emoji_dir is None or job.cv.options.emoji != "draw":
        return
    begun: set[str] = set().union(*(codes for codes, _ in job.cuts))
    codes = {code for e in view.emoji if (code := twemoji_code(e))} - begun
    if codes:
        job.cuts.append((codes, job.cutter.submit(emoji_pictures, codes, job.emoji_dir)))


def _files(job: _Job, code: str) -> dict[str, Path]:
    """The files a language's compile needs beside it: the photo, and the pictures of
    the emoji it draws (begun by _cut_soon, any other cut now). Emoji pictures are not in
    the compile key (pdfseparate writes new IDs each cut): they are named in the .tex;
    their source, a TeX Live file, comes with the engine's."""
    from cvbuild.engine.twemoji import used_emoji

    assert job.emoji_dir is not None
    used = used_emoji(job.rendered[code][0])
    pictures: dict[str, Path] = {}
    begun: set[str] = set()
    for codes, cut in list(job.cuts):
        begun |= codes
        if codes & used:
            pictures.update(cut.result())
    pictures.update(emoji_pictures(used - begun, job.emoji_dir))
    return {**job.resources, **{name: path for name, path in pictures.items()
                                if name.removeprefix("emoji-").removesuffix(".pdf") in used}}


def _compile(job: _Job, code: str, tex: str, source: SourceMap, files: dict[str, Path],
             ) -> tuple[Compiled, bool, list[str]]:
    """The PDF of one .tex (from the cache, or compiled), whether it came from the
    cache, and the files the engine read; a compile error names its cv.yaml field."""
    try:
        return compile_cached(
            tex, lang=code, source_date_epoch=job.source_date_epoch, resources=job.resources,
            key=job.keys.get(tex), files=files, use_cache=job.use_cache, pool=job.pool, pdf_path=job.paths(code)[1],
            log=job.out_dir / f"{job.stem}_{code}.log")
    except CompileError as exc:
        where = source_problem(exc, source, job.positions, str(job.cv_path))
        if where is not None:
            raise exc.with_source(str(where).rstrip(": ")) from None
        raise


def _compile_language(job: _Job, code: str, emoji_dir: str) -> tuple[Output, bytes, str, str]:
    """One language compiled (tightened as options.fit asks) and its warnings told at
    their cv.yaml fields: (its Output, the PDF, the .tex, the log)."""
    started = time.perf_counter()
    files = _files(job, code)
    tex, source = job.rendered[code]
    tex_path, pdf_path = job.paths(code)
    compiled, from_cache, used_files = _compile(job, code, tex, source, files)
    fit, step = job.cv.options.fit, 0
    # options.fit: the theme's next tighter step (spacing, then font size) until the PDF
    # fits, or the theme has none tighter (its .tex stays the same)
    while fit is not None and compiled.pages > fit:
        step += 1
        tighter = job.render(code, fit_step=step)
        if tighter[0] == tex:
            break
        tex, source = tighter
        compiled, from_cache, used_files = _compile(job, code, tex, source, files)
    job.documents[code] = tex
    job.inputs.update(p for p in used_files if not p.startswith(emoji_dir))
    cv_file = str(job.cv_path)
    warnings = (job.notes[code]
                + checked(compiled, source, job.positions, cv_file, str(tex_path), job.cv, code)
                + page_warnings(job.cv, code, compiled.pages, job.positions, cv_file))
    out = Output(code, pdf_path, tex_path, compiled.pages, len(compiled.pdf),
                 time.perf_counter() - started + job.render_s[code], warnings,
                 cached=from_cache)
    return out, compiled.pdf, tex, compiled.log


def _publish(job: _Job, results: list[tuple[Output, bytes, str, str]]) -> None:
    """Every file of the build published together (publish.py): a failure or a kill
    while writing leaves all old files, or (finished by the next build) all new ones."""
    written: dict[str, bytes] = {}
    for out, pdf, tex, log in results:
        written[out.pdf.name] = pdf
        written[out.tex.name] = tex.encode("utf-8")
        if log:  # a PDF from the cache keeps the log of the compile that made it
            written[out.pdf.with_suffix(".log").name] = log.encode("utf-8")
    publish(job.out_dir, written)


