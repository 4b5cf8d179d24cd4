"""Pretrain ``near-tiny`` contrastively on a generated image world: the shipped ``synthetic`` weights.

``python -m near_core.pretrain_synthetic --out near_core/weights/near-tiny-synthetic.safetensors``
rebuilds the file that ``--clip-model near-tiny --clip-pretrained synthetic`` loads, bit for bit
on the same torch build and CPU kind (seed :data:`SEED`, :data:`THREADS` thread whatever the
core count; a few minutes on 2 CPU cores).

The world (:func:`near_core.testing.synthetic.world_birds`) holds birds drawn like the demo's
(same background, parts and colours) with captions such as "a small bird with a red body, a
blue head, striped wings and a black beak". No world bird has the (body, head) colours of a
:data:`~near_core.testing.synthetic.SPECIES` class, so the demo measures transfer to unseen
attribute combinations. Training is CLIP's symmetric InfoNCE, with images of the same caption
counted as positives of each other (a batch of 256 often holds a caption twice).

:func:`knn_purity` measures an encoder's geometry on SPECIES images (mean fraction of each
image's k nearest neighbours that share its class).
"""

from __future__ import annotations

import argparse
import io
import math
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from near_core.clip import TINY, Clip, load_clip, save_sparse_tokens, token_init
from near_core.testing import synthetic

SEED = 0
THREADS = 1
IMAGES = 8_000
STEPS = 800
BATCH = 128
LR = 2e-3
WEIGHT_DECAY = 0.05
WARMUP = 100


def _to_model_input(img, clip: Clip) -> torch.Tensor:
    """JPEG round trip (as the demo's files) then the eval preprocessing: (3, H, W)."""
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95, subsampling=0)
    buf.seek(0)
    from PIL import Image

    return clip.preprocess(Image.open(buf).convert("RGB"))


def world_batch(clip: Clip, *, n_images: int, seed: int) -> tuple[torch.Tensor, torch.Tensor,
                                                                  list[str]]:
    """``n_images`` world images as model inputs (N, 3, H, W) float16, their caption ids (N,)
    int64 and the captions those ids index (each distinct caption drawn, once)."""
    birds = synthetic.world_birds()
    rng = np.random.default_rng(seed)
    which = rng.integers(0, len(birds), n_images)
    images = torch.stack([
        _to_model_input(synthetic.render_world(birds[b], rng), clip).half() for b in which
    ])
    drawn, caption_ids = np.unique(which, return_inverse=True)
    return images, torch.from_numpy(caption_ids).long(), [birds[b].caption() for b in drawn]


def species_batch(clip: Clip, *, n_classes: int, per_class: int, seed: int
                  ) -> tuple[torch.Tensor, np.ndarray]:
    """Images of the first ``n_classes`` SPECIES (as :func:`make_dataset` draws them):
    model inputs (N, 3, H, W) and class indices (N,)."""
    xs, ys = [], []
    for ci, name in enumerate(synthetic.class_names(n_classes)):
        rng = np.random.default_rng([seed, ci])
        for _ in range(per_class):
            xs.append(_to_model_input(synthetic.render(synthetic.species(name), rng), clip))
            ys.append(ci)
    return torch.stack(xs), np.array(ys)


@torch.no_grad()
def knn_purity(model, images: torch.Tensor, labels: np.ndarray, *, k: int = 10) -> float:
    """Mean fraction of each image's ``k`` nearest neighbours (cosine, itself excluded) that
    share its label. ``images`` (N, 3, H, W), ``labels`` (N,)."""
    model.eval()
    feats = F.normalize(model.encode_image(images.float()), dim=-1)
    sim = feats @ feats.T
    sim.fill_diagonal_(-2.0)
    nn = sim.topk(k, dim=1).indices.numpy()
    return float((labels[nn] == labels[:, None]).mean())


