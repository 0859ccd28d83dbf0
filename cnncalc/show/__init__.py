"""Showing: terminal and text renderers; the only part of cnncalc that imports rich.

``console`` holds the consoles and the heat-coloured map tables; ``nettables``,
``checktables``, ``gradetables`` and ``traintables`` draw each command family's
terminal view; ``netreport`` and ``trainreport`` render the same results as
plain text, CSV, Markdown, LaTeX and JSON.
"""
