"""Inline-SVG charts of the report: well-formed, escaped, marks where the data says."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from near_core.report.charts import (
    ChartError,
    bar_chart,
    heatmap_chart,
    histogram_chart,
    line_chart,
    nice_ticks,
)

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


@pytest.mark.parametrize(("lo", "hi", "expected"), [
    (0.0, 1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    (0.0, 17.0, [0.0, 5.0, 10.0, 15.0, 20.0]),
    (1.0, 10.0, [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]),
])
def test_nice_ticks(lo, hi, expected):
    assert nice_ticks(lo, hi) == pytest.approx(expected)


def test_nice_ticks_rejects_an_empty_range():
    with pytest.raises(ChartError, match="empty axis range"):
        nice_ticks(1.0, 1.0)
    with pytest.raises(ChartError):
        nice_ticks(0.0, math.inf)


def test_bar_chart_escapes_and_scales():
    svg = bar_chart(title="P/R", categories=["a", HOSTILE], x_label="rate", x_max=1.0,
                    series={"precision": [0.5, 1.0], "recall": [None, 0.25]})
    assert "<script" not in svg and '"><img' not in svg
    root = _parse(svg)
    assert root.find(f"{NS}title").text == "P/R"
    texts = _texts(root)
    assert "rate" in texts and "precision" in texts and "recall" in texts
    assert any(t.startswith("<script>") for t in texts)  # the label, as text (cut to fit)
    bars = [r for r in root.iter(f"{NS}rect") if r.get("height") == "12"]
    assert len(bars) == 3  # the None value has no bar
    widths = sorted(float(r.get("width")) for r in bars)
    assert widths[2] == pytest.approx(2 * widths[1]) == pytest.approx(4 * widths[0])


def test_bar_chart_log_axis():
    svg = bar_chart(title="cost", categories=["MLLM", "CLIP"], x_label="s",
                    series={"s/image": [2.0, 0.002]}, log=True)
    texts = _texts(_parse(svg))
    assert {"0.001", "0.01", "0.1", "1", "10"} <= set(texts)
    with pytest.raises(ChartError, match="log axis"):
        bar_chart(title="t", categories=["a"], x_label="x", series={"s": [0.0]}, log=True)


def test_chart_inputs_are_checked():
    with pytest.raises(ChartError, match="2 values for 1 rows"):
        bar_chart(title="t", categories=["a"], x_label="x", series={"s": [1, 2]})
    with pytest.raises(ChartError, match="1 values for 2 x values"):
        line_chart(title="t", x=[1, 2], series={"s": [1]}, x_label="x", y_label="y")
    with pytest.raises(ChartError, match="2 x 1"):
        heatmap_chart(title="t", rows=["a", "b"], cols=["c"], counts=[[1]], row_totals=[1, 1],
                      x_label="x", y_label="y")


def test_line_chart_breaks_at_missing_values():
    svg = line_chart(title="loss", x=[1, 2, 3, 4, 5], series={"l": [3, 2, None, 1, 0.5]},
                     x_label="epoch", y_label="loss")
    root = _parse(svg)
    lines = [p for p in root.iter(f"{NS}polyline") if p.get("stroke-width") == "2"]
    assert [len(p.get("points").split()) for p in lines] == [2, 2]
    assert len(list(root.iter(f"{NS}circle"))) == 4
    assert {"epoch", "loss"} <= set(_texts(root))


def test_histogram_shares_per_source():
    svg = histogram_chart(title="conf", x_label="confidence", bins=4,
                          series={"a": [0.1, 0.1, 0.9, 1.0], "b": [0.6]})
    root = _parse(svg)
    assert {"a (n=4)", "b (n=1)"} <= set(_texts(root))
    tips = sorted(t.text for r in root.iter(f"{NS}rect") for t in r.iter(f"{NS}title"))
    assert tips == ["a (n=4): 0.75\u20131: 50.0%", "a (n=4): 0\u20130.25: 50.0%",
                    "b (n=1): 0.5\u20130.75: 100.0%"]


def test_heatmap_cells_and_tooltips():
    svg = heatmap_chart(title="confused", rows=["x", HOSTILE], cols=["x", "y"],
                        counts=[[3, 1], [0, 2]], row_totals=[4, 2], x_label="given",
                        y_label="true")
    assert "<script" not in svg
    root = _parse(svg)
    tips = [t.text for g in root.iter(f"{NS}g") for t in g.findall(f"{NS}title")]
    assert "true x \u2192 named x: 3 of 4 images (75%)" in tips
    assert f"true {HOSTILE} \u2192 named y: 2 of 2 images (100%)" in tips
    assert {"given", "true", "3", "1", "2"} <= set(_texts(root))
