#!/usr/bin/env bash
# ccusage-check.sh compares costaudit's per-day cost of Claude Code session
# logs with ccusage's (`ccusage claude daily --json --offline --mode
# calculate`, days in UTC) and prints one row per day: ccusage $, costaudit $,
# their difference (costaudit - ccusage) and the number of requests with more
# than 200K input tokens (input + cache reads + cache writes, one count per
# message.id:requestId, as both tools deduplicate).
#
# The two tools price such long-context requests differently: Anthropic, and
# costaudit's books, bill the whole request at the >200K rates, while ccusage
# charges the >200K rate only on the tokens of each bucket above 200K. Days
# with such requests are shown with their difference but not judged; every
# other day must agree within the tolerance.
#
# Usage: scripts/ccusage-check.sh [-t TOLERANCE] DIR
#   DIR         a Claude Code config directory: DIR/projects/<project>/*.jsonl
#   -t TOL      largest allowed |difference| in USD on a day without
#               long-context requests (default 0.01)
# Environment:
#   CCUSAGE     the ccusage command (default: ccusage on PATH; it may hold
#               arguments, e.g. "npx --no-install ccusage@20.0.24").
#               Install: npm install -g ccusage@20.0.24
#   COSTAUDIT   a costaudit binary (default: built from this checkout)
# Exit status: 0 when every judged day agrees, 1 when one differs or a tool
# fails, 2 on a usage error or a missing tool.
set -euo pipefail

tol=0.01
while getopts "t:h" opt; do
	case $opt in
	t) tol=$OPTARG ;;
	h)
		sed -n '2,26s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -ne 1 ]; then
	echo "usage: $0 [-t TOLERANCE] DIR   (DIR holds projects/<project>/*.jsonl)" >&2
	exit 2
