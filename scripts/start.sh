#!/usr/bin/env bash
# `npm start`: the bot (web playground when no messenger token is set). See scripts/with-services.sh.
# One node process for the app, TypeScript loaded in-process by tsx's loader hook: no
# npx → tsx CLI → child node chain (that chain costs ~170 MiB more resident memory).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec bash scripts/with-services.sh node --import tsx src/app/main.ts "$@"
