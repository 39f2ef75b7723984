#!/bin/sh
# render.sh REPORT_DIR WORK_DIR - load REPORT_DIR/index.html through the
# harness in headless Chromium. Writes WORK_DIR/chrome.out (the harness's
# result lines: embedded_ok N, embedded_flames N, link_ok/link_bad PATH)
# and WORK_DIR/chrome.err (Chromium's log, console messages included).
# Exit 2 when no Chromium is installed.
set -u
R=$1
W=$2
CHROMIUM=
for c in chromium chromium-browser google-chrome; do
	command -v "$c" > /dev/null 2>&1 && { CHROMIUM=$c; break; }
done
[ -n "$CHROMIUM" ] || exit 2
cp "$(dirname "$0")/harness.html" "$R/harness.html"
profile=$(mktemp -d "$W/chrome.XXXXXX")
timeout 90 "$CHROMIUM" --no-sandbox --headless --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
	--allow-file-access-from-files --enable-logging=stderr --v=0 \
	--virtual-time-budget=20000 --dump-dom "file://$R/harness.html?page=index.html" \
	> "$W/chrome.dom" 2> "$W/chrome.err"
rm -rf "$profile"
awk '/<pre id="out">BEGIN/ { on = 1; next } on && /^END/ { exit } on' "$W/chrome.dom" > "$W/chrome.out"
exit 0
