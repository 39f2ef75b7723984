/* flame.js - interactive tiprof flame graphs.
 *
 * Reads the frames flamegraph/svg.c writes (depth-first <g> elements, each
 * a <title>, a <rect> and maybe a <text>), rebuilds the tree in exact
 * counts, and adds: details on hover; click to zoom into a frame, its
 * ancestors kept full width and dimmed; Reset Zoom; regex search (Ctrl-F,
 * F3 or the Search button; Ctrl-I or "ic" toggles case) that highlights
 * matches and shows "Matched: X%" of the frame in view, frames inside a
 * matched frame not counted twice; Escape clears. The view lives in the
 * URL: ?z=FRAME&s=REGEX&i=1, restored on load.
 *
 * window.fgcfg (written before this script) holds the geometry: xpad, W
 * (drawing width), y0/dy (rect y of depth 0, step per level), ty (text
 * baseline below a rect top), cw (px per character), diff, cn (count
 * name), nt (name type).
 */
(function () {
	"use strict";
	var cfg = window.fgcfg, doc = document, SVGNS = "http://www.w3.org/2000/svg";
	var frames = doc.getElementById("frames");
	var details = doc.getElementById("details");
	var unzoomBtn = doc.getElementById("unzoom");
	var searchBtn = doc.getElementById("search");
	var icBtn = doc.getElementById("ic");
	var matchedEl = doc.getElementById("matched");
	var els = [], n = 0, cnt, off, par, end, names, rects, texts;
	var zoomed = -1, term = "", icase = false, hits = null;

	function reQuote(s) {
		return s.replace(/[\\^$.*+?()[\]{}|\/-]/g, "\\$&");
	}

	/* Parse every frame: name and count from the title, depth from the
	 * rect's y, position from the preceding siblings (+ o="GAP"). */
	function build() {
		var kids = frames.children, open = [], cur, i, g, t, m, d, p;
		var re = new RegExp("^([\\s\\S]*) \\(([0-9,]+) " + reQuote(cfg.cn) + ", ");

		for (i = 0; i < kids.length; i++)
			if (kids[i].localName === "g")
				els.push(kids[i]);
		n = els.length;
		cnt = new Float64Array(n);
		off = new Float64Array(n);
		cur = new Float64Array(n);
		par = new Int32Array(n);
		end = new Int32Array(n);
		names = new Array(n);
		rects = new Array(n);
		texts = new Array(n);
		for (i = 0; i < n; i++) {
			g = els[i];
			g.fgIndex = i;
			t = g.firstElementChild;
			rects[i] = t.nextElementSibling;
			texts[i] = rects[i].nextElementSibling;
			m = re.exec(t.textContent);
			names[i] = m ? m[1] : t.textContent;
			cnt[i] = m ? Number(m[2].replace(/,/g, "")) : 0;
			d = Math.round((Number(rects[i].getAttribute("y")) - cfg.y0) / cfg.dy);
			if (!(d >= 0))
				d = 0;
			if (d > open.length)
				d = open.length;
			while (open.length > d)		/* the path from the root */
				end[open.pop()] = i;
			p = d > 0 ? open[d - 1] : -1;
			par[i] = p;
			off[i] = (p >= 0 ? cur[p] : 0) + Number(g.getAttribute("o") || 0);
			if (p >= 0)
				cur[p] = off[i] + cnt[i];
			cur[i] = off[i];
			open.push(i);
		}
		while (open.length)
			end[open.pop()] = n;
	}

	/* Put frame i at x with width w (px) and fit its label. */
	function place(i, x, w) {
		var r = rects[i], t = texts[i], chars = Math.floor(w / cfg.cw), s = "", c;

		r.setAttribute("x", x.toFixed(1));
		r.setAttribute("width", w.toFixed(1));
		if (chars >= 3) {
			s = names[i];
			if (s.length > chars) {
				s = s.substring(0, chars - 2);
				c = s.charCodeAt(s.length - 1);
				if (c >= 0xd800 && c < 0xdc00)
					s = s.substring(0, s.length - 1);
				s += "..";
			}
		}
		if (!t) {
			if (!s)
				return;
			t = texts[i] = doc.createElementNS(SVGNS, "text");
			els[i].appendChild(t);
		}
		t.setAttribute("x", (x + 3).toFixed(1));
		t.setAttribute("y", String(Number(r.getAttribute("y")) + cfg.ty));
		t.textContent = s;
	}

	function zoom(i) {
		var o = off[i], s = cfg.W / cnt[i], anc = new Uint8Array(n), a, j, cl;

		if (!(cnt[i] > 0))
			return;
		for (a = par[i]; a >= 0; a = par[a])
			anc[a] = 1;
		for (j = 0; j < n; j++) {
			cl = els[j].classList;
			if (j >= i && j < end[i]) {
				cl.remove("h", "p");
				place(j, cfg.xpad + (off[j] - o) * s, cnt[j] * s);
			} else if (anc[j]) {
				cl.remove("h");
				cl.add("p");
				place(j, cfg.xpad, cfg.W);
			} else {
				cl.add("h");
			}
		}
		zoomed = i;
		unzoomBtn.classList.remove("h");
		update();
	}

	function unzoom() {
		var s = n ? cfg.W / cnt[0] : 0, j;

		for (j = 0; j < n; j++) {
			els[j].classList.remove("h", "p");
			place(j, cfg.xpad + off[j] * s, cnt[j] * s);
		}
		zoomed = -1;
		unzoomBtn.classList.add("h");
		update();
	}

	function search(t) {
		var re, j;

		if (t === null || t === undefined || t === "") {
			clearSearch();
			return;
		}
		try {
			re = new RegExp(t, icase ? "i" : "");
		} catch (e) {
			matchedEl.textContent = "Bad regex";
			return;
		}
		term = String(t);
		hits = new Uint8Array(n);
		for (j = 0; j < n; j++) {
			hits[j] = re.test(names[j]) ? 1 : 0;
			els[j].classList.toggle("m", hits[j] === 1);
		}
		searchBtn.classList.add("on");
		update();
	}

	function clearSearch() {
		var j;

		term = "";
		hits = null;
		for (j = 0; j < n; j++)
			els[j].classList.remove("m");
		searchBtn.classList.remove("on");
		update();
	}

	function ask() {
		var t = window.prompt("Search frames (regular expression" +
				      (icase ? ", ignoring case" : "") + "):", term);

		if (t !== null && t !== undefined)
			search(t);
	}

	function toggleCase() {
		icase = !icase;
		icBtn.classList.toggle("on", icase);
		if (term)
			search(term);
		else
			saveState();
	}

	/* Matched share of the frame in view: a matched ancestor covers it
	 * all; inside it, a matched frame's subtree is not counted again. */
	function update() {
		var r = zoomed >= 0 ? zoomed : 0, sum = 0, whole, a, j;

		if (hits && n) {
			whole = cnt[r];
			for (a = par[r]; a >= 0; a = par[a])
				if (hits[a])
					break;
			if (a >= 0) {
				sum = whole;
			} else {
				for (j = r; j < end[r];) {
					if (hits[j]) {
						sum += cnt[j];
						j = end[j];
					} else {
						j++;
					}
				}
			}
			matchedEl.textContent = "Matched: " +
				(whole > 0 ? 100 * sum / whole : 0).toFixed(2) + "%";
			matchedEl.setAttribute("data-count", sum + "/" + whole);
		} else {
			matchedEl.textContent = " ";
			matchedEl.removeAttribute("data-count");
		}
		saveState();
	}

	function saveState() {
		var q = [];

		if (zoomed >= 0)
			q.push("z=" + zoomed);
		if (term)
			q.push("s=" + encodeURIComponent(term));
		if (icase)
			q.push("i=1");
		try {
			history.replaceState(null, "", location.pathname +
					     (q.length ? "?" + q.join("&") : "") + location.hash);
		} catch (e) {
			/* not allowed here (some file: views); the view still works */
		}
	}

	function frameOf(t) {
		while (t && t.parentNode !== frames)
			t = t.parentNode;
		return t || null;
	}

	function wire() {
		frames.addEventListener("click", function (e) {
			var g = frameOf(e.target);

			if (g)
				zoom(g.fgIndex);
		});
		frames.addEventListener("mouseover", function (e) {
			var g = frameOf(e.target);

			if (g)
				details.textContent = cfg.nt + " " + g.firstElementChild.textContent;
		});
		frames.addEventListener("mouseout", function () {
			details.textContent = " ";
		});
		matchedEl.addEventListener("mouseover", function () {
			var c = matchedEl.getAttribute("data-count");

			if (c)
				details.textContent = "Matched " + c.replace("/", " of ") + " " + cfg.cn;
		});
		unzoomBtn.addEventListener("click", unzoom);
		searchBtn.addEventListener("click", function () {
			if (hits)
				clearSearch();
			else
				ask();
		});
		icBtn.addEventListener("click", toggleCase);
		window.addEventListener("keydown", function (e) {
			var k = (e.key || "").toLowerCase(), mod = (e.ctrlKey || e.metaKey) && !e.altKey;

			if (k === "f3" || (mod && k === "f")) {
				e.preventDefault();
				ask();
			} else if (mod && k === "i") {
				e.preventDefault();
				toggleCase();
			} else if (k === "escape") {
				if (hits)
					clearSearch();
				else if (zoomed >= 0)
					unzoom();
			}
		});
	}

	function restore() {
		var ps, z, s;

		try {
			ps = new URLSearchParams(location.search);
		} catch (e) {
			return;
		}
		if (ps.get("i") === "1") {
			icase = true;
			icBtn.classList.add("on");
		}
		z = ps.get("z");
		if (z !== null && /^[0-9]+$/.test(z) && Number(z) < n)
			zoom(Number(z));
		s = ps.get("s");
		if (s)
			search(s);
	}

	build();
	wire();
	restore();
})();
