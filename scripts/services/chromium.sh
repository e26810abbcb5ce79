# Sourced by scripts/test: Debian's Chromium for the browser tests (tests/test_web_browser.py).
# Playwright drives it through executable_path; `playwright install` is never run (its download
# hosts are not reachable, and a pinned Debian package is what CI gets anyway).
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "scripts/services/chromium.sh: installing Debian's chromium" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq chromium >/dev/null
    else
        echo "scripts/services/chromium.sh: /usr/bin/chromium missing and not root; browser tests will skip (fail under CI=true)" >&2
    fi
fi
if [ -x /usr/bin/chromium ]; then
    export NACHA_CS_CHROMIUM=/usr/bin/chromium
fi
