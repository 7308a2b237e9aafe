import pytest

from stalwart import InputError, MissingExtraError, ParameterError, Settings
from stalwart._config import SETTINGS_TABLE
from stalwart._optional import require


def test_settings_table_matches_fields():
    assert [s.name for s in SETTINGS_TABLE] == list(Settings().to_dict())
    for s in SETTINGS_TABLE:
        assert getattr(Settings(), s.name) == s.default and s.help


def test_settings_from_env():
    s = Settings.from_env({"STALWART_PROGRESS": "off", "STALWART_WORKSPACE": "/tmp/w",
                           "STALWART_MAX_ROWS_FOR_MODEL_CHECKS": "5"})
    assert (s.progress, s.workspace, s.max_rows_for_model_checks) == (False, "/tmp/w", 5)
    with pytest.raises(ParameterError, match="STALWART_RANDOM_STATE.*type int"):
        Settings.from_env({"STALWART_RANDOM_STATE": "x"})
    with pytest.raises(ParameterError, match="true or false"):
        Settings.from_env({"STALWART_PROGRESS": "maybe"})


def test_input_error_fields():
    err = InputError("x", expected="a", got="b", fix="c")
    assert isinstance(err, ValueError)
    assert err.to_dict() == {"type": "InputError", "what": "x", "expected": "a", "got": "b",
                             "fix": "c"}


def test_require_names_the_extra():
    with pytest.raises(MissingExtraError, match=r"pip install 'stalwart\[spark\]'") as err:
        require("surely_not_a_module", extra="spark", purpose="Spark profiles")
    assert isinstance(err.value, ImportError) and "for Spark profiles" in str(err.value)
