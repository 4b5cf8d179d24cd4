"""Discovery of new classes in a relabeled batch (near_core.discover): library pieces on
synthetic features, bundle lineage, and which bundle the run relabels with."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from near_core.bundle import load_bundle, save_bundle
from near_core.clip import TINY, load_clip, text_embeddings
from near_core.config import NearConfig, RelabelConfig
from near_core.discover import (
    DiscoverOptions,
    DiscoveryError,
    coverage,
    false_alarm_rate,
    name_new_classes,
    neighbour_scores,
    novelty_expected,
    spread_sample,
    threshold,
    uncovered_mask,
    warm_start,
)
from near_core.relabel import STATE_DISCOVERED, bundle_path
from near_core.store import RunStore
from near_core.testing.synthetic import class_names, siblings

D = 16


def clusters(sizes: list[int], *, seed: int = 0, spread: float = 0.15) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Normalised points around ``len(sizes)`` random centres: ``(N, D)`` points, ``(N,)``
    cluster ids, ``(K, D)`` centres."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(sizes), D))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    x = np.concatenate([c + spread * rng.normal(size=(n, D)) for c, n in zip(centres, sizes, strict=True)])
    y = np.repeat(np.arange(len(sizes)), sizes)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32), y, centres


def test_uncovered_images_are_the_new_clusters():
    """The threshold from the known classes' own images flags the images of two unseen
    clusters, and few of a new batch of known ones (about the calibrated rate)."""
    x, y, centres = clusters([40, 40, 40], seed=1)
    vectors = torch.from_numpy(centres).float()
    center = torch.zeros(D)
    calib = coverage([str(i) for i in range(len(x))], torch.from_numpy(x), vectors, center, 20.0)
    calib.knn = neighbour_scores(calib.features, calib.features, 3, same=True)
    knn_t = threshold(calib.knn, 0.02)
    rate = false_alarm_rate(len(calib.ids), 0.02)
    rng = np.random.default_rng(5)
    unseen = rng.normal(size=(2, D))
    fresh = np.concatenate([c + 0.15 * rng.normal(size=(n, D)) for c, n in
                            zip([*centres, *unseen], [40, 40, 40, 12, 12], strict=True)])
    fy = np.repeat(np.arange(5), [40, 40, 40, 12, 12])
    cov = coverage([str(i) for i in range(len(fresh))], torch.from_numpy(fresh).float(), vectors,
                   center, 20.0)
    cov.knn = neighbour_scores(cov.features, calib.features, 3)
    unc = uncovered_mask(cov, knn_t)
    assert unc[fy >= 3].mean() >= 0.9
    assert unc[fy < 3].sum() <= novelty_expected(int((fy < 3).sum()), rate)
    assert unc.sum() > novelty_expected(len(fy), rate)  # the batch triggers discovery


def test_false_alarm_rate_accounts_for_few_calibration_images():
    """With few calibration images the 2% threshold is about their minimum, under which a
    fresh exchangeable score falls with chance ~2/(n+1), not 2%; many images approach 2%."""
    assert false_alarm_rate(47, 0.02) == pytest.approx(2 / 48)
    assert false_alarm_rate(512, 0.02) == pytest.approx(12 / 513)
    assert false_alarm_rate(10_000, 0.02) == pytest.approx(0.02, abs=1e-3)
    rng = np.random.default_rng(0)  # the bound holds empirically for exchangeable scores
    hits = []
    for _ in range(400):
        scores = rng.normal(size=48)
        hits.append(scores[47] < np.quantile(scores[:47], 0.02))
    assert np.mean(hits) <= false_alarm_rate(47, 0.02) + 0.02


def test_neighbour_scores():
    ref = np.eye(4, D, dtype=np.float32)
    q = np.eye(4, D, dtype=np.float32)[:2]
    assert neighbour_scores(q, ref, 1).tolist() == [1.0, 1.0]
    assert neighbour_scores(ref, ref, 1, same=True).tolist() == [0.0] * 4  # self excluded
    assert neighbour_scores(q, ref[:1], 3).tolist() == [1.0, 0.0]  # k capped at M


def test_thresholds_need_calibration_images():
    empty = coverage([], torch.zeros(0, D), torch.eye(3, D), torch.zeros(D), 20.0)
    with pytest.raises(DiscoveryError, match="calibration"):
        threshold(empty.knn, 0.02)
    with pytest.raises(DiscoveryError, match="quantile"):
        DiscoverOptions(quantile=0.7)


def test_spread_sample_covers_every_cluster():
    x, y, _ = clusters([30, 6, 6], seed=2, spread=0.05)
    ids = [f"i{k:03d}" for k in range(len(y))]
    chosen = spread_sample(ids, x, 6, seed=0)
    assert len(chosen) == 6 and chosen == sorted(chosen)
    picked = {int(y[ids.index(i)]) for i in chosen}
    assert picked == {0, 1, 2}  # not all six from the big cluster
    assert spread_sample(ids, x, 100) == sorted(ids)
    assert spread_sample(ids, x, 0) == []
    assert spread_sample(ids, x, 6, seed=0) == chosen  # deterministic


def test_new_names_refined_known_names_kept():
    """Answers of two unseen clusters: each cluster's majority name becomes a class (noise
    yields to it); an answer that spells a known class differently maps to the known name;
    a name of fewer than min_images images is no class."""
    x, y, _ = clusters([8, 8], seed=3, spread=0.05)
    answers = []
    for k, c in enumerate(y):
        if k % 4 == 3:
            answers.append([])  # not asked
        elif c == 0:
            answers.append(["Sooty Albatross"] if k != 2 else ["laysan albatross"])
        else:
            answers.append({9: ["Rusty Blackbird"], 10: ["wandering  albatross"]}.get(
                k, ["Wandering Albatross"]))
    found = name_new_classes(answers, x, ["Laysan Albatross", "Horned Puffin"], min_images=3,
                             refine={})
    assert sorted(found.names) == ["Sooty Albatross", "Wandering Albatross"]
    assert found.prototypes.shape == (2, D)
    by_cluster = {c: {found.labels[k] for k in np.flatnonzero(y == c)} for c in (0, 1)}
    assert by_cluster[0] == {"Sooty Albatross"} and by_cluster[1] == {"Wandering Albatross"}
    known_only = name_new_classes([["Laysan  albatross"]] * 4, x[:4], ["Laysan Albatross"],
                                  min_images=3, refine={})
    assert known_only.names == [] and set(known_only.labels) == {"Laysan Albatross"}
    nothing = name_new_classes([[]] * 4, x[:4], ["Laysan Albatross"], min_images=3, refine={})
    assert nothing.names == [] and nothing.labels == [None] * 4


def test_warm_start_adds_classes_and_keeps_old_decisions():
    x, y, centres = clusters([30, 30, 30, 10], seed=4, spread=0.2)
    from near_core.objective import CosineHead

    head = CosineHead(torch.from_numpy(centres[:3]).float(), scale=20.0)
    raw = torch.from_numpy(x)
    with torch.no_grad():
        before = head(raw).argmax(1)
    proto = F.normalize(raw[torch.from_numpy(y == 3)].mean(0), dim=0)[None]
    targets = torch.where(torch.from_numpy(y == 3), torch.tensor(3), before)
    vectors = warm_start(head, proto, raw, targets, config=NearConfig(), epochs=30, lr=0.01)
    assert vectors.shape == (4, D)
    after = (F.normalize(raw, dim=-1) @ F.normalize(vectors, dim=-1).T).argmax(1)
    assert (after[torch.from_numpy(y == 3)] == 3).float().mean() >= 0.9
    old = torch.from_numpy(y < 3)
    assert (after[old] == before[old]).float().mean() >= 0.95


def test_bundle_lineage_round_trip(tmp_path: Path):
    clip = load_clip(TINY, "", device="cpu", seed=3)
    names = ["blue", "red"]
    vectors = text_embeddings(clip, names, ["a {} square."])
    common = dict(model_name=TINY, weights_source="", visual=clip.model.visual,
                  log_scale=torch.tensor(3.0), preprocess_cfg=clip.preprocess_cfg)
    parent = load_bundle(save_bundle(tmp_path / "p", class_vectors=vectors, names=names,
                                     label_ids=[0, 1], **common), device="cpu")
    assert parent.parent_version is None and parent.classes_added == []  # older bundles too
    grown = torch.cat([vectors, vectors[:1] + 0.5])
    child = load_bundle(save_bundle(tmp_path / "c", class_vectors=grown, names=[*names, "teal"],
                                    label_ids=[0, 1, 7], parent_version=parent.model_version,
                                    classes_added=["teal"], **common), device="cpu")
    assert child.parent_version == parent.model_version and child.classes_added == ["teal"]
    assert child.names[:2] == parent.names and child.label_ids == [0, 1, 7]
    assert child.model_version != parent.model_version


def test_run_relabels_with_the_discovered_bundle_until_retrained(tmp_path: Path):
    store = RunStore(tmp_path / "run")
    store.update_state(train={"bundle": "/b/train", "model_version": "v1"})
    assert bundle_path(store, RelabelConfig()) == Path("/b/train")
    store.update_state(**{STATE_DISCOVERED: {"bundle": "/b/grown", "model_version": "v2",
                                             "train_version": "v1"}})
    assert bundle_path(store, RelabelConfig()) == Path("/b/grown")
    assert bundle_path(store, RelabelConfig(bundle="/x")) == Path("/x")
    store.update_state(train={"bundle": "/b/train2", "model_version": "v3"})  # retrained
    assert bundle_path(store, RelabelConfig()) == Path("/b/train2")


def test_synthetic_has_unseen_siblings_for_discovery():
    """The scenario of the discovery tests: the first 6 classes are trained on, classes 7
    and 8 are siblings of two of them that the run never saw."""
    known, new = class_names(6), class_names(8)[6:]
    assert not set(new) & set(known)
    assert all(set(siblings(n)) & set(known) for n in new)


def test_relabel_deployment_takes_discovery_parameters(tmp_path: Path):
    from deployments.serve import build_deployments, build_parser

    args = build_parser().parse_args([
        "--inbox", str(tmp_path), "--relabel-run", str(tmp_path / "run"), "--discover",
        "--label-budget", "12", "--mllm-url", "http://gpu:8000/v1", "--model", "m"])
    relabel = next(d for d in build_deployments(args) if d.name == "relabel-inbox")
    assert relabel.parameters["discover"] is True and relabel.parameters["label_budget"] == 12
    assert relabel.parameters["mllm_url"] == "http://gpu:8000/v1"
    plain = build_parser().parse_args(["--inbox", str(tmp_path), "--relabel-run", str(tmp_path)])
    relabel = next(d for d in build_deployments(plain) if d.name == "relabel-inbox")
    assert "discover" not in relabel.parameters
    import yaml

    spec = yaml.safe_load((Path(__file__).parents[1] / "deployments" / "prefect.yaml").read_text())
    inbox = next(d for d in spec["deployments"] if d["name"] == "relabel-inbox")
    assert {"discover", "label_budget"} <= set(inbox["parameters"])
    from flows.relabel import relabel_flow

    assert {"discover", "label_budget", "mllm_url", "model"} <= set(
        relabel_flow.parameters.properties)
