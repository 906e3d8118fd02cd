"""cvbuild's speed, against one plain xelatex pass, in the same run.

    .venv/bin/python bench/run.py [--reps N]

Measures, each rep in turn so that the machine's load falls on all alike (medians):

- baseline: one plain `xelatex` pass over bench/baseline.tex (a one-page CV with a
  typical preamble: fontspec, polyglossia, geometry, xcolor, enumitem, titlesec,
  hyperref), in a fresh folder;
- cold: `cvbuild pdf --lang all` with an empty cache (no format is dumped);
- second: the next build of that CV after an edit of both languages (it dumps the
  preamble's format while cv.yaml is parsed: the preamble is used again);
- edit: `cvbuild pdf --lang all` after an edit that changes both languages, the
  format in the cache;
- no-op: `cvbuild pdf --lang all` again, nothing changed;
- watch: `cvbuild watch`, from writing an edit of both languages to both new PDFs;
- import time of `cvbuild --help` and `cvbuild validate` (python -X importtime, the
  sum of the top-level imports), validate both on a file validated before and on a
  file just edited (which must be parsed, so pydantic is imported), and the wall time
  of `cvbuild validate` on a file just edited;
- for comparison, the import time of PyYAML and Pydantic with one model class: the
  least any validation with them imports.

Every cvbuild run is a new process, as a user runs it, and leaves none running. The
last column is the CPU time of the command and all it started: cvbuild runs several
processes at once, so on a busy machine (other jobs on every core) its wall time tends
to that figure, while on an idle one it is far below. Nothing here is a test: timings
are never asserted anywhere.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "bench" / "baseline.tex"
WORD = "excellent knowledge"  # in the English text
WORD_RU = "отличное знание"  # in the Russian text


def cvbuild_cmd() -> list[str]:
    script = Path(sys.executable).with_name("cvbuild")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cvbuild"]


# CPU seconds of each timed command and everything it started, by the command's label
CPU: dict[str, list[float]] = {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cwd: Path, env: dict[str, str], label: str | None = None) -> float:
    """Wall seconds of a command; its CPU seconds (with its children's) go to CPU[label].
    What earlier commands wrote is flushed to the disk first: the kernel writing back
    another command's files (a cold cache is 70 MB) is no part of this one's time."""
    os.sync()
    cpu = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if label is not None:
        CPU.setdefault(label, []).append(_children_cpu() - cpu)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr.decode(errors='replace')}")
    return elapsed


def baseline_pass(env: dict[str, str]) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-base-") as tmp:
        shutil.copyfile(BASELINE, Path(tmp) / "cv.tex")
        return timed(["xelatex", "-interaction=nonstopmode", "-halt-on-error", "cv.tex"],
                     Path(tmp), env, "baseline")


class Project:
    """A folder with a copy of cv.yaml and a private cache, edited rep by rep."""

    def __init__(self, root: Path, name: str):
        self.dir = root / name
        self.dir.mkdir()
        self.cv = self.dir / "cv.yaml"
        self.original = (ROOT / "cv.yaml").read_text(encoding="utf-8")
        assert WORD in self.original and WORD_RU in self.original
        self.cv.write_text(self.original, encoding="utf-8")
        self.env = dict(os.environ, CVBUILD_CACHE_DIR=str(self.dir / "cache"))
        self.n = 0

    def edit(self) -> None:
        """A new word in both languages: both PDFs must be made anew."""
        self.n += 1
        text = self.original.replace(WORD, f"{WORD} {self.n}x", 1)
        text = text.replace(WORD_RU, f"{WORD_RU} {self.n}x", 1)
        tmp = self.cv.with_suffix(".part")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.cv)  # as editors save

    def pdf(self, label: str | None = None) -> float:
        return timed(cvbuild_cmd() + ["pdf", "--lang", "all", "cv.yaml"], self.dir,
                     self.env, label)


# The least any validation with PyYAML and Pydantic imports: both, and one model class.
FLOOR = ("import yaml\nfrom pydantic import BaseModel, Field\n"
         "class A(BaseModel):\n    x: int = Field(1, ge=0)\n")


def import_time(args: list[str], env: dict[str, str], cwd: Path, code: str | None = None) -> float:
    """Seconds of import time (python -X importtime), summed over top-level imports, of
    the `cvbuild` command as installed, or of `python -c code`."""
    cmd = cvbuild_cmd()
    script = ["-c", code] if code else cmd if len(cmd) == 1 else ["-m", "cvbuild"]
    proc = subprocess.run([sys.executable, "-X", "importtime", *script, *args], cwd=cwd,
                          env=env, capture_output=True, text=True)
    total = 0
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line[len("import time:"):].split("|")
        if not name.startswith("  "):  # one space after the bar: a top-level import
            total += int(cumulative)
    return total / 1e6


def watch_latency(project: Project, reps: int) -> list[float]:
    out = project.dir / "build"
    proc = subprocess.Popen(cvbuild_cmd() + ["watch", "cv.yaml"], cwd=project.dir,
                            env=project.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    times = []
    try:
        proc.stdout.readline()  # the first build
        for _ in range(reps):
            time.sleep(1.5)  # the engines start and read their preamble
            pdfs = sorted(out.glob("*.pdf"))
            before = {p: p.stat().st_ino for p in pdfs}
            project.edit()
            started = time.perf_counter()
            deadline = started + 30
            while any(_ino(p) == before[p] for p in pdfs):
                if time.perf_counter() > deadline:
                    raise RuntimeError("watch did not rebuild within 30 s")
                time.sleep(0.002)
            times.append(time.perf_counter() - started)
            proc.stdout.readline()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return times


def _ino(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    reps = args.reps

    runs: dict[str, list[float]] = {k: [] for k in
                                     ("baseline", "cold", "second", "edit", "noop", "watch",
                                      "help_import", "validate_import", "validate_edit_import",
                                      "floor_import", "validate_edit")}
    # as a wheel install is: pip compiles the package on install, while an editable one
    # is compiled on first import only where bytecode may be written
    # (PYTHONDONTWRITEBYTECODE unset)
    import compileall

    import cvbuild

    compileall.compile_dir(Path(cvbuild.__file__).parent, quiet=1)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="cvbuild-bench-") as tmp:
        root = Path(tmp)
        main_project = Project(root, "main")
        main_project.pdf()  # warm the cache: the hint, then the format
        main_project.edit()
        main_project.pdf()
        for i in range(reps):
            runs["baseline"].append(baseline_pass(main_project.env))
            cold = Project(root, f"cold{i}")
            runs["cold"].append(cold.pdf("cold"))
            cold.edit()
            runs["second"].append(cold.pdf("second"))
            main_project.edit()
            runs["edit"].append(main_project.pdf("edit"))
            runs["noop"].append(main_project.pdf("noop"))
            project = main_project
            runs["help_import"].append(import_time(["--help"], project.env, project.dir))
            runs["validate_import"].append(
                import_time(["validate", "cv.yaml"], project.env, project.dir))
            project.edit()
            runs["validate_edit_import"].append(
                import_time(["validate", "cv.yaml"], project.env, project.dir))
            project.edit()
            runs["validate_edit"].append(
                timed(cvbuild_cmd() + ["validate", "cv.yaml"], project.dir, project.env))
            runs["floor_import"].append(import_time([], project.env, project.dir, code=FLOOR))
        runs["watch"] = watch_latency(Project(root, "watch"), reps)
    load_after = os.getloadavg()

    base = statistics.median(runs["baseline"])
    goals = {"cold": 1.8, "edit": 1.2, "noop": 0.25, "watch": 0.6}
    names = {
        "baseline": "plain xelatex, one pass (baseline)",
        "cold": "`cvbuild pdf --lang all`, empty cache",
        "second": "the next build after an edit (dumps the format)",
        "edit": "`cvbuild pdf --lang all` after an edit (both PDFs)",
        "noop": "`cvbuild pdf --lang all`, nothing changed",
        "watch": "`cvbuild watch`, edit to both PDFs",
    }
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, python {platform.python_version()}")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}; {reps} reps\n")
    base_cpu = statistics.median(CPU["baseline"])
    print("| measure | median | min | ratio to baseline | goal | CPU (all processes) |")
    print("|---|---|---|---|---|---|")
    for key, label in names.items():
        values = runs[key]
        med = statistics.median(values)
        goal = goals.get(key)
        ratio = med / base
        verdict = "" if goal is None else (f"≤ {goal}× " + ("met" if ratio <= goal else "NOT met"))
        cpu = (f"{statistics.median(CPU[key]):.3f} s, "
               f"{statistics.median(CPU[key]) / base_cpu:.2f}×" if key in CPU else "")
        print(f"| {label} | {med:.3f} s | {min(values):.3f} s | {ratio:.2f}× | {verdict} | {cpu} |")
    for key, label in (("help_import", "`cvbuild --help`"),
                       ("validate_import", "`cvbuild validate`, file validated before"),
                       ("validate_edit_import", "`cvbuild validate`, file just edited"),
                       ("floor_import", "for comparison: PyYAML, Pydantic and one model alone")):
        med = statistics.median(runs[key])
        verdict = "" if key == "floor_import" else "< 0.1 s " + ("met" if med < 0.1 else "NOT met")
        print(f"| {label}: import time | {med:.3f} s | {min(runs[key]):.3f} s | | {verdict} |")
    med = statistics.median(runs["validate_edit"])
    print(f"| `cvbuild validate`, file just edited: wall time | {med:.3f} s "
          f"| {min(runs['validate_edit']):.3f} s | {med / base:.2f}× | |")


if __name__ == "__main__":
    main()
