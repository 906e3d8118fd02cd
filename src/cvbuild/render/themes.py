"""Themes: which there are, their options, and copying one beside cv.yaml to edit.

A theme is a folder with `cv.tex.j2` and a `theme.yaml` holding a description and
the default options; its cv.tex.j2 extends the base (templates/base/base.tex.j2, which
says what a theme may set) and may replace any of the base's entry partials by a file
of the same name. A folder `themes/NAME/` beside cv.yaml wins over the built-in theme
of that name (render.theme_dirs)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cvbuild.errors import CvbuildError, InputError
from cvbuild.render.template import BASE, builtin_templates, theme_dirs
from cvbuild.source.model import Theme
from cvbuild.source.reader import load_yaml, read_text

OPTION_NAMES = ("accent", "font", "paper", "margins", "font_size")


@dataclass(frozen=True)
class ThemeInfo:
    name: str
    description: str
    folder: Path
    custom: bool  # from themes/ beside cv.yaml


def _theme_yaml(folder: Path) -> dict[str, Any]:
    path = folder / "theme.yaml"
    if not path.is_file():
        return {}
    # a local theme's file is as untrusted as cv.yaml: the same limits (size, aliases,
    # depth, tags) as cv.yaml's loader
    try:
        text = read_text(path)
        data = load_yaml(text, str(path))[0] if text.strip() else {}
    except InputError as exc:
        raise CvbuildError(f"{exc.problems[0]}") from None
    if not isinstance(data, dict):
        raise CvbuildError(f"{path}: expected `description:` and `defaults:` keys")
    return data


def list_themes(cv_dir: Path | None = None) -> list[ThemeInfo]:
    """Every theme by name: the built-in ones and those in themes/ beside cv.yaml."""
    found: dict[str, ThemeInfo] = {}
    roots = [(builtin_templates(), False)]
    if cv_dir is not None:
        roots.append((cv_dir / "themes", True))
    for root, custom in roots:
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if folder.name == BASE:
                continue
            if (folder / "cv.tex.j2").is_file() or (custom and folder.is_dir()):
                desc = str(_theme_yaml(folder).get("description", "")).strip()
                found[folder.name] = ThemeInfo(folder.name, desc, folder, custom)
    return sorted(found.values(), key=lambda t: t.name)


def copy_theme(name: str, cv_dir: Path) -> Path:
    """Copy the built-in theme NAME to cv_dir/themes/NAME, where it overrides the built-in."""
    source = builtin_templates() / name
    if name == BASE or not (source / "cv.tex.j2").is_file():
        names = ", ".join(t.name for t in list_themes()) or "none"
        raise CvbuildError(f"no built-in theme named '{name}'; there are: {names}")
    target = cv_dir / "themes" / name
    if target.exists():
        raise CvbuildError(f"{target} already exists; edit it, or remove it to copy afresh")
    shutil.copytree(source, target)
    return target


def local_theme_note(dirs: list[Path], cv_file: str = "cv.yaml") -> str | None:
    """The line every build prints when its theme comes from beside cv.yaml: that
    folder is code, as untrusted as cv.yaml in a pull request."""
    folder = dirs[0]
    if folder == builtin_templates() / folder.name:
        return None
    if (builtin_templates() / folder.name).is_dir():
        return (f"the theme '{folder.name}' is taken from {folder}, not the built-in one "
                "(CI can refuse local themes: --no-local-themes)")
    return f"the theme '{folder.name}' is taken from {folder}, which is not a built-in theme"


@lru_cache(maxsize=1)
def cyrillic_fonts() -> frozenset[str]:
    """Families of the installed fonts that cover Russian (fontconfig's view), or an
    empty set when fontconfig cannot be asked."""
    exe = shutil.which("fc-list")
    if exe is None:
        return frozenset()
    out = subprocess.run([exe, ":lang=ru", "family"], capture_output=True, text=True, timeout=30).stdout
    return frozenset(f.strip() for line in out.splitlines() for f in line.split(",") if f.strip())


def check_font(family: str, where: str) -> None:
    fonts = cyrillic_fonts()
    if fonts and family not in fonts:
        raise CvbuildError(
            f"{where}: '{family}' is not an installed font with Cyrillic letters; "
            f"installed ones: {', '.join(sorted(fonts))}"
        )


def theme_options(theme: Theme, name: str | None = None, cv_dir: Path | None = None,
                  cv_file: str = "cv.yaml", local: bool = True) -> tuple[list[Path], dict[str, Any]]:
    """The theme's folders and its options: theme.yaml's defaults, then cv.yaml's.
    `local` False refuses a theme folder beside cv.yaml (render.theme_dirs)."""
    dirs = theme_dirs(name or theme.name, cv_dir, local)
    # classic's defaults under every theme, so a theme folder without a theme.yaml works;
    # then the built-in theme's own, then those of its copy beside cv.yaml
    defaults: dict[str, Any] = {}
    for folder in [builtin_templates() / "classic", *reversed(dirs)]:
        defaults.update(_theme_yaml(folder).get("defaults") or {})
    given = {k: getattr(theme, k) for k in OPTION_NAMES if getattr(theme, k) is not None}
    try:
        merged = Theme(name=name or theme.name, **{**{k: defaults.get(k) for k in OPTION_NAMES}, **given})
    except Exception as exc:  # a theme.yaml with bad defaults is the theme author's to fix
        raise CvbuildError(f"{dirs[0] / 'theme.yaml'}: bad defaults: {exc}") from None
    # 18.0 → 18: the .tex reads "left=18mm"
    options = {k: int(v) if isinstance(v, float) and v.is_integer() else v
               for k, v in merged.model_dump().items()}
    missing = [k for k in OPTION_NAMES if options[k] is None]
    if missing:
        raise CvbuildError(f"{dirs[0] / 'theme.yaml'}: defaults lack {', '.join(missing)}")
    where = f"{cv_file}: theme.font" if "font" in given else f"{dirs[0] / 'theme.yaml'}: defaults.font"
    check_font(str(options["font"]), where)
    return dirs, options
