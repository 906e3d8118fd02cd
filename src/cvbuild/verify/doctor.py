"""`cvbuild doctor`: is everything the build needs on this machine, and if not, the
exact command that installs the missing piece on each common system.

Each check is a small function returning a Check; `run_checks` runs them in order
(a later check is skipped when what it needs is missing), `report` words them.
Nothing here changes the machine."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field

from cvbuild.engine.tex import ENGINE

FONTS = ("PT Serif", "PT Sans", "DejaVu Sans Mono")  # the themes', all with Cyrillic
LATEX_PACKAGES = ("fontspec.sty", "polyglossia.sty", "geometry.sty", "xcolor.sty",
                  "enumitem.sty", "hyperref.sty")
POPPLER = ("pdftotext", "pdffonts", "pdfinfo")

WHAT = {
    "tex": "TeX Live with XeLaTeX and the LaTeX packages",
    "fonts": "the PT fonts and DejaVu Sans Mono",
    "poppler": "Poppler's tools",
}

# What installs each piece, per system. Debian's names are the ones ./run.sh installs.
INSTALL: dict[str, dict[str, str]] = {
    "tex": {
        "Debian/Ubuntu": "sudo apt-get install texlive-xetex texlive-latex-recommended "
                         "texlive-latex-extra texlive-lang-cyrillic "
                         "texlive-fonts-recommended lmodern",
        "Fedora": "sudo dnf install texlive-collection-xetex texlive-collection-latexrecommended "
                  "texlive-collection-latexextra texlive-collection-langcyrillic",
        "Arch": "sudo pacman -S texlive-xetex texlive-latexrecommended texlive-latexextra "
                "texlive-langcyrillic texlive-fontsrecommended",
        "macOS": "brew install --cask mactex-no-gui   (or the smaller: brew install --cask "
                 "basictex, then: sudo tlmgr update --self && sudo tlmgr install "
                 "collection-xetex fontspec polyglossia hyphen-russian enumitem geometry "
                 "xcolor hyperref etoolbox makecmds xkeyval)",
        "Windows": "winget install MiKTeX.MiKTeX   (it fetches missing LaTeX packages on first "
                   "use), or TeX Live: install-tl-windows.exe from tug.org/texlive",
    },
    "fonts": {
        "Debian/Ubuntu": "sudo apt-get install fonts-paratype fonts-dejavu-core",
        "Fedora": "sudo dnf install paratype-pt-serif-fonts paratype-pt-sans-fonts "
                  "dejavu-sans-mono-fonts",
        "Arch": "sudo pacman -S ttf-dejavu, and yay -S ttf-paratype   (from the AUR, with "
                "any AUR helper)",
        "macOS": "brew install --cask font-pt-serif font-pt-sans font-dejavu",
        "Windows": "download PT Serif and PT Sans from fonts.google.com and the DejaVu "
                   "fonts (DejaVu Sans Mono), then right-click each .ttf and choose "
                   "'Install for all users'",
    },
    "poppler": {
        "Debian/Ubuntu": "sudo apt-get install poppler-utils",
        "Fedora": "sudo dnf install poppler-utils",
        "Arch": "sudo pacman -S poppler",
        "macOS": "brew install poppler",
        "Windows": "conda install -c conda-forge poppler   (or: scoop install poppler)",
    },
}


@dataclass(frozen=True)
class Check:
    """One thing the build needs: found or not, what was seen, how to install it."""

    name: str
    ok: bool | None  # None: not checked (what it needs is missing)
    detail: str
    fix: str | None = None  # a key of INSTALL
    needed_for: str = ""


@dataclass
class Which:
    """Program lookup and running, in one place so a test can point it at another PATH."""

    path: str | None = None  # None: the process's PATH
    timeout: float = 30
    found: dict[str, str | None] = field(default_factory=dict)

    def __call__(self, program: str) -> str | None:
        if program not in self.found:
            self.found[program] = shutil.which(program, path=self.path)
        return self.found[program]

    def output(self, program: str, *args: str) -> str | None:
        exe = self(program)
        if exe is None:
            return None
        try:
            proc = subprocess.run([exe, *args], capture_output=True, timeout=self.timeout,
                                  stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return (proc.stdout + proc.stderr).decode("utf-8", "replace")


def check_engine(which: Which) -> Check:
    out = which.output(ENGINE, "--version")
    if out is None:
        return Check(f"TeX engine ({ENGINE})", False, "not found on PATH", "tex", "cvbuild pdf")
    return Check(f"TeX engine ({ENGINE})", True, out.splitlines()[0].strip() if out else "found")


def check_packages(which: Which) -> Check:
    name = "LaTeX packages of the classic theme"
    if which("kpsewhich") is None:
        return Check(name, None, "not checked: kpsewhich (part of TeX) not found", "tex")
    out = which.output("kpsewhich", *LATEX_PACKAGES) or ""
    found = {line.rsplit("/", 1)[-1] for line in out.splitlines()}
    missing = [p.removesuffix(".sty") for p in LATEX_PACKAGES if p not in found]
    if missing:
        return Check(name, False, "missing: " + ", ".join(missing), "tex", "cvbuild pdf")
    return Check(name, True, ", ".join(p.removesuffix(".sty") for p in LATEX_PACKAGES))


def check_fonts(which: Which) -> Check:
    name = "Fonts with Cyrillic (" + ", ".join(FONTS) + ")"
    out = which.output("fc-list", ":lang=ru", "family")
    if out is None:
        # macOS's TeX finds fonts without fontconfig; the test document below tells
        return Check(name, None, "not checked: fc-list (fontconfig) not found", "fonts")
    families = {f.strip() for line in out.splitlines() for f in line.split(",")}
    missing = [f for f in FONTS if f not in families]
    if missing:
        return Check(name, False, f"missing: {', '.join(missing)} (font families with "
                     f"Cyrillic here: {len(families)})", "fonts", "cvbuild pdf")
    return Check(name, True, "found")


def check_poppler(which: Which) -> Check:
    name = "Poppler (" + ", ".join(POPPLER) + ")"
    missing = [p for p in POPPLER if which(p) is None]
    if missing:
        return Check(name, False, "missing: " + ", ".join(missing), "poppler",
                     "reading PDFs back: cvbuild check, the tests")
    out = which.output("pdftotext", "-v") or ""
    return Check(name, True, out.splitlines()[0].strip() if out else "found")


_PROBE = r"""\documentclass{article}
\usepackage{fontspec}
\setmainfont{PT Serif}
\usepackage{polyglossia}
\setdefaultlanguage{russian}
\setotherlanguage{english}
\begin{document}
Проверка «ёлка» --- test.
\end{document}
"""


def check_compile(which: Which) -> Check:
    """Compile a tiny Russian document with PT Serif: what a real build needs at once."""
    from cvbuild.engine.compiler import compile_pdf
    from cvbuild.errors import CvbuildError

    name = "A test document in Russian"
    try:
        compile_pdf(_PROBE, timeout=60)
    except CvbuildError as exc:
        return Check(name, False, str(exc).splitlines()[0], None, "cvbuild pdf")
    return Check(name, True, "compiles")


def run_checks(path: str | None = None) -> list[Check]:
    """Every check, in order; `path` replaces PATH for the lookups (tests use it)."""
    which = Which(path)
    checks = [check_engine(which), check_packages(which), check_fonts(which),
              check_poppler(which)]
    if checks[0].ok and checks[1].ok is not False and checks[2].ok is not False:
        checks.insert(3, check_compile(which))
    return checks


def report(checks: list[Check]) -> str:
    """The checks as lines a person reads, then how to install what is missing."""
    lines = []
    for c in checks:
        mark = {True: "ok", False: "MISSING", None: "skipped"}[c.ok]
        lines.append(f"{mark:>8}  {c.name}: {c.detail}")
    fixes = [c for c in checks if c.ok is False and c.fix]
    shown: set[str] = set()
    for c in fixes:
        if c.fix is None or c.fix in shown:
            continue
        shown.add(c.fix)
        needed = f" (needed by {c.needed_for})" if c.needed_for else ""
        lines += ["", f"To install {WHAT[c.fix]}{needed}:"]
        for system, command in INSTALL[c.fix].items():
            lines.append(f"  {system + ':':<15} {command}")
    if any(c.ok is False for c in checks):
        lines += ["", "Then run `cvbuild doctor` again."]
    else:
        lines += ["", "Everything cvbuild needs is here."]
    return "\n".join(lines)
