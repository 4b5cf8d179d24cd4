"""The stages one by one through the CLI (issue 10's "Done when", second line).

``near ingest / label / embed / refine / train`` on ``--images`` synthetic birds (every one
named by the loopback MLLM, right ``--p-correct`` of the time, else a sibling), then
``near relabel`` on ``--later`` images never seen; prints the cACC of the CLIP predictions of
those later images against their folder names.

    OMP_NUM_THREADS=2 python bench/stage_runs.py --images 80 --later 40 --clip-pretrained synthetic
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.pipeline_runs import bench_parser, loopback, near
from near_core.metrics import cacc
from near_core.store import RunStore
from near_core.testing.mllm_server import MLLMServer
from near_core.testing.synthetic import make_dataset


def main(argv: list[str] | None = None) -> int:
    ap = bench_parser(__doc__, images=80, clip_pretrained="synthetic")
    ap.add_argument("--later", type=int, default=40)
    args = ap.parse_args(argv)
    base = args.out or Path(tempfile.mkdtemp(prefix="near-stages-"))
    make_dataset(base / "src", n_classes=args.classes, per_class=args.images // args.classes,
                 seed=7)
    later = make_dataset(base / "later", n_classes=args.classes,
                         per_class=args.later // args.classes, seed=8)
    run, home = base / "run", base / "prefect"
    sets = [a for s in ["clip.workers=0", "train.workers=0", "mllm.category=bird species"]
            for a in ("--set", s)]
    with MLLMServer(behaviour=loopback(args.p_correct)) as server:
        steps = [
            ["ingest", str(base / "src"), "--run", str(run)],
            ["label", "--run", str(run), "--mllm-url", server.url, "--model", server.model],
            ["embed", "--run", str(run), "--clip-model", "near-tiny", "--clip-pretrained",
             args.clip_pretrained],
            ["refine", "--run", str(run)],
            ["train", "--run", str(run)],
            ["relabel", str(base / "later"), "--run", str(run)],
        ]
        for step in steps:
            rc, out, seconds = near([*step, *sets], home)
            tail = [ln for ln in out.splitlines() if ln.strip()][-3:]
            print(f"near {step[0]}: rc {rc}, {seconds:.0f} s: " + " | ".join(tail))
            if rc != 0:
                print(out[-3000:])
                return rc
    store = RunStore(run)
    images = store.read("images").to_pylist()
    path_of = {r["image_id"]: r["path"] for r in images}
    truth = {str(p.resolve()): c for p, c in later}
    preds = {r["image_id"]: r["label"] for r in store.read("predictions").to_pylist()}
    pairs = [(preds[i], truth[p]) for i, p in path_of.items() if p in truth and i in preds]
    print(f"later images predicted: {len(pairs)} of {len(later)}; cACC "
          f"{cacc([a for a, _ in pairs], [b for _, b in pairs]):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
