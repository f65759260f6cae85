"""efop_author.records.record: a frozen, slotted dataclass whose equality, hash and repr are
shared functions; they must give what ``dataclass`` generates."""

from __future__ import annotations

import math
import pickle
from dataclasses import FrozenInstanceError, dataclass, field, fields, replace

import pytest

from efop_author.records import record


@record
class Rec:
    a: int
    b: str = "x"
    c: float = 0.0
    hidden: str = field(default="h", repr=False)
    note: str = field(default="n", compare=False)


@dataclass(frozen=True, slots=True)
class Dc:
    a: int
    b: str = "x"
    c: float = 0.0
    hidden: str = field(default="h", repr=False)
    note: str = field(default="n", compare=False)


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
