"""``stalwart profile --spark`` reads a file with Spark (local mode) and profiles it the way
the local engine does."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

pytest.importorskip("pyspark")

pytestmark = [
    # py4j leaves sockets for the garbage collector; pyspark uses APIs it deprecates itself
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:pyspark.*"),
]

from stalwart.cli.main import cli  # noqa: E402
from stalwart.stats.profile import DatasetProfile, profile  # noqa: E402


def test_profile_spark_matches_the_local_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("STALWART_SPARK_MASTER", "local[1]")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=4000), "c": rng.choice(["a", "b", "c"], 4000)})
    frame.to_parquet(tmp_path / "d.parquet", index=False)
    out = tmp_path / "d.profile"
    try:
        res = CliRunner().invoke(cli, ["profile", str(tmp_path / "d.parquet"), "--spark",
                                       "--out", str(out)])
        assert res.exit_code == 0, res.output
        spark_prof = DatasetProfile.from_bytes(out.read_bytes())
        local = profile(frame)
        assert spark_prof.n_rows == 4000
        assert spark_prof["x"].mean == pytest.approx(local["x"].mean, rel=1e-9)
        assert spark_prof["c"].counts() == local["c"].counts()
        err = spark_prof["x"].rank_error + local["x"].rank_error
        q = np.linspace(0.05, 0.95, 19)
        assert np.all(np.abs(local["x"].cdf(spark_prof["x"].quantiles(q)) - q) <= err + 1e-9)
    finally:
        from pyspark.sql import SparkSession
        active = SparkSession.getActiveSession()
        if active is not None:
            active.stop()
