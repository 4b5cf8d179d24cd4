"""`near serve`: run services in the foreground until Ctrl-C.

``near serve mllm --model M [--python PY] [--port P] ...`` starts a vLLM OpenAI-compatible server
(near_core.mllm.serve), waits for /health, prints its URL and stops it cleanly on Ctrl-C/SIGTERM.
``near serve deployments [ARGS...]`` hands over to ``deployments.serve.main(ARGS)``.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from near_cli.common import EXIT_OK, EXIT_UNAVAILABLE, add_config_args, resolve_config


def register(sub) -> None:
    p = sub.add_parser(
        "serve",
        help="start services: the vLLM MLLM server, Prefect deployments",
        description="start services in the foreground: the vLLM MLLM server, Prefect deployments",
    )
    what = p.add_subparsers(dest="service", metavar="SERVICE", required=True)

    m = what.add_parser(
        "mllm",
        help="start a vLLM server (OpenAI API) for the label stage",
        description="Start vLLM in its own environment, wait for /health, serve until Ctrl-C. "
        "Defaults come from the [mllm] config section.",
    )
    add_config_args(m)
    m.add_argument("--model", help="model directory or hub id to serve (mllm.vllm_model_path)")
    m.add_argument("--served-model-name", help="name clients send as `model` (mllm.model; default: --model)")
    m.add_argument("--python", help="python of the environment holding vLLM (mllm.vllm_python)")
    m.add_argument("--host", help="listen address (default: the host of mllm.url)")
    m.add_argument("--port", type=int, help="listen port (default: the port of mllm.url; 0: free)")
    m.add_argument("--max-model-len", type=int, help="context length (mllm.vllm_max_model_len)")
    m.add_argument("--limit-mm-per-prompt", type=int, default=1, help="images per request")
    m.add_argument(
        "--allowed-media-domain",
        dest="media_domains",
        action="append",
        metavar="HOST",
        help="host vLLM may fetch image URLs from (repeatable; default: loopback only)",
    )
    m.add_argument("--allowed-local-media-path", type=Path,
                   help="directory requests may read local images from (off by default)")
    m.add_argument("--log", type=Path, help="server log file (default: a temporary file)")
    m.add_argument("--startup-timeout", type=float, help="seconds to wait for /health")
    m.add_argument("vllm_args", nargs=argparse.REMAINDER,
                   help="after `--`: more flags passed to vLLM as they are")
    m.set_defaults(func=_serve_mllm)

    d = what.add_parser(
        "deployments",
        help="serve the Prefect deployments (deployments/serve.py)",
        description="Serve the Prefect deployments; arguments go to deployments.serve.main.",
    )
    d.add_argument("deploy_args", nargs=argparse.REMAINDER, help="arguments for deployments.serve")
    d.set_defaults(func=_serve_deployments)


def _serve_mllm(args: argparse.Namespace) -> int:
    from near_core.mllm.serve import DEFAULT_MEDIA_DOMAINS, server_from_config

    extra = [a for a in args.vllm_args if a != "--"]
    cfg = resolve_config(args, {
        "mllm.vllm_model_path": args.model,
        "mllm.model": args.served_model_name or args.model,
        "mllm.vllm_python": args.python,
        "mllm.vllm_max_model_len": args.max_model_len,
        "mllm.vllm_startup_timeout_s": args.startup_timeout,
    }).mllm
    listen = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    server = server_from_config(
        cfg,
        **listen,
        limit_mm_per_prompt=args.limit_mm_per_prompt,
        allowed_media_domains=args.media_domains or DEFAULT_MEDIA_DOMAINS,
        allowed_local_media_path=args.allowed_local_media_path,
        extra_args=[*cfg.vllm_serve_args, *extra],
        log_path=args.log,
    )
    stop = threading.Event()
    previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, lambda *_: stop.set())}
    try:
        print(f"starting vLLM for {server.model} (log {server.log_path or 'temporary'}) ...",
              file=sys.stderr)
        server.start(timeout_s=cfg.vllm_startup_timeout_s)
        # Ctrl-C stops it even where SIGINT was inherited as ignored (a job started with `&`)
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, lambda *_: stop.set())
        print(f"vLLM serves {cfg.model!r} at {server.url} (log {server.log_path}); Ctrl-C stops it",
              flush=True)
        while not stop.is_set():
            if server.process.poll() is not None:
                print(f"near serve mllm: the vLLM server exited with code "
                      f"{server.process.returncode}; log {server.log_path}", file=sys.stderr)
                return EXIT_UNAVAILABLE
            stop.wait(1.0)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("vLLM server stopped", file=sys.stderr)
    return EXIT_OK


def _serve_deployments(args: argparse.Namespace) -> int:
    from deployments.serve import main as serve_deployments  # imports prefect: only here

    return int(serve_deployments([a for a in args.deploy_args if a != "--"]) or 0)
