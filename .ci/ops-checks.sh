#!/usr/bin/env bash
# Operations checks (called by .ci/run): Prometheus rules and their unit tests, the
# scheduler examples (Airflow DAG syntax, cron script lint, Kubernetes manifest parse),
# and the Dockerfile's recipe run without Docker (scripts/docker-recipe.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
if [ ${#missing[@]} -gt 0 ]; then
  echo "ops-checks: installing ${missing[*]} (Debian packages)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; fi
fi

promtool check rules configs/prometheus/alerts.yml
promtool check config configs/prometheus/prometheus.yml
(cd configs/prometheus && promtool test rules tests/alerts.test.yml)

python3 -m py_compile examples/airflow/bronze_dag.py
shellcheck examples/cron/bronze-ingest.sh scripts/docker-recipe.sh .ci/ops-checks.sh
# No Kubernetes schema validator is available offline here: the manifest is parsed as YAML
# and its required CronJob fields checked.
python3 - <<'PY'
import yaml
doc = yaml.safe_load(open("examples/kubernetes/cronjob.yaml"))
assert doc["apiVersion"] == "batch/v1" and doc["kind"] == "CronJob", "not a batch/v1 CronJob"
spec = doc["spec"]
assert spec["schedule"] and spec["jobTemplate"]["spec"]["template"]["spec"]["containers"], "schedule and containers are required"
assert spec["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] in ("Never", "OnFailure"), "a Job's pods need restartPolicy Never or OnFailure"
print("examples/kubernetes/cronjob.yaml: parsed, required fields present")
PY

scripts/docker-recipe.sh
echo "ops-checks: all passed"
