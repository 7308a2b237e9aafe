"""Settings: one table of name, default, type and help; each can be set by STALWART_<NAME>.

>>> settings = Settings.from_env({"STALWART_RANDOM_STATE": "7"})
>>> settings.random_state
7
>>> settings.workspace
'stalwart-workspace'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from .exceptions import ParameterError

__all__ = ["SETTINGS_TABLE", "Setting", "Settings"]


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    type: type
    help: str

    @property
    def env_var(self) -> str:
        return f"STALWART_{self.name.upper()}"


SETTINGS_TABLE: tuple[Setting, ...] = (
    Setting("workspace", "stalwart-workspace", str,
            "Folder for reports, models and the embedded SQLite store."),
    Setting("random_state", 0, int, "Seed used where a check or method samples."),
    Setting("max_rows_for_model_checks", 200_000, int,
            "Rows sampled (seeded) for checks that train a model, such as label errors."),
    Setting("progress", True, bool, "Show progress bars in the CLI."),
)


def _parse(setting: Setting, raw: str) -> Any:
    if setting.type is bool:
        low = raw.strip().lower()
        if low in {"1", "true", "yes", "on"}:
            return True
        if low in {"0", "false", "no", "off"}:
            return False
        raise ParameterError(setting.env_var, expected="one of 1/0, true/false, yes/no, on/off",
                             got=repr(raw), fix=f"set {setting.env_var}=true or false")
    try:
        return setting.type(raw)
    except ValueError:
        raise ParameterError(setting.env_var, expected=f"a value of type {setting.type.__name__}",
                             got=repr(raw), fix=f"set {setting.env_var} to a valid "
                             f"{setting.type.__name__}, e.g. {setting.default!r}") from None


@dataclass(frozen=True)
class Settings:
    workspace: str = "stalwart-workspace"
    random_state: int = 0
    max_rows_for_model_checks: int = 200_000
    progress: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in SETTINGS_TABLE:
            if setting.env_var in env:
                values[setting.name] = _parse(setting, env[setting.env_var])
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
