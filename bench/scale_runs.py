"""`near run` at scale: wall time and peak PSS of the whole process tree (issue 11).

Writes ``--images`` generated synthetic bird images of ``--classes`` classes (the first of
:data:`near_core.testing.synthetic.CLASSES`: 64 named species, then parametric ones, up to
1,120; kept under ``--out`` and reused by later calls), starts the loopback MLLM
(:class:`near_core.testing.mllm_server.MLLMServer`, in this process), runs
``python -m near_cli.main run SRC --run RUN --label-budget B`` on Prefect's ephemeral API in a
fresh ``PREFECT_HOME`` and samples every 0.5 s the proportional set size (PSS, psutil) of the
``near run`` process and all its descendants (the flow, the temporary Prefect server, data
loader workers, the training subprocess). Prints one JSON line per run (also appended to
``--results``): wall seconds, ms per image, peak PSS of the tree in GB and which processes it
was made of at the peak, the load average before and after.

    OMP_NUM_THREADS=1 python bench/scale_runs.py --images 10000 --budget 100
    OMP_NUM_THREADS=1 timeout 3600 python bench/scale_runs.py --images 100000 --budget 1000
    OMP_NUM_THREADS=1 timeout 3600 python bench/scale_runs.py --images 100000 --budget 5000 \
        --classes 1000

The loopback MLLM's own memory (this process) is not in the figure: a real MLLM runs
elsewhere.

``--keep DIR`` keeps the run directory (its tables: answers, labels, candidates...) at ``DIR``
for image-by-image comparisons; by default it is deleted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from near_core.testing.mllm_server import Behaviour, MLLMServer
from near_core.testing.synthetic import make_dataset

REPO = Path(__file__).resolve().parents[1]


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process and its descendants every ``period_s``."""

    def __init__(self, pid: int, period_s: float = 0.5):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.period_s = period_s
        self.peak = 0
        self.peak_parts: dict[str, float] = {}
        self.samples = 0
        self.stop = threading.Event()

    def sample(self) -> None:
        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        total, parts = 0, {}
        for p in procs:
            try:
                pss = p.memory_full_info().pss
                name = " ".join(p.cmdline()[1:4])[:60] or p.name()
            except psutil.Error:
                continue
            total += pss
            parts[f"{p.pid} {name}"] = round(pss / 1e9, 3)
        self.samples += 1
        if total > self.peak:
            self.peak, self.peak_parts = total, parts

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.period_s)


def source(base: Path, images: int, classes: int) -> Path:
    """The generated images (reused when a previous call wrote them completely)."""
    src = base / f"src-{images}-{classes}"
    done = src / ".complete"
    if not done.exists():
        shutil.rmtree(src, ignore_errors=True)
        t0 = time.perf_counter()
        make_dataset(src, n_classes=classes, per_class=images // classes, seed=7)
        done.write_text(f"{time.perf_counter() - t0:.1f}\n")
    return src


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=int, default=10_000)
    ap.add_argument("--classes", type=int, default=8)
    ap.add_argument("--budget", type=int, help="label budget (default 1%% of the images)")
    ap.add_argument("--set", dest="overrides", action="append", default=[])
    ap.add_argument("--out", type=Path, default=Path("/tmp/near-scale"))
    ap.add_argument("--results", type=Path, help="JSON lines file the result is appended to")
    ap.add_argument("--keep", type=Path, help="keep the run directory here (replaced if it "
                    "exists) instead of deleting it, for image-by-image comparisons")
    args = ap.parse_args(argv)
    budget = args.budget or max(1, args.images // 100)
    src = source(args.out, args.images, args.classes)
    tag = f"{args.images}-{args.classes}-{budget}-{os.getpid()}"
    run_dir, home = args.keep or args.out / f"run-{tag}", args.out / f"prefect-{tag}"
    if args.keep:
        shutil.rmtree(run_dir, ignore_errors=True)
    sets = ["mllm.category=bird species", "clip.workers=0", "train.workers=0",
            "report.sacc=false", *args.overrides]
    env = os.environ | {"PYTHONPATH": str(REPO), "PREFECT_LOGGING_LEVEL": "WARNING",
                        "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "600"}
    behaviour = Behaviour(p_correct=0.8, p_sibling=0.2, p_generic=0.0, p_refusal=0.0, seed=0)
    load_before = os.getloadavg()
    with MLLMServer(behaviour=behaviour) as server:
        cmd = [sys.executable, "-m", "near_cli.main", "run", str(src), "--run", str(run_dir),
               "--mllm-url", server.url, "--model", server.model, "--clip-model", "near-tiny",
               "--clip-pretrained", "", "--label-budget", str(budget), "--truth", "folder"]
        cmd += [a for s in sets for a in ("--set", s)]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, text=True, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        out, _ = proc.communicate()
        wall = time.perf_counter() - t0
        sampler.stop.set()
        sampler.join()
    result = {
        "images": args.images, "classes": args.classes, "budget": budget, "rc": proc.returncode,
        "wall_s": round(wall, 1), "ms_per_image": round(1000 * wall / args.images, 3),
        "peak_pss_gb": round(sampler.peak / 1e9, 3), "samples": sampler.samples,
        "peak_processes": sampler.peak_parts, "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()], "overrides": args.overrides,
        "summary": [ln for ln in out.splitlines() if ln.startswith(("near run:", "relabel:",
                                                                      "train:", "label:"))],
    }
    if proc.returncode:
        result["tail"] = out[-2000:]
    line = json.dumps(result)
    print(line)
    if args.results:
        with open(args.results, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    if not args.keep:
        shutil.rmtree(run_dir, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    return proc.returncode


if __name__ == "__main__":
    raise SystemExit(main())
