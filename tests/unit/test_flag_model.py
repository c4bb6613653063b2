"""The learned red-flag model beside the rules: safe to load, deterministic, and it never costs
an alarm on the frozen battery."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from bot import flagmodel, safety

DATA = Path(__file__).resolve().parent.parent / "data"
ALARMS = ("emergency", "crisis", "urgent")
ROOT = Path(__file__).resolve().parent.parent.parent


def frozen_rows() -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / "safety_test.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, _style, text = line.split("\t")
            rows.append((kind, text))
    return rows


def test_the_shipped_model_loads_as_plain_arrays_without_pickle():
    path = resources.files("bot.data").joinpath("flag_model.npz")
    with path.open("rb") as f, np.load(f, allow_pickle=False) as arrays:
        assert set(arrays.files) == {"rows", "weights", "bias", "t_add", "t_veto"}
        assert all(arrays[k].dtype != object for k in arrays.files)
        assert arrays["weights"].shape == (len(arrays["rows"]), len(flagmodel.KINDS))
    model = flagmodel.model()
    assert model is not None and 0.5 <= model.t_add <= 1.0 and 0.5 <= model.t_veto <= 1.0
    meta = json.loads(resources.files("bot.data").joinpath("flag_model.json").read_text())
    assert meta["t_add"] == model.t_add and meta["t_veto"] == model.t_veto
    assert "CC BY 4.0" in meta["medquad"]["licence"]


def test_the_model_gives_the_same_probabilities_in_another_process():
    text = "ive had enough of everything i want out"
    here = flagmodel.model().probabilities(safety.flag_forms(text))
    code = ("import json; from bot import flagmodel, safety; "
            f"print(json.dumps(flagmodel.model().probabilities(safety.flag_forms({text!r}))))")
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=ROOT, check=True)
    assert json.loads(out.stdout) == pytest.approx(here, abs=1e-12)
    assert sum(here.values()) == pytest.approx(1.0)


def test_on_the_frozen_battery_the_combined_decider_keeps_every_alarm_and_adds_none():
    rows = frozen_rows()
    kinds = {text: (safety.check(text).kind if safety.check(text) else "none") for _, text in rows}
    missed = [t for k, t in rows if k in ALARMS and kinds[t] not in ALARMS]
    false = [t for k, t in rows if k not in ALARMS and kinds[t] in ALARMS]
    assert not missed and not false


def test_an_alarm_the_rules_miss_is_added_with_the_models_confidence():
    # a row of tests/data/safety_dev12.tsv: one side of the body told without "weak" or "numb"
    text = "his arm and leg on one side won't work"
    assert not any(k in safety.matches(text)[1] for k in ALARMS)
    flag = safety.check(text)
    assert flag is not None and flag.kind == "emergency" and flag.pattern.startswith("model:")
    assert float(flag.pattern.removeprefix("model:")) >= flagmodel.model().t_add


@pytest.mark.parametrize("text", ["what is a seizure", "can chemo make you tired",
                                  "should I end my chemo?", "what is a normal body temperature"])
def test_ordinary_questions_get_no_alarm_from_the_model(text):
    flag = safety.check(text)
    assert flag is None or flag.kind == "advice"


SURE_NONE = {"none": 0.999, "emergency": 0.0005, "crisis": 0.0, "urgent": 0.0005}


def test_a_sure_model_withdraws_an_unreported_sign_alarm():
    assert safety.decide({"urgent": "fever"}, SURE_NONE, 2.0, 0.95) is None
    kept = safety.decide({"urgent": "fever"}, SURE_NONE, 2.0, 1.0)
    assert kept is not None and kept.kind == "urgent"


@pytest.mark.parametrize("found", [{"crisis": "kill myself"}, {"emergency": "fit", "report": "my mum"},
                                   {"urgent": "fever", "report": "what do I do"}])
def test_the_model_never_withdraws_crisis_or_a_reported_sign(found):
    flag = safety.decide(found, SURE_NONE, 2.0, 0.5)
    assert flag is not None and flag.kind == next(k for k in ALARMS if k in found)
