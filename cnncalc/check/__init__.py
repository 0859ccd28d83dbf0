"""Checking: an answer against the truth, cell by cell, and why it is wrong.

``cells`` is the decimals policy for one written number, ``compare`` checks a
whole answer; ``catalogue`` lists the mistakes students make, ``mistakes``
recomputes a problem with them, ``search`` gathers every single mistake and
pair for a problem, ``diagnosis`` picks the one the student made and
``sentences`` says it (``recompute`` runs a problem's steps after the conv);
``batch`` checks many answers to one problem at once, ``worked`` shows one
cell's computation, ``assignment`` reads problem settings and assignment files,
``report`` words the verdicts as text, ``checker`` is what ``cnncalc check`` does.
"""
