"""The tests' own machinery: a missing corpus skips locally and fails under CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import required


def test_a_missing_corpus_skips_outside_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    required(tmp_path, what="a folder that exists")  # no effect
    with pytest.raises(pytest.skip.Exception, match="not found at"):
        required(tmp_path, tmp_path / "missing", what="a corpus")


def test_a_missing_corpus_fails_under_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required under CI"):
        required(tmp_path / "missing", what="a corpus")
