"""Whole builds remembered in the cache: a build whose inputs did not change is put
back in place without parsing cv.yaml."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cvbuild import cache
from cvbuild.errors import Problem
from cvbuild.pipeline.output import MAX_OUTPUT, Output
from cvbuild.pipeline.publish import OutputError, publish, recover

if TYPE_CHECKING:  # the heavy modules are imported only when something is built

    pass



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
