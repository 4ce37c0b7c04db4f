"""bronze under Airflow: one DAG per source of bronze.config.yaml, on that source's schedule,
with one task that runs `bronze ingest <source>`.

Exit codes (README's table) decide what Airflow does:
  0   success
  75  another run of the source holds its lock -> the task is SKIPPED (nothing is wrong)
  2   bad usage or configuration -> FAILED at once, no retry (retrying cannot fix it)
  1   failure (API error, unreadable file, database error) -> retried (bronze resumes from
      its last committed batch, so a retry never duplicates rows)

Settings (Airflow Variables or environment, environment wins):
  BRONZE_CONFIG  path of bronze.config.yaml          (default /opt/bronze/configs/bronze.config.yaml)
  BRONZE_CMD     how to run bronze                   (default "bronze"; e.g. "pnpm --dir /opt/bronze bronze"
                                                      or "docker run --rm --env-file /opt/bronze/.env bronze:latest")
Copy this file into the DAGs folder; bronze reads its credentials and database from its .env.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from datetime import datetime, timedelta

import yaml
from airflow import DAG
from airflow.exceptions import AirflowException, AirflowFailException, AirflowSkipException
from airflow.operators.python import PythonOperator

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 75


def _setting(name: str, default: str) -> str:
    if os.environ.get(name):
        return os.environ[name]
    try:
        from airflow.models import Variable

        return Variable.get(name, default_var=default)
    except Exception:  # no metadata database while parsing in tests
        return default


BRONZE_CONFIG = _setting("BRONZE_CONFIG", "/opt/bronze/configs/bronze.config.yaml")
BRONZE_CMD = _setting("BRONZE_CMD", "bronze")


def run_bronze_ingest(source: str, extra_args: list[str] | None = None) -> None:
    """Runs `bronze ingest <source>` and maps its exit code to an Airflow outcome."""
    cmd = shlex.split(BRONZE_CMD) + ["ingest", source, *(extra_args or [])]
    proc = subprocess.run(cmd, check=False)
    if proc.returncode == EXIT_OK:
        return
    if proc.returncode == EXIT_LOCKED:
        raise AirflowSkipException(f"another run of {source} holds its lock (exit 75); skipped")
    if proc.returncode == EXIT_USAGE:
        raise AirflowFailException(f"bronze ingest {source}: bad usage or configuration (exit 2); not retried")
    raise AirflowException(f"bronze ingest {source} failed (exit {proc.returncode}); will be retried")


def load_sources(path: str) -> dict:
    """The enabled sources of bronze.config.yaml with their cron schedules."""
    with open(path, encoding="utf-8") as f:
        config = yaml.safe_load(f) or {}
    sources = config.get("sources") or {}
    return {name: s for name, s in sources.items() if s and s.get("schedule") and s.get("enabled", True)}


def make_dag(source: str, settings: dict, timezone: str | None) -> DAG:
    import pendulum

    dag = DAG(
        dag_id=f"bronze_{source.replace('-', '_')}",
        description=f"bronze ingest {source}",
        schedule=settings["schedule"],
        start_date=pendulum.datetime(2024, 1, 1, tz=timezone or "UTC"),
        catchup=False,  # bronze catches up by itself from its cursors
        max_active_runs=1,  # bronze locks per source anyway; this avoids queueing skips
        default_args={"retries": 3, "retry_delay": timedelta(minutes=10), "retry_exponential_backoff": True},
        tags=["bronze"],
    )
    with dag:
        PythonOperator(
            task_id=f"ingest_{source.replace('-', '_')}",
            python_callable=run_bronze_ingest,
            op_kwargs={"source": source},
            execution_timeout=timedelta(hours=6),
        )
    return dag


def _build() -> None:
    try:
        with open(BRONZE_CONFIG, encoding="utf-8") as f:
            timezone = (yaml.safe_load(f) or {}).get("timezone")
        sources = load_sources(BRONZE_CONFIG)
    except FileNotFoundError:
        return  # no config on this worker: no DAGs (Airflow shows nothing rather than an import error)
    for name, settings in sources.items():
        globals()[f"bronze_{name.replace('-', '_')}"] = make_dag(name, settings, timezone)


_build()

if __name__ == "__main__":
    print(f"{datetime.now().isoformat()} sources in {BRONZE_CONFIG}: {sorted(load_sources(BRONZE_CONFIG))}")
