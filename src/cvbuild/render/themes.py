"""Themes: which there are, their options, and copying one beside cv.yaml to edit.

A theme is a folder with `cv.tex.j2` and a `theme.yaml` holding a description, the
default options and `honours:`, the design options it follows (an option given in
cv.yaml that the theme does not honour is a warning); its cv.tex.j2 extends the base
(templates/base/base.tex.j2, which says what a theme may set) and may replace any of
the base's entry partials by a file of the same name. templates/base/theme.yaml has
the defaults every theme starts from. A folder `themes/NAME/` beside cv.yaml wins over
the built-in theme of that name (render.theme_dirs)."""

from __future__ import annotations

import copy
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cvbuild.cache import file_signature
from cvbuild.engine.fonts import cyrillic_fonts
from cvbuild.errors import CvbuildError, InputError
from cvbuild.render.template import BASE, builtin_templates, theme_dirs
from cvbuild.source.model import Theme
from cvbuild.source.reader import load_yaml, read_text

# Every option of cv.yaml's `theme:` but its name, in the model's order.
OPTION_NAMES = tuple(name for name in Theme.model_fields if name != "name")
# The font options, checked for Cyrillic with fontconfig.
FONT_OPTIONS = ("font", "heading_font")
# Keys of theme.yaml besides `defaults`; `sidebar` lists the entry kinds whose sections
# a two-column theme moves to its narrow column (verify.check reads them in that order).
THEME_KEYS = ("description", "defaults", "honours", "sidebar")


@dataclass(frozen=True)
class ThemeInfo:
    name: str
    description: str
    folder: Path
    custom: bool  # from themes/ beside cv.yaml
    honours: tuple[str, ...] = ()


# theme.yaml files read in this process, by path and signature (size, modification
# time): a build reads each several times (per language, for the options it ignores),
# `watch` sees an edit
_READ: dict[Path, tuple[list | None, dict[str, Any]]] = {}


def _theme_yaml(folder: Path) -> dict[str, Any]:
    path = folder / "theme.yaml"
    if not path.is_file():
        return {}
    signature = file_signature(str(path))
    known = _READ.get(path)
    if known is None or known[0] != signature:
        known = _READ[path] = (signature, _read_theme_yaml(path))
    return copy.deepcopy(known[1])


def _read_theme_yaml(path: Path) -> dict[str, Any]:
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
                data = _theme_yaml(folder)
                desc = " ".join(str(data.get("description", "")).split())
                honours = data.get("honours") or _theme_yaml(builtin_templates() / BASE).get("honours")
                found[folder.name] = ThemeInfo(folder.name, desc, folder, custom, tuple(honours or ()))
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


def check_font(family: str, where: str) -> None:
    fonts = cyrillic_fonts()  # asked early by the build (engine/early.py)
    if fonts and family not in fonts:
        raise CvbuildError(
            f"{where}: '{family}' is not an installed font with Cyrillic letters; "
            f"installed ones: {', '.join(sorted(fonts))}"
        )


def theme_settings(name: str, cv_dir: Path | None = None,
                   local: bool = True) -> tuple[list[Path], dict[str, Any]]:
    """A theme's folders and its theme.yaml as one mapping: the base's, then the built-in
    theme's, then those of its copy beside cv.yaml (unless `local` is False), each key
    replacing the one before (`defaults` merged key by key)."""
    dirs = theme_dirs(name, cv_dir, local)
    merged: dict[str, Any] = {"defaults": {}}
    for folder in reversed(dirs):  # the base last in dirs: read first
        data = _theme_yaml(folder)
        unknown = [k for k in data if k not in THEME_KEYS]
        if unknown:
            raise CvbuildError(f"{folder / 'theme.yaml'}: unknown key `{unknown[0]}`; "
                               f"the keys allowed are: {', '.join(THEME_KEYS)}")
        for key, value in data.items():
            if key == "defaults":
                merged["defaults"].update(value or {})
            else:
                merged[key] = value
    return dirs, merged


def theme_options(theme: Theme, name: str | None = None, cv_dir: Path | None = None,
                  cv_file: str = "cv.yaml", local: bool = True) -> tuple[list[Path], dict[str, Any]]:
    """The theme's folders and its options: theme.yaml's defaults, then cv.yaml's.
    `local` False refuses a theme folder beside cv.yaml (render.theme_dirs)."""
    dirs, settings = theme_settings(name or theme.name, cv_dir, local)
    defaults = settings["defaults"]
    given = {k: getattr(theme, k) for k in OPTION_NAMES if getattr(theme, k) is not None}
    try:
        merged = Theme(name=name or theme.name, **{**{k: defaults.get(k) for k in OPTION_NAMES}, **given})
    except Exception as exc:  # a theme.yaml with bad defaults is the theme author's to fix
        raise CvbuildError(f"{dirs[0] / 'theme.yaml'}: bad defaults: {exc}") from None
    # 18.0 → 18: the .tex reads "left=18mm"
    options = {k: int(v) if isinstance(v, float) and v.is_integer() else v
               for k, v in merged.model_dump().items()}
    missing = [k for k in OPTION_NAMES if options[k] is None and k not in OPTIONAL]
    if missing:
        raise CvbuildError(f"{dirs[0] / 'theme.yaml'}: defaults lack {', '.join(missing)}")
    for key in FONT_OPTIONS:
        where = f"{cv_file}: theme.{key}" if key in given else f"{dirs[0] / 'theme.yaml'}: defaults.{key}"
        check_font(str(options[key]), where)
    options["sidebar"] = list(settings.get("sidebar") or [])
    return dirs, options


# Options that may stay unset: the text and link colours then follow the page's.
OPTIONAL = ("text_color", "link_color")


def ignored_options(theme: Theme, name: str | None = None, cv_dir: Path | None = None,
                    photo: bool = False, local: bool = True) -> list[tuple[str, str]]:
    """(path, message) for each option cv.yaml gives that the theme does not honour,
    and for a photo given to a theme that shows none."""
    name = name or theme.name
    honours = set(theme_settings(name, cv_dir, local)[1].get("honours") or ())
    found = []
    for key in OPTION_NAMES:
        if getattr(theme, key) is not None and key not in honours:
            found.append((f"theme.{key}", f"the theme '{name}' ignores `{key}`; themes that "
                          f"honour it: {', '.join(honouring(key, cv_dir)) or 'none'}"))
    if photo and "photo" not in honours:
        found.append(("header.photo", f"the theme '{name}' shows no photo; themes that do: "
                      f"{', '.join(honouring('photo', cv_dir)) or 'none'}"))
    return found


def honouring(key: str, cv_dir: Path | None = None) -> list[str]:
    """The themes that honour an option (or `photo`)."""
    return [t.name for t in list_themes(cv_dir) if key in t.honours]


def theme_hash(name: str, cv_dir: Path | None = None) -> str:
    """A digest of every file a theme is made of (its folders and the base's): what a
    picture of the theme was made from (the gallery records it; file times are not
    kept by git, so they cannot tell a stale picture)."""
    digest = hashlib.sha256()
    for folder in theme_dirs(name, cv_dir):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(f"{folder.name}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]
