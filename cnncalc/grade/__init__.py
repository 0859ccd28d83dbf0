"""Grading a class: submissions, the grader, reports, feedback and the class summary.

``submissions`` finds and reads the files safely, ``answers`` gives their blocks
to problems, ``grader`` checks and scores every student, ``reports`` writes the
gradebook and runs one grading end to end, ``feedback`` and ``pictures`` write
each student's feedback, ``summary`` says what the class got wrong, ``names``
gives every student a safe file name, ``pool`` grades on a second process.
"""
