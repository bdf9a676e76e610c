#!/usr/bin/env bash
# html-screenshot.sh — render a costaudit HTML report in headless Chromium,
# fail on any browser console message (script errors, blocked loads: the
# page's Content-Security-Policy makes every network or script use show up
# there), save a desktop (1400 px) and a phone (390 px) screenshot and a
# print-to-PDF, and check that each screenshot's share of non-background
# pixels is sane and that the PDF has pages. Look at the files: the script
# checks only that they are not blank.
#
# usage: scripts/html-screenshot.sh [REPORT.html] [SHOT.png]
#   REPORT.html  defaults to the HTML report of the example logs
#                (costaudit analyze examples/logs --format html)
#   SHOT.png     defaults to $TMPDIR/costaudit-report-screenshot.png; the
#                phone shot and the PDF are written beside it as
#                SHOT-phone.png and SHOT.pdf
# env: CHROMIUM (browser binary), PNG_MIN / PNG_MAX (ink share bounds,
#      default 0.05 / 0.60), COSTAUDIT (costaudit binary; default go run).
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "html-screenshot: $*" >&2; exit 1; }

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
	for b in chromium chromium-browser google-chrome; do
		if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
	done
fi
[ -n "$browser" ] || die "no chromium found (apt-get install -y chromium, or set CHROMIUM)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

html=${1:-}
if [ -z "$html" ]; then
	html=$work/report.html
	[ -d examples/logs ] || die "no report given and no examples/logs to render"
	if [ -n "${COSTAUDIT:-}" ]; then
		"$COSTAUDIT" analyze examples/logs --format html -o "$html"
	else
		go run ./cmd/costaudit analyze examples/logs --format html -o "$html"
	fi
fi
[ -f "$html" ] || die "$html: no such file"
html=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
shot=${2:-${TMPDIR:-/tmp}/costaudit-report-screenshot.png}

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
	--disable-background-networking --disable-component-update --disable-sync
	--disable-extensions --hide-scrollbars --force-device-scale-factor=1)

# 1. Load the page, dump the DOM, and collect the browser log.
timeout 120 "$browser" "${flags[@]}" --user-data-dir="$work/profile1" \
	--enable-logging=stderr --v=0 --dump-dom "file://$html" \
	>"$work/dom.html" 2>"$work/console.log" || die "chromium failed to load $html: $(tail -3 "$work/console.log")"
if grep -E ':CONSOLE[:(]' "$work/console.log" >"$work/errors.log"; then
	echo "html-screenshot: the page logged to the browser console:" >&2
	cat "$work/errors.log" >&2
	exit 1
fi
grep -q '</body>' "$work/dom.html" || die "the DOM dump of $html has no </body>"
grep -q '<h1>' "$work/dom.html" || die "the DOM dump of $html has no <h1>"

# 2. Screenshot, then check that it is neither blank nor a solid block.
timeout 120 "$browser" "${flags[@]}" --user-data-dir="$work/profile2" \
	--screenshot="$shot" --window-size=1400,2000 "file://$html" \
	>"$work/shot.log" 2>&1 || die "chromium failed to take a screenshot: $(tail -3 "$work/shot.log")"
[ -s "$shot" ] || die "no screenshot written to $shot"
go run ./scripts/pngshare -min "${PNG_MIN:-0.05}" -max "${PNG_MAX:-0.60}" "$shot"

# 3. The phone layout: 390 px wide, where the cards go two across and the
# opportunity rows become stacked cards.
phone=${shot%.png}-phone.png
timeout 120 "$browser" "${flags[@]}" --user-data-dir="$work/profile3" \
	--screenshot="$phone" --window-size=390,2400 "file://$html" \
	>"$work/phone.log" 2>&1 || die "chromium failed to take the phone screenshot: $(tail -3 "$work/phone.log")"
[ -s "$phone" ] || die "no screenshot written to $phone"
go run ./scripts/pngshare -min "${PNG_MIN:-0.05}" -max "${PNG_MAX:-0.60}" "$phone"

# 4. Print to PDF (A4 landscape, as the page's @page rule asks).
pdf=${shot%.png}.pdf
timeout 120 "$browser" "${flags[@]}" --user-data-dir="$work/profile4" \
	--no-pdf-header-footer --print-to-pdf="$pdf" "file://$html" \
	>"$work/pdf.log" 2>&1 || die "chromium failed to print $html: $(tail -3 "$work/pdf.log")"
[ -s "$pdf" ] || die "no PDF written to $pdf"
if command -v pdfinfo >/dev/null 2>&1; then
	pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
	[ "${pages:-0}" -ge 1 ] || die "$pdf has no pages"
	echo "html-screenshot: $pdf has $pages pages"
fi
echo "html-screenshot: ok, $html rendered without console messages; screenshots $shot, $phone; PDF $pdf"