fi
if ! [[ $tol =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
	echo "ccusage-check: -t $tol: not a non-negative number of USD (e.g. 0.01)" >&2
	exit 2
fi
dir=$(cd "$1" 2>/dev/null && pwd) || {
	echo "ccusage-check: $1: no such directory" >&2
	exit 2
}
if [ ! -d "$dir/projects" ]; then
	echo "ccusage-check: $dir/projects: missing (DIR must be a Claude Code config dir holding projects/)" >&2
	exit 2
fi
command -v jq >/dev/null || {
	echo "ccusage-check: jq is missing (apt-get install jq)" >&2
	exit 2
}

if [ -n "${CCUSAGE:-}" ]; then
	read -r -a ccusage <<<"$CCUSAGE"
elif command -v ccusage >/dev/null; then
	ccusage=(ccusage)
else
	echo "ccusage-check: ccusage is not installed; install it with: npm install -g ccusage@20.0.24 (or set CCUSAGE)" >&2
	exit 2
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/ccusage-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -n "${COSTAUDIT:-}" ]; then
	costaudit=$COSTAUDIT
else
	costaudit=$work/costaudit
	(cd "$repo" && go build -o "$costaudit" ./cmd/costaudit)
fi

# ccusage runs in an empty directory with an empty XDG_CONFIG_HOME so that no
# ccusage.json of the caller changes its prices, and reads only DIR.
mkdir -p "$work/cwd" "$work/xdg"
if ! (cd "$work/cwd" && TZ=UTC XDG_CONFIG_HOME="$work/xdg" CLAUDE_CONFIG_DIR="$dir" \
	"${ccusage[@]}" claude daily --json --offline --mode calculate --timezone UTC >"$work/ccusage.json"); then
	echo "ccusage-check: ${ccusage[*]} claude daily failed" >&2
	exit 1
fi
version=$(cd "$work/cwd" && "${ccusage[@]}" --version 2>/dev/null | head -1 || true)

"$costaudit" analyze --format json --no-progress --tz UTC --format-in claude-code "$dir/projects" >"$work/costaudit.json"
# Records costaudit cannot price (an unknown or missing model) are left out of
# its day, and ccusage prices a model it does not know at $0, so such days can
# still agree; they are named so that nobody mistakes agreement for coverage.
# A model ccusage prices and costaudit's books lack shows as a differing day.
jq -r 'select(.coverage.unpriced > 0) | "ccusage-check: note: costaudit left \(.coverage.unpriced) record(s) unpriced, by model: \(.coverage.unpriced_models | tojson)"' "$work/costaudit.json" >"$work/notes"
jq -r 'select(.coverage.rejected > 0) | "ccusage-check: note: costaudit rejected \(.coverage.rejected) line(s): \(.coverage.rejected_by_reason | tojson)"' "$work/costaudit.json" >>"$work/notes"

# Requests above 200K input tokens per UTC day, deduplicated like both tools.
find "$dir/projects" -name '*.jsonl' -print0 | sort -z | xargs -0 cat |
	jq -R -n '
	[inputs | fromjson? | objects
	 | select(.type == "assistant" and (.message | type) == "object" and (.message.usage | type) == "object" and .message.model != "<synthetic>")
	 | .message.usage as $u
	 | {k: "\(.message.id // ""):\(.requestId // "")",
	    d: (try (.timestamp | sub("\\.[0-9]+"; "") | fromdateiso8601 | strftime("%Y-%m-%d")) catch (.timestamp | tostring | .[0:10])),
	    t: (($u.input_tokens // 0) + ($u.cache_read_input_tokens // 0) + ($u.cache_creation_input_tokens // 0))}]
	| unique_by(.k) | map(select(.t > 200000)) | group_by(.d) | map({key: .[0].d, value: length}) | from_entries' >"$work/long.json"

jq -r -n --slurpfile cc "$work/ccusage.json" --slurpfile ca "$work/costaudit.json" --slurpfile long "$work/long.json" '
	($cc[0].daily // [] | map({key: .date, value: .totalCost}) | from_entries) as $c
	| ($ca[0].by_day // [] | map({key: .day, value: (.cost_usd | tonumber)}) | from_entries) as $a
	| ([$c, $a] | map(keys) | add | unique)[] as $d
	| [$d, ($c[$d] // 0), ($a[$d] // 0), ($long[0][$d] // 0)] | @tsv' >"$work/days.tsv"

echo "ccusage-check: $dir (${version:-ccusage}; costaudit analyze; days in UTC; tolerance \$$tol)"
rc=0
awk -F'\t' -v tol="$tol" '
BEGIN {
	printf "%-10s  %12s  %12s  %10s  %5s  %s\n", "day", "ccusage $", "costaudit $", "diff $", ">200K", "status"
}
{
	d = $3 - $2
	if (d > -5e-7 && d < 5e-7) d = 0
	ad = d < 0 ? -d : d
	if ($4 > 0) {
		st = "not judged: " $4 " request(s) above 200K input tokens"
		long++
		ldiff += d
	} else if (ad <= tol + 1e-9) {
		st = "ok"
		if (ad > maxd) maxd = ad
	} else {
		st = "DIFFERS"
		bad++
		if (ad > maxd) maxd = ad
	}
	tc += $2; ta += $3; n++
	printf "%-10s  %12.6f  %12.6f  %+10.6f  %5d  %s\n", $1, $2, $3, d, $4, st
}
END {
	td = ta - tc
	if (td > -5e-7 && td < 5e-7) td = 0
	printf "%-10s  %12.6f  %12.6f  %+10.6f\n", "total", tc, ta, td
	if (n == 0) {
		print "ccusage-check: FAIL: neither tool found a day of usage"
		exit 1
	}
	printf "ccusage-check: %d day(s); %d judged, largest |diff| %.6f; %d with long-context requests (diff %+.6f)\n", n, n - long, maxd, long, ldiff
	if (long > 0) {
		print "ccusage-check: long context: Anthropic (and costaudit) bill a request above 200K input tokens wholly at the >200K rates;"
		print "ccusage-check: ccusage charges the >200K rate only on the tokens of each bucket above 200K, so those days are shown, not judged"
	}
	if (bad > 0) {
		printf "ccusage-check: FAIL: %d day(s) differ by more than $%s\n", bad, tol
		exit 1
	}
	print "ccusage-check: ok"
}' "$work/days.tsv" || rc=$?
cat "$work/notes"
exit "$rc"
