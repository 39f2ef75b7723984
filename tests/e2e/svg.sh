#!/bin/sh
# svg.sh - tiprof flamegraph through the command line: well-formed XML for
# many inputs and options (hostile names and titles included), frames and
# widths that match the input's totals, escaping, determinism, pruning,
# layout options, differential and deep inputs, and bytes per frame.
set -u
: "${TIPROF:?}" "${CORPUS:?}" "${TEST_TMP:?}" "${TOP:?}"
. "$TOP/tests/lib.sh"
TEST_PREFIX=svg_
T=$TEST_TMP/svg
mkdir -p "$T"

need xmllint xmllint libxml2-utils || finish
FG() { "$TIPROF" flamegraph "$@"; }
wellformed() { xmllint --noout --nonet "$1" 2>"$T/xmllint.err"; }

# Frames of an SVG, one per line: name|count|x|y|width (title unescaped).
frames() {
	sed -n 's/^<g[^>]*><title>\(.*\) (\([0-9,]*\) [^,]*, \([0-9.]*\)%[^<]*)<\/title><rect x="\([^"]*\)" y="\([^"]*\)" width="\([^"]*\)".*/\1|\2|\4|\5|\6/p' "$1" |
	sed -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e "s/&#39;/'/g" -e 's/&amp;/\&/g' |
	awk -F'|' -v OFS='|' '{ gsub(/,/, "", $2); print }'
}
nframes() { grep -c '^<g[ >]<title>\|^<g o="[0-9]*"><title>' "$1"; }

SMALL=$CORPUS/perf/expected/perf-small.folded
[ -r "$SMALL" ] || { fail corpus "missing $SMALL"; finish; }

# ---- a known small input: exact frames, counts and widths ----
cat > "$T/syn.folded" <<'EOF'
main;alpha;foo_a 30
main;alpha;bar;foo_b 20
main;alpha;baz 10
main;beta;foo_c 25
main;beta;qux 15
main;gamma;foo_d;foo_e 7
main 3
EOF
cat > "$T/syn.expected" <<'EOF'
all|110|10|101|1180
main|110|10|85|1180
alpha|60|10|69|643.6
bar|20|10|53|214.5
foo_b|20|10|37|214.5
baz|10|224.5|53|107.3
foo_a|30|331.8|53|321.8
beta|40|653.6|69|429.1
foo_c|25|653.6|53|268.2
qux|15|921.8|53|160.9
gamma|7|1082.7|69|75.1
foo_d|7|1082.7|53|75.1
foo_e|7|1082.7|37|75.1
EOF
if FG --minwidth 0 "$T/syn.folded" -o "$T/syn.svg" && wellformed "$T/syn.svg"; then
	frames "$T/syn.svg" > "$T/syn.got"
	if cmp -s "$T/syn.got" "$T/syn.expected"; then pass known_frames
	else fail known_frames "$(diff "$T/syn.expected" "$T/syn.got" | head -5 | tr '\n' ' ')"; fi
else
	fail known_frames "render or xmllint failed"
fi

# ---- real data: every frame's count is the sum of the stacks through its
# path, root = total, children never exceed their parent ----
FG --minwidth 0 "$SMALL" -o "$T/small0.svg" && wellformed "$T/small0.svg" &&
	pass wellformed_small_minwidth0 || fail wellformed_small_minwidth0
frames "$T/small0.svg" > "$T/small0.frames"
check totals_match_input awk -F'|' '
	NR == FNR {	# folded: every prefix gets the line count
		c = $0; sub(/.* /, "", c); s = $0; sub(/ [^ ]*$/, "", s)
		n = split(s, f, ";"); p = ""; total += c
		for (i = 1; i <= n; i++) { p = p ";" f[i]; sum[p] += c; if (!(p in seen)) { seen[p] = 1; np++ } }
		next
	}
	FNR == 1 { y0 = $4; if ($1 != "all" || $2 != total || $5 != 1180) bad++; next }
	{
		d = (y0 - $4) / 16; path[d] = (d > 1 ? path[d - 1] : "") ";" $1
		if (sum[path[d]] != $2) { bad++; if (bad < 5) print "count", path[d], $2, sum[path[d]] > "/dev/stderr" }
		kids[d - 1] += $2; cnt[d] = $2; kids[d] = 0
		if (d > 1 && kids[d - 1] > cnt[d - 1]) bad++
		nf++
	}
	END { if (nf != np) { print "frames", nf, "prefixes", np > "/dev/stderr"; bad++ } exit bad != 0 }
' "$SMALL" "$T/small0.frames"

FG "$SMALL" -o "$T/small.svg" && wellformed "$T/small.svg" && pass wellformed_small ||
	fail wellformed_small
FG --minwidth 1% "$SMALL" -o "$T/small1p.svg"
pct=$(awk -F'|' -v t="$(head -1 "$T/small0.frames" | cut -d'|' -f2)" \
	'$2 * 100 >= t { n++ } END { print n + 0 }' "$T/small0.frames")
