"""`cvbuild gallery`: page one of a CV in every theme and every language, as PNG
pictures, with a record (gallery.json) of the theme files and the CV each picture was
made from. The repository's docs/gallery/ is made by it from docs/gallery/cv.yaml,
and a test fails when a theme changed after its pictures (render.themes.theme_hash)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from cvbuild.errors import CvbuildError, ToolMissing
from cvbuild.pipeline.run import build
from cvbuild.render.themes import list_themes, theme_hash

RECORD = "gallery.json"
# Page one at this resolution: about 370 pixels wide for A4, enough to see the design
DPI = 45


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def picture_name(theme: str, lang: str) -> str:
    return f"{theme}_{lang}.png"


def _pdftoppm() -> str:
    path = shutil.which("pdftoppm")
    if path is None:
        raise ToolMissing("pdftoppm (poppler-utils) is not installed; run `cvbuild doctor`")
    return path


def make_gallery(cv_path: Path, out_dir: Path, themes: list[str] | None = None) -> list[Path]:
    """Build `cv_path` in each theme (default: every built-in one) and write page one
    of each language to out_dir/<theme>_<lang>.png; return the pictures written."""
    names = themes or [t.name for t in list_themes() if not t.custom]
    out_dir.mkdir(parents=True, exist_ok=True)
    record_path = out_dir / RECORD
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
    record.setdefault("themes", {})
    written = []
    with tempfile.TemporaryDirectory(prefix="cvbuild-gallery-") as tmp:
        for name in names:
            outputs = build(cv_path, "all", Path(tmp) / name, theme=name)
            for out in outputs:
                target = out_dir / picture_name(name, out.lang)
                proc = subprocess.run(
                    [_pdftoppm(), "-png", "-r", str(DPI), "-f", "1", "-l", "1",
                     "-singlefile", str(out.pdf), str(target.with_suffix(""))],
                    capture_output=True, timeout=120,
                )
                if proc.returncode != 0:
                    raise CvbuildError(f"pdftoppm failed on {out.pdf}: "
                                       f"{proc.stderr.decode('utf-8', 'replace').strip()}")
                written.append(target)
            record["themes"][name] = {"hash": theme_hash(name, cv_path.parent),
                                      "languages": [o.lang for o in outputs]}
    record["cv"] = {"file": cv_path.name, "hash": file_hash(cv_path)}
    record_path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return written
