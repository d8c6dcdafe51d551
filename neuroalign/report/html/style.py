"""The report's stylesheet, inlined in its ``<head>`` (the page loads nothing from anywhere)."""

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 72rem;
       padding: 0 1rem; color: #1d1d1f; line-height: 1.45; }
header { border-bottom: 2px solid #445; margin-bottom: 1.5rem; }
header p { color: #555; margin: 0.2rem 0 0.8rem; }
h2 { border-bottom: 1px solid #ccd; padding-bottom: 0.2rem; margin-top: 2.5rem; }
h3 { margin-top: 1.8rem; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.92rem; }
th, td { border: 1px solid #ccd; padding: 0.25rem 0.6rem; text-align: right; vertical-align: top; }
th { background: #eef0f6; }
td:first-child, th:first-child { text-align: left; }
tbody tr:nth-child(even) { background: #f7f8fb; }
.mark { color: #b3261e; font-weight: bold; }
.scale { font-weight: normal; font-size: smaller; color: #555; }
.note { color: #555; font-size: 0.9rem; }
.missing-benchmark { color: #b3261e; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e2e4ea; }
figcaption { color: #555; font-size: 0.88rem; }
details { margin: 0.6rem 0 1.2rem; background: #f7f8fb; border: 1px solid #e2e4ea; padding: 0.4rem 0.8rem; }
summary { cursor: pointer; font-weight: 600; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; font-size: 0.85rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.85rem; }
pre { background: #f7f8fb; border: 1px solid #e2e4ea; padding: 0.6rem; overflow-x: auto; white-space: pre-wrap; }
"""