def clip_loss(img: torch.Tensor, txt: torch.Tensor, caption_ids: torch.Tensor,
              logit_scale: torch.Tensor) -> torch.Tensor:
    """Symmetric InfoNCE between normalised (B, D) image and text features; rows with the
    same caption id are positives of each other (targets spread evenly over them)."""
    logits = logit_scale.exp().clamp(max=100) * img @ txt.T
    same = (caption_ids[:, None] == caption_ids[None, :]).float()
    target = same / same.sum(1, keepdim=True)
    return 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target))


def _param_groups(model) -> list[dict]:
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (decay if p.ndim >= 2 and "token_embedding" not in name and "positional" not in name
         else no_decay).append(p)
    return [{"params": decay, "weight_decay": WEIGHT_DECAY}, {"params": no_decay, "weight_decay": 0.0}]


def pretrain(*, steps: int = STEPS, n_images: int = IMAGES, batch: int = BATCH, seed: int = SEED,
             threads: int = THREADS, log_every: int = 100) -> tuple[torch.nn.Module, list[int],
                                                                   list[float]]:
    """Train ``near-tiny`` on the world. Returns the model (CPU, eval), the token ids the
    captions use (the only token-embedding rows that training changes) and the loss per step."""
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    clip = load_clip(TINY, "", device="cpu", seed=seed)
    model = clip.model
    with torch.no_grad():
        emb = model.token_embedding.weight
        emb.copy_(token_init(tuple(emb.shape), seed))
    t0 = time.perf_counter()
    images, caption_ids, captions = world_batch(clip, n_images=n_images, seed=seed)
    tokens = clip.tokenizer(captions)
    used = sorted(set(tokens.reshape(-1).tolist()))
    print(f"pretrain: {n_images} world images, {len(captions)} distinct captions "
          f"({len(used)} token ids) in {time.perf_counter() - t0:.1f}s", flush=True)

    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(_param_groups(model), lr=LR, betas=(0.9, 0.98), eps=1e-6)
    warm = max(1, min(WARMUP, steps // 10))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (
        1 + math.cos(math.pi * min(1.0, s / max(1, steps)))))
    model.train()
    losses: list[float] = []
    for step in range(steps):
        idx = torch.randint(0, n_images, (batch,), generator=gen)
        ids = caption_ids[idx]
        img = model.encode_image(images[idx].float(), normalize=True)
        txt = model.encode_text(tokens[ids], normalize=True)
        loss = clip_loss(img, txt, ids, model.logit_scale)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        losses.append(float(loss.detach()))
        if log_every and (step + 1) % log_every == 0:
            print(f"pretrain: step {step + 1}/{steps} loss {np.mean(losses[-log_every:]):.3f} "
                  f"({time.perf_counter() - t0:.0f}s wall, {time.process_time():.0f}s CPU)",
                  flush=True)
    return model.eval(), used, losses


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: train, report kNN purity against random weights, write the weights."""
    p = argparse.ArgumentParser(prog="python -m near_core.pretrain_synthetic",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, required=True, help="safetensors file to write")
    p.add_argument("--steps", type=int, default=STEPS)
    p.add_argument("--images", type=int, default=IMAGES)
    p.add_argument("--batch", type=int, default=BATCH)
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--threads", type=int, default=THREADS)
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    model, used, _ = pretrain(steps=args.steps, n_images=args.images, batch=args.batch,
                              seed=args.seed, threads=args.threads)
    save_sparse_tokens(model, args.out, rows=used, init_seed=args.seed)
    trained = load_clip(TINY, str(args.out), device="cpu")
    random = load_clip(TINY, "", device="cpu", seed=args.seed)
    x, y = species_batch(trained, n_classes=8, per_class=32, seed=1)
    ours, base = knn_purity(trained.model, x, y), knn_purity(random.model, x, y)
    print(f"pretrain: wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, "
          f"{trained.model_id}) in {time.perf_counter() - t0:.0f}s; kNN@10 purity on 8 demo "
          f"classes: {ours:.3f} (random weights {base:.3f})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
