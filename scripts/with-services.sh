#!/usr/bin/env bash
# Runs a command with the project's environment: dependencies installed if missing, `.env`
# loaded (KEY=VALUE lines, read literally), and Redis + MongoDB provisioned on loopback unless
# MONGODB_URI and REDIS_URL are both set. Used by `npm start`, `npm run cli` and `npm test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

load_env_file() {
  local file="$1" line
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*# || "$line" != *=* ]] && continue
    local key="${line%%=*}"
    # A variable already set in the environment wins over the file.
    [[ -n "${!key:-}" ]] || export "$key=${line#*=}"
  done <"$file"
}

[[ -d node_modules ]] || npm ci --no-audit --no-fund
[[ -f .env ]] && load_env_file .env

if [[ -z "${MONGODB_URI:-}" || -z "${REDIS_URL:-}" ]]; then
  bash scripts/services.sh up
  load_env_file "${SERVICES_CACHE_DIR:-.cache}/services.env"
fi
export MONGODB_URI REDIS_URL

exec "$@"
