"""The pipeline: load → localize → render → compile → atomic write, for one or
many languages (compiled in parallel). The CLI, tests and CI all call `build`."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import re
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cvbuild import cache
from cvbuild.engine.fonts import is_invisible
from cvbuild.errors import CompileError, LinesCutOff, MissingCharacters, Problem, StrictWarnings
from cvbuild.pipeline.publish import OutputError, output_error, publish, recover

if TYPE_CHECKING:  # the heavy modules are imported only when something is built
    from collections.abc import Callable, Iterator

    from cvbuild.engine.compiler import Pool
    from cvbuild.engine.tex import Compiled, TexWarning
    from cvbuild.render.template import SourceMap
    from cvbuild.render.view import CVView
    from cvbuild.source.model import CV, Variant
    from cvbuild.source.reader import Positions

# BGN/PCGN-style romanisation for file names: "Сухой Даниил" → "Sukhoy_Daniil".
_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
))


MAX_STEM = 60
MAX_OUTPUT = 20_000_000  # the engine refuses a larger PDF (engine/tex.py)


def ascii_name(text: str) -> str:
    """An ASCII file-name stem for any name: Cyrillic romanised, accents stripped."""
    out = []
    for ch in text:
        low = ch.lower()
        if low in _CYRILLIC:
            rom = _CYRILLIC[low].replace("-", "")
            out.append(rom.capitalize() if ch != low else rom)
        else:
            out.append(unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode())
    stem = re.sub(r"[^A-Za-z0-9]+", "_", "".join(out)).strip("_")
    # a file name has at most 255 bytes: a name typed long must not crash the build
    return stem[:MAX_STEM].rstrip("_") or "CV"


def file_stem(cv: CV) -> str:
    """The output name without language and extension, from the first language's name."""
    return ascii_name(cv.header.name.get(cv.languages[0])) + "_CV"


def variant_stem(cv: CV, only: Variant | None = None, theme: str | None = None) -> str:
    """The output name of a variant: the person's, then `_TAG` for each --only tag and
    `_without_TAG` for each --except tag, then `_THEME` when --theme chose a theme other
    than cv.yaml's, so that no variant overwrites the PDFs of plain `cvbuild pdf`."""
    parts = [file_stem(cv)]
    if only is not None:
        parts += [ascii_name(t) for t in only.only]
        parts += [f"without_{ascii_name(t)}" for t in only.leave_out]
    if theme is not None and theme != cv.theme.name:
        parts.append(ascii_name(theme))
    return "_".join(parts)


@dataclass
class Output:
    lang: str
    pdf: Path
    tex: Path
    pages: int
    size: int
    seconds: float
    warnings: list[Problem] = field(default_factory=list)  # shown by the CLI; nothing stops
    cached: bool = False  # taken from the cache: no engine ran


def write_atomic(path: Path, data: bytes) -> None:
    """Write next to the target, then rename over it: a reader sees the old file or the new.
    A PDF is for sharing: its mode follows the umask, as open() does."""
    try:
        cache.write_atomic(path, data, shared=True)
    except OSError as exc:
        raise output_error(exc, path, "choose another place for it") from None


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


def emoji_warnings(view: CVView, mode: str, cv_file: str = "cv.yaml") -> list[Problem]:
    """What the reader is told about emoji that will not be drawn."""
    from cvbuild.engine.twemoji import twemoji_code

    if not view.emoji:
        return []
    if mode == "remove":
        return [Problem(cv_file, None, None, "options.emoji",
                        f"left out the emoji {' '.join(view.emoji)} "
                        "(options.emoji is `remove`; set it to `draw` to draw them)", "warning")]
    lost = [e for e in view.emoji if twemoji_code(e) is None]
    if lost:
        return [Problem(cv_file, None, None, "",
                        f"left out the emoji {' '.join(lost)}: the TeX package "
                        "twemojis has no picture for them (is texlive-pictures installed?)",
                        "warning")]
    return []


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
    from cvbuild.render.template import render_tex_mapped
    from cvbuild.render.themes import local_theme_note, theme_options

    dirs, options = theme_options(cv.theme, theme, cv_dir, cv_file, local_themes)
    view = localize(cv, lang, only=only, today=today)
    view = replace(view, header=replace(view.header, photo=photo), pdfa=pdfa)
    if warnings is not None:
        note = local_theme_note(dirs, cv_file)
        if note:
            warnings.append(Problem(cv_file, None, None, "theme", note, "note"))
        warnings += emoji_warnings(view, cv.options.emoji, cv_file)
    return render_tex_mapped(view, dirs, {**options, "fit_step": fit_step},
                             emoji=cv.options.emoji)


