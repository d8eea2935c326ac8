#!/usr/bin/env bash
# The whole check, as `npm test` and CI run it: provision Redis + MongoDB on loopback (or use
# the MONGODB_URI / REDIS_URL you set), then typecheck, lint, i18n key check and the tests.
# Extra arguments go to vitest, e.g. `npm test -- test/support/services.int.test.ts`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/ensure-browser.sh
exec bash scripts/with-services.sh bash -c 'npm run typecheck && npm run lint && npm run i18n:keys -- --check && npx vitest run "$@"' vitest "$@"
