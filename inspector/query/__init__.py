"""The search language of SPEC 12: parse once into a frozen tree, then evaluate it over
records (memory; any iterable) or translate it (SQLite)."""

from .evaluate import matcher, search
from .fields import FIELDS
from .nodes import Node
from .parse import QueryError, parse

__all__ = ["FIELDS", "Node", "QueryError", "matcher", "parse", "search"]
