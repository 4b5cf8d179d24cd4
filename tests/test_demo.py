"""`near demo`'s side-by-side comparison: the raw-label prototype baseline and the verdict."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from near_cli.commands.demo import print_comparison, raw_label_prototypes
from near_core.store import RunStore


def test_raw_label_prototypes_label_the_unseen_images(tmp_path: Path):
    store = RunStore(tmp_path)
    rng = np.random.default_rng(0)
    centres = {"Tufted Puffin": np.eye(8)[0], "Horned Puffin": np.eye(8)[1]}
    truth = {f"{c}{k}": c for c in centres for k in range(4)}
    store.append("embeddings", [
        {"image_id": i, "encoder": "enc", "embedding": (centres[c] + 0.1 * rng.normal(size=8))
         .astype(np.float32).tolist()} for i, c in truth.items()])
    named = {"Tufted Puffin0": "Tufted Puffin", "Tufted Puffin1": "Horned Puffin",  # one wrong
             "Tufted Puffin2": "Tufted Puffin", "Horned Puffin0": "Horned Puffin",
             "Horned Puffin1": "Horned Puffin"}
    store.append("answers", [
        {"image_id": i, "model": "m", "prompt_version": "v", "params_hash": "h", "sample_idx": 0,
         "status": "ok", "label": lab} for i, lab in named.items()]
        + [{"image_id": "Horned Puffin2", "model": "m", "prompt_version": "v", "params_hash": "h",
            "sample_idx": 0, "status": "failed", "label": None}])
    pred = raw_label_prototypes(tmp_path, "enc")
    assert set(pred) == set(truth) - set(named)  # only images the MLLM never named
    assert all(pred[i] == truth[i] for i in pred)


def test_verdict_compares_student_with_teacher(capsys):
    rows = [("MLLM teacher (images it named)", 62, 0.726),
            ("trained CLIP classifier (images the MLLM never saw)", 66, 0.5)]
    print_comparison(rows)
    assert "is BELOW its teacher (0.500 vs 0.726)" in capsys.readouterr().out
    print_comparison([rows[0], (rows[1][0], 66, 0.9)])
    assert "matches or beats its teacher (0.900 vs 0.726)" in capsys.readouterr().out
