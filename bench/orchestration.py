"""Orchestration overhead: the near-pipeline Prefect flow vs the same near_core calls in a
plain script, on generated images with a fast loopback MLLM (no latency).

    python bench/orchestration.py [--images 10000] [--budget 1000] [--out DIR]

Both variants run in this process on fresh run directories over the same images, with
near-tiny random weights from a local file; the Prefect variant runs on the ephemeral local
API, started (and warmed up with a trivial flow) before the clock starts; its one-time
start-up is reported separately. Prints a markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from near_core.bundle import load_bundle  # noqa: E402
from near_core.clip import TINY, load_clip, save_weights  # noqa: E402
from near_core.config import NearConfig, dump_config, load_config, train_out  # noqa: E402
from near_core.embed import embed_run, load_run_clip  # noqa: E402
from near_core.ingest import current_images, ingest  # noqa: E402
from near_core.mllm.labeler import label_images, sample_for_labeling  # noqa: E402
from near_core.refine import refine_run  # noqa: E402
from near_core.relabel import bundle_path, relabel_run  # noqa: E402
from near_core.report import write_report  # noqa: E402
from near_core.store import RunStore  # noqa: E402
from near_core.testing.mllm_server import MLLMServer  # noqa: E402
from near_core.testing.synthetic import make_dataset  # noqa: E402
from near_core.train import launch, train_argv, write_launch_config  # noqa: E402

OVERRIDES = ["mllm.category=bird species", "clip.workers=0", "train.workers=0",
             "report.sacc=false"]


def plain(source: Path, run_dir: Path, cfg: NearConfig) -> dict:
    """The pipeline's near_core calls in order, without Prefect."""
    store = RunStore(run_dir)
    dump_config(cfg, run_dir)
    ingest(source, store, config=cfg.ingest)
    ok = current_images(store)["image_id"].to_pylist()
    chosen = sample_for_labeling(ok, cfg.mllm.label_budget, seed=cfg.seed)
    labeled = label_images(store, cfg.mllm, seed=cfg.seed, image_ids=chosen)
    embedded = embed_run(store, load_run_clip(store, cfg.clip, seed=cfg.seed), config=cfg.clip)
    refine_run(store, config=cfg.model_copy(update={"refine": cfg.refine.model_copy(
        update={"encoder": embedded.encoder})}))
    out = train_out(run_dir, cfg.train)
    train_cfg = cfg.model_copy(update={"train": cfg.train.model_copy(update={"out": str(out)})})
    if launch(train_argv(run_dir, write_launch_config(train_cfg, out))) != 0:
        raise RuntimeError("training failed")
    bundle = load_bundle(bundle_path(store, cfg.relabel), device=cfg.clip.device)
    relabeled = relabel_run(store, bundle, config=cfg.relabel)
    write_report(store, config=cfg.report, truth="folder")
    return {"requests": labeled.requests_sent, "predicted": relabeled.predicted}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--images", type=int, default=10_000)
    p.add_argument("--budget", type=int, default=1_000, help="images sent to the MLLM")
    p.add_argument("--classes", type=int, default=16)
    p.add_argument("--out", type=Path, help="work folder (default: a temporary one, removed)")
    args = p.parse_args(argv)
    work = args.out or Path(tempfile.mkdtemp(prefix="near-bench-orch-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return run(args, work)
    finally:
        if args.out is None:
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> int:
    from prefect import flow

    from flows.pipeline import pipeline_flow
    from flows.runner import make_task_runner

    src = work / "images"
    per_class = -(-args.images // args.classes)
    if not src.is_dir():
        make_dataset(src, n_classes=args.classes, per_class=per_class, seed=0)
    n = sum(1 for _ in src.rglob("*.jpg"))
    weights = save_weights(load_clip(TINY, "", device="cpu", seed=0).model, work / "tiny.safetensors")
    ingest(src, RunStore(work / "warm"))  # page cache warm for both variants

    @flow(name="near-bench-warmup")
    def warmup() -> int:
        return 1

    t0 = time.perf_counter()
    warmup()
    startup = time.perf_counter() - t0

    rows = []
    with MLLMServer() as mllm:
        overrides = [*OVERRIDES, f"mllm.url={mllm.url}", f"mllm.model={mllm.model}",
                     f"mllm.label_budget={args.budget}", f"clip.model={TINY}",
                     f"clip.pretrained={weights}"]
        cfg = load_config(None, overrides)
        t0 = time.perf_counter()
        base = plain(src, work / "plain", cfg)
        t_plain = time.perf_counter() - t0
        rows.append(("plain script (near_core calls)", t_plain, base))
        runner = make_task_runner(cfg.orchestration)
        t0 = time.perf_counter()
        res = pipeline_flow.with_options(task_runner=runner)(
            source=str(src), run_dir=str(work / "prefect"), truth="folder", overrides=overrides)
        t_flow = time.perf_counter() - t0
        rows.append(("near-pipeline flow (Prefect, threads)", t_flow,
                     {"requests": res["label"]["requests_sent"],
                      "predicted": res["relabel"]["predicted"]}))
        t0 = time.perf_counter()
        pipeline_flow.with_options(task_runner=runner)(
            source=str(src), run_dir=str(work / "prefect"), truth="folder", overrides=overrides)
        t_rerun = time.perf_counter() - t0
    print(f"{n} images, MLLM budget {args.budget}, near-tiny, loopback MLLM without latency; "
          f"ephemeral Prefect API start-up {startup:.1f} s (once, not counted)\n")
    print("| variant | wall s | MLLM requests | CLIP predictions | ratio vs plain |")
    print("| --- | --- | --- | --- | --- |")
    for name, secs, r in rows:
        print(f"| {name} | {secs:.1f} | {r['requests']} | {r['predicted']} | "
              f"{secs / t_plain:.3f} |")
    print(f"| rerun of the flow (all cached) | {t_rerun:.1f} | 0 | 0 | {t_rerun / t_plain:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
