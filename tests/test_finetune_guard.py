"""Fine-tuning from a random tower never falls below the raw-label prototype classifier.

near-tiny with seeded random weights (a local checkpoint), colour-square images at 32 px, a
few epochs on a few dozen images. The guard compares the fine-tuned classifier with
prototype classifiers over the ORIGINAL tower's embeddings on the held-out slice; when a
prototype classifier wins, the bundle must hold the original tower (not the fine-tuned one)
and predict exactly like that prototype classifier, here and through ``relabel_run``.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from clip_fixtures import COLOURS, build_run, make_images, tiny_checkpoint
from hypothesis import given
from hypothesis import strategies as st

from near_core.bundle import load_bundle
from near_core.clip import TINY, load_clip
from near_core.config import load_config
from near_core.embed import embed_images, load_embeddings
from near_core.ingest import current_images, ingest
from near_core.relabel import predict_files, relabel_run
from near_core.significance import clearly_better
from near_core.store import RunStore
from near_core.train import load_checkpoint, load_train_data, train, validation


def _cfg(ckpt, out, **kw):
    return load_config(None, {
        "clip.model": TINY, "clip.pretrained": str(ckpt), "clip.device": "cpu",
        "clip.workers": 0, "train.out": str(out), "train.mode": "finetune",
        "train.workers": 0, "train.batch_size": 16, "train.epochs": 3,
        "train.encoder_lr": 1e-2, "train.lr": 1e-2, "train.unlocked_blocks": -1} | kw)


def _raw_prototypes(store: RunStore, data, model_id: str) -> tuple[torch.Tensor, torch.Tensor,
                                                                    torch.Tensor]:
    """Raw-label prototype classifier over the original tower's cached embeddings: ((C, D)
    vectors, (C,) present mask, (D,) centre); computed here, independently of the loop."""
    _, every = load_embeddings(store, model_id)
    center = torch.from_numpy(every).mean(0)
    _, named = load_embeddings(store, model_id, data.image_ids)
    weights = validation.one_hot(data.raw[: data.n_train], len(data.names))
    feats = validation.centred(torch.from_numpy(named[: data.n_train]), center)
    return validation.prototypes(feats, weights), weights.sum(0) > 0, center


def _held_out_agreement(bundle_dir, data) -> float:
    """The kept bundle's agreement with the MLLM on the held-out images, read from the
    image files through the relabel predictor."""
    preds = predict_files(load_bundle(bundle_dir, device="cpu"), data.paths[data.n_train:])
    truth = [data.names[c] for c in data.raw[data.n_train:].tolist()]
    return float(np.mean([labels[0] == t for (_, labels, _, _), t in zip(preds, truth,
                                                                         strict=True)]))


def test_random_tower_on_unlearnable_labels_keeps_at_least_raw_prototypes(tmp_path):
    """Labels drawn independently of the pixels (noise 0.75 over 4 classes): nothing can be
    learned, and the bundle kept after fine-tuning agrees with the MLLM on the held-out
    slice at least as often as the raw-label prototypes -- measured on the bundle itself."""
    ckpt = tiny_checkpoint(tmp_path / "tiny.safetensors")
    info = build_run(tmp_path / "run", tmp_path / "images", ckpt, per_class=10, noise=0.75)
    store, cfg = RunStore(tmp_path / "run"), _cfg(ckpt, tmp_path / "out")
    result = train(store, cfg)
    data = load_train_data(store, cfg)
    assert result.mode == "finetune" and data.n_val >= 8
    vectors, present, center = _raw_prototypes(store, data, info["model_id"])
    _, named = load_embeddings(store, info["model_id"], data.image_ids)
    held = validation.centred(torch.from_numpy(named[data.n_train:]), center)
    logits = validation.prototype_logits(held, vectors, present, 1.0)
    raw_score = validation.agreement(logits, data.raw[data.n_train:])
    kept = _held_out_agreement(result.bundle_dir, data)
    assert kept >= raw_score
    # the bundle predicts with what won: its own agreement is the score the guard saw
    assert kept == pytest.approx(result.validation.stages[result.validation.chosen])
    assert result.validation.stages["raw_prototypes"] == pytest.approx(raw_score)


def test_losing_finetune_keeps_original_tower_and_relabels_with_prototypes(tmp_path,
                                                                         monkeypatch):
    """A fine-tuned tower that loses on the held-out slice is set aside: the bundle holds the
    original tower's weights (not the fine-tuned ones) and labels images the MLLM never saw,
    through ``relabel_run``, exactly as the raw-label prototype classifier does."""
    import near_core.train.loop as loop

    real = loop._validate

    def sabotaged(data, feats, trained_logits, scale, **kw):
        worst = None if trained_logits is None else -trained_logits  # the worst possible
        return real(data, feats, worst, scale, **kw)

    monkeypatch.setattr(loop, "_validate", sabotaged)
    ckpt = tiny_checkpoint(tmp_path / "tiny.safetensors")
    info = build_run(tmp_path / "run", tmp_path / "images", ckpt, per_class=10, noise=0.2)
    store, cfg = RunStore(tmp_path / "run"), _cfg(ckpt, tmp_path / "out")
    result = train(store, cfg)
    assert result.validation.chosen == "raw_prototypes"  # no refine labels in this run
    clip = load_clip(TINY, str(ckpt), device="cpu")
    original = clip.model.visual.state_dict()
    tuned = {k.removeprefix("clip.visual."): v
             for k, v in load_checkpoint(tmp_path / "out" / "best.pt").model.items()
             if k.startswith("clip.visual.")}
    assert any(not torch.equal(tuned[k], original[k]) for k in original)  # the tower moved
    bundle = load_bundle(result.bundle_dir, device="cpu")
    kept = bundle.classifier.visual.state_dict()
    assert kept.keys() == original.keys()
    assert all(torch.equal(kept[k], v) for k, v in original.items())
    data = load_train_data(store, cfg)
    vectors, present, center = _raw_prototypes(store, data, info["model_id"])

    # images the MLLM never saw, added to the run later and labeled by relabel_run
    make_images(tmp_path / "images", per_class=6, seed=1)
    ingest(tmp_path / "images", store)
    new = [(i, p) for i, p in zip(*(current_images(store)[c].to_pylist()
                                    for c in ("image_id", "path")), strict=True)
           if i not in set(info["ids"])]
    assert len(new) == 6 * len(COLOURS)
    relabel_run(store, bundle)
    predicted = {r["image_id"]: r["label"] for r in store.read("predictions").to_pylist()}
    x = torch.from_numpy(np.concatenate([b.vectors for b in embed_images(clip, new)]))
    expected = validation.prototype_logits(validation.centred(x, center), vectors, present,
                                           1.0).argmax(1).tolist()
    assert [predicted[i] for i, _ in new] == [data.names[c] for c in expected]


def _hits(pattern: str) -> torch.Tensor:
    return torch.tensor([c == "1" for c in pattern])


def test_the_trained_classifier_must_be_clearly_better():
    """A tie or a lead of one image on a slice keeps the prototypes (head and fine-tuned alike:
    a trained classifier that edged ahead on 40 noisy labels lost on unseen images); a lead
    beyond one paired standard error keeps the trained classifier."""
    raw, refined = _hits("1100110011"), _hits("1100110010")
    assert validation.choose({"raw_prototypes": raw, "refined": refined, "trained": raw}) == "raw_prototypes"
    assert validation.choose({"raw_prototypes": raw, "refined": raw, "trained": raw}) == "refined"
    edged = _hits("1110110011")  # one more image: gain 1, loss 0, 1 > 1 * sqrt(1) is false
    assert validation.choose({"raw_prototypes": raw, "refined": refined, "trained": edged}) == "raw_prototypes"
    clear = _hits("1111111011")  # gain 4 over raw: 4 > sqrt(4)
    assert validation.choose({"raw_prototypes": raw, "refined": refined, "trained": clear}) == "trained"
    assert validation.choose({"raw_prototypes": None, "refined": None, "trained": raw}) == "trained"
    assert validation.choose({"raw_prototypes": raw, "refined": None, "trained": None}) == "raw_prototypes"


@given(st.lists(st.tuples(st.booleans(), st.booleans()), max_size=60), st.floats(0.0, 3.0))
def test_clearly_better_is_a_strict_order(pairs, z):
    """Never both ways, never for identical hits, and monotone: turning one of ``a``'s misses
    into a hit never makes ``a`` less clearly better."""
    a = torch.tensor([p[0] for p in pairs], dtype=torch.bool)
    b = torch.tensor([p[1] for p in pairs], dtype=torch.bool)
    assert not (clearly_better(a, b, z=z) and clearly_better(b, a, z=z))
    assert not clearly_better(a, a, z=z)
    if clearly_better(a, b, z=z) and (~a).any():
        better = a.clone()
        better[int((~a).nonzero()[0])] = True
        assert clearly_better(better, b, z=z)
