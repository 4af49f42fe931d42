"""`POST /api/requests/ID/confirm`: confirm an Amazon SNS subscription, on the user's call only;
`POST /api/requests/ID/certificate`: fetch the signing certificate a message names, likewise.

SNS proves an endpoint with a SubscriptionConfirmation whose SubscribeURL must be visited; the
inspector shows it and never visits it by itself (SPEC section 9). Here, on the call, and only
for a confirmation whose signature is valid:
- when the capture could not verify it for want of the signing certificate, the certificate is
  fetched, its URL passing `certificate_url_problem` first;
- the SubscribeURL passes its rule (https on sns.<region>.amazonaws.com, the same rule; a test
  injects its own through SUBSCRIBE_URL_RULE) before any connection;
- neither request follows a redirect, which could lead anywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aiohttp import web
from yarl import URL

from ..analysis import explained_verdicts
from ..captured import CapturedRequest
from ..client import Client, Failure
from ..models import Verdict
from ..offload import off_loop
from ..signatures.sns import (
    CERTIFICATES,
    PEM_CERTIFICATE,
    Sns,
    certificate_url_problem,
    url_problem,
)
from ..state import SharedState
from .api_requests import error, find
from .keys import CLIENT, INSPECTOR

UrlRule = Callable[[str], str | None]  # why the URL may not be called, or None
SUBSCRIBE_URL_RULE: web.AppKey[UrlRule] = web.AppKey("sns_subscribe_url_rule")
TIMEOUT_S = 10.0
READ_LIMIT = 64 * 1024
CONFIRMATION = "SubscriptionConfirmation"


def subscribe_url_problem(url: str) -> str | None:
    return url_problem(url, "SubscribeURL")


async def get_once(session: Client, url: str) -> tuple[int, bytes] | str:
    """(status, the start of the body), or what went wrong."""
    try:
        answer = await session.request("GET", URL(url), [], None, TIMEOUT_S, READ_LIMIT)
    except Failure as problem:
        return f"{url} could not be reached ({problem.reason})"
    except ValueError as problem:  # yarl's
        return f"{url} could not be reached ({problem})"
    return answer.status, answer.body


async def fetch_certificate(session: Client, url: str) -> str | None:
    """Fetch the signing certificate into the cache the verifier reads; what went wrong."""
    problem = certificate_url_problem(url)
    if problem is not None:
        return problem
    got = await get_once(session, url)
    if isinstance(got, str):
        return got
    status, pem = got
    if status != 200 or not pem.lstrip().startswith(PEM_CERTIFICATE.encode()):
        return f"{url} answered {status} without a PEM certificate"
    CERTIFICATES.remember(url, pem)
    return None


def message_of(record: CapturedRequest, *fields: str) -> dict[str, Any] | None:
    """The SNS message a request carries, when it names each of `fields` as a string."""
    try:
        message = json.loads(record.body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(message, dict):
        return None
    return message if all(isinstance(message.get(f), str) for f in fields) else None


def confirmation_of(record: CapturedRequest) -> dict[str, Any] | None:
    message = message_of(record, "SubscribeURL", "SigningCertURL")
    return message if message is not None and message.get("Type") == CONFIRMATION else None


def signature_of(record: CapturedRequest) -> Verdict | None:
    return next((v for v in record.signatures if v.provider == Sns.name), None)


async def verified(inspector: SharedState, session: Client,
                   record: CapturedRequest, certificate_url: str) -> Verdict | str:
    """The confirmation's verdict, after fetching its certificate if that was what it lacked."""
    found = signature_of(record)
    if found is None:
        return "no sns secret is configured: add one (a topic ARN, or *) to verify it first"
    if found.status != "unverified" or CERTIFICATES.get(certificate_url) is not None:
        return found
    problem = await fetch_certificate(session, certificate_url)
    if problem is not None:
        return problem
    record = record._replace(signatures=await off_loop(explained_verdicts, record,
                                                        inspector.secrets))
    inspector.update(record)
    return signature_of(record) or "the confirmation could not be verified"


async def confirm(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    record = find(request)
    if isinstance(record, web.Response):
        return record
    message = confirmation_of(record)
    if message is None:
        return error(409, f"request {record.id} is not an SNS {CONFIRMATION}")
    url = message["SubscribeURL"]  # checked before anything is fetched, the certificate too
    problem = request.app.get(SUBSCRIBE_URL_RULE, subscribe_url_problem)(url)
    if problem is not None:
        return error(400, f"not confirmed: {problem}; the inspector calls only SNS")
    session = request.app[CLIENT]
    signature = await verified(inspector, session, record, message["SigningCertURL"])
    if isinstance(signature, str):
        return error(409, f"not confirmed: {signature}")
    if signature.status != "valid":
        return error(409, f"not confirmed: the signature is {signature.status} "
                          f"({signature.reason})")
    got = await get_once(session, url)
    if isinstance(got, str):
        return error(502, f"not confirmed: {got}")
    status, answer = got
    return web.json_response({"confirmed": 200 <= status < 300, "status": status,
                              "answer": answer[:2000].decode("utf-8", "replace")})


async def certificate(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    record = find(request)
    if isinstance(record, web.Response):
        return record
    message = message_of(record, "SigningCertURL")
    if message is None:
        return error(409, f"request {record.id} is not an SNS message")
    problem = await fetch_certificate(request.app[CLIENT], message["SigningCertURL"])
    if problem is not None:
        return error(400 if certificate_url_problem(message["SigningCertURL"]) else 502,
                     f"not fetched: {problem}")
    await inspector.reverify("once its signing certificate was fetched")  # every message it signed
    return web.json_response({"fetched": message["SigningCertURL"]})


def add_routes(app: web.Application) -> None:
    app.router.add_post(r"/api/requests/{id:\d+}/confirm", confirm)
    app.router.add_post(r"/api/requests/{id:\d+}/certificate", certificate)
