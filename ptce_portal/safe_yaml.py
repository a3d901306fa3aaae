"""YAML from people (files uploaded through the admin or passed to a command): plain data
only, with no anchors or aliases and a bounded nesting.

PyYAML's safe loader still expands aliases: a few hundred bytes of nested aliases (`&a [*b,
*b, …]`) become billions of items once the data is walked or printed (a 445-byte file cost
6 s of CPU, a few bytes more pin a worker). The portal's own data files never need them.
Deep nesting (`[[[[…]]]]`) would end in a RecursionError instead of a message.
"""

from __future__ import annotations

import yaml

MAX_DEPTH = 20


class UnsafeYAML(yaml.YAMLError):
    """An anchor, an alias or too deep a nesting; `line` is 1-based (None when unknown)."""

    def __init__(self, reason: str, line: int | None):
        self.reason = reason  # "alias" or "depth"
        self.line = line
        super().__init__(f"{reason} at line {line}")


class _PlainDataLoader(yaml.SafeLoader):
    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise UnsafeYAML("alias", line)
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            if self._depth >= MAX_DEPTH:
                raise UnsafeYAML("depth", line)
            self._depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        return super().compose_node(parent, index)


def load_plain_yaml(text: str):
    """Parse one YAML document of plain data (mappings, lists, scalars). Raises UnsafeYAML for
    an anchor, an alias or more than MAX_DEPTH levels, yaml.YAMLError for bad syntax."""
    loader = _PlainDataLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
