"""Golden .tex of tests/data/typeset/cv.yaml (photo, durations, section kinds, emoji,
every typographic rule) in every theme: tests/golden/typeset/<theme>/<lang>.tex.
(test_golden.py covers cv.yaml itself.) Regenerate with `pytest --update-golden`."""

from __future__ import annotations

import pytest
from conftest import PINNED_EPOCH, ROOT, TYPESET_CV

from cvbuild.pipeline.run import build

GOLDEN = ROOT / "tests" / "golden" / "typeset"


@pytest.mark.parametrize("theme", ["classic", "modern", "sidebar", "banking", "compact"])
def test_golden_typeset_tex(theme, update_golden, tmp_path):
    outputs = build(TYPESET_CV, "all", tmp_path, theme=theme, tex_only=True,
                    source_date_epoch=PINNED_EPOCH)
    assert [o.lang for o in outputs] == ["ru", "en"]
    for out in outputs:
        golden = GOLDEN / theme / f"{out.lang}.tex"
        actual = out.tex.read_text(encoding="utf-8")
        if update_golden:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(actual, encoding="utf-8")
        assert golden.exists(), f"no {golden.relative_to(ROOT)}; run pytest --update-golden"
        assert actual == golden.read_text(encoding="utf-8"), (
            f"{golden.relative_to(ROOT)} changed; if intended, run pytest --update-golden"
        )
