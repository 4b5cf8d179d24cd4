"""Entry point ``python -m near_core.train --run-dir RUN [--config FILE] [--resume]``, and
:func:`launch`, which runs it in a subprocess (under torchrun for several processes).

The configuration is resolved once by the caller (CLI or flow) and written as a TOML file;
this entry point reads that file (default ``RUN/config.toml``, else the defaults) and
nothing else.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from near_core.config import CONFIG_FILENAME, NearConfig, load_config, toml_data
from near_core.distributed import close_distributed
from near_core.errors import NearError
from near_core.store import RunStore, atomic_write_bytes
from near_core.train.checkpoint import TrainError
from near_core.train.loop import TrainResult, train


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m near_core.train",
        description="NeaR training on CLIP (run directly or under torchrun).",
        allow_abbrev=False,
    )
    # --run-dir first: torchrun would take a bare "--run" for its own --run-path option
    p.add_argument("--run-dir", "--run", dest="run_dir", type=Path, required=True,
                   help="run directory")
    p.add_argument("--config", type=Path,
                   help=f"the resolved TOML config (default RUN_DIR/{CONFIG_FILENAME} when present)")
    p.add_argument("--resume", action="store_true", help="continue from train.out/latest.pt")
    return p


def summary_lines(result: TrainResult) -> list[str]:
    """What ``near train`` / this entry point print: counts, bundle, validation (+ flag)."""
    trained_on = len(result.image_ids) - result.validation.images
    lines = [f"train: {trained_on} images ({result.mode}, {result.validation.images} held out), "
             f"{len(result.final_names)} classes -> {result.bundle_dir} "
             f"({result.model_version})",
             result.validation.line()]
    if result.validation.flag:
        lines.append(result.validation.flag)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Entry of ``python -m near_core.train``; returns the exit status."""
    args = build_parser().parse_args(argv)
    rank = int(os.environ.get("RANK", "0"))
    logging.basicConfig(level=logging.WARNING,
                        format=f"%(asctime)s [rank {rank}] %(levelname)s %(name)s: %(message)s")
    if rank == 0:
        logging.getLogger("near_core").setLevel(logging.INFO)
    config = args.config
    if config is None and (args.run_dir / CONFIG_FILENAME).is_file():
        config = args.run_dir / CONFIG_FILENAME
    clean = False
    try:
        result = train(RunStore(args.run_dir), load_config(config), resume=args.resume)
        clean = True
    except NearError as exc:
        print(f"near train: error: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 2)
    finally:
        close_distributed(clean=clean)
    if rank == 0:
        for line in summary_lines(result):
            print(line, file=sys.stderr if line.startswith("WARNING") else sys.stdout)
    return 0


def torchrun_command(argv: Sequence[str], *, nproc: int, nnodes: int = 1, node_rank: int = 0,
                     rdzv_endpoint: str | None = None) -> list[str]:
    """The command line that runs ``python -m near_core.train ARGV`` under torchrun.

    One node uses ``--standalone`` (a free local port); several nodes need ``rdzv_endpoint``
    (``host:port`` of node 0) and the same command on every node with its ``node_rank``.
    """
    cmd = [sys.executable, "-m", "torch.distributed.run", f"--nproc-per-node={nproc}"]
    if nnodes > 1:
        if not rdzv_endpoint:
            raise TrainError("multi-node training needs rdzv_endpoint (host:port of node 0)")
        cmd += [f"--nnodes={nnodes}", f"--node-rank={node_rank}", "--rdzv-backend=c10d",
                f"--rdzv-endpoint={rdzv_endpoint}"]
    else:
        cmd.append("--standalone")
    # torchrun's parser would take a bare "--run" as an abbreviation of its --run-path
    argv = ["--run-dir" if a == "--run" else a for a in argv]
    return [*cmd, "-m", "near_core.train", *argv]


LAUNCH_CONFIG = "launch.toml"


def write_launch_config(cfg: NearConfig, out_dir: str | os.PathLike[str]) -> Path:
    """Write the values ``cfg`` was given (not its defaults) to ``OUT/launch.toml`` for the
    training process; returns the path. Unset fields stay unset there, so the stage keeps
    following the run's remembered choices (e.g. the CLIP model ``near embed`` used)."""
    import tomli_w

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = toml_data(cfg, exclude_unset=True)
    atomic_write_bytes(out / LAUNCH_CONFIG, tomli_w.dumps(data).encode())
    return out / LAUNCH_CONFIG


def train_argv(run_dir: str | os.PathLike[str], config_file: str | os.PathLike[str], *,
               resume: bool = False) -> list[str]:
    """The arguments of ``python -m near_core.train`` for a resolved config file."""
    argv = ["--run-dir", str(run_dir), "--config", str(config_file)]
    return [*argv, "--resume"] if resume else argv


def launch(argv: Sequence[str], *, nproc: int = 1, nnodes: int = 1, node_rank: int = 0,
           rdzv_endpoint: str | None = None, env: dict[str, str] | None = None,
           timeout: float | None = None) -> int:
    """Run training in a subprocess (torchrun when ``nproc * nnodes > 1``); returns its exit
    status. Output goes to this process's stdout/stderr. Used by the CLI and the Prefect task."""
    if nproc * nnodes > 1:
        cmd = torchrun_command(argv, nproc=nproc, nnodes=nnodes, node_rank=node_rank,
                               rdzv_endpoint=rdzv_endpoint)
    else:
        cmd = [sys.executable, "-m", "near_core.train", *argv]
    full_env = os.environ | (env or {})
    full_env.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // max(nproc, 1))))
    return subprocess.run(cmd, env=full_env, timeout=timeout, check=False).returncode
