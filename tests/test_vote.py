"""The kNN vote classifier: votes, leave-one-out evidence, the guard's choice, the bundle that
keeps it, and the regime where it is the right classifier (each class in two looks)."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from clip_fixtures import make_images
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from near_core.bundle import BundleError, load_bundle, save_bundle
from near_core.clip import TINY, load_clip, text_embeddings
from near_core.config import load_config
from near_core.ingest import current_images
from near_core.metrics import cacc
from near_core.relabel import predict_files
from near_core.testing.worlds import build_run
from near_core.train import VALIDATION_FILE, train
from near_core.train.validation import choose
from near_core.vocabulary import Vocabulary
from near_core.vote import (
    VoteHead,
    VoteMemory,
    answer_vote,
    clump_test,
    leave_one_out,
    neighbour_vote,
    vote_logits,
)


def test_the_vote_counts_the_k_nearest_and_ties_go_to_the_nearer():
    memory = VoteMemory(torch.eye(4), torch.tensor([0, 0, 1, 2]), k=2)
    query = F.normalize(torch.tensor([[1.0, 0.2, 0.0, 0.0], [0.0, 0.0, 1.0, 0.5]]), dim=-1)
    shares = vote_logits(query, memory, 3).softmax(1)
    assert shares[0].argmax() == 0 and shares[0, 0] > 0.99  # both neighbours say 0
    assert shares[1].argmax() == 1  # one vote each for 1 and 2: row 2 is nearer
    assert torch.allclose(shares[1, 1:], torch.tensor([0.5, 0.5]), atol=1e-3)


def test_leave_one_out_never_counts_the_image_itself():
    memory = VoteMemory(torch.eye(3), torch.tensor([0, 1, 1]), k=1)
    # each row's nearest is itself unless skipped; with the skip, all three are equally far
    own = vote_logits(torch.eye(3), memory, 2).argmax(1)
    skipped = vote_logits(torch.eye(3), memory, 2, skip=torch.arange(3)).softmax(1)
    assert own.tolist() == [0, 1, 1]
    assert skipped[0, 0] < 1e-3  # image 0 cannot vote for itself


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 30), st.integers(1, 6), st.integers(1, 7), st.integers(0, 10_000))
def test_vote_shares_are_a_distribution_over_the_neighbours_labels(m, k, c, seed):
    """Shares sum to 1, and only labels of the k nearest memory rows get more than the floor."""
    g = torch.Generator().manual_seed(seed)
    x = F.normalize(torch.randn(m, 8, generator=g), dim=-1)
    labels = torch.randint(0, c, (m,), generator=g)
    q = F.normalize(torch.randn(5, 8, generator=g), dim=-1)
    shares = vote_logits(q, VoteMemory(x, labels, k), c).softmax(1)
    assert torch.allclose(shares.sum(1), torch.ones(5), atol=1e-5)
    nearest = (q @ x.T).topk(min(k, m), dim=1).indices
    for row, idx in zip(shares, nearest, strict=True):
        voted = set(labels[idx].tolist())
        assert all(row[j] < 1e-4 for j in range(c) if j not in voted)


def test_leave_one_out_sees_classes_that_look_two_ways():
    """Two classes, each on two opposite sides (XOR): class means sit where no image is and
    name at chance; a vote of the neighbours names nearly every image."""
    g = torch.Generator().manual_seed(0)
    centres = torch.tensor([[1.0, 0, 0], [-1.0, 0, 0], [0, 1.0, 0], [0, -1.0, 0]])
    which = torch.arange(80) % 4
    x = F.normalize(centres[which] + 0.15 * torch.randn(80, 3, generator=g)
                    + torch.tensor([0, 0, 0.3]), dim=-1)
    labels = which // 2
    hits = leave_one_out(x, labels, k=5)
    assert hits["vote"].float().mean() > 0.95
    assert hits["means"].float().mean() < 0.75
    # labels or targets of -1 are no test (and such labels no voter)
    some = labels.clone()
    some[:10] = -1
    assert len(leave_one_out(x, some, k=5)["vote"]) == 70
    assert len(leave_one_out(x, labels, k=5, targets=some)["vote"]) == 70
    # the classifiers are built from the labels and scored on the targets: a flipped target
    # is missed, every other image scores as before
    flipped = labels.clone()
    flipped[0] = 1 - flipped[0]
    scored = leave_one_out(x, labels, k=5, targets=flipped)
    assert not scored["vote"][0] and torch.equal(scored["vote"][1:], hits["vote"][1:])
    assert torch.equal(scored["means"][1:], hits["means"][1:])


def test_given_neighbours_give_the_same_leave_one_out_and_the_vote_may_count_other_labels():
    g = torch.Generator().manual_seed(1)
    x = F.normalize(torch.randn(60, 4, generator=g), dim=-1)
    labels = torch.randint(0, 3, (60,), generator=g)
    nearest = (x @ x.T).fill_diagonal_(-2).topk(5, dim=1).indices
    for key, hit in leave_one_out(x, labels, k=5, neighbours=nearest).items():
        assert torch.equal(hit, leave_one_out(x, labels, k=5)[key])
    # the vote counts its own labels, the means stay those of ``labels``
    other = (labels + 1) % 3
    mixed = leave_one_out(x, labels, k=5, vote_labels=other, neighbours=nearest)
    assert torch.equal(mixed["means"], leave_one_out(x, labels, k=5)["means"])
    assert torch.equal(mixed["vote"], leave_one_out(x, other, k=5, targets=labels,
                                                    neighbours=nearest)["vote"])


def test_the_clump_test_needs_a_clear_lead_above_chance():
    g = torch.Generator().manual_seed(0)
    centres = torch.tensor([[1.0, 0, 0], [-1.0, 0, 0], [0, 1.0, 0], [0, -1.0, 0]])
    which = torch.arange(80) % 4
    x = F.normalize(centres[which] + 0.15 * torch.randn(80, 3, generator=g), dim=-1)
    xor = clump_test(x, which // 2, k=5, targets=which // 2)
    assert xor.clumped and xor.vote > 0.95 and xor.chance == 0.5 and xor.images == 80
    plain = clump_test(x, which, k=5, targets=which)  # one clump per class: means do as well
    assert not plain.clumped and plain.means > 0.95
    noise = torch.randint(0, 2, (80,), generator=g)  # labels the geometry does not follow
    assert not clump_test(x, noise, k=5, targets=noise).clumped
    assert clump_test(x[:0], which[:0], k=5, targets=which[:0]) == type(xor)(0, 0.0, 0.0, 0.0, False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(-1, 4), min_size=1, max_size=6), min_size=1, max_size=20)
       .filter(lambda rows: len({len(r) for r in rows}) == 1))
def test_the_neighbour_vote_takes_the_most_voted_label_ties_to_the_nearer(rows):
    labels = torch.tensor(rows)
    won, share = neighbour_vote(labels)
    for row, w, s in zip(rows, won.tolist(), share.tolist(), strict=True):
        votes = [v for v in row if v >= 0]
        if not votes:
            assert w == -1 and s == 0.0
            continue
        top = max(votes.count(v) for v in votes)
        tied = [v for v in row if v >= 0 and votes.count(v) == top]
        nearness = {v: sum(len(row) - j for j, u in enumerate(row) if u == v) for v in tied}
        assert w == max(tied, key=lambda v: nearness[v])  # of the most voted, the nearer
        assert s == pytest.approx(top / len(votes), abs=2e-3)


def test_the_answer_vote_counts_the_images_own_answer_first():
    from scipy import sparse
    q = sparse.csr_matrix(np.array([[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]],
                                   dtype=np.float32))
    won, share = answer_vote(q, np.array([[1, 3], [2, 0], [1, 0], [4, 0], [3, 2]]))
    # row 0: own 0, neighbours 1 and 2 -> a three-way tie goes to its own answer
    assert won.tolist() == [0, 1, 1, 0, 0]
    assert share[1] == pytest.approx(2 / 3, abs=1e-3)
    # a withheld image: its own answers weigh in without being a voter
    won, _ = answer_vote(q, np.array([[1, 2]]), own=sparse.csr_matrix(np.array([[0, 0, 1.0]])))
    assert won.tolist() == [1]


def _hits(pattern: str) -> torch.Tensor:
    return torch.tensor([c == "1" for c in pattern])


def test_the_vote_is_kept_only_for_clumped_classes_and_the_trained_must_beat_it():
    protos, vote = _hits("1100110011"), _hits("1111110011")
    hits = {"raw_prototypes": protos, "refined": protos, "knn": vote, "trained": protos}
    assert choose(hits) == "refined"  # not clumped: class means stay
    assert choose(hits, clumped=True) == "knn"
    trained = _hits("1111111011")  # 3 more than the prototypes (> sqrt 3), 1 more than the vote
    assert choose(hits | {"trained": trained}) == "trained"
    assert choose(hits | {"trained": trained}, clumped=True) == "knn"
    assert choose(hits | {"knn": None}, clumped=True) == "refined"


@pytest.fixture(scope="module")
def clip():
    return load_clip(TINY, "", device="cpu", seed=3)


def _save(out, clip, memory: VoteMemory | None, names=("a", "b", "c")):
    vectors = text_embeddings(clip, list(names), ["a {} square."])
    return save_bundle(out, model_name=TINY, weights_source="", visual=clip.model.visual,
                       class_vectors=vectors, log_scale=torch.tensor(3.0), names=list(names),
                       label_ids=list(range(len(names))), preprocess_cfg=clip.preprocess_cfg,
                       memory=memory)


def test_a_bundle_keeps_its_vote_and_relabels_with_it(clip, tmp_path):
    images = [p for p, _ in make_images(tmp_path / "img", per_class=3)]
    plain = load_bundle(_save(tmp_path / "plain", clip, None), device="cpu")
    feats = plain.features(torch.stack([plain.preprocess(Image.open(p).convert("RGB"))
                                        for p in images]))
    z = F.normalize(feats, dim=-1)  # the bundle's centre is zero here
    labels = torch.arange(len(images)) % 3
    bundle_dir = _save(tmp_path / "knn", clip, VoteMemory(z, labels, k=1))
    bundle = load_bundle(bundle_dir, device="cpu")
    assert (plain.kind, bundle.kind) == ("cosine", "knn")
    assert bundle.model_version != plain.model_version
    # each memory image is its own nearest neighbour: relabel gives back its memory label
    got = [lab[0] for _, lab, _, _ in predict_files(bundle, images, top_k=1)]
    assert got == [bundle.names[c] for c in labels.tolist()]
    assert isinstance(bundle.classifier.head, VoteHead)
    # the head's class vectors are the memory's class means (discovery reads them)
    means = F.normalize(F.one_hot(labels, 3).float().T @ z, dim=-1)
    assert torch.allclose(bundle.classifier.head.weight, means, atol=1e-5)


def test_a_vote_file_that_does_not_fit_is_an_error_naming_it(clip, tmp_path):
    with pytest.raises(BundleError, match="vote memory labels"):
        _save(tmp_path / "bad", clip, VoteMemory(torch.zeros(2, clip.embed_dim),
                                                 torch.tensor([0, 5]), k=1))
    out = _save(tmp_path / "ok", clip, VoteMemory(torch.zeros(2, clip.embed_dim),
                                                  torch.tensor([0, 2]), k=1))
    from safetensors.torch import save_file

    save_file({"features": torch.zeros(2, 7), "labels": torch.tensor([0, 1]),
               "k": torch.tensor(1)}, str(out / "knn.safetensors"))
    with pytest.raises(BundleError, match="knn.safetensors features"):
        load_bundle(out, device="cpu")


def test_classes_that_look_two_ways_keep_the_vote(tmp_path):
    """The regime where class means fail (bench/regimes.py "each class in two looks"): the
    bundle keeps the vote, writes why, and names unseen images as the vote does, far above
    the raw-label prototypes."""
    clip = load_clip(TINY, "", device="cpu", seed=0)
    cfg = load_config(None, {"clip.model": TINY, "clip.pretrained": "", "clip.device": "cpu",
                             "train.workers": 0, "train.mode": "head"})
    world = build_run(tmp_path / "run", clip, cfg, n=400, named=0.5, two_looks=True, test=200)
    result = train(world.store, cfg)
    assert result.validation.chosen == "knn"
    written = json.loads((world.store.root / VALIDATION_FILE).read_text())
    assert written["chosen"] == "knn" and written["leave_one_out"]["clumped"] is True
    bundle = load_bundle(result.bundle_dir, device="cpu")
    with torch.no_grad():
        pred = bundle.classifier.head(torch.from_numpy(world.test_features)).argmax(1)
    score = cacc([bundle.names[c] for c in pred.tolist()], world.test_truth)
    center = world.features.mean(0)
    named = F.normalize(torch.from_numpy(world.features[world.named] - center), dim=-1)
    test = F.normalize(torch.from_numpy(world.test_features - center), dim=-1)
    raw = [world.answers[i] for i in world.named]
    names = sorted(set(raw))
    cols = torch.tensor([names.index(a) for a in raw])
    means = F.normalize(F.one_hot(cols, len(names)).float().T @ named, dim=-1)
    proto = cacc([names[c] for c in (test @ means.T).argmax(1).tolist()], world.test_truth)
    assert score > 0.85 and score > proto + 0.1, (score, proto)
    assert np.isfinite(written["stages"]["knn"])


def test_refined_labels_vote_better_than_raw_ones_where_classes_look_two_ways(tmp_path):
    """The two-looks regime compared student by student (bench/regimes.py): class means fail
    there for any labels, so refine is judged by the kNN vote of its labels against the same
    vote of the raw answers, on images the MLLM never saw."""
    clip = load_clip(TINY, "", device="cpu", seed=0)
    cfg = load_config(None, {"clip.model": TINY, "clip.pretrained": "", "clip.device": "cpu"})
    world = build_run(tmp_path / "run", clip, cfg, n=400, named=0.5, two_looks=True, test=200)
    ids = current_images(world.store)["image_id"].to_pylist()
    refined_of = {r["image_id"]: r["label_id"] for r in world.store.read("labels").to_pylist()}
    vocab = Vocabulary.from_table(world.store.read("vocabulary"))
    center = world.features.mean(0)
    named = F.normalize(torch.from_numpy(world.features[world.named] - center), dim=-1)
    test = F.normalize(torch.from_numpy(world.test_features - center), dim=-1)
    neighbours = (test @ named.T).topk(5, dim=1).indices.tolist()

    def vote(labels: list[int]) -> float:
        pred = [Counter(labels[j] for j in row).most_common(1)[0][0] for row in neighbours]
        return cacc(pred, world.test_truth)

    raw = vote([vocab.id_of(world.answers[i]) for i in world.named])
    refined = vote([refined_of[ids[i]] for i in world.named])
    assert refined >= raw + 0.03, (refined, raw)


def test_discovery_grows_a_voting_parent_from_its_class_means():
    """Discovery reads a head's class vectors, centre and scale: a voting parent gives the
    class means of its voters, and the warm start keeps their decisions (the grown bundle
    is a cosine head: the new classes have no voters)."""
    from near_core.config import NearConfig
    from near_core.discover import warm_start

    g = torch.Generator().manual_seed(0)
    centres = F.normalize(torch.randn(3, 16, generator=g), dim=-1)
    y = torch.arange(60) % 3
    x = F.normalize(centres[y] + 0.1 * torch.randn(60, 16, generator=g), dim=-1)
    head = VoteHead(VoteMemory(x[:40], y[:40], k=3), n_classes=2 + 1, scale=30.0)
    new = F.normalize(torch.randn(1, 16, generator=g), dim=-1)
    vectors = warm_start(head, new, x, y, config=NearConfig(), epochs=5, lr=0.01)
    assert vectors.shape == (4, 16)
    assert ((x @ F.normalize(vectors[:3], dim=-1).T).argmax(1) == y).float().mean() > 0.95
