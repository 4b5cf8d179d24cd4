"""GPU check of the CLIP stages: image-embedding throughput (batch sweep, bf16 + channels-last
vs fp32) and the time of one NeaR fine-tuning step, on random-init weights (no download).

    python bench/gpu_check.py [--model ViT-B-16] [--batches 32,64,128,256,512]
    python bench/gpu_check.py --model near-tiny --device cpu --batches 8,16   # CPU smoke run

Inputs are random tensors already on the device, so the figures are the model's own
throughput (JPEG decoding and the DataLoader are not included). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import time

import torch

from near_core.clip import load_clip, select_runtime
from near_core.objective import CosineHead, NearObjective
from near_core.train import TrainModel, WarmupCosine


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _time(fn, device: torch.device, *, warmup: int, iters: int) -> float:
    """Seconds per call of ``fn`` (mean of ``iters`` after ``warmup`` calls)."""
    for _ in range(warmup):
        fn()
    _sync(device)
    t0 = time.perf_counter()
    for _ in range(iters):
        fn()
    _sync(device)
    return (time.perf_counter() - t0) / iters


def embed_rate(clip, batch: int, *, amp: bool, channels_last: bool, iters: int) -> float:
    """Images/s of ``encode_image`` at ``batch``."""
    rt = clip.runtime
    size = clip.preprocess_cfg["size"]
    side = size[0] if isinstance(size, list) else size
    x = torch.randn(batch, 3, side, side, device=rt.device)
    model = clip.model.eval()
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
        model = model.to(memory_format=torch.channels_last)
    else:
        model = model.to(memory_format=torch.contiguous_format)
    dtype = rt.amp_dtype if amp and rt.amp_dtype else torch.float32

    @torch.no_grad()
    def step():
        with torch.autocast(rt.device.type, dtype=dtype, enabled=dtype != torch.float32):
            model.encode_image(x, normalize=True)

    return batch / _time(step, rt.device, warmup=3, iters=iters)


def train_step_time(clip, batch: int, *, classes: int, unlocked: int, iters: int) -> float:
    """Seconds per fine-tuning step (forward, NeaR loss, backward, clip, AdamW, schedule)."""
    rt = clip.runtime
    model = clip.model
    model.requires_grad_(False)
    if unlocked == -1:
        model.visual.requires_grad_(True)
    else:
        model.visual.lock(unlocked_groups=unlocked + 1)
    head = CosineHead(torch.randn(classes, clip.embed_dim), scale=30.0)
    net = TrainModel(model, head).to(rt.device)
    if rt.is_cuda:
        net = net.to(memory_format=torch.channels_last)
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-5)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, WarmupCosine(1000, 10, 0.0))
    objective = NearObjective()
    size = clip.preprocess_cfg["size"]
    side = size[0] if isinstance(size, list) else size
    x = torch.randn(batch, 3, side, side, device=rt.device)
    if rt.is_cuda:
        x = x.contiguous(memory_format=torch.channels_last)
    w = torch.softmax(torch.randn(batch, classes, device=rt.device), dim=-1)
    net.train()

    def step():
        with rt.autocast():
            logits = net(x)
        loss = objective.loss(logits, w).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)

    return _time(step, rt.device, warmup=3, iters=iters)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="ViT-B-16")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--batches", default="32,64,128,256,512")
    ap.add_argument("--train-batch", type=int, default=128)
    ap.add_argument("--classes", type=int, default=200)
    ap.add_argument("--iters", type=int, default=10)
    args = ap.parse_args()
    rt = select_runtime(args.device, "auto")
    clip = load_clip(args.model, "", device=args.device)
    name = torch.cuda.get_device_name(rt.device) if rt.is_cuda else "cpu"
    print(f"{args.model} random init on {name} ({rt.describe()}), torch {torch.__version__}\n")
    print("| measure | batch | value |\n| --- | --- | --- |")
    batches = [int(b) for b in args.batches.split(",")]
    embed_rate(clip, batches[0], amp=True, channels_last=rt.is_cuda, iters=1)  # warm the kernels
    base = embed_rate(clip, batches[-1], amp=False, channels_last=False, iters=args.iters)
    print(f"| embed fp32, contiguous (baseline) | {batches[-1]} | {base:.0f} images/s |")
    for b in batches:
        rate = embed_rate(clip, b, amp=True, channels_last=rt.is_cuda, iters=args.iters)
        print(f"| embed {rt.describe().split()[-1]}, channels-last={rt.is_cuda} | {b} | "
              f"{rate:.0f} images/s ({rate / base:.2f}x baseline) |")
    for unlocked in (2, -1):
        s = train_step_time(clip, args.train_batch, classes=args.classes, unlocked=unlocked,
                            iters=args.iters)
        what = "last 2 blocks" if unlocked == 2 else "whole image tower"
        print(f"| train step, {what} unlocked | {args.train_batch} | {s * 1e3:.1f} ms "
              f"({args.train_batch / s:.0f} images/s) |")
    if rt.is_cuda:
        peak = torch.cuda.max_memory_allocated(rt.device) / 2**30
        print(f"| peak GPU memory | | {peak:.1f} GiB |")


if __name__ == "__main__":
    main()
