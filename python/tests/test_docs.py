"""The examples in the docstrings run (from the repository root, for data/ paths)."""

import doctest

import sigmap
from conftest import DATA


def test_docstring_examples(monkeypatch):
    monkeypatch.chdir(DATA.parent)
    result = doctest.testmod(sigmap, extraglobs={"sigmap": sigmap}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 10
    assert result.failed == 0
