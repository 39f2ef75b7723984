#!/bin/sh
# chromium.sh - the flame graph's JavaScript in a real browser. Headless
# Chromium loads tests/e2e/chromium/harness.html, which opens a generated
# SVG in an iframe and works it through its own UI (clicks on frames and
# buttons, Ctrl-F / Ctrl-I key events, window.prompt overridden), then
# reports what it saw; we compare with values computed from the input:
# Matched % overall and when zoomed (relative to the zoomed frame, nested
# matches counted once), the zoomed frame filling the width with its
# ancestors kept, Reset Zoom restoring every frame, hover details, and the
# view restored from the URL (?z=&s=).
set -u
: "${TIPROF:?}" "${CORPUS:?}" "${TEST_TMP:?}" "${TOP:?}"
. "$TOP/tests/lib.sh"
TEST_PREFIX=chromium_
T=$TEST_TMP/chromium
mkdir -p "$T"

CHROMIUM=
for c in chromium chromium-browser google-chrome; do
	if command -v "$c" >/dev/null 2>&1; then
		CHROMIUM=$c
		break
	fi
done
if [ -z "$CHROMIUM" ]; then
	need browser chromium
	finish
fi

cp "$TOP/tests/e2e/chromium/harness.html" "$T/harness.html"

# run NAME SVG QUERY: the harness's "key value" lines into $T/NAME.out
run() {
	profile=$(mktemp -d "$T/profile.XXXXXX")
	timeout 60 "$CHROMIUM" --no-sandbox --headless --disable-gpu \
		--disable-background-networking --disable-component-update --disable-sync \
		--no-first-run --user-data-dir="$profile" --allow-file-access-from-files \
		--virtual-time-budget=15000 --dump-dom \
		"file://$T/harness.html?svg=$2&$3" > "$T/$1.dom" 2> "$T/$1.err"
	awk '/<pre id="out">BEGIN/ { on = 1; next } on && /^END/ { exit } on' "$T/$1.dom" |
		sed -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e 's/&amp;/\&/g' > "$T/$1.out"
	rm -rf "$profile"
	if [ ! -s "$T/$1.out" ]; then
		fail "$1_ran" "no results from the harness (see $1.err)"
		return 1
	fi
	if grep -q '^error ' "$T/$1.out"; then
		fail "$1_ran" "$(grep '^error ' "$T/$1.out" | head -1)"
		return 1
	fi
	pass "$1_ran"
}
val() { sed -n "s/^$2 //p" "$T/$1.out" | head -1; }
expect() {	# run, key, expected value, test name
	got=$(val "$1" "$2")
	if [ "$got" = "$3" ]; then pass "$4"; else fail "$4" "$2 is \"$got\", expected \"$3\""; fi
}

# Matched share (sum/whole and "X.XX") of stacks with a frame matching re
# (awk ERE, ci=1 ignores case), optionally restricted to stacks through
# the frame named zoom and counting only matches below it.
share() {	# folded, re, zoom ("" for none), ci
	awk -v re="$2" -v zoom="$3" -v ci="$4" '
	{
		c = $0; sub(/.* /, "", c); s = $0; sub(/ [^ ]*$/, "", s)
		n = split(s, f, ";"); start = 1
		if (zoom != "") {
			for (start = 1; start <= n && f[start] != zoom; start++) ;
			if (start > n) next
			start++
		}
		whole += c
		for (i = start; i <= n; i++)
			if ((ci ? tolower(f[i]) : f[i]) ~ re) { sum += c; break }
	}
	END { printf "%d/%d %.2f\n", sum, whole, whole ? 100 * sum / whole : 0 }' "$1"
}

