#!/usr/bin/env bash
# `make run`: the web server, the task worker (e-mails) and the sweep loop (due reviews,
# notices, escalation prompts) side by side. Stopping the server (Ctrl+C) stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
ADDR="${VIGIL_ADDR:-127.0.0.1:8000}"

pids=()
stop_background() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop_background EXIT INT TERM

"$PY" manage.py db_worker --no-startup-delay &
pids+=("$!")
"$PY" manage.py sweep --every 60 &
pids+=("$!")
echo "Worker (pid ${pids[0]}) and sweep every 60 s (pid ${pids[1]}) started beside the server."

"$PY" manage.py runserver "$ADDR"
