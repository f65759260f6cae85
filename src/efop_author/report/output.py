"""Report: render a :class:`~efop_author.report.summary.Report` as a terminal table, CSV, or a
self-contained accessible HTML page with inline SVG charts (no script, no external asset).

CSV is for machines: English column names, ``yes``/``no``, ``passed``/``failed``, dot
decimals, seconds; two tables separated by one empty line (learners, then questions).
The table and HTML texts follow the CLI locale (``EFOP_AUTHOR_LANG``, French by default).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from html import escape

from efop_author.messages import locale, t
from efop_author.report.summary import ItemRow, LearnerModuleRow, Report

LEARNER_COLUMNS = ["learner", "learner_id", "module", "module_name", "started", "completed", "result",
                   "best_score", "time_spent_s", "sessions", "first_seen", "last_seen"]
ITEM_COLUMNS = ["question", "question_name", "module", "type", "attempts", "correct", "success_rate"]


def _num(value: float | None, *, decimal: str = ".") -> str:
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal)


def _iso(dt: datetime | None) -> str:
    if dt is None:
        return ""
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def human_duration(seconds: float) -> str:
    total = int(round(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{h} h {m:02d} min {s:02d} s"
    if m:
        return f"{m} min {s:02d} s"
    return f"{s} s"


# ---------------------------------------------------------------------------- CSV


def render_csv(report: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(LEARNER_COLUMNS)
    for r in report.rows:
        w.writerow([
            r.learner, r.learner_id, r.module, r.module_name,
            "yes" if r.started else "no", "yes" if r.completed else "no", r.result,
            _num(r.best_score), _num(r.time_spent), r.sessions, _iso(r.first_seen), _iso(r.last_seen),
        ])
    buf.write("\n")
    w.writerow(ITEM_COLUMNS)
    for i in report.items:
        w.writerow([i.question, i.name, i.module, i.interaction_type, i.attempts, i.correct,
                    _num(i.success_rate)])
    return buf.getvalue()


# ---------------------------------------------------------------------------- table


def _dec() -> str:
    return "," if locale() == "fr" else "."


def _yes(flag: bool) -> str:
    return t("report.yes") if flag else t("report.no")


def _result(row: LearnerModuleRow) -> str:
    return t(f"report.{row.result}") if row.result else t("report.none")


def _learner_cells(r: LearnerModuleRow) -> list[str]:
    return [
        r.learner, r.module_name or r.module, _yes(r.started), _yes(r.completed), _result(r),
        _num(r.best_score, decimal=_dec()) or t("report.none"), human_duration(r.time_spent), str(r.sessions),
    ]


def _learner_headers() -> list[str]:
    return [t(f"report.col-{k}") for k in ("learner", "module", "started", "completed", "result", "score", "time",
                                           "sessions")]


def _item_cells(i: ItemRow) -> list[str]:
    rate = _num(i.success_rate, decimal=_dec())
    return [i.name or i.question, i.interaction_type, str(i.attempts), str(i.correct), rate or t("report.none")]


def _item_headers() -> list[str]:
    return [t(f"report.col-{k}") for k in ("question", "type", "attempts", "correct", "rate")]


def _grid(headers: list[str], rows: list[list[str]], max_width: int = 48) -> str:
    def clip(s: str) -> str:
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    cells = [[clip(c) for c in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_table(report: Report) -> str:
    if not report.rows and not report.items:
        return t("report.empty") + "\n"
    parts = [t("report.learners"), _grid(_learner_headers(), [_learner_cells(r) for r in report.rows])]
    if report.items:
        parts += ["", t("report.items"), _grid(_item_headers(), [_item_cells(i) for i in report.items])]
    parts.append("")
    parts.append(t("report.generated", date=datetime.now().strftime("%Y-%m-%d %H:%M"), n=report.statements))
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------------------- HTML

COLORS = {  # all at least 4.5:1 against white
    "passed": "#1b6e34",
    "failed": "#b3261e",
    "completed": "#1d4e89",
    "progress": "#595959",
}
CSS = """
:root { color: #1a1a1a; background: #fff; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
body { margin: 0; line-height: 1.5; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.75rem; margin: 1rem 0 .25rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #1d4e89; }
.meta { color: #444; margin: .25rem 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: .95rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #b0b0b0; padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #eef2f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.passed { color: #1b6e34; font-weight: 600; }
.failed { color: #b3261e; font-weight: 600; }
figure { margin: 1rem 0; }
figcaption { color: #333; font-size: .95rem; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; margin: .5rem 0; }
.legend span.swatch { display: inline-block; width: 1rem; height: 1rem; vertical-align: middle; margin-right: .35rem; border: 1px solid #1a1a1a; }
svg text { font-family: inherit; font-size: 13px; fill: #1a1a1a; }
@media print { h2 { break-after: avoid; } table, figure { break-inside: avoid; } }
"""


def _svg_results(report: Report, dec: str) -> str:
    modules: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    for r in report.rows:
        counts = modules.setdefault(r.module, {"passed": 0, "failed": 0, "completed": 0, "progress": 0})
        names[r.module] = r.module_name or r.module
        key = r.result or ("completed" if r.completed else "progress")
        counts[key] += 1
    if not modules:
        return ""
    label_w, bar_w, row_h = 260, 420, 30
    height = row_h * len(modules) + 10
    width = label_w + bar_w + 60
    most = max(sum(c.values()) for c in modules.values()) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-results-title chart-results-desc" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<title id="chart-results-title">{escape(t("report.chart-results"))}</title>',
        f'<desc id="chart-results-desc">{escape(t("report.chart-results-desc"))}</desc>',
    ]
    for n, (module, counts) in enumerate(modules.items()):
        y = 5 + n * row_h
        label = names[module]
        short = label if len(label) <= 36 else label[:35] + "…"
        parts.append(f'<text x="0" y="{y + 18}">{escape(short)}</text>')
        x = float(label_w)
        for key in ("passed", "failed", "completed", "progress"):
            if counts[key]:
                w = bar_w * counts[key] / most
                tip = t("report.result-bar", module=label, **counts)
                parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 10}" '
                             f'fill="{COLORS[key]}"><title>{escape(tip)}</title></rect>')
                x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 18}">{sum(counts.values())}</text>')
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch" style="background:{COLORS[k]}"></span>{escape(t("report.status-" + k))}</li>'
        for k in ("passed", "failed", "completed", "progress")
    )
    return (f'<figure>{"".join(parts)}<figcaption>{escape(t("report.chart-results-desc"))}'
            f'<ul class="legend">{legend}</ul></figcaption></figure>')


def _svg_items(report: Report, dec: str) -> str:
    items = [i for i in report.items if i.success_rate is not None]
    if not items:
        return ""
    label_w, bar_w, row_h = 300, 360, 26
    height = row_h * len(items) + 30
    width = label_w + bar_w + 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-items-title chart-items-desc" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<title id="chart-items-title">{escape(t("report.chart-items"))}</title>',
        f'<desc id="chart-items-desc">{escape(t("report.chart-items-desc"))}</desc>',
    ]
    # 50 % guide line
    mid = label_w + bar_w / 2
    parts.append(f'<line x1="{mid}" y1="0" x2="{mid}" y2="{height - 20}" stroke="#595959" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{mid - 14}" y="{height - 5}">50 %</text>')
    for n, i in enumerate(items):
        y = n * row_h
        name = i.name or i.question.rsplit("/", 1)[-1]
        short = name if len(name) <= 40 else name[:39] + "…"
        rate = i.success_rate or 0.0
        w = bar_w * rate / 100
        color = COLORS["failed"] if rate < 50 else COLORS["completed"]
        tip = t("report.item-bar", name=name, rate=_num(rate, decimal=dec), n=i.attempts)
        parts.append(f'<text x="0" y="{y + 17}">{escape(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{color}">'
                     f'<title>{escape(tip)}</title></rect>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 17}">{_num(rate, decimal=dec)} %</text>')
    parts.append("</svg>")
    return f'<figure>{"".join(parts)}<figcaption>{escape(t("report.chart-items-desc"))}</figcaption></figure>'


def _table(caption: str, headers: list[str], rows: list[list[tuple[str, str]]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = []
        for n, (text, cls) in enumerate(row):
            attr = f' class="{cls}"' if cls else ""
            tag = "th" if n == 0 else "td"
            scope = ' scope="row"' if n == 0 else ""
            cells.append(f"<{tag}{scope}{attr}>{escape(text)}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def render_html(report: Report, *, now: datetime | None = None) -> str:
    lang = locale()
    dec = _dec()
    now = now or datetime.now()
    title = t("report.title")
    meta = [t("report.generated", date=now.strftime("%Y-%m-%d %H:%M"), n=report.statements)]
    if report.course:
        meta.append(t("report.filter-course", course=report.course))
    if report.since or report.until:
        meta.append(t("report.filter-period", since=report.since or "…", until=report.until or "…"))
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(title)}</h1>",
        *(f'<p class="meta">{escape(m)}</p>' for m in meta),
    ]
    if not report.rows and not report.items:
        out.append(f"<p>{escape(t('report.empty'))}</p>")
    if report.rows:
        rows = []
        for r in report.rows:
            cells = _learner_cells(r)
            classes = ["", "", "", "", r.result, "num", "num", "num"]
            rows.append(list(zip(cells, classes, strict=True)))
        out += [
            '<section aria-labelledby="h-learners">',
            f'<h2 id="h-learners">{escape(t("report.learners"))}</h2>',
            _svg_results(report, dec),
            _table(t("report.learners"), _learner_headers(), rows),
            "</section>",
        ]
    if report.items:
        rows = [list(zip(_item_cells(i), ["", "", "num", "num", "num"], strict=True)) for i in report.items]
        out += [
            '<section aria-labelledby="h-items">',
            f'<h2 id="h-items">{escape(t("report.items"))}</h2>',
            _svg_items(report, dec),
            _table(t("report.items"), _item_headers(), rows),
            "</section>",
        ]
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)
