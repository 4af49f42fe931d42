"""A small app for the route tests, run as a real process (`python -m tests.route_app`) so that a
test can stop it and start it again on the same port: it checks each delivery with the
provider's own SDK (Stripe's, Standard Webhooks') and logs what it received, a JSON line each."""

from __future__ import annotations

import argparse
import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]


def verdict(headers: Any, body: bytes, stripe_secret: str, standard_secret: str) -> str | None:
    """Which SDK accepted the delivery ("stripe", "standard"), None when unsigned; raises when
    the SDK refuses it."""
    if "Stripe-Signature" in headers:
        import stripe

        stripe.WebhookSignature.verify_header(body.decode(), headers["Stripe-Signature"],
                                              stripe_secret, 300)
        return "stripe"
    if "webhook-signature" in headers:
        from standardwebhooks.webhooks import Webhook

        Webhook(standard_secret).verify(body, {k.lower(): v for k, v in headers.items()})
        return "standard"
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--stripe-secret", default="")
    parser.add_argument("--standard-secret", default="")
    args = parser.parse_args()

    async def handle(request: web.Request) -> web.Response:
        body = await request.read()
        try:
            checked: str | bool | None = verdict(request.headers, body, args.stripe_secret,
                                                 args.standard_secret)
        except Exception as error:  # the SDK refused it: say so, as a real app would
            checked = False
            print(f"refused: {error}", file=sys.stderr, flush=True)
        with open(args.log, "a") as log:
            log.write(json.dumps({"path": request.path_qs, "body": body.decode("utf-8", "replace"),
                                  "verified": checked}) + "\n")
        return web.json_response({"app": args.port, "verified": checked},
                                 status=400 if checked is False else 200)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    web.run_app(app, host="127.0.0.1", port=args.port, access_log=None,
                print=lambda *_: print("ready", flush=True))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class AppProcess:
    """One app on a fixed loopback port, started and stopped (kill -9) at will."""

    def __init__(self, log: Path, stripe_secret: str = "", standard_secret: str = "") -> None:
        self.port = free_port()
        self.log = log
        self.secrets = ["--stripe-secret", stripe_secret, "--standard-secret", standard_secret]
        self.process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.route_app", "--port", str(self.port), "--log",
             str(self.log), *self.secrets], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
            if self.process.stdout is not None:
                self.process.stdout.close()
            self.process = None

    def seen(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def wait_for(self, count: int, timeout: float = 15.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.seen()) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.seen()


if __name__ == "__main__":
    main()
