"""efop_author.records.record: a frozen, slotted dataclass whose equality, hash and repr are
shared functions; they must give what ``dataclass`` generates."""

from __future__ import annotations

import math
import pickle
from dataclasses import FrozenInstanceError, dataclass, field, fields, replace

import pytest

from efop_author.records import record


def pair(*, kw_only: bool = False):
    """The same class twice: as a record and as the dataclass it stands for."""

    def body(cls):
        cls.__annotations__ = {"a": "int", "b": "str", "c": "float", "hidden": "str", "note": "str"}
        cls.b = "x"
        cls.c = 0.0
        cls.hidden = field(default="h", repr=False)
        cls.note = field(default="n", compare=False)
        return cls

    class R:
        pass

    class D:
        pass

    R.__qualname__ = D.__qualname__ = "Thing"
    return (record(kw_only=kw_only)(body(R)),
            dataclass(frozen=True, slots=True, kw_only=kw_only)(body(D)))


@pytest.mark.parametrize("kw_only", [False, True])
def test_same_equality_hash_and_repr_as_a_frozen_dataclass(kw_only: bool) -> None:
    R, D = pair(kw_only=kw_only)
    nan = math.nan
    cases = [dict(a=1), dict(a=1, b="y"), dict(a=1, note="autre"), dict(a=2, hidden="?"), dict(a=1, c=nan)]
    for x in cases:
        for y in cases:
            assert (R(**x) == R(**y)) == (D(**x) == D(**y)), (x, y)
        assert repr(R(**x)) == repr(D(**x))
        assert hash(R(**x)) == hash(D(**x))
    same_nan = dict(a=1, c=nan)  # the same NaN object: equal, as in a tuple
    assert R(**same_nan) == R(**same_nan) and D(**same_nan) == D(**same_nan)
    assert R(a=1) != D(a=1) and R(a=1).__eq__(D(a=1)) is NotImplemented
    assert {R(a=1, note="p"), R(a=1, note="q")} == {R(a=1)}  # note is not compared nor hashed


def test_frozen_slotted_picklable_and_a_dataclass() -> None:
    R, _ = pair()
    r = R(a=1, b="z")
    with pytest.raises(FrozenInstanceError):
        r.a = 2  # type: ignore[misc]
    with pytest.raises((AttributeError, TypeError)):  # TypeError: Python 3.11's frozen slots
        r.other = 1  # type: ignore[attr-defined]
    assert not hasattr(r, "__dict__")
    assert pickle.loads(pickle.dumps(r)) == r
    assert replace(r, a=3) == R(a=3, b="z")
    assert [f.name for f in fields(r)] == ["a", "b", "c", "hidden", "note"]
