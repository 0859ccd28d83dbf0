"""Grading a class: submissions, the grader, reports, feedback and the class summary.

``submissions`` finds and reads the files safely, ``answers`` gives their blocks
to problems, ``grader`` checks and scores every student, ``reports`` writes the
gradebook and runs one grading end to end, ``feedback`` and ``pictures`` write
each student's feedback, ``summary`` says what the class got wrong, ``names``
gives every student a safe file name, ``pool`` grades on a second process.

The classroom loop: ``variants`` and ``variantspec`` draw each student's homework
from a seed and their id, ``classmake`` and ``sheets`` write it (``cnncalc make``),
``classgrade`` checks each student against their own variant, ``classreport``
adds the platform gradebooks (``gradebook``, with ``gradenotes``) and the HTML
class report (``htmlreport``, ``htmlassets``).
"""
