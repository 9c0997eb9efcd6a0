"""The examples in the docstrings run (from the repository root, for data/ paths)."""

import doctest

import pytest

import sigmap
import sigmap._report
from conftest import DATA


@pytest.mark.parametrize("module", [sigmap, sigmap._report], ids=lambda m: m.__name__)
def test_docstring_examples(module, monkeypatch):
    monkeypatch.chdir(DATA.parent)
    result = doctest.testmod(module, extraglobs={"sigmap": sigmap}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 10
    assert result.failed == 0
