"""The binding ids ``[keys]`` may remap: every id declared by aiwatch's app, screens and widgets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from textual.binding import Binding
from textual.dom import DOMNode


def _ids(classes: Iterable[type[DOMNode]]) -> set[str]:
    found = set()
    for cls in classes:
        for klass in cls.__mro__:
            for binding in getattr(klass, "BINDINGS", ()) or ():
                if isinstance(binding, Binding) and binding.id:
                    found.add(binding.id)
    return found


@cache
def binding_ids() -> frozenset[str]:
    """Every binding id a user can remap."""
    from aiwatch.tui.app import AiwatchApp
    from aiwatch.tui.screens import registry

    return frozenset(_ids([AiwatchApp, *registry.SCREENS_WITH_KEYS]))


def unknown_binding_ids(keymap: Mapping[str, str]) -> list[str]:
    """Ids in ``keymap`` that no binding has (a typo in ``[keys]``)."""
    known = binding_ids()
    return sorted(i for i in keymap if i not in known)
