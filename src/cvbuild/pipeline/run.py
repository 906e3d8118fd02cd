"""The pipeline: load → localize → render → compile → atomic write, for one or
many languages (compiled in parallel). The CLI, tests and CI all call `build`."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import tempfile
import time
from dataclasses import replace
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
    where_in_cv,
)
from cvbuild.pipeline.naming import variant_stem
from cvbuild.pipeline.output import Output
from cvbuild.pipeline.publish import publish
from cvbuild.pipeline.replay import record, replay

if TYPE_CHECKING:  # the heavy modules are imported only when something is built

    from cvbuild.engine.compiler import Pool
    from cvbuild.engine.tex import Compiled
    from cvbuild.render.template import SourceMap
    from cvbuild.render.view import CVView
    from cvbuild.source.model import CV, Variant


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
    with stopped_by_signals(own_pool):
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


def _build(cv_path: Path, lang: str, out_dir: Path, *, only, tex_only, pdfa, theme,
           source_date_epoch, use_cache, pool, strict=False, local_themes=True, stem=None,
           ) -> tuple[list[Output], dict[str, str], set[str]]:

    from cvbuild.engine.tex import ENGINE, engine_slots, find_engine
    from cvbuild.engine.twemoji import used_emoji
    from cvbuild.pipeline.photo import photo_resource
    from cvbuild.source import translations
    from cvbuild.source.load import load_cv_positions

    cv, positions = load_cv_positions(cv_path)
    untranslated = translations.warnings(cv, str(cv_path), positions)
    if use_cache:
        cache.remember_valid(cv_path, cv.languages, [dataclasses.asdict(w) for w in untranslated])
    langs = resolve_langs(cv, lang)
    if not tex_only:
        find_engine()  # no engine: one short message before any work
    stem = stem or variant_stem(cv, only, theme)

    today = (_dt.datetime.fromtimestamp(source_date_epoch, _dt.UTC).date()
             if source_date_epoch is not None else None)
    resources = photo_resource(cv.header.photo, cv_path.parent, str(cv_path),
                               positions.of_value(("header", "photo")))
    photo = next(iter(resources), None)

    # Render every language first (quick): a bad theme stops before any compile, and
    # the emoji pictures are cut once for all languages.
    started = time.perf_counter()
    notes: dict[str, list[Problem]] = {
        code: translations.warnings(cv, str(cv_path), positions, code) for code in langs}
    rendered = {
        code: render_one_mapped(cv, code, cv_path.parent, only, theme=theme, today=today,
                                photo=photo, warnings=notes[code], cv_file=str(cv_path), pdfa=pdfa,
                                local_themes=local_themes)
        for code in langs
    }
    render_s = (time.perf_counter() - started) / len(langs)
    documents: dict[str, str] = {}
    # the photo is read from beside cv.yaml: a new photo is a new build
    inputs: set[str] = {str(src) for src in resources.values()}

    def paths(code: str) -> tuple[Path, Path]:
        return out_dir / f"{stem}_{code}.tex", out_dir / f"{stem}_{code}.pdf"

    if tex_only:
        if strict:
            refuse_warnings([notes[code] for code in langs])
        outputs = []
        for code in langs:
            tex_path, pdf_path = paths(code)
            outputs.append(Output(code, pdf_path, tex_path, 0, 0, render_s, notes[code]))
        publish(out_dir, {out.tex.name: rendered[out.lang][0].encode("utf-8") for out in outputs})
        return outputs, documents, inputs

    with tempfile.TemporaryDirectory(prefix="cvbuild-emoji-") as emoji_dir:
        used = set().union(*(used_emoji(tex) for tex, _ in rendered.values()))
        # emoji pictures are cut anew each build (pdfseparate writes new IDs): they are
        # named in the .tex; their source, a TeX Live file, comes with the engine's
        ckeys = {code: cache.compile_key(tex, engine=ENGINE, source_date_epoch=source_date_epoch,
                                         resources=resources)
                 for code, (tex, _) in rendered.items()}
        if pool is not None:  # engines read the preambles while the pictures are cut
            to_compile = [code for code in langs
                          if not use_cache or cache.get_entry("compiles", ckeys[code]) is None]
            for code in to_compile[:engine_slots()]:  # never more engines than cores
                pool.prepare(code, rendered[code][0], source_date_epoch=source_date_epoch)
        pictures = emoji_pictures(used, Path(emoji_dir))
        files = {**resources, **pictures}

        def compile_one(code: str, tex: str, source: SourceMap,
                        ) -> tuple[Compiled, bool, list[str]]:
            """The PDF of one .tex (from the cache, or compiled), whether it came from the
            cache, and the files the engine read; a compile error names its cv.yaml field."""
            try:
                return compile_cached(
                    tex, lang=code, source_date_epoch=source_date_epoch, resources=resources,
                    files=files, use_cache=use_cache, pool=pool, pdf_path=paths(code)[1],
                    log=out_dir / f"{stem}_{code}.log")
            except CompileError as exc:
                spans = source.at_lines(exc.tex_line, exc.tex_line) if exc.tex_line else []
                if spans:
                    line, col = where_in_cv(spans[0].path, positions)
                    where = Problem(str(cv_path), line, col, spans[0].path, "")
                    raise exc.with_source(str(where).rstrip(": ")) from None
                raise

        def one(code: str) -> tuple[Output, bytes, str, str]:
            started = time.perf_counter()
            tex, source = rendered[code]
            tex_path, pdf_path = paths(code)
            compiled, from_cache, used_files = compile_one(code, tex, source)
            fit = cv.options.fit
            step = 0
            # options.fit: the theme's next tighter step (spacing, then font size) until
            # the PDF fits, or the theme has none tighter (its .tex stays the same)
            while fit is not None and compiled.pages > fit:
                step += 1
                tighter = render_one_mapped(cv, code, cv_path.parent, only, theme=theme,
                                            today=today, photo=photo, cv_file=str(cv_path),
                                            pdfa=pdfa, fit_step=step,
                                            local_themes=local_themes)
                if tighter[0] == tex:
                    break
                tex, source = tighter
                compiled, from_cache, used_files = compile_one(code, tex, source)
            documents[code] = tex
            pdf, pages = compiled.pdf, compiled.pages
            inputs.update(p for p in used_files if not p.startswith(emoji_dir))
            warnings = (notes[code] + checked(compiled, source, positions, str(cv_path),
                                              str(tex_path), cv, code)
                        + page_warnings(cv, code, pages, positions, str(cv_path)))
            out = Output(code, pdf_path, tex_path, pages, len(pdf),
                         time.perf_counter() - started + render_s, warnings, cached=from_cache)
            return out, pdf, tex, compiled.log

        # All languages or none: every one is compiled before anything is written, so
        # a failure leaves build/ as it was (no new PDF of one language beside an old
        # one of the other). Each file is replaced by rename: old or new, never broken.
        if len(langs) == 1:
            results = [one(langs[0])]
        else:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=min(len(langs), engine_slots())) as pool_:
                futures = [pool_.submit(one, code) for code in langs]
                results = [f.result() for f in futures]
        if strict:
            refuse_warnings([out.warnings for out, *_ in results])
        # ...and published together (publish.py): a failure or a kill while writing
        # leaves all old files, or (finished by the next build) all new ones
        written: dict[str, bytes] = {}
        for out, pdf, tex, log in results:
            written[out.pdf.name] = pdf
            written[out.tex.name] = tex.encode("utf-8")
            if log:  # a PDF from the cache keeps the log of the compile that made it
                written[out.pdf.with_suffix(".log").name] = log.encode("utf-8")
        publish(out_dir, written)
    return [out for out, *_ in results], documents, inputs


