"""The header photo: only a JPEG or PNG file beside cv.yaml (or below it) is taken,
copied into the engine's private folder under a fixed name."""

from __future__ import annotations

from pathlib import Path

from cvbuild.errors import InputError, Problem

MAX_PHOTO_BYTES = 5_000_000
_MAGIC = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}


def photo_resource(photo: str | None, cv_dir: Path, cv_file: str = "cv.yaml",
                   at: tuple[int, int] | None = None) -> dict[str, Path]:
    """{name in the build folder: file} for the photo, or {} when there is none. A bad
    photo is an input problem at `at`, the (line, column) of header.photo in cv_file."""
    if not photo:
        return {}

    def refuse(message: str) -> InputError:
        return InputError([Problem.at(cv_file, at, "header.photo", message)])

    rel = Path(photo)
    if rel.is_absolute() or ".." in rel.parts:
        raise refuse(f"'{photo}' must be a file beside cv.yaml, given relative to it")
    root = cv_dir.resolve()
    path = (root / rel).resolve()
    if root not in path.parents:
        raise refuse(f"'{photo}' leads outside the folder of cv.yaml")
    if not path.is_file():
        raise refuse(f"no file '{photo}' beside cv.yaml; put the photo there, or fix the name")
    if path.stat().st_size > MAX_PHOTO_BYTES:
        raise refuse(f"'{photo}' is larger than {MAX_PHOTO_BYTES // 1_000_000} MB; shrink it")
    with path.open("rb") as f:
        head = f.read(8)
    for magic, ext in _MAGIC.items():
        if head.startswith(magic):
            why = _undecodable(path)
            if why:
                raise refuse(why.format(photo=photo))
            return {f"photo.{ext}": path}
    raise refuse(f"'{photo}' is not a JPEG or PNG image")


MAX_PIXELS = 50_000_000  # 7000 × 7000: a photo on a page needs a thousandth of that


def _undecodable(path: Path) -> str | None:
    """Why the picture cannot be used (`{photo}` stands for its name), or None. It is
    decoded whole (Pillow) before the engine sees it: a PNG header followed by garbage
    made XeTeX stop "without saying why"."""
    from PIL import Image

    try:
        with Image.open(path, formats=["JPEG", "PNG"]) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return f"'{{photo}}' is {width} × {height} pixels; shrink it to at most 2000 × 2000"
            image.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        why = "no picture can be read from it" if isinstance(exc, Image.UnidentifiedImageError) \
            else str(exc).replace("{", "(").replace("}", ")")
        return f"'{{photo}}' is a damaged image ({why}); save it again as JPEG or PNG"
    return None
