"""Showing: terminal and text renderers; the only part of cnncalc that imports rich.

``console`` holds the consoles and the heat-coloured map tables; ``nettables``,
``checktables``, ``gradetables`` and ``traintables`` draw each command family's
terminal view; ``fit`` lays a table or a sentence out on a terminal narrower than
it (column blocks, wrapping), so no number is ever cut; ``netreport`` and
``trainreport`` render the same results as plain text, CSV, Markdown, LaTeX and JSON.
"""
