#!/usr/bin/env bash
# Local quick start: provision Redis + MongoDB on loopback unless both URIs are set, then run
# the bot. Arguments go to src/app/main.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z "${MONGODB_URI:-}" || -z "${REDIS_URL:-}" ]]; then
  bash scripts/services.sh up
  # Read KEY=VALUE lines literally (no `source`: a user-set URI may contain `&` or `$`).
  env_file="${SERVICES_CACHE_DIR:-.cache}/services.env"
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" == *=* ]] || continue
    export "${line%%=*}=${line#*=}"
  done <"$env_file"
fi
export MONGODB_URI REDIS_URL

exec npx tsx src/app/main.ts "$@"
