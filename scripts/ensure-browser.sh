#!/usr/bin/env bash
# The page tests drive Debian's chromium with playwright-core (never a browser a test tool
# downloads, which these machines cannot fetch), and the slips test renders PDF pages with
# poppler's pdftoppm. Installs both with apt-get when missing and we are root; otherwise says how.
set -euo pipefail
[[ -x /usr/bin/chromium && -x /usr/bin/pdftoppm ]] && exit 0
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "test: installing Debian's chromium and poppler-utils for the page tests (apt-get, once)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; }
  exit 0
fi
echo "test: the page tests need Debian's chromium and poppler-utils: sudo apt-get install chromium poppler-utils" >&2
exit 1
