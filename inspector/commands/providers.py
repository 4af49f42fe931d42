"""`webhook-inspector providers`: the signature schemes it knows, with their headers."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..signatures import SCHEMES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options."""


def run(args: argparse.Namespace, out: TextIO) -> int:
    width = max(len(scheme.name) for scheme in SCHEMES)
    for scheme in SCHEMES:
        aliases = f" (alias {', '.join(scheme.aliases)})" if scheme.aliases else ""
        unpublished = "" if scheme.sending.published else " [scheme not published]"
        headers = ", ".join(scheme.signature_headers) or "(no documented header)"
        print(f"{scheme.name:<{width}}  {headers}{aliases}{unpublished}", file=out)
    return 0
