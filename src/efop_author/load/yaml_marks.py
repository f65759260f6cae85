"""Load stage: YAML parsing with PyYAML's C loader, keeping the line of every key and item.

The C loader (``yaml.CSafeLoader``) composes the node graph about ten times faster than the
pure-Python loader; its nodes still carry ``start_mark``. We construct plain Python values
ourselves so that mappings remember the line of each key (``LMap.key_lines``) and sequences
the line of each item (``LList.item_lines``). Duplicate keys are reported, not silently
overwritten.
"""

from __future__ import annotations

from typing import Any

import yaml

from efop_author.records import record

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


_STR = "tag:yaml.org,2002:str"


class LMap(dict):  # type: ignore[type-arg]
    """A dict that knows its own line and the line of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LList(list):  # type: ignore[type-arg]
    """A list that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


@record
class YamlProblem:
    code: str
    line: int
    message_key: str
    detail: str


class YamlError(Exception):
    """Raised with every problem found while reading one YAML document."""

    def __init__(self, problems: list[YamlProblem]) -> None:
        super().__init__(problems[0].detail if problems else "")
        self.problems = problems


def load_yaml(text: str, line_offset: int = 0) -> Any:
    """Parse one YAML document; lines in the result are shifted by ``line_offset``.

    Raises :class:`YamlError` on a syntax error (with the line of the problem) or on
    duplicate keys.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        detail = " ".join(x for x in (exc.context, exc.problem) if x)
        raise YamlError([YamlProblem("load.yaml-syntax", line, "load.yaml-syntax", detail)]) from None
    except yaml.YAMLError as exc:
        raise YamlError([YamlProblem("load.yaml-syntax", 1 + line_offset, "load.yaml-syntax", str(exc))]) from None
    finally:
        loader.dispose()
    if node is None:
        return None
    problems: list[YamlProblem] = []
    value = _construct(loader, node, line_offset, problems)
    if problems:
        raise YamlError(problems)
    return value


def _construct(loader: Any, node: yaml.Node, offset: int, problems: list[YamlProblem]) -> Any:
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value  # what SafeConstructor.construct_yaml_str returns, without its dispatch
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        result = LMap()
        result.line = line
        result.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = _construct(loader, key_node, offset, problems)
            if isinstance(key, (LMap, LList)):
                key = str(key)
            key_line = key_node.start_mark.line + 1 + offset
            skey = key if isinstance(key, str) else str(key)
            if skey in result:
                problems.append(
                    YamlProblem("load.duplicate-key", key_line, "load.duplicate-key", skey)
                )
                continue
            result[skey] = _construct(loader, value_node, offset, problems)
            result.key_lines[skey] = key_line
        return result
    if isinstance(node, yaml.SequenceNode):
        items = LList()
        items.line = line
        items.item_lines = []
        for item in node.value:
            items.append(_construct(loader, item, offset, problems))
            items.item_lines.append(item.start_mark.line + 1 + offset)
        return items
    return loader.construct_object(node, deep=True)
