"""`near run` end to end on synthetic birds with the loopback MLLM (issue 10's "Done when").

Starts :class:`near_core.testing.mllm_server.MLLMServer` (right ``--p-correct`` of the time,
otherwise a sibling class), writes ``--images`` held-out synthetic images of ``--classes``
classes, runs ``python -m near_cli run ... --label-budget N --truth folder`` (Prefect's
ephemeral API), then reruns it and counts the MLLM requests of the rerun. Prints the CLI
summary (cACC, validation) and ``RUN/validation.json``.

    OMP_NUM_THREADS=2 python bench/pipeline_runs.py --images 96 --budget 40
    OMP_NUM_THREADS=2 python bench/pipeline_runs.py --images 20000 --budget 400
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from near_core.testing.mllm_server import Behaviour, MLLMServer
from near_core.testing.synthetic import make_dataset

REPO = Path(__file__).resolve().parents[1]


def near(argv: list[str], home: Path) -> tuple[int, str, float]:
    t0 = time.perf_counter()
    env = os.environ | {"PYTHONPATH": str(REPO), "PREFECT_LOGGING_LEVEL": "WARNING",
                        "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "600"}
    proc = subprocess.run([sys.executable, "-m", "near_cli.main", *argv], env=env, text=True,
                          capture_output=True, check=False)
    return proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - t0


def bench_parser(doc: str, *, images: int, clip_pretrained: str) -> argparse.ArgumentParser:
    """The options of the CLI benchmarks on synthetic birds: ``--images``, ``--classes``,
    ``--p-correct`` (of the loopback MLLM), ``--clip-pretrained`` (of near-tiny), ``--out``."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--images", type=int, default=images)
    ap.add_argument("--classes", type=int, default=8)
    ap.add_argument("--p-correct", type=float, default=0.8)
    ap.add_argument("--clip-pretrained", default=clip_pretrained,
                    help="'' (random near-tiny), 'synthetic' or a file/tag")
    ap.add_argument("--out", type=Path, help="work folder (default: a new temporary one)")
    return ap


def loopback(p_correct: float) -> Behaviour:
    """The loopback MLLM: right ``p_correct`` of the time, else a sibling class."""
    return Behaviour(p_correct=p_correct, p_sibling=1 - p_correct, p_generic=0.0,
                     p_refusal=0.0, seed=0)


def main(argv: list[str] | None = None) -> int:
    ap = bench_parser(__doc__, images=96, clip_pretrained="")
    ap.add_argument("--budget", type=int, default=40)
    ap.add_argument("--set", dest="overrides", action="append", default=[])
    args = ap.parse_args(argv)
    base = args.out or Path(tempfile.mkdtemp(prefix="near-e2e-"))
    src = base / "src"
    if not src.exists():
        make_dataset(src, n_classes=args.classes, per_class=args.images // args.classes, seed=7)
    behaviour = loopback(args.p_correct)
    sets = ["mllm.category=bird species", "clip.workers=0", "train.workers=0",
            "report.sacc=false", *args.overrides]
    with MLLMServer(behaviour=behaviour) as server:
        cmd = ["run", str(src), "--run", str(base / "run"), "--mllm-url", server.url,
               "--model", server.model, "--clip-model", "near-tiny", "--clip-pretrained",
               args.clip_pretrained, "--label-budget", str(args.budget), "--truth", "folder"]
        cmd += [a for s in sets for a in ("--set", s)]
        for attempt in ("first", "rerun"):
            before = server.stats()["requests"]
            rc, out, seconds = near(cmd, base / "prefect")
            lines = [ln for ln in out.splitlines() if ln.startswith(("near run:", "train:"))
                     or "WARNING: the trained" in ln]
            print(f"--- {attempt}: rc {rc}, {seconds:.0f} s")
            print("\n".join(lines) if rc == 0 else out[-3000:])
            if attempt == "rerun":
                print(f"rerun MLLM requests: {server.stats()['requests'] - before}")
    validation = base / "run" / "validation.json"
    if validation.exists():
        print(json.dumps(json.loads(validation.read_text())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
