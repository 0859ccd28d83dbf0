"""The characters students paste for digits, signs and separators, and what they stand for.

Full-width digits and punctuation (Chinese input methods), the Unicode minus and
the dashes and spaces of word processors are read as their ASCII forms.

>>> "－０．７７，１".translate(_TRANSLATE)
'-0.77,1'
"""

from __future__ import annotations

# One-for-one replacements keep column numbers true to the original line.
_TRANSLATE = {ord(c): d for c, d in zip("０１２３４５６７８９", "0123456789")}
_TRANSLATE.update(
    {
        ord("−"): "-",  # U+2212 minus sign
        ord("－"): "-",
        ord("﹣"): "-",
        ord("＋"): "+",
        ord("．"): ".",
        ord("，"): ",",
        ord("；"): ";",
        ord("、"): ",",
        ord("｜"): "|",
        ord("［"): "[",
        ord("］"): "]",
        ord("＝"): "=",
        ord("＃"): "#",
        ord("ｅ"): "e",
        ord("Ｅ"): "E",
        ord("\u3000"): " ",
        ord("\u00a0"): " ",
        ord("\ufeff"): " ",
        # word processors: en dash, hyphen, figure dash and thin/narrow/zero-width spaces
        ord("\u2013"): "-",
        ord("\u2010"): "-",
        ord("\u2011"): "-",
        ord("\u2012"): "-",
        ord("\u2009"): " ",
        ord("\u202f"): " ",
        ord("\u200b"): " ",
        ord("／"): "/",
        ord("＆"): "&",
        ord("（"): "(",
        ord("）"): ")",
        ord("："): ":",  # "# cnncalc： norm=mean" typed with a Chinese input method
        # curly quotes (Word, macOS) around CSV cells are quotes
        ord("\u201c"): '"',
        ord("\u201d"): '"',
        ord("\u2018"): "'",
        ord("\u2019"): "'",
    }
)
