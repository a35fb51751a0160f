"""The weekly compliance trend as an inline SVG bar chart, drawn on the server.

Geometry only: the template (reviews/_compliance_chart.html) writes the SVG with classes
styled by reviews/compliance.css — no script, no style attributes (the CSP forbids inline
styles). Each bar carries its own <title> and the numbers it stands for, and the page puts a
table with the same numbers right below the chart.
"""

import math
from dataclasses import dataclass

from vigil.reviews.compliance import Counts, Trend

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 48
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
COLOURS = 8  # compliance-series--0 … --7 in compliance.css


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    area: str
    area_name: str
    week: str  # ISO date of the Monday
    counts: Counts
    series: int  # colour index
    title: str


@dataclass
class Tick:
    y: float
    text: str


@dataclass
class WeekLabel:
    x: float
    text: str


@dataclass
class Legend:
    area: str
    area_name: str
    series: int


@dataclass
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    bars: list[Bar]
    ticks: list[Tick]
    labels: list[WeekLabel]
    legend: list[Legend]
    title: str
    description: str


def _r(value: float) -> float:
    return round(value, 2)


def bar_title(area_name: str, week, counts: Counts) -> str:
    if not counts.due:
        return f"{area_name}, week beginning {week:%d %b %Y}: nothing due"
    return (
        f"{area_name}, week beginning {week:%d %b %Y}: {counts.on_time} of {counts.due} "
        f"on time ({counts.percent_text})"
    )


def trend_chart(trend: Trend | None) -> Chart | None:
    """Bars of the on-time percentage per week, one per area; no bar where nothing was due."""
    if trend is None or not trend.series or not trend.weeks:
        return None
    weeks, series = trend.weeks, trend.series
    group = PLOT_W / len(weeks)
    bar_w = group * 0.8 / len(series)
    bars = []
    for index, line in enumerate(series):
        for position, (week, counts) in enumerate(zip(weeks, line.points, strict=True)):
            if not counts.due:
                continue
            height = PLOT_H * counts.on_time_ratio
            bars.append(
                Bar(
                    x=_r(LEFT + position * group + group * 0.1 + index * bar_w),
                    y=_r(TOP + PLOT_H - height),
                    width=_r(bar_w),
                    height=_r(height),
                    area=line.area,
                    area_name=line.area_name,
                    week=week.isoformat(),
                    counts=counts,
                    series=index % COLOURS,
                    title=bar_title(line.area_name, week, counts),
                )
            )
    ticks = [Tick(y=_r(TOP + PLOT_H * (1 - p / 100)), text=f"{p}%") for p in (0, 25, 50, 75, 100)]
    every = max(1, math.ceil(len(weeks) / 12))
    labels = [
        WeekLabel(x=_r(LEFT + position * group + group / 2), text=f"{week:%d %b}")
        for position, week in enumerate(weeks)
        if position % every == 0
    ]
    legend = [
        Legend(area=line.area, area_name=line.area_name, series=index % COLOURS)
        for index, line in enumerate(series)
    ]
    areas = ", ".join(line.area_name for line in series)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=TOP + PLOT_H,
        bars=bars,
        ticks=ticks,
        labels=labels,
        legend=legend,
        title=f"{trend.label}: reviews done on time, per cent of those due, by week and area",
        description=(
            f"Bar chart, one bar per area ({areas}) for each week beginning "
            f"{weeks[0]:%d %b %Y} to {weeks[-1]:%d %b %Y}. No bar where nothing was due. "
            "The table below gives the same numbers."
        ),
    )
