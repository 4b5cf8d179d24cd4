"""NeaR training on CLIP: single process or ``torchrun`` DDP (``python -m near_core.train``).

Two modes share one loop (``train.mode``; ``auto``, the default, fine-tunes on a GPU and
trains the head on CPU):

* ``head``: the image tower is frozen; inputs are the run's cached embeddings (``near embed``);
  only the class vectors train (fast, CPU friendly).
* ``finetune``: images go through the image tower, of which the last ``train.unlocked_blocks``
  blocks train (with augmentations); class vectors are free vectors, or the text tower
  itself with ``train.unlock_text``.

The training images are the MLLM-named ones (a seeded slice held out for validation); the
objective is :class:`near_core.objective.NearObjective`. Modules: ``data`` (samples and
targets), ``model`` (towers, head, optimizer), ``checkpoint`` (:class:`CheckpointState`),
``loop`` (:func:`train`), ``validation`` (prototype classifiers, the held-out check and the
guard), ``entry`` (command line, :func:`launch`).

Outputs, written by rank 0 only, in ``train.out`` (default ``RUN/train``)::

    latest.pt, best.pt   CheckpointState: model, optimizer, RNG and refinement state
    metrics.csv          one row per epoch
    config.toml          the resolved configuration
    labels.parquet       label per named image (schema of the ``labels`` table)
    summary.json         mode, epochs, world size, per-rank weight hashes, validation, bundle
    bundle/              the classifier bundle (near_core.bundle) kept by the guard

and ``RUN/validation.json`` (:class:`near_core.train.validation.Validation`).
``--resume`` continues from ``latest.pt`` exactly (same sampler order, RNG and targets).
"""

from near_core.train.checkpoint import CheckpointState, TrainError, load_checkpoint
from near_core.train.data import TrainData, load_train_data
from near_core.train.entry import (
    launch,
    main,
    torchrun_command,
    train_argv,
    write_launch_config,
)
from near_core.train.loop import STATE_KEY, TrainResult, out_dir_of, train
from near_core.train.model import TrainModel, WarmupCosine, resolve_mode
from near_core.train.validation import VALIDATION_FILE, Validation

__all__ = [
    "STATE_KEY", "VALIDATION_FILE", "CheckpointState", "TrainData", "TrainError", "TrainModel",
    "TrainResult", "Validation", "WarmupCosine", "launch", "load_checkpoint", "load_train_data",
    "main", "out_dir_of", "resolve_mode", "torchrun_command", "train", "train_argv",
    "write_launch_config",
]