# ---- a small known graph ----
cat > "$T/syn.folded" <<'EOF'
main;alpha;foo_a 30
main;alpha;bar;foo_b 20
main;alpha;baz 10
main;beta;foo_c 25
main;beta;qux 15
main;gamma;foo_d;foo_e 7
main 3
EOF
"$TIPROF" flamegraph --minwidth 0 "$T/syn.folded" -o "$T/syn.svg" || fail syn_render
if run syn syn.svg "term=foo&term2=BA&zoom=alpha&child=bar"; then
	expect syn frames 13 syn_frames
	expect syn scripts 1 syn_scripts
	expect syn details "$(val syn details_expect)" syn_hover_details
	expect syn asked 1 syn_search_prompted
	expect syn matched "Matched: 74.55%" syn_matched
	expect syn matched_count "82/110" syn_matched_no_double_count
	expect syn highlighted 5 syn_highlighted
	expect syn zoom_geom "10 1180" syn_zoom_fills_width
	expect syn matched_zoomed "Matched: 83.33%" syn_matched_zoomed
	expect syn matched_zoomed_count "50/60" syn_matched_zoomed_count
	expect syn parents 2 syn_parents_kept
	expect syn parents_bad 0 syn_parents_full_width
	expect syn hidden 6 syn_others_hidden
	expect syn outside 0 syn_subtree_inside
	expect syn child_geom "10 393.3" syn_child_exact
	expect syn unzoom_shown 1 syn_reset_button_shown
	expect syn url "?z=2&s=foo" syn_url_state
	expect syn after_reset_hidden 0 syn_reset_shows_all
	expect syn after_reset_parents 0 syn_reset_clears_parents
	expect syn reset_maxdiff 0.000 syn_reset_restores_geometry
	expect syn matched_reset "Matched: 74.55%" syn_matched_after_reset
	expect syn unzoom_after 0 syn_reset_button_hidden
	expect syn url_after_reset "?s=foo" syn_url_after_reset
	expect syn asked2 2 syn_ctrl_f_prompts
	expect syn matched_ctrlf "Matched: 0.00%" syn_ctrl_f_case_sensitive
	expect syn matched_ctrli "Matched: 27.27%" syn_ctrl_i_ignores_case
	expect syn url_ctrli "?s=BA&i=1" syn_url_case
	expect syn restored_matched "Matched: 83.33%" syn_url_restores_search
	expect syn restored_zoom_geom "10 1180" syn_url_restores_zoom
	expect syn restored_hidden 6 syn_url_restores_hidden
fi

# ---- real data: perf-small, every frame drawn ----
SMALL=$CORPUS/perf/expected/perf-small.folded
"$TIPROF" flamegraph --minwidth 0 "$SMALL" -o "$T/small.svg" || fail small_render
all=$(share "$SMALL" raft_apply "" 0)
zoomed=$(share "$SMALL" raft_apply worker 0)
ci=$(share "$SMALL" level "" 1)
if run small small.svg "term=raft_apply&term2=LEVEL&zoom=worker"; then
	expect small zoom_candidates 1 small_zoom_target_unique
	expect small matched "Matched: ${all#* }%" small_matched
	expect small matched_count "${all% *}" small_matched_count
	expect small matched_zoomed "Matched: ${zoomed#* }%" small_matched_zoomed
	expect small matched_zoomed_count "${zoomed% *}" small_matched_zoomed_count
	expect small zoom_geom "10 1180" small_zoom_fills_width
	expect small parents_bad 0 small_parents_full_width
	expect small outside 0 small_subtree_inside
	expect small reset_maxdiff 0.000 small_reset_restores_geometry
	expect small after_reset_hidden 0 small_reset_shows_all
	expect small matched_ctrli "Matched: ${ci#* }%" small_ctrl_i_matched
	expect small restored_matched "Matched: ${zoomed#* }%" small_url_restores
	[ "${zoomed#* }" != "${all#* }" ] && pass small_zoomed_differs || fail small_zoomed_differs
fi

# ---- frames too narrow to draw (0.1 px) still take their room: after
# zooming into b_big, d starts past 100 left-out siblings of 7 ----
{
	printf 'main;other 100000\nmain;b_big;c 50000\nmain;b_big;d 40000\n'
	awk 'BEGIN { for (i = 0; i < 100; i++) printf "main;b_big;a%03d 7\n", i }'
} > "$T/gap.folded"
"$TIPROF" flamegraph "$T/gap.folded" -o "$T/gap.svg" || fail gap_render
if grep -q '<title>a000' "$T/gap.svg"; then
	fail gap_pruned "narrow frames were drawn"
elif run gap gap.svg "term=c&term2=d&zoom=b_big&child=d"; then
	# x = 10 + (700 + 50000) * 1180 / 90700, width = 40000 * 1180 / 90700
	expect gap child_geom "669.6 520.4" gap_child_exact
	expect gap matched_zoomed_count "50000/90700" gap_matched_zoomed
	expect gap outside 0 gap_subtree_inside
fi

# ---- hostile names and title: rendered as text, never run ----
printf '<script>alert(1)</script>;x 5\na&b;c<d>e 3\nctl\033x;\377\376 2\ncaf\303\251 7\n' > "$T/hostile.folded"
"$TIPROF" flamegraph --minwidth 0 --title '<script>alert(2)</script>' \
	"$T/hostile.folded" -o "$T/hostile.svg" || fail hostile_render
if run hostile hostile.svg "term=alert&term2=caf&zoom=x"; then
	expect hostile scripts 1 hostile_no_injected_script
	expect hostile title "<script>alert(2)</script>" hostile_title_is_text
	expect hostile matched "Matched: 29.41%" hostile_matched
	expect hostile matched_zoomed "Matched: 100.00%" hostile_matched_ancestor_covers
	expect hostile matched_ctrlf "Matched: 41.18%" hostile_utf8_search
fi

finish
