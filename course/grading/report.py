"""Reports for instructors: the grades CSV from the gradebook, and a plotly summary with the flags."""

import csv
import json
import warnings
from html import escape
from pathlib import Path

import plotly.graph_objects as go

warnings.filterwarnings("ignore", message=".*not in session.*")

CSV_COLUMNS = ["student", "week", "notebook", "cell", "auto_score", "manual_score", "score", "max_score"]


def write_grades_csv(db_url, path):
    """One row per student, week, notebook and graded cell (autograded tests and written answers)."""
    from nbgrader.api import Gradebook

    rows = []
    with Gradebook(db_url) as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        rows.append([submission.student.id, assignment.name, notebook.name, grade.name,
                                     grade.auto_score, grade.manual_score, grade.score, grade.max_score])
    rows.sort(key=lambda r: tuple(str(x) for x in r[:4]))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(rows)
    return len(rows)


def write_summary(autograded_dir, path):
    """An HTML page: the share of students passing each autograded test cell, and every flagged notebook."""
    passed, totals, flagged = {}, {}, []
    for result_file in sorted(Path(autograded_dir).glob("*/*/*.result.json")):
        student, week = result_file.parts[-3], result_file.parts[-2]
        result = json.loads(result_file.read_text())
        for score in result["scores"]:
            key = f"{week}/{score['grade_id']}"
            totals[key] = totals.get(key, 0) + 1
            passed[key] = passed.get(key, 0) + (score["score"] >= score["max_score"])
        for flag in result["flags"]:
            flagged.append((student, week, result_file.name.removesuffix(".result.json"), flag))
    cells = sorted(totals)
    figure = go.Figure(go.Bar(x=cells, y=[passed[c] / totals[c] for c in cells],
                              text=[f"{passed[c]}/{totals[c]}" for c in cells]))
    figure.update_layout(title="Share of submissions passing each autograded test", yaxis_range=[0, 1],
                         yaxis_title="passed", xaxis_title="test cell")
    rows = "".join("<tr>" + "".join(f"<td>{escape(str(x))}</td>" for x in row) + "</tr>" for row in flagged)
    page = (figure.to_html(include_plotlyjs=True, full_html=False)  # plotly.js inlined: the page needs no internet +
            f"<h2>Flagged submissions ({len(flagged)})</h2><table border='1' cellpadding='4'>"
            f"<tr><th>student</th><th>week</th><th>notebook</th><th>flag</th></tr>{rows}</table>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Grading summary</title></head>"
                    f"<body style='font-family:sans-serif'>{page}</body></html>")
    return flagged
