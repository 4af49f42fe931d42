"""Every schema known, keyed by provider, event and version (SPEC 13): made from any number of
sources (the bundled seeds, GitHub's, the samples `send` makes, the user's), later ones winning
for the same key, so that a user's schema replaces a bundled one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from .model import Schema

ANY_EVENT = "*"  # a schema for every event of its provider (an envelope, a signed link)


class Catalogue:
    def __init__(self, schemas: Iterable[Schema]) -> None:
        self._schemas: dict[tuple[str, str], dict[str | None, Schema]] = {}
        for schema in schemas:
            self._schemas.setdefault((schema.provider, schema.event), {})[schema.version] = \
                schema
        self._events: dict[str, list[str]] = {}
        for provider, event in self._schemas:
            if event != ANY_EVENT:
                self._events.setdefault(provider, []).append(event)
        self._providers = {provider for provider, _ in self._schemas}
        self._versioned = {provider for (provider, _), by_version in self._schemas.items()
                           if any(version is not None for version in by_version)}

    def __iter__(self) -> Iterator[Schema]:
        return (schema for by_version in self._schemas.values()
                for schema in by_version.values())

    def knows(self, provider: str) -> bool:
        return provider in self._providers

    def versioned(self, provider: str) -> bool:
        return provider in self._versioned

    def events(self, provider: str) -> list[str]:
        """The provider's documented events, sorted."""
        return sorted(self._events.get(provider, ()))

    def find(self, provider: str, event: str | None, version: str | None = None
             ) -> Schema | None:
        """The event's schema (else its family's: GitHub's `EVENT` for an `EVENT.ACTION`
        it does not list, as `repository_dispatch`, whose action is the sender's own
        `event_type`; else the provider's schema for any event): of that version, else the
        unversioned one, else the newest version."""
        family = event.partition(".")[0] if event and "." in event else None
        by_version = self._schemas.get((provider, event or "")) or \
            (self._schemas.get((provider, family)) if family else None) or \
            self._schemas.get((provider, ANY_EVENT))
        if not by_version:
            return None
        if version in by_version:
            return by_version[version]
        if None in by_version:
            return by_version[None]
        return by_version[max(v for v in by_version if v is not None)]

    def closest(self, provider: str, event: str | None) -> str | None:
        """The documented event most like the one named (None: the provider documents none)."""
        events = self.events(provider)
        if not events:
            return None
        found = difflib.get_close_matches(event or "", events, n=1, cutoff=0.0)
        return found[0] if found else events[0]
