#!/usr/bin/env bash
# The page tests drive Debian's chromium with playwright-core (never a browser a test tool
# downloads, which these machines cannot fetch). Installs it with apt-get when missing and we
# are root; otherwise says how.
set -euo pipefail
[[ -x /usr/bin/chromium ]] && exit 0
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "test: installing Debian's chromium for the page tests (apt-get, once)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
  exit 0
fi
echo "test: the page tests need Debian's chromium at /usr/bin/chromium: sudo apt-get install chromium" >&2
exit 1
