"""Checking: an answer against the truth, cell by cell, and why it is wrong.

``cells`` is the decimals policy for one written number, ``compare`` checks a
whole answer, ``recompute`` and ``diagnosis`` find the mistake a student made,
``batch`` checks many answers to one problem at once, ``worked`` shows one
cell's computation, ``assignment`` reads problem settings and assignment files,
``report`` words the verdicts as text, ``checker`` is what ``cnncalc check`` does.
"""
