"""Stage chains: text such as ``conv(k1.txt, norm=mean) | relu | maxpool(2)`` to results.

``chain`` parses the grammar, ``bind`` checks each stage's arguments and reads
its files, ``pipeline`` runs a chain on an input, ``shapes`` gives layer shapes,
parameter counts and Mult-Adds without running it.
"""