def _pages(n: int) -> str:
    return f"{n} page{'s' if n != 1 else ''}"


def page_warnings(cv: CV, lang: str, pages: int, positions: Positions,
                  cv_file: str) -> list[Problem]:
    """max_pages and options.fit, said of a PDF of `pages` pages."""
    found = []
    if cv.options.fit is not None and pages > cv.options.fit:
        line, col = _where("options.fit", positions)
        found.append(Problem(
            cv_file, line, col, "options.fit",
            f"the {lang} PDF still has {pages} pages at the tightest spacing and smallest font "
            f"the theme allows: {_pages(pages - cv.options.fit)} too many for fit: "
            f"{cv.options.fit}; shorten it",
            "warning"))
    if pages > cv.max_pages:
        line, col = _where("max_pages", positions)
        found.append(Problem(
            cv_file, line, col, "max_pages",
            f"the {lang} PDF has {pages} pages, {_pages(pages - cv.max_pages)} more than "
            f"max_pages ({cv.max_pages})" + ("" if cv.options.fit is not None else
                                   "; `fit: N` under options: tightens it to N pages"),
            "warning"))
    return found


def _where(path: str, positions: Positions) -> tuple[int | None, int | None]:
    pos = positions.of_name(path)
    return pos if pos else (None, None)


def locate(
    warning: TexWarning, source: SourceMap, positions: Positions, cv_file: str, tex_file: str
) -> list[Problem]:
    """A TeX warning as warnings at the cv.yaml fields it came from, or at the .tex
    line when no field can be named (text the theme wrote itself)."""
    from cvbuild.text.unicode import words

    if warning.kind == "missing_char" and warning.char:
        spans = source.containing(warning.char)
    elif warning.lines:
        spans = source.at_lines(*warning.lines)
        # several fields on one line (a job's title, employer and dates): keep those
        # whose words are in the overflowing line TeX shows
        seen = set(words(warning.snippet))
        narrowed = [s for s in spans if seen & set(words(s.tex))]
        spans = narrowed or spans
    else:
        spans = []
    message = warning.message
    if not spans:
        line = warning.lines[0] if warning.lines else None
        return [Problem(tex_file, line, None, "", message, severity="warning")]
    out, paths = [], []
    for span in spans:
        if span.path not in paths:
            paths.append(span.path)
            line, col = _where(span.path, positions)
            out.append(Problem(cv_file, line, col, span.path, message, severity="warning"))
    return out