check minwidth_percent test "$(nframes "$T/small1p.svg")" -eq "$pct"
FG --minwidth 5 "$SMALL" -o "$T/small5.svg"
px5=$(awk -F'|' -v t="$(head -1 "$T/small0.frames" | cut -d'|' -f2)" \
	'$2 * 1180 / t >= 5 { n++ } END { print n + 0 }' "$T/small0.frames")
check minwidth_pixels test "$(nframes "$T/small5.svg")" -eq "$px5"

# ---- determinism ----
FG "$SMALL" -o "$T/small.again.svg"
check deterministic cmp -s "$T/small.svg" "$T/small.again.svg"
sort -r "$SMALL" > "$T/small.rev.folded"
FG "$T/small.rev.folded" -o "$T/small.rev.svg"
check input_order_independent cmp -s "$T/small.svg" "$T/small.rev.svg"

# ---- hostile names and option values ----
{
	printf '<script>alert(1)</script>;x 5\n'
	printf 'a&b;c<d>e;q"uote'"'"'s 3\n'
	printf 'ctl\033[31mred;nul\001x;del\177y 2\n'
	printf 'bad\377\376utf8;trunc\303;overlong\300\257;surr\355\240\200 4\n'
	printf ']]>;--><!--;<![CDATA[x 1\n'
	printf 'caf\303\251;\360\237\230\200emoji 2\n'
}> "$T/hostile.folded"
if FG --minwidth 0 --title '<script>alert(2)</script>' --subtitle '& "x" <y>' \
	--notes '--><script>alert(3)</script>' --countname '<b>"ms"</b>' \
	--nametype "'\"</script>" --fonttype 'V"><script>alert(4)</script>' \
	"$T/hostile.folded" -o "$T/hostile.svg"; then
	check hostile_wellformed wellformed "$T/hostile.svg"
	check hostile_one_script test "$(grep -c '<script' "$T/hostile.svg")" -eq 1
	check hostile_title_escaped grep -q '>&lt;script&gt;alert(2)&lt;/script&gt;</text>' "$T/hostile.svg"
	check hostile_name_escaped grep -q '<title>&lt;script&gt;alert(1)&lt;/script&gt; (5 &lt;b&gt;&quot;ms&quot;&lt;/b&gt;, ' "$T/hostile.svg"
	check hostile_controls_replaced grep -q '<title>ctl\\x1b\[31mred (' "$T/hostile.svg"
	check hostile_invalid_utf8 grep -q '<title>bad\\xff\\xfeutf8 (' "$T/hostile.svg"
	check hostile_utf8_kept grep -q "$(printf 'emoji')" "$T/hostile.svg"
	ctl=$(printf '\033\001\177')
	check hostile_no_raw_controls sh -c "! LC_ALL=C grep -q '[$ctl]' '$T/hostile.svg'"
	check hostile_frames test "$(nframes "$T/hostile.svg")" -eq 18
else
	fail hostile "render failed"
fi

# ---- layout options ----
FG --width 800 --height 24 --fontsize 10 --fontwidth 0.5 --fonttype 'DejaVu Sans' \
	--title T1 --subtitle S1 --countname ms --nametype 'Func:' --notes N1 \
	"$T/syn.folded" -o "$T/opts.svg"
check options_wellformed wellformed "$T/opts.svg"
check option_width grep -q '<svg [^>]*width="800"' "$T/opts.svg"
check option_root_width grep -q '<title>all (110 ms, 100.00%)</title><rect x="10" y="[0-9]*" width="780" height="23"' "$T/opts.svg"
check option_font grep -q 'font-family="DejaVu Sans" font-size="10"' "$T/opts.svg"
check option_texts sh -c "grep -q '>T1</text>' '$T/opts.svg' && grep -q '>S1</text>' '$T/opts.svg' && grep -q '<desc>N1</desc>' '$T/opts.svg' && grep -q 'nt:\"Func:\"' '$T/opts.svg' && grep -q 'cw:5,' '$T/opts.svg'"
FG --inverted "$T/syn.folded" -o "$T/inv.svg"
check inverted sh -c "sed -n 's/^<g><title>all .*<rect x=\"10\" y=\"\([0-9]*\)\".*/\1/p' '$T/inv.svg' | grep -qx 36"
check inverted_title grep -q '>Icicle Graph</text>' "$T/inv.svg"
FG --reverse --minwidth 0 "$T/syn.folded" -o "$T/rev.svg"
frames "$T/rev.svg" | cut -d'|' -f1,2 | head -4 | tr '\n' ' ' > "$T/rev.got"
check reverse test "$(cat "$T/rev.got")" = "all|110 baz|10 alpha|10 main|10 "
printf 'a;b 1\nc 1\na;d 2\na;d 1\n' > "$T/chart.folded"
FG --flamechart --minwidth 0 "$T/chart.folded" -o "$T/chart.svg"
frames "$T/chart.svg" | cut -d'|' -f1-3 > "$T/chart.got"
printf 'all|5|10\na|1|10\nb|1|10\nc|1|246\na|3|482\nd|3|482\n' > "$T/chart.expected"
check flamechart cmp -s "$T/chart.got" "$T/chart.expected"
for p in hot mem io wakeup chain java js perl red green blue aqua yellow purple orange go rust; do
	FG --colors $p "$SMALL" -o "$T/pal.$p.svg" && wellformed "$T/pal.$p.svg" || echo "$p" >> "$T/pal.bad"
