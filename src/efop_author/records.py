"""Frozen records: ``@record`` makes a frozen, slotted dataclass whose methods cost almost
nothing to create.

Python 3.11's ``@dataclass(frozen=True, slots=True)`` writes the source of six methods for
each class (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``,
``__delattr__``) and compiles each of them at import. The model, the diagnostics and the
validator's grammar declare some forty such classes: compiling that code took about 0.5 ms per
class, 15 ms of every command before any work could start on a second core. Here only
``__init__`` is written for each class (its signature differs); the five others are the same
for every record and are written once below, with the same results as the generated ones:

- ``__eq__`` and ``__hash__`` compare and hash the fields as a tuple, in order, honouring
  ``field(compare=..., hash=...)``; ``__eq__`` returns ``NotImplemented`` for another class;
- ``__repr__`` is ``Class(field=value, ...)`` without the fields declared ``repr=False``;
- assigning or deleting an attribute raises ``dataclasses.FrozenInstanceError``;
- ``__init__`` takes the same parameters (defaults, ``default_factory``, ``kw_only``);
- pickling and copying go through ``__getstate__`` / ``__setstate__``, as for a frozen
  slotted dataclass.

``dataclasses.fields``, ``replace`` and ``asdict`` work as on any dataclass.
``tests/test_records.py`` checks each point against ``dataclass`` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError, Field, dataclass, fields
from operator import attrgetter
from typing import Any, TypeVar, overload

T = TypeVar("T")


@overload
def record(cls: type[T], /) -> type[T]: ...
@overload
def record(*, kw_only: bool = False) -> Callable[[type[T]], type[T]]: ...


def record(cls: type[T] | None = None, /, *, kw_only: bool = False) -> Any:
    """``@record`` or ``@record(kw_only=True)`` on a class with annotated fields."""

    def wrap(c: type[T]) -> type[T]:
        c = dataclass(c, init=False, repr=False, eq=False, slots=True, kw_only=kw_only)
        all_fields = fields(c)  # type: ignore[arg-type]
        names = tuple(f.name for f in all_fields)
        c.__init__ = _make_init(c, all_fields)  # type: ignore[misc]
        c._record_all = _getter(names)  # type: ignore[attr-defined]
        c._record_cmp = _getter(tuple(f.name for f in all_fields if f.compare))  # type: ignore[attr-defined]
        c._record_hash = _getter(tuple(  # type: ignore[attr-defined]
            f.name for f in all_fields if (f.compare if f.hash is None else f.hash)))
        c._record_repr = tuple(f.name for f in all_fields if f.repr)  # type: ignore[attr-defined]
        c._record_names = names  # type: ignore[attr-defined]
        for name, fn in _SHARED.items():
            setattr(c, name, fn)
        return c

    return wrap if cls is None else wrap(cls)


def _make_init(cls: type, all_fields: tuple[Field[Any], ...]) -> Callable[..., None]:
    """``__init__(self, <positional fields>, *, <keyword-only fields>)``, storing each field
    with ``object.__setattr__``; defaults and factories as ``dataclass`` does them."""
    env: dict[str, Any] = {"__set": object.__setattr__, "__missing": MISSING}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    seen_default = False
    for f in all_fields:
        if not f.init:
            raise TypeError(f"record {cls.__qualname__}: field {f.name!r} with init=False is not supported")
        value = f.name
        if f.default is not MISSING:
            env[f"__default_{f.name}"] = f.default
            param = f"{f.name}=__default_{f.name}"
        elif f.default_factory is not MISSING:
            env[f"__factory_{f.name}"] = f.default_factory
            param = f"{f.name}=__missing"
            value = f"__factory_{f.name}() if {f.name} is __missing else {f.name}"
        else:
            param = f.name
            if seen_default and not f.kw_only:  # what dataclass says, at the same moment
                raise TypeError(f"non-default argument {f.name!r} follows default argument")
        if f.kw_only:
            keyword.append(param)
        else:
            seen_default = seen_default or param != f.name
            positional.append(param)
        body.append(f" __set(self, {f.name!r}, {value})")
    params = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    source = f"def __init__({params}):\n" + ("\n".join(body) or " pass") + "\n"
    exec(source, env)  # noqa: S102 - our own source, built from field names
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init  # type: ignore[no-any-return]


def _getter(names: tuple[str, ...]) -> Callable[[object], tuple[Any, ...]]:
    """The tuple of these attributes (``attrgetter`` returns a bare value for one name)."""
    if len(names) > 1:
        return staticmethod(attrgetter(*names))  # type: ignore[return-value]
    if len(names) == 1:
        one = attrgetter(names[0])
        return staticmethod(lambda obj: (one(obj),))  # type: ignore[return-value]
    return staticmethod(lambda obj: ())  # type: ignore[return-value]


def _eq(self: Any, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return self._record_cmp(self) == self._record_cmp(other)  # type: ignore[no-any-return]


def _hash(self: Any) -> int:
    return hash(self._record_hash(self))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_repr)
    return f"{self.__class__.__qualname__}({shown})"


def _setattr(self: Any, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> list[Any]:
    return list(self._record_all(self))


def _setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(self._record_names, state):
        object.__setattr__(self, name, value)


_SHARED: dict[str, Callable[..., Any]] = {
    "__eq__": _eq,
    "__hash__": _hash,
    "__repr__": _repr,
    "__setattr__": _setattr,
    "__delattr__": _delattr,
    "__getstate__": _getstate,
    "__setstate__": _setstate,
}
