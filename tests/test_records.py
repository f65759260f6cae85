"""efop_author.records.record: a frozen, slotted dataclass whose equality, hash and repr are
shared functions; they must give what ``dataclass`` generates."""

from __future__ import annotations

import math
import pickle
from dataclasses import FrozenInstanceError, dataclass, field, fields, replace

import pytest

from efop_author.records import record


def _declare(name: str, decorate):  # noqa: ANN001, ANN202
    """The same class body, declared as a record or as a dataclass (module-level: picklable)."""
    body = {
        "__module__": __name__,
        "__qualname__": name,
        "__annotations__": {"a": "int", "b": "str", "c": "float", "hidden": "str", "note": "str"},
        "b": "x",
        "c": 0.0,
        "hidden": field(default="h", repr=False),
        "note": field(default="n", compare=False),
    }
    return decorate(type(name, (), body))


Rec = _declare("Rec", record)
Dc = _declare("Dc", dataclass(frozen=True, slots=True))


@record(kw_only=True)
class RecKw:
    a: int
    b: str = "x"


@dataclass(frozen=True, slots=True, kw_only=True)
class DcKw:
    a: int
    b: str = "x"


def test_same_equality_hash_and_repr_as_a_frozen_dataclass() -> None:
    nan = math.nan
    cases = [dict(a=1), dict(a=1, b="y"), dict(a=1, note="autre"), dict(a=2, hidden="?"), dict(a=1, c=nan)]
    for x in cases:
        for y in cases:
            assert (Rec(**x) == Rec(**y)) == (Dc(**x) == Dc(**y)), (x, y)
        assert repr(Rec(**x)) == repr(Dc(**x)).replace("Dc(", "Rec(")
        assert hash(Rec(**x)) == hash(Dc(**x))
    same_nan = dict(a=1, c=nan)  # the same NaN object: equal, as in a tuple
    assert Rec(**same_nan) == Rec(**same_nan) and Dc(**same_nan) == Dc(**same_nan)
    assert Rec(a=1) != Dc(a=1) and Rec(a=1).__eq__(Dc(a=1)) is NotImplemented
    assert {Rec(a=1, note="p"), Rec(a=1, note="q")} == {Rec(a=1)}  # note: neither compared nor hashed
    assert repr(RecKw(a=1)) == repr(DcKw(a=1)).replace("DcKw(", "RecKw(")
    assert RecKw(a=1) == RecKw(a=1, b="x") and hash(RecKw(a=1)) == hash(DcKw(a=1))
    with pytest.raises(TypeError):
        RecKw(1)  # type: ignore[misc]  # keyword-only, as declared


def test_frozen_slotted_picklable_and_a_dataclass() -> None:
    r = Rec(a=1, b="z")
    with pytest.raises(FrozenInstanceError):
        r.a = 2  # type: ignore[misc]
    with pytest.raises((AttributeError, TypeError)):  # TypeError: Python 3.11's frozen slots
        r.other = 1  # type: ignore[attr-defined]
    assert not hasattr(r, "__dict__")
    assert pickle.loads(pickle.dumps(r)) == r
    assert replace(r, a=3) == Rec(a=3, b="z")
    assert [f.name for f in fields(r)] == ["a", "b", "c", "hidden", "note"]


@record
class WithFactory:
    a: int
    items: list[int] = field(default_factory=list)
    c: str = "c"


@dataclass(frozen=True, slots=True)
class DcFactory:
    a: int
    items: list[int] = field(default_factory=list)
    c: str = "c"


def _outcome(make) -> object:  # noqa: ANN001
    try:
        return ("ok", make())
    except Exception as exc:  # noqa: BLE001 - the exception is what is compared
        return (type(exc).__name__, str(exc).replace("DcFactory", "X").replace("WithFactory", "X")
                .replace("DcKw", "X").replace("RecKw", "X"))


def test_same_init_as_a_frozen_dataclass() -> None:
    calls = [((1,), {}), ((), {"a": 1}), ((1, [2]), {}), ((1,), {"items": [3], "c": "d"}), ((), {}),
             ((1, 2, 3, 4), {}), ((1,), {"nope": 1}), ((1,), {"a": 2})]
    for args, kwargs in calls:
        rec, dc = _outcome(lambda: WithFactory(*args, **kwargs)), _outcome(lambda: DcFactory(*args, **kwargs))
        if rec[0] == "ok":
            assert dc[0] == "ok" and repr(rec[1]).replace("WithFactory", "X") == repr(dc[1]).replace("DcFactory", "X")
        else:
            assert rec == dc, (args, kwargs)
    assert WithFactory(1).items is not WithFactory(1).items  # a new list each time
    for args, kwargs in [((), {"a": 1}), ((1,), {}), ((), {}), ((), {"a": 1, "b": "y"})]:
        rec, dc = _outcome(lambda: RecKw(*args, **kwargs)), _outcome(lambda: DcKw(*args, **kwargs))
        assert (rec[0] == "ok") == (dc[0] == "ok") and (rec[0] == "ok" or rec == dc), (args, kwargs, rec, dc)
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        record(type("Bad", (), {"__annotations__": {"a": "int", "b": "int"}, "a": 1}))


def test_frozen_errors_pickling_and_copies_as_a_frozen_dataclass() -> None:
    import copy

    for obj in (Rec(a=1), Dc(a=1)):
        with pytest.raises(FrozenInstanceError, match="cannot assign to field 'a'"):
            obj.a = 2  # type: ignore[misc]
        with pytest.raises(FrozenInstanceError, match="cannot delete field 'a'"):
            del obj.a  # type: ignore[misc]
    r = WithFactory(1, [1, 2])
    for clone in (pickle.loads(pickle.dumps(r)), copy.copy(r), copy.deepcopy(r)):
        assert clone == r and clone.items == [1, 2]
    assert copy.deepcopy(r).items is not r.items