done
check palettes test ! -e "$T/pal.bad"
check palettes_differ sh -c "! cmp -s '$T/pal.hot.svg' '$T/pal.go.svg' && ! cmp -s '$T/pal.red.svg' '$T/pal.blue.svg'"
FG --hash "$SMALL" -o "$T/hash.svg"
check hash_option sh -c "! cmp -s '$T/hash.svg' '$T/small.svg' && xmllint --noout '$T/hash.svg'"
FG --bgcolors '#123abc' "$T/syn.folded" -o "$T/bg.svg"
check bgcolors grep -q 'stop-color="#123abc"' "$T/bg.svg"
check bad_palette_fails sh -c "! '$TIPROF' flamegraph --colors nope '$T/syn.folded' -o '$T/x.svg' 2>/dev/null"
check bad_bgcolor_fails sh -c "! '$TIPROF' flamegraph --bgcolors pink '$T/syn.folded' -o '$T/x.svg' 2>/dev/null"
FG --focus alpha --minwidth 0 "$T/syn.folded" -o "$T/focus.svg"
check focus grep -q '<title>all (60 samples, 100.00%)' "$T/focus.svg"
FG --ignore alpha --minwidth 0 "$T/syn.folded" -o "$T/ignore.svg"
check ignore grep -q '<title>all (50 samples, 100.00%)' "$T/ignore.svg"

# ---- differential input (two counts) ----
DIFF=$CORPUS/inferno-tests/diff-folded/results/default.txt
printf 'a;b 1 3\na;c 4 2\na;d 1 1\n' > "$T/diff.folded"
FG --minwidth 0 "$T/diff.folded" -o "$T/diff.svg"
check diff_wellformed wellformed "$T/diff.svg"
check diff_grew grep -q '<title>b (3 samples, 50.00%; +33.33%)</title><rect [^>]*fill="#ff0000"' "$T/diff.svg"
check diff_shrank grep -q '<title>c (2 samples, 33.33%; -33.33%)</title><rect [^>]*fill="#0000ff"' "$T/diff.svg"
FG --negate --minwidth 0 "$T/diff.folded" -o "$T/diffn.svg"
check diff_negate grep -q '<title>b (3 samples, 50.00%; +33.33%)</title><rect [^>]*fill="#0000ff"' "$T/diffn.svg"
if [ -r "$DIFF" ]; then
	FG "$DIFF" -o "$T/diffc.svg" && wellformed "$T/diffc.svg" && pass diff_corpus || fail diff_corpus
fi

# ---- a 100,000-frame stack ----
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "%sf%d", (i ? ";" : ""), i % 977; print " 7" }' > "$T/deep.folded"
if FG --from folded --minwidth 0 "$T/deep.folded" -o "$T/deep.svg"; then
	check deep_frames test "$(nframes "$T/deep.svg")" -eq 100001
	check deep_wellformed xmllint --noout --huge "$T/deep.svg"
else
	fail deep "render failed"
fi

# ---- size per frame on a larger input ----
i=0
while [ $i -lt 40 ]; do
	sed "s/^/proc$i;/" "$SMALL"
	i=$((i + 1))
done > "$T/big.folded"
FG --minwidth 0 "$T/big.folded" -o "$T/big.svg"
FG "$T/big.folded" -o "$T/big.default.svg"
printf 'x 1\n' > "$T/one.folded"
FG "$T/one.folded" -o "$T/one.svg"
base=$(wc -c < "$T/one.svg")
nb=$(nframes "$T/big.svg")
bytes=$(wc -c < "$T/big.svg")
per=$(( (bytes - base) / nb ))
nd=$(nframes "$T/big.default.svg")
perd=$(( ($(wc -c < "$T/big.default.svg") - base) / nd ))
echo "info: $(wc -c < "$T/big.folded") bytes folded -> minwidth 0: $nb frames, $bytes bytes, $per bytes/frame; default: $nd frames, $perd bytes/frame"
check big_wellformed wellformed "$T/big.svg"
# the default minwidth (0.1 px) leaves out exactly the narrower frames
frames "$T/big.svg" > "$T/big.frames"
wide=$(awk -F'|' 'NR == 1 { t = $2 } $2 * 1180 / t >= 0.1 { n++ } END { print n + 0 }' "$T/big.frames")
check minwidth_prunes test "$nd" -lt "$nb" -a "$nd" -eq "$wide"
check minwidth_wellformed wellformed "$T/big.default.svg"
check bytes_per_frame test "$per" -lt 150 -a "$perd" -lt 150

finish
