"""Plotly figures as plain JSON for the page's data islands: the neighbourhood map and the monthly trend.

The map draws each neighbourhood's GeoJSON outline as a filled shape on plain axes: no map tiles, no
base-map download, nothing from the network. Colours come from viridis (colour-blind safe, and still
ordered in grey); a suppressed or unknown value is light grey and named so in the hover text and the table.
"""

from __future__ import annotations

from typing import Any

from plotly.colors import sample_colorscale, sequential

UNKNOWN_COLOUR = "#d9d9d9"


def _rings(outline: dict[str, Any] | None) -> list[list[list[float]]]:
    if not outline:
        return []
    if outline.get("type") == "Polygon":
        return [outline["coordinates"][0]]
    if outline.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in outline["coordinates"]]
    return []


def map_figure(areas: list[dict[str, Any]], unknown_text: str) -> dict[str, Any]:
    """areas: name, outline (GeoJSON), value (number or None). One filled trace per neighbourhood."""
    values = [a["value"] for a in areas if a["value"] is not None]
    low, high = (min(values), max(values)) if values else (0, 0)
    # One call for every colour: plotly parses the colour scale on each call (a quarter of a millisecond,
    # once per neighbourhood before).
    shares = [share_of(v, low, high) for v in values]
    colours = iter(sample_colorscale(sequential.Viridis, shares) if shares else [])
    traces: list[dict[str, Any]] = []
    for area in areas:
        value = area["value"]
        dark = value is not None and share_of(value, low, high) < 0.5  # viridis is dark at its low end
        colour = UNKNOWN_COLOUR if value is None else next(colours)
        shown = unknown_text if value is None else f"{value:g}"
        for ring in _rings(area["outline"]):
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": [p[0] for p in ring],
                    "y": [p[1] for p in ring],
                    "fill": "toself",
                    "fillcolor": colour,
                    "line": {"color": "#ffffff", "width": 2},
                    "hoverinfo": "text",
                    "text": f"{area['name']}: {shown}",
                    "showlegend": False,
                }
            )
            xs, ys = [p[0] for p in ring], [p[1] for p in ring]
            traces.append(
                {
                    "type": "scatter",
                    "mode": "text",
                    "x": [sum(xs[:-1]) / max(1, len(xs) - 1)],
                    "y": [sum(ys[:-1]) / max(1, len(ys) - 1)],
                    "text": [f"{area['name']}<br>{shown}"],
                    "textfont": {"color": "#ffffff" if dark else "#000000"},
                    "hoverinfo": "skip",
                    "showlegend": False,
                }
            )
    return {
        "data": traces,
        "layout": {
            "xaxis": {"visible": False},
            "yaxis": {"visible": False, "scaleanchor": "x", "scaleratio": 1.6},
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "height": 420,
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
        },
    }


def map_legend(areas: list[dict[str, Any]], steps: int = 5) -> list[tuple[str, str]]:
    """(colour, value) pairs from the lowest to the highest value: drawn as an SVG legend beside the map
    (plotly's own colour bar sets inline styles, which the CSP refuses)."""
    values = [a["value"] for a in areas if a["value"] is not None]
    if not values:
        return []
    low, high = min(values), max(values)
    if low == high:
        return [(sample_colorscale(sequential.Viridis, [0.5])[0], f"{low:g}")]
    shares = [i / (steps - 1) for i in range(steps)]
    colours = sample_colorscale(sequential.Viridis, shares)
    return [(colour, f"{low + share * (high - low):.3g}") for colour, share in zip(colours, shares, strict=True)]


def share_of(value: float, low: float, high: float) -> float:
    return 0.5 if high == low else (value - low) / (high - low)


def trend_figure(months: list[str], series: list[tuple[str, list[float | None]]], label: str) -> dict[str, Any]:
    """Monthly values; a gap where a month's value is suppressed."""
    palette = sample_colorscale(sequential.Viridis, [0.0, 0.6])
    dashes = ["solid", "dash"]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": months,
                "y": values,
                "line": {"color": palette[i % 2], "dash": dashes[i % 2], "width": 3},
                "marker": {"symbol": ["circle", "square"][i % 2], "size": 8},
            }
            for i, (name, values) in enumerate(series)
        ],
        "layout": {
            "yaxis": {"title": {"text": label}, "rangemode": "tozero"},
            "xaxis": {"type": "category"},
            "margin": {"l": 60, "r": 10, "t": 10, "b": 40},
            "height": 320,
            "legend": {"orientation": "h"},
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
        },
    }
