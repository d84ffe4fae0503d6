"""carepact value shapley FILE."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

GAME = {
    "NHS": 0,
    "Pharma": 0,
    "University": 0,
    "NHS+Pharma": 90,
    "NHS+University": 80,
    "Pharma+University": 70,
    "NHS+Pharma+University": 120,
}


def run(tmp_path, content: str) -> str:
    path = tmp_path / "game.json"
    path.write_text(content)
    out = io.StringIO()
    call_command("value", "shapley", str(path), stdout=out)
    return out.getvalue()


def test_prints_each_partys_shapley_value_as_json(tmp_path):
    assert json.loads(run(tmp_path, json.dumps(GAME))) == {
        "NHS": 45,
        "Pharma": 40,
        "University": 35,
    }


def test_fractions_print_as_decimals(tmp_path):
    glove = {"R": 0, "L1": 0, "L2": 0, "R+L1": 1, "R+L2": 1, "L1+L2": 0, "R+L1+L2": 1}
    result = json.loads(run(tmp_path, json.dumps(glove)))
    assert result["R"] == pytest.approx(2 / 3) and result["L1"] == pytest.approx(1 / 6)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (json.dumps({k: v for k, v in GAME.items() if k != "NHS+University"}), "NHS+University"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be an object"),
        (json.dumps({"NHS": "a lot"}), "not a finite number"),
    ],
)
def test_a_missing_coalition_or_malformed_file_exits_2(tmp_path, content, words):
    with pytest.raises(CommandError) as caught:
        run(tmp_path, content)
    assert caught.value.returncode == 2
    assert words in str(caught.value)


def test_a_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("value", "shapley", str(tmp_path / "nope.json"))
    assert caught.value.returncode == 2 and "no such file" in str(caught.value)
