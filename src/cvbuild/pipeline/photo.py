"""The header photo: only a JPEG or PNG file beside cv.yaml (or below it) is taken,
copied into the engine's private folder under a fixed name."""

from __future__ import annotations

from pathlib import Path

from cvbuild.errors import CvbuildError

MAX_PHOTO_BYTES = 5_000_000
_MAGIC = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}


def photo_resource(photo: str | None, cv_dir: Path, cv_file: str = "cv.yaml") -> dict[str, Path]:
    """{name in the build folder: file} for the photo, or {} when there is none."""
    if not photo:
        return {}
    where = f"{cv_file}: header.photo"
    rel = Path(photo)
    if rel.is_absolute() or ".." in rel.parts:
        raise CvbuildError(f"{where}: '{photo}' must be a file beside cv.yaml, given relative to it")
    root = cv_dir.resolve()
    path = (root / rel).resolve()
    if root not in path.parents:
        raise CvbuildError(f"{where}: '{photo}' leads outside the folder of cv.yaml")
    if not path.is_file():
        raise CvbuildError(f"{where}: no file '{photo}' beside cv.yaml")
    if path.stat().st_size > MAX_PHOTO_BYTES:
        raise CvbuildError(f"{where}: '{photo}' is larger than {MAX_PHOTO_BYTES // 1_000_000} MB; shrink it")
    with path.open("rb") as f:
        head = f.read(8)
    for magic, ext in _MAGIC.items():
        if head.startswith(magic):
            return {f"photo.{ext}": path}
    raise CvbuildError(f"{where}: '{photo}' is not a JPEG or PNG image")
