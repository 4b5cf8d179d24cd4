"""Small inline-SVG charts for the HTML report: no JavaScript, no network, no plotting library.

Every function returns one ``<svg>`` element as a :class:`markupsafe.Markup` string, built with
:mod:`xml.etree.ElementTree`, so every text (class names come from the MLLM and are untrusted)
is escaped by the serializer, never by hand. Each chart has a visible title, axis labels, a
``<title>`` tooltip per mark, and uses presentation attributes only (no ``style`` attributes:
the page's Content-Security-Policy allows its one hashed ``<style>`` element and nothing else).

Sizes are in SVG user units; the page scales the charts to its width (``viewBox``).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from markupsafe import Markup

#: Okabe-Ito colours (distinguishable with the common colour-vision deficiencies)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
WIDTH = 760
FONT = 12
CHAR_W = 6.6  # approximate width of one character at FONT px (labels are sized from it)
LABEL_CHARS = 42  # category labels longer than this are cut (the full text is in the tooltip)


class ChartError(ValueError):
    """Chart inputs are inconsistent (lengths differ, a range is empty)."""


def _fmt(v: float) -> str:
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1000 or a < 0.001:
        return f"{v:.2g}"
    return f"{v:.3g}"


def _short(text: str, n: int = LABEL_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About ``n`` round tick values covering [lo, hi] (lo < hi), e.g. 0, 0.2, ..., 1."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        raise ChartError(f"empty axis range [{lo}, {hi}]")
    raw = (hi - lo) / max(n, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step + 1e-9) * step
    ticks, t = [], first
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 12))
        t += step
    if ticks[-1] < hi - step * 1e-9:
        ticks.append(round(t, 12))
    return ticks


class _Svg:
    """An ``<svg>`` under construction: a root element and helpers that add children."""

    def __init__(self, title: str, height: float, *, desc: str | None = None,
                 subtitle: str | None = None):
        self.root = ET.Element("svg", {
            "xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {WIDTH} {height:.0f}",
            "width": str(WIDTH), "height": f"{height:.0f}", "role": "img",
            "aria-label": title, "class": "chart", "font-family": "system-ui, sans-serif",
            "font-size": str(FONT),
        })
        ET.SubElement(self.root, "title").text = title
        if desc:
            ET.SubElement(self.root, "desc").text = desc
        self.text(WIDTH / 2, 18, title, anchor="middle", size=FONT + 3, weight="bold")
        if subtitle:
            self.text(WIDTH / 2, 34, subtitle, anchor="middle", size=FONT - 1, fill="#555")

    def el(self, tag: str, parent: ET.Element | None = None, **attrs: object) -> ET.Element:
        return ET.SubElement(parent if parent is not None else self.root, tag,
                             {k.replace("_", "-"): str(v) for k, v in attrs.items()})

    def text(self, x: float, y: float, s: str, *, anchor: str = "start", size: int = FONT,
             weight: str | None = None, rotate: float | None = None, fill: str = "#222",
             parent: ET.Element | None = None) -> ET.Element:
        attrs: dict[str, object] = {"x": f"{x:.1f}", "y": f"{y:.1f}", "text_anchor": anchor,
                                    "font_size": size, "fill": fill}
        if weight:
            attrs["font_weight"] = weight
        if rotate is not None:
            attrs["transform"] = f"rotate({rotate:.0f} {x:.1f} {y:.1f})"
        t = self.el("text", parent, **attrs)
        t.text = s
        return t

    def tooltip(self, parent: ET.Element, s: str) -> None:
        ET.SubElement(parent, "title").text = s

    def grid(self, xt: Sequence[float], yt: Sequence[float], sx: Callable[[float], float],
             sy: Callable[[float], float], *, left: float, top: float, plot_w: float,
             plot_h: float) -> None:
        """Horizontal grid lines with y tick labels at ``yt``, x tick labels at ``xt``."""
        for t in yt:
            self.el("line", x1=left, x2=left + plot_w, y1=f"{sy(t):.1f}", y2=f"{sy(t):.1f}",
                    stroke="#e3e3e3")
            self.text(left - 6, sy(t) + 4, _fmt(t), anchor="end", size=FONT - 1, fill="#555")
        for t in xt:
            self.text(sx(t), top + plot_h + 15, _fmt(t), anchor="middle", size=FONT - 1,
                      fill="#555")

    def legend(self, names: Sequence[str], x: float, y: float) -> None:
        for i, name in enumerate(names):
            g = self.el("g")
            self.el("rect", g, x=f"{x:.1f}", y=f"{y + i * 16 - 9:.1f}", width=10, height=10,
                    fill=PALETTE[i % len(PALETTE)])
            self.text(x + 14, y + i * 16, _short(name, 30), parent=g)

    def markup(self) -> Markup:
        return Markup(ET.tostring(self.root, encoding="unicode", short_empty_elements=True))


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    x_label: str,
    x_max: float | None = None,
    log: bool = False,
    desc: str | None = None,
    subtitle: str | None = None,
) -> Markup:
    """Horizontal bars: one row per category, one bar per series in each row (grouped).

    ``series[name][i]`` is the value of ``categories[i]`` (None: no bar). ``log``: log10 axis
    (values must be > 0). ``x_max``: fixed axis end (e.g. 1.0 for rates).
    """
    names = list(series)
    for name, vals in series.items():
        if len(vals) != len(categories):
            raise ChartError(f"series {name!r}: {len(vals)} values for {len(categories)} rows")
    values = [float(v) for vals in series.values() for v in vals if v is not None]
    if log and any(v <= 0 for v in values):
        raise ChartError("log axis needs values > 0")
    bar_h = 14 if len(names) > 1 else 18
    row_h = bar_h * len(names) + 8
    left = 12 + CHAR_W * min(LABEL_CHARS, max((len(c) for c in categories), default=4))
    right = 70 + (150 if len(names) > 1 else 0)
    top, bottom = (48 if subtitle else 34), 46
    height = top + row_h * max(len(categories), 1) + bottom
    svg = _Svg(title, height, desc=desc, subtitle=subtitle)
    plot_w = WIDTH - left - right
    if log:
        lo_e = math.floor(math.log10(min(values))) if values else 0
        hi_e = math.ceil(math.log10(max(values))) if values else 1
        hi_e = max(hi_e, lo_e + 1)
        ticks = [10.0 ** e for e in range(lo_e, hi_e + 1)]

        def sx(v: float) -> float:
            return left + plot_w * (math.log10(v) - lo_e) / (hi_e - lo_e)
    else:
        hi = x_max if x_max is not None else max(values, default=1.0) or 1.0
        ticks = nice_ticks(0.0, hi)
        span = ticks[-1] if x_max is None else x_max

        def sx(v: float) -> float:
            return left + plot_w * v / span
    plot_bottom = top + row_h * max(len(categories), 1)
    for t in ticks:
        x = sx(t)
        svg.el("line", x1=f"{x:.1f}", x2=f"{x:.1f}", y1=top, y2=f"{plot_bottom:.1f}",
               stroke="#e3e3e3")
        svg.text(x, plot_bottom + 14, _fmt(t), anchor="middle", size=FONT - 1, fill="#555")
    base = sx(ticks[0]) if log else sx(0.0)
    for i, cat in enumerate(categories):
        y0 = top + i * row_h + 4
        svg.text(left - 6, y0 + row_h / 2, _short(cat), anchor="end")
        for j, name in enumerate(names):
            v = series[name][i]
            if v is None:
                continue
            g = svg.el("g")
            x1 = sx(float(v))
            y = y0 + j * bar_h
            svg.el("rect", g, x=f"{base:.1f}", y=f"{y:.1f}", width=f"{max(x1 - base, 0.5):.1f}",
                   height=bar_h - 2, fill=PALETTE[j % len(PALETTE)])
            svg.text(x1 + 4, y + bar_h - 4, _fmt(float(v)), size=FONT - 2, fill="#333", parent=g)
            svg.tooltip(g, f"{cat}: {name} = {_fmt(float(v))}")
    svg.el("line", x1=f"{base:.1f}", x2=f"{base:.1f}", y1=top, y2=f"{plot_bottom:.1f}",
           stroke="#555")
    svg.text(left + plot_w / 2, plot_bottom + 32, x_label, anchor="middle")
    if len(names) > 1:
        svg.legend(names, WIDTH - right + 60, top + 10)
    return svg.markup()


def line_chart(
    *,
    title: str,
    x: Sequence[float],
    series: dict[str, Sequence[float | None]],
    x_label: str,
    y_label: str,
    desc: str | None = None,
) -> Markup:
    """Lines over a shared x axis (e.g. loss per epoch); ``series[name][i]`` at ``x[i]``
    (None or non-finite values break the line). A single point is drawn as a dot."""
    for name, vals in series.items():
        if len(vals) != len(x):
            raise ChartError(f"series {name!r}: {len(vals)} values for {len(x)} x values")
    ys = [float(v) for vals in series.values() for v in vals
          if v is not None and math.isfinite(float(v))]
    left, right, top, bottom = 62, 190, 34, 48
    height = 300
    svg = _Svg(title, height, desc=desc)
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    x_lo, x_hi = (min(x), max(x)) if x else (0.0, 1.0)
    if x_hi <= x_lo:
        x_lo, x_hi = x_lo - 1, x_hi + 1
    y_lo, y_hi = (min(ys), max(ys)) if ys else (0.0, 1.0)
    y_lo = min(y_lo, 0.0)
    if y_hi <= y_lo:
        y_hi = y_lo + 1
    xt, yt = nice_ticks(x_lo, x_hi, 6), nice_ticks(y_lo, y_hi, 5)

    def sx(v: float) -> float:
        return left + plot_w * (v - xt[0]) / (xt[-1] - xt[0])

    def sy(v: float) -> float:
        return top + plot_h * (1 - (v - yt[0]) / (yt[-1] - yt[0]))

    svg.grid(xt, yt, sx, sy, left=left, top=top, plot_w=plot_w, plot_h=plot_h)
    svg.el("polyline", points=f"{left},{top} {left},{top + plot_h} {left + plot_w},{top + plot_h}",
           fill="none", stroke="#555")
    for j, (name, vals) in enumerate(series.items()):
        colour = PALETTE[j % len(PALETTE)]
        g = svg.el("g")
        segment: list[str] = []
        segments = [segment]
        for xv, v in zip(x, vals, strict=True):
            if v is None or not math.isfinite(float(v)):
                segment = []
                segments.append(segment)
                continue
            segment.append(f"{sx(xv):.1f},{sy(float(v)):.1f}")
            dot = svg.el("circle", g, cx=f"{sx(xv):.1f}", cy=f"{sy(float(v)):.1f}", r=2.5,
                         fill=colour)
            svg.tooltip(dot, f"{name} at {_fmt(xv)}: {_fmt(float(v))}")
        for seg in segments:
            if len(seg) > 1:
                svg.el("polyline", g, points=" ".join(seg), fill="none", stroke=colour,
                       stroke_width=2)
    svg.text(left + plot_w / 2, height - 10, x_label, anchor="middle")
    svg.text(16, top + plot_h / 2, y_label, anchor="middle", rotate=-90)
    svg.legend(list(series), WIDTH - right + 16, top + 10)
    return svg.markup()


def histogram_chart(
    *,
    title: str,
    series: dict[str, Sequence[float]],
    x_label: str,
    bins: int = 20,
    lo: float = 0.0,
    hi: float = 1.0,
    desc: str | None = None,
) -> Markup:
    """Overlaid histograms (step outlines) of values in [lo, hi], each series normalised to
    its share of values per bin, so sources of different sizes compare; n in the legend."""
    if hi <= lo or bins < 1:
        raise ChartError(f"histogram needs lo < hi and bins >= 1 (got {lo}, {hi}, {bins})")
    shares: dict[str, list[float]] = {}
    for name, vals in series.items():
        counts = [0] * bins
        n = 0
        for v in vals:
            if v is None or not math.isfinite(float(v)):
                continue
            k = min(max(int((float(v) - lo) / (hi - lo) * bins), 0), bins - 1)
            counts[k] += 1
            n += 1
        shares[f"{name} (n={n})"] = [c / n if n else 0.0 for c in counts]
    left, right, top, bottom = 62, 230, 34, 48
    height = 280
    svg = _Svg(title, height, desc=desc)
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    y_hi = max((s for vals in shares.values() for s in vals), default=0.0) or 1.0
    yt = nice_ticks(0.0, y_hi, 5)
    xt = nice_ticks(lo, hi, 5)

    def sx(v: float) -> float:
        return left + plot_w * (v - lo) / (hi - lo)

    def sy(v: float) -> float:
        return top + plot_h * (1 - v / yt[-1])

    svg.grid(xt, yt, sx, sy, left=left, top=top, plot_w=plot_w, plot_h=plot_h)
    width = (hi - lo) / bins
    for j, (name, vals) in enumerate(shares.items()):
        colour = PALETTE[j % len(PALETTE)]
        g = svg.el("g")
        pts = [f"{sx(lo):.1f},{sy(0):.1f}"]
        for k, s in enumerate(vals):
            a, b = lo + k * width, lo + (k + 1) * width
            pts += [f"{sx(a):.1f},{sy(s):.1f}", f"{sx(b):.1f},{sy(s):.1f}"]
            if s > 0:
                r = svg.el("rect", g, x=f"{sx(a):.1f}", y=f"{sy(s):.1f}",
                           width=f"{sx(b) - sx(a):.1f}", height=f"{sy(0) - sy(s):.1f}",
                           fill=colour, fill_opacity=0.18)
                svg.tooltip(r, f"{name}: {_fmt(a)}\u2013{_fmt(b)}: {s:.1%}")
        pts.append(f"{sx(hi):.1f},{sy(0):.1f}")
        svg.el("polyline", g, points=" ".join(pts), fill="none", stroke=colour, stroke_width=2)
    svg.el("polyline", points=f"{left},{top} {left},{top + plot_h} {left + plot_w},{top + plot_h}",
           fill="none", stroke="#555")
    svg.text(left + plot_w / 2, height - 10, x_label, anchor="middle")
    svg.text(16, top + plot_h / 2, "share of the source's images", anchor="middle", rotate=-90)
    svg.legend(list(shares), WIDTH - right + 16, top + 10)
    return svg.markup()


def heatmap_chart(
    *,
    title: str,
    rows: Sequence[str],
    cols: Sequence[str],
    counts: Sequence[Sequence[int]],
    row_totals: Sequence[int],
    x_label: str,
    y_label: str,
    desc: str | None = None,
) -> Markup:
    """A confusion-matrix grid: ``counts[i][j]`` images of row class ``rows[i]`` given the
    name ``cols[j]``; cells are shaded by the share of the row (``row_totals[i]`` images)."""
    if len(counts) != len(rows) or any(len(r) != len(cols) for r in counts):
        raise ChartError(f"counts must be {len(rows)} x {len(cols)}")
    if len(row_totals) != len(rows):
        raise ChartError(f"{len(row_totals)} row totals for {len(rows)} rows")
    left = 30 + CHAR_W * min(30, max((len(r) for r in rows), default=4))
    cell = max(22, min(48, int(WIDTH - left - 150) // max(len(cols), 1)))
    col_label_h = 8 + CHAR_W * 0.72 * min(30, max((len(c) for c in cols), default=4))
    top = 48 + col_label_h
    height = top + cell * len(rows) + 40
    svg = _Svg(title, height, desc=desc,
               subtitle="cell: images of the true class given that name; shade: share of the class")
    for j, c in enumerate(cols):
        x = left + j * cell + cell / 2
        svg.text(x + 4, top - 6, _short(c, 30), anchor="start", rotate=-45, size=FONT - 1)
    for i, r in enumerate(rows):
        y = top + i * cell
        svg.text(left - 6, y + cell / 2 + 4, _short(r, 30), anchor="end", size=FONT - 1)
        total = row_totals[i] or 1
        for j, c in enumerate(cols):
            n = counts[i][j]
            share = n / total
            g = svg.el("g")
            svg.el("rect", g, x=f"{left + j * cell:.1f}", y=f"{y:.1f}", width=cell - 1,
                   height=cell - 1, fill=_blue(share))
            if n:
                svg.text(left + j * cell + cell / 2, y + cell / 2 + 4, str(n), anchor="middle",
                         size=FONT - 2, fill="#fff" if share > 0.5 else "#222", parent=g)
            svg.tooltip(g, f"true {r} \u2192 named {c}: {n} of {row_totals[i]} images "
                           f"({share:.0%})")
    grid_w = cell * len(cols)
    svg.text(left + grid_w / 2, top + cell * len(rows) + 24, x_label, anchor="middle")
    svg.text(16, top + cell * len(rows) / 2, y_label, anchor="middle", rotate=-90)
    return svg.markup()


def _blue(share: float) -> str:
    """White (0) to dark blue (1)."""
    s = min(max(share, 0.0), 1.0)
    r, g, b = (int(255 + (t - 255) * s) for t in (8, 69, 148))
    return f"#{r:02x}{g:02x}{b:02x}"