def refused_characters(
    compiled, source: SourceMap, positions: Positions, cv_file: str, tex_file: str,
    cv: CV, lang: str,
) -> list[Problem]:
    """The character policy (fonts.py) applied to one compiled language: a visible
    character no installed font has, and a right-to-left letter even when a fallback
    has it, each become an error at the cv.yaml fields that hold it. Invisible format
    characters no font has stay warnings (there is nothing to draw)."""
    from dataclasses import replace

    from cvbuild.engine.fonts import advice, describe, is_rtl
    from cvbuild.engine.tex import TexWarning

    lost = [w for w in compiled.warnings if w.kind == "missing_char" and not is_invisible(w.char)]
    lost += [TexWarning("missing_char", "", char=ch) for ch in compiled.fallbacks if is_rtl(ch)]
    problems = []
    for w in lost:
        message = f"{describe(w.char)}: {advice(w.char)}"
        found = locate(replace(w, message=message), source, positions, cv_file, tex_file)
        if not any(p.path for p in found):
            # not in the source map (a URL or DOI printed as it is): look in every value
            from cvbuild.render.printed import text_values

            paths = [path for path, text in text_values(cv, lang, printed_only=False)
                     if w.char in text]
            found = [Problem(cv_file, *_where(path, positions), path, message)
                     for path in dict.fromkeys(paths)] or found
        problems += [replace(p, severity="error") for p in found]
    return problems


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
    refuses a theme folder beside cv.yaml; None leaves it to CVBUILD_NO_LOCAL_THEMES."""
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
                              strict=strict, local_themes=local_themes)
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
            local_themes=local_themes,
        )
    if pool is not None and documents and cache_ok:
        pool.save_hint(cv_path, lang, only, documents)
    if key:
        record(key, out_dir, outputs, inputs)
    return outputs


def _build(cv_path: Path, lang: str, out_dir: Path, *, only, tex_only, pdfa, theme,
           source_date_epoch, use_cache, pool, strict=False, local_themes=True,
           ) -> tuple[list[Output], dict[str, str], set[str]]:

    from cvbuild.engine.compiler import compile_pdf
    from cvbuild.engine.formats import format_inputs
    from cvbuild.engine.tex import ENGINE, Compiled, engine_slots, find_engine
    from cvbuild.engine.twemoji import used_emoji
    from cvbuild.pipeline.photo import photo_resource
    from cvbuild.render.themes import ignored_options
    from cvbuild.source import translations
    from cvbuild.source.load import load_cv_positions

    cv, positions = load_cv_positions(cv_path)
    untranslated = translations.warnings(cv, str(cv_path), positions)
    if use_cache:
        cache.remember_valid(cv_path, cv.languages, [dataclasses.asdict(w) for w in untranslated])
    langs = resolve_langs(cv, lang)
    if not tex_only:
        find_engine()  # no engine: one short message before any work
    stem = variant_stem(cv, only, theme)

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
    for path, message in ignored_options(cv.theme, theme, cv_path.parent, photo=photo is not None,
                                         local=local_themes):
        line, column = _where(path, positions)
        for code in langs:
            notes[code].append(Problem(str(cv_path), line, column, path, message, "warning"))
    documents: dict[str, str] = {}
    # the photo is read from beside cv.yaml: a new photo is a new build
    inputs: set[str] = {str(src) for src in resources.values()}

    def paths(code: str) -> tuple[Path, Path]:
        return out_dir / f"{stem}_{code}.tex", out_dir / f"{stem}_{code}.pdf"

    if tex_only:
        if strict:
            _refuse_warnings([notes[code] for code in langs])
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
        pictures = _emoji_pictures(used, Path(emoji_dir))
        files = {**resources, **pictures}

        def compile_one(code: str, tex: str, source: SourceMap,
                        ) -> tuple[Compiled, bool, list[str]]:
            """The PDF of one .tex (from the cache, or compiled), whether it came from the
            cache, and the files the engine read."""
            # emoji pictures are cut anew each build (pdfseparate writes new IDs): they are
            # named in the .tex; their source, a TeX Live file, comes with the engine's
            ckey = cache.compile_key(tex, engine=ENGINE, source_date_epoch=source_date_epoch,
                                     resources=resources)
            hit = cache.get_entry("compiles", ckey) if use_cache else None
            pdf = cache.get_blob(hit["pdf"]) if hit else None
            # the page count the running footer prints: the last build's of this PDF is
            # told at once, and a second compile is needed only when the count changed
            pkey = cache.Hasher("pages").add(str(paths(code)[1].resolve())).hexdigest()
            if hit and pdf is not None:
                used_files = list(hit["inputs"])
                compiled = Compiled(pdf, "", hit["pages"],
                                    [_tex_warning(w) for w in hit["warnings"]], used_files,
                                    dict(hit.get("fallbacks", {})))
                cache.put_entry("pages", pkey, {"pages": compiled.pages})
                return compiled, True, used_files
            log = out_dir / f"{stem}_{code}.log"
            told = (cache.get_entry("pages", pkey) or {}).get("pages") if use_cache else None
            try:
                with page_total_file(told if told and told > 1 and PAGES_FILE in tex
                                     else None) as extra:
                    if pool is not None:
                        compiled = pool.compile(code, tex, source_date_epoch=source_date_epoch,
                                                resources={**files, **extra}, keep_log=log)
                    else:
                        compiled = compile_pdf(tex, source_date_epoch=source_date_epoch,
                                               resources={**files, **extra}, keep_log=log)
                    compiled.inputs = [i for i in compiled.inputs
                                       if i not in {str(p) for p in extra.values()}]
            except CompileError as exc:
                spans = source.at_lines(exc.tex_line, exc.tex_line) if exc.tex_line else []
                if spans:
                    line, col = _where(spans[0].path, positions)
                    where = Problem(str(cv_path), line, col, spans[0].path, "")
                    raise exc.with_source(str(where).rstrip(": ")) from None
                raise
            compiled = with_page_total(compiled, tex, lambda extra: compile_pdf(
                tex, source_date_epoch=source_date_epoch, resources={**files, **extra},
                keep_log=log), told=told)
            if use_cache:
                cache.put_entry("pages", pkey, {"pages": compiled.pages})
            used_files = compiled.inputs + format_inputs(tex, find_engine(ENGINE))
            if use_cache:
                cache.put_entry("compiles", ckey, {
                    "pdf": cache.put_blob(compiled.pdf), "pages": compiled.pages,
                    "warnings": [dataclasses.asdict(w) for w in compiled.warnings],
                    "inputs": cache.signatures(used_files),
                    "fallbacks": compiled.fallbacks,
                })
            return compiled, False, used_files

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
            pdf, pages, tex_warnings = compiled.pdf, compiled.pages, compiled.warnings
            inputs.update(p for p in used_files if not p.startswith(emoji_dir))
            refused = refused_characters(compiled, source, positions, str(cv_path),
                                         str(tex_path), cv, code)
            if refused:
                raise MissingCharacters(refused, code)
            cut = [dataclasses.replace(p, severity="error") for w in tex_warnings if w.off_paper
                   for p in locate(w, source, positions, str(cv_path), str(tex_path))]
            if cut:
                raise LinesCutOff(cut)
            warnings = notes[code] + [
                p for w in tex_warnings
                if w.kind != "missing_char" or is_invisible(w.char or "")
                for p in locate(w, source, positions, str(cv_path), str(tex_path))
            ] + page_warnings(cv, code, pages, positions, str(cv_path))
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
            _refuse_warnings([out.warnings for out, *_ in results])
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


PAGES_FILE = "cvbuild-pages.tex"


@contextlib.contextmanager
def page_total_file(pages: int | None) -> Iterator[dict[str, Path]]:
    """{PAGES_FILE: a file telling the page count}, as compile resources, while it is
    used; {} for None."""
    if pages is None:
        yield {}
        return
    with tempfile.TemporaryDirectory(prefix="cvbuild-pages-") as tmp:
        path = Path(tmp) / PAGES_FILE
        path.write_text(f"\\gdef\\cvpagetotal{{{pages}}}\n", encoding="ascii")
        yield {PAGES_FILE: path}


def with_page_total(compiled: Compiled, tex: str,
                    compile_again: Callable[[dict[str, Path]], Compiled],
                    told: int | None = None) -> Compiled:
    """A document of more than one page that reads PAGES_FILE (the base template does)
    is compiled once more with that file telling its page count, which its running
    footer prints ("page 2 of 3"), unless it was `told` that count already. The count
    cannot change: the footer is below the text."""
    if compiled.pages < 2 or PAGES_FILE not in tex or compiled.pages == told:
        return compiled
    with page_total_file(compiled.pages) as extra:
        again = compile_again(extra)
    again.inputs = sorted(set(again.inputs) - {str(p) for p in extra.values()})
    return again


def _refuse_warnings(warnings: list[list[Problem]]) -> None:
    """--strict: every warning is an error, and nothing is written."""
    found: list[Problem] = []
    for problem in (p for per_lang in warnings for p in per_lang if p.severity != "note"):
        problem = dataclasses.replace(problem, severity="error")
        if problem not in found:
            found.append(problem)
    if found:
        raise StrictWarnings(found)


def _emoji_pictures(codes: set[str], folder: Path) -> dict[str, Path]:
    """twemoji.emoji_files, with the pictures kept in the cache: cutting a page out of
    the 7 MB artwork with pdfseparate costs about 0.15 s. Keyed by the artwork file
    (path, size, time) as kpsewhich found it last; it is looked up again when gone."""
    from cvbuild.engine.twemoji import emoji_files, locate

    if not codes:
        return {}
    source = locate("all-twemojis.pdf")
    if source is None:
        return emoji_files(codes, folder)  # reports what is missing
    files, missing, keys = {}, set(), {}
    for code in sorted(codes):
        artwork = cache.Hasher("emoji").add(code, source, cache.file_signature(source))
        keys[code] = artwork.hexdigest()
        entry = cache.get_entry("emoji", keys[code])
        data = cache.get_blob(entry["pdf"]) if entry else None
        if data is None:
            missing.add(code)
            continue
        name = f"emoji-{code}.pdf"
        (folder / name).write_bytes(data)
        files[name] = folder / name
    for name, path in emoji_files(missing, folder).items():
        code = name.removeprefix("emoji-").removesuffix(".pdf")
        cache.put_entry("emoji", keys[code], {"pdf": cache.put_blob(path.read_bytes()),
                                              "inputs": {}})
        files[name] = path
    return files


def _tex_warning(data: dict) -> TexWarning:
    from cvbuild.engine.tex import TexWarning

    for name in ("lines", "fonts"):
        if data.get(name) is not None:
            data[name] = tuple(data[name])
    return TexWarning(**data)


def record(key: str, out_dir: Path, outputs: list[Output], inputs: set[str]) -> None:
    """Remember a finished build under its key: outputs by content, inputs by signature."""
    items: list[dict[str, Any]] = []
    entry = {"outputs": items, "inputs": cache.signatures(inputs)}
    for out in outputs:
        item = {"lang": out.lang, "tex": out.tex.name, "pdf": out.pdf.name, "pages": out.pages,
                "tex_sha": cache.put_blob(out.tex.read_bytes()),
                "warnings": [dataclasses.asdict(w) for w in out.warnings]}
        if out.size:
            item["pdf_sha"] = cache.put_blob(out.pdf.read_bytes())
        items.append(item)
    cache.put_entry("builds", key, entry)


def replay(key: str, out_dir: Path) -> list[Output] | None:
    """The outputs of a build with this key, put in place if they are not there yet;
    None if the cache does not hold them (or any input file changed)."""
    started = time.perf_counter()
    entry = cache.get_entry("builds", key)
    if entry is None:
        return None
    wanted: list[tuple[Path, str]] = []
    for item in entry["outputs"]:
        wanted.append((out_dir / item["tex"], item["tex_sha"]))
        if "pdf_sha" in item:
            wanted.append((out_dir / item["pdf"], item["pdf_sha"]))
    files: dict[str, bytes] = {}
    for path, digest in wanted:
        if _sha_of(path) != digest:
            data = cache.get_blob(digest)
            if data is None:
                return None
            files[path.name] = data
    if files:
        publish(out_dir, files)
    else:  # nothing to write: still no leftovers of a killed build, if the folder lets us
        try:
            recover(out_dir)
        except OutputError:  # a read-only folder that already holds this very build
            pass
    return [
        Output(item["lang"], out_dir / item["pdf"], out_dir / item["tex"], item["pages"],
               (out_dir / item["pdf"]).stat().st_size if "pdf_sha" in item else 0,
               time.perf_counter() - started, [Problem(**w) for w in item["warnings"]],
               cached=True)
        for item in entry["outputs"]
    ]


def _sha_of(path: Path) -> str | None:
    import hashlib

    from cvbuild.paths import read_regular

    try:  # a regular file of at most a PDF's size: a link to /dev/zero is just "other"
        return hashlib.sha256(read_regular(path, 4 * MAX_OUTPUT)).hexdigest()
    except OSError:
        return None
