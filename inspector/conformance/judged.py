"""Each stored request's conformance (SPEC 13), against the process's catalogue: computed at
capture when the body is small (cheap), else when first read, and kept, so that the summary,
the search, `tail` and the export ask for it freely. Nothing of it is stored: a history kept
from an earlier run is judged against the schemas of this one, so a change of `--schemas`
checks it again."""

from __future__ import annotations

from ..models import CapturedRequest, header_value
from .bundled import seeds
from .catalogue import Catalogue
from .model import Conformance
from .verdict import judge

VERSION_HEADERS = ("X-Shopify-API-Version",)  # where a delivery names its payload's version
CHEAP_BYTES = 16 * 1024  # judged at capture up to this size (a few microseconds)
# Judged at all up to this size: it is done on the loop (on reading, a summary is built there),
# and a 1 MiB body holds it 10-20 ms (parsed, then converted by jsonschema-rs); `check` has
# no bound.
JUDGED_BYTES = 512 * 1024
KEPT = 100_000  # verdicts kept, the oldest forgotten first (found again when read)

Key = tuple[int, float, int, str, str | None]


class Judge:
    """The catalogue of this process (None: conformance turned off) and the verdicts kept."""

    def __init__(self, catalogue: Catalogue | None) -> None:
        self.catalogue = catalogue
        self._kept: dict[Key, Conformance] = {}

    def of(self, record: CapturedRequest) -> Conformance | None:
        """None when the provider is unknown, the body is past JUDGED_BYTES, or conformance is
        off."""
        if self.catalogue is None or record.provider is None or \
                record.body_size > JUDGED_BYTES:
            return None
        key = (record.id, record.received_at, record.body_size, record.provider, record.event)
        found = self._kept.get(key)
        if found is None:
            found = self._kept[key] = judge(
                self.catalogue, record.provider, record.event, record.body,
                record.content_type, version_of(record), record.query)
            if len(self._kept) > KEPT:
                self._kept.pop(next(iter(self._kept)), None)
        return found

    def at_capture(self, record: CapturedRequest) -> None:
        if record.body_size <= CHEAP_BYTES:
            self.of(record)


def version_of(record: CapturedRequest) -> str | None:
    headers = record.headers
    for name in VERSION_HEADERS:
        if (value := header_value(headers, name)) is not None:
            return value
    return None


_current = Judge(Catalogue(seeds()))


def current() -> Judge:
    return _current


def use(catalogue: Catalogue | None) -> None:
    """Judge with these schemas from now on (None: not at all); what was kept is forgotten."""
    global _current
    _current = Judge(catalogue)


def conformance_of(record: CapturedRequest) -> Conformance | None:
    return _current.of(record)
