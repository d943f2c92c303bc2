"""The generated knowledge-base files are what their generator writes from the sources."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from aiwatch.feeds.knowledge.base import load_knowledge_base
from tests.conftest import required

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "knowledge-sources" / "epoch-notable-ai-models.csv"


def test_generated_files_are_up_to_date() -> None:
    required(SOURCE, what="Epoch AI's notable-models table (../shared/knowledge-sources)")
    done = subprocess.run(
        [sys.executable, "scripts/build_knowledge.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_generated_entries_keep_their_attribution_and_canonical_names() -> None:
    text = (ROOT / "feeds" / "knowledge" / "generated_models.toml").read_text(encoding="utf-8")
    assert "Data: Epoch AI (epochai.org)" in text and "CC BY 4.0" in text
    kb = load_knowledge_base()
    makers = {p.name: p.maker for p in kb.products()}
    assert makers["Gemini 3 Pro"] == "Google"  # Epoch's "Google DeepMind"
    assert makers["GLM-4.7"] == "Zhipu AI" and makers["GLM"] == "Zhipu AI"  # family owner now
    assert kb.product("Kimi") is not None  # a family: "Kimi K3" is a version of it
    assert kb.canonical("Google Brain") == "Google"
    # "<known company> <unit words>" is folded into the company, not made a new one
    assert kb.organisation("Microsoft Research Asia") is None
    assert (
        kb.organisation("Facebook AI Research") is None
        or kb.canonical("Facebook AI Research") == "Meta"
    )
    falcon = kb.product("Falcon")
    assert falcon is not None and "Falcon" in falcon.weak  # a common word needs its maker
    mercury = kb.product("Mercury")
    assert mercury is not None and mercury.strict
    assert kb.organisation("Government of Saudi Arabia") is not None
    assert kb.canonical("Kingdom of Saudi Arabia") == "Government of Saudi Arabia"
