"""Sentences about what students' own files get told (unclosed brackets, booleans, encodings)."""

STUDENTS: dict[str, dict[str, str]] = {
    # brackets that do not pair up (read/brackets.py)
    "read.bracket_unclosed": {
        "en": "{token!r} opened here is never closed: a {closer!r} is missing",
        "zh": "这里的 “{token}” 没有闭合：缺少 “{closer}”",
    },
    "read.bracket_stray": {
        "en": "{token!r} closes nothing: no {opener!r} is open here",
        "zh": "“{token}” 没有可闭合的括号：这里没有未闭合的 “{opener}”",
    },
    "read.bracket_mismatch": {
        "en": "{token!r} cannot close the {opener!r} of line {open_line}, column {open_col}: it needs {closer!r}",
        "zh": "“{token}” 不能闭合第 {open_line} 行第 {open_col} 列的 “{opener}”：应该用 “{closer}”",
    },
    # JSON values that are not numbers (read/files.py)
    "read.json_value": {
        "en": "{token} is not a number: a JSON matrix holds numbers only (no true/false, null, strings or objects)",
        "zh": "{token} 不是数字：JSON 矩阵里只能有数字（不能有 true/false、null、字符串或对象）",
    },
    # files that are not UTF-8 text (read/decode.py)
    "read.encoding.bom": {
        "en": "starts with a {codec} byte-order mark but is not valid {codec} text: save it as UTF-8",
        "zh": "以 {codec} 字节顺序标记开头，但不是有效的 {codec} 文本：请另存为 UTF-8",
    },
    "read.encoding.nul": {
        "en": "looks like {codec} text (saved without a byte-order mark) but does not decode as it: save it as UTF-8",
        "zh": "看起来是 {codec} 文本（没有字节顺序标记），但无法按它解码：请另存为 UTF-8",
    },
    "read.binary.zip": {
        "en": "is a ZIP archive (a Word .docx or Excel .xlsx file under another name?), not text: save the matrix as plain text (.txt) or CSV",
        "zh": "是 ZIP 压缩文件（可能是改了扩展名的 Word .docx 或 Excel .xlsx），不是文本：请把矩阵另存为纯文本（.txt）或 CSV",
    },
    "read.binary.office": {
        "en": "is an old Word or Excel file (.doc, .xls), not text: save the matrix as plain text (.txt) or CSV",
        "zh": "是旧版 Word 或 Excel 文件（.doc、.xls），不是文本：请把矩阵另存为纯文本（.txt）或 CSV",
    },
    "read.binary.pdf": {
        "en": "is a PDF file, not text: copy the matrix into a plain text (.txt) file",
        "zh": "是 PDF 文件，不是文本：请把矩阵复制到纯文本（.txt）文件里",
    },
    "read.binary.rtf": {
        "en": "is rich text (RTF, as WordPad and TextEdit save it), not plain text: save it as plain text (TextEdit: Format > Make Plain Text)",
        "zh": "是富文本（RTF，写字板和 TextEdit 默认这样保存），不是纯文本：请另存为纯文本（TextEdit：格式 > 制作纯文本）",
    },
    "read.binary.npy": {
        "en": "is a numpy .npy array under another name: name it .npy",
        "zh": "是改了扩展名的 numpy .npy 数组：请把扩展名改回 .npy",
    },
    "read.binary.picture": {
        "en": "is a {kind} picture, not text: give it its picture suffix to read it as grayscale, or type the matrix into a text file",
        "zh": "是 {kind} 图片，不是文本：改回图片扩展名可按灰度读取，或把矩阵输入到文本文件里",
    },
    # directives of problem files (read/problems.py)
    "read.directive_unused": {
        "en": "this directive comes after the '=' of the last problem (problem {problem}), so it sets nothing: move it above the problem it is for",
        "zh": "这条指令在最后一题（第 {problem} 题）的 “=” 之后，不会作用于任何题目：请把它移到它所针对的题目上方",
    },
    # cells students write that are not numbers (read/lines.py)
    "read.empty_cell": {
        "en": "an empty cell between two values: write its number (0 if it is zero)",
        "zh": "两个数之间有一个空单元格：请填上它的数（是 0 就写 0）",
    },
    "read.hint.full_stop": {
        "en": "{token!r} has the Chinese full stop 。 as its decimal point: write {fixed}",
        "zh": "“{token}” 用中文句号 “。” 作小数点：请写成 {fixed}",
    },
    "read.hint.percent": {
        "en": "{token!r} is a percentage: write {fixed}",
        "zh": "“{token}” 是百分数：请写成 {fixed}",
    },
    "read.hint.letter_o": {
        "en": "{token!r} holds the letter O, not the digit 0: write {fixed}",
        "zh": "“{token}” 里是字母 O，不是数字 0：请写成 {fixed}",
    },
    "read.hint.letter_l": {
        "en": "{token!r} holds the letter l or I, not the digit 1: write {fixed}",
        "zh": "“{token}” 里是字母 l 或 I，不是数字 1：请写成 {fixed}",
    },
    "read.bracket_row_break": {
        "en": "the row of one bracket goes on to this line: end MATLAB rows with ';' ([1 2; 3 4]), or keep one row on one line",
        "zh": "同一个括号里的一行延续到了这一行：MATLAB 的行请用 “;” 结束（[1 2; 3 4]），或者把一行写在同一行里",
    },
    "read.directive_colon": {
        "en": "a directive needs a colon after cnncalc: write '# cnncalc: {text}'",
        "zh": "指令在 cnncalc 之后需要冒号：请写成 “# cnncalc: {text}”",
    },
    "read.comma_thousands": {
        "en": "{token!r} groups thousands with a comma, which also separates numbers: write {fixed}",
        "zh": "“{token}” 用逗号分隔千位，而逗号也用来分隔数字：请写成 {fixed}",
    },
    "read.comma_either": {
        "en": "{token!r} has a comma inside the number: write {dot} for a decimal comma, {plain} for thousands",
        "zh": "“{token}” 的数字中间有逗号：若是小数逗号请写成 {dot}，若是千位分隔请写成 {plain}",
    },
    "read.blank_grid": {
        "en": "this grid is blank but a grid below it is filled in: fill in every grid in problem order "
        "(or hand in the answers as text, a blank line between answers)",
        "zh": "这个表格是空的，但它下面的表格已经填了：请按题目顺序填写每个表格（或把答案写成文本，答案之间空一行）",
    },
    "read.sheet_error": {
        "en": "{token!r} is a spreadsheet's error value, not a number: fix its formula, then export again",
        "zh": "{token!r} 是电子表格的错误值，不是数：请先改正公式，再重新导出",
    },
    "read.accounting": {
        "en": "{token!r}: a number in brackets is how spreadsheets write -{value} (accounting format): "
        "write -{value}, or {value} without brackets",
        "zh": "{token!r}：带括号的数是电子表格表示 -{value} 的写法（会计格式）：请写 -{value}，或去掉括号写 {value}",
    },
}
