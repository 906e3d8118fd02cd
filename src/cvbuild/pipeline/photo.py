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
        line, column = at or (None, None)
        return InputError([Problem(cv_file, line, column, "header.photo", message)])

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
            return {f"photo.{ext}": path}
    raise refuse(f"'{photo}' is not a JPEG or PNG image")
