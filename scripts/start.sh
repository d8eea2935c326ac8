#!/usr/bin/env bash
# `npm start`: the bot (web playground when no messenger token is set). See scripts/with-services.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec bash scripts/with-services.sh npx tsx src/app/main.ts "$@"
