"""Spec text as data: a safe YAML loader (JSON is YAML) that refuses what a spec never needs.

- Aliases may share settings (`&base` / `*base`, `<<: *base`), but the document they expand to
  is measured before any object is built: more than MAX_NODES nodes (a "billion laughs" bomb,
  a few hundred bytes that expand to gigabytes) is a SpecError, found in milliseconds.
- Nesting too deep to parse is a SpecError, not a RecursionError.
- Tags that build objects (`!!python/object`, ...) are "unsupported YAML tag"; nothing is run.
- Only true/false are booleans (not yes/no/on/off, as in YAML 1.2), so `values: [yes, no]`
  stays text.
Errors never quote the document back (a bomb's repr is the bomb).
"""

from __future__ import annotations

import re
from typing import Any

from lookalike.errors import SpecError

MAX_NODES = 1_000_000  # nodes in the expanded document: far more than any real spec


def parse_text(text: str, source: str) -> Any:
    """The data of YAML/JSON `text`; `source` names it in errors."""
    import yaml

    try:
        return yaml.load(text, Loader=_loader())
    except _TooLarge as error:
        raise SpecError(
            f"{source} expands to more than {MAX_NODES:,} values through YAML aliases "
            f"({error.args[0]}); write the spec without &anchors/*aliases."
        ) from None
    except RecursionError:
        raise SpecError(f"{source} is nested too deeply to be a spec.") from None
    except yaml.constructor.ConstructorError as error:
        tag = _tag(str(error.problem or ""))
        if tag is None:
            raise SpecError(f"{source} is not valid YAML/JSON{_where(error)}.") from None
        raise SpecError(
            f"{source} uses the unsupported YAML tag {tag}{_where(error)}; a spec holds only "
            "mappings, lists, text, numbers and true/false."
        ) from None
    except yaml.YAMLError as error:
        raise SpecError(f"{source} is not valid YAML/JSON{_where(error)}.") from None


class _TooLarge(Exception):
    pass


def _where(error: Any) -> str:
    mark = getattr(error, "problem_mark", None)
    return f" at line {mark.line + 1}" if mark is not None else ""


def _tag(problem: str) -> str | None:
    found = re.search(r"tag '([^']{1,200})'", problem)
    if found is None:
        return None
    return found.group(1).replace("tag:yaml.org,2002:", "!!")


def expanded_size(node: Any, limit: int = MAX_NODES) -> int:
    """Nodes in the document `node` would build, counting each alias use in full (memoised, so
    a bomb is measured without expanding it); raises _TooLarge past `limit`.
    """
    import yaml

    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:
        current, done = stack.pop()
        if id(current) in sizes:
            continue
        children: list[Any] = []
        if isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        elif isinstance(current, yaml.MappingNode):
            children = [part for pair in current.value for part in pair]
        if not done:
            stack.append((current, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        size = 1 + sum(sizes.get(id(child), 0) for child in children)
        if size > limit and size > len(sizes) + 1:  # aliases, not a long list, make it large
            raise _TooLarge(f"{size:,} or more")
        sizes[id(current)] = size
    return sizes.get(id(node), 0)


def _loader() -> Any:
    import yaml

    class Loader(yaml.SafeLoader):  # not libyaml's CSafeLoader: deep nesting crashes its C stack
        def get_single_node(self) -> Any:
            node = super().get_single_node()
            if node is not None:
                expanded_size(node)
            return node

    Loader.yaml_implicit_resolvers = {
        key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    return Loader
