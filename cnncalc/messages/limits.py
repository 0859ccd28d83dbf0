"""Sentences added by hardening: reader edge cases, parameters, limits, command line."""

QA: dict[str, dict[str, str]] = {
    "read.out_of_range": {
        "en": "{token!r} is too large for a float64 number (at most about 1.8e308)",
        "zh": "“{token}” 超出 float64 的范围（最大约 1.8e308）",
    },
    "read.decimal_comma": {
        "en": "{token!r} looks like a decimal comma: write {fixed} (a comma separates numbers)",
        "zh": "“{token}” 看起来用了小数逗号：请写成 {fixed}（逗号用来分隔数字）",
    },
    "read.zero_denominator": {
        "en": "{token!r} divides by zero",
        "zh": "“{token}” 的分母为 0",
    },
    "read.outside_brackets": {
        "en": "{token!r} stands outside the brackets of the matrix rows",
        "zh": "“{token}” 在矩阵行的括号之外",
    },
    "read.json_deep": {
        "en": "is not usable JSON (nested too deeply)",
        "zh": "不是可用的 JSON（嵌套层数太多）",
    },
    "read.no_name": {"en": "no file name given", "zh": "没有给出文件名"},
    "read.bad_path": {
        "en": "a file name must be text (got {value!r})",
        "zh": "文件名必须是文本（收到 {value!r}）",
    },
    "read.bad_name": {
        "en": "{name!r} is not a usable file name ({reason})",
        "zh": "{name!r} 不是可用的文件名（{reason}）",
    },
    "param.overflow": {
        "en": "the result of {op} overflows: a value goes beyond float64's range (about ±1.8e308); use smaller numbers",
        "zh": "{op} 的结果溢出：有值超出 float64 的范围（约 ±1.8e308）；请用更小的数",
    },
    "param.bool": {
        "en": "{parameter} must be true or false (got {value!r})",
        "zh": "{parameter} 必须是 true 或 false（收到 {value!r}）",
    },
    "param.axis": {
        "en": "axis must be an integer from {low} to {high} for a {ndim}-D input (got {value!r})",
        "zh": "对 {ndim} 维输入，axis 必须是 {low} 到 {high} 之间的整数（收到 {value!r}）",
    },
    "param.real": {
        "en": "{parameter} must hold real numbers (got {dtype} values)",
        "zh": "{parameter} 必须是实数（收到 {dtype} 类型的值）",
    },
    "param.stages": {
        "en": "stages must be the list parse_pipeline returns (got {value!r})",
        "zh": "stages 必须是 parse_pipeline 返回的列表（收到 {value!r}）",
    },
    "param.text": {
        "en": "{parameter} must be text (got {value!r})",
        "zh": "{parameter} 必须是文本（收到 {value!r}）",
    },
    "cli.stdin_twice": {
        "en": "only one input can be '-' (stdin is read once); give the other as a file",
        "zh": "只能有一个输入是 “-”（标准输入只能读一次）；另一个请给出文件",
    },
    "read.too_deep": {
        "en": "brackets nested more than {limit} deep (a matrix needs at most 4)",
        "zh": "括号嵌套超过 {limit} 层（矩阵最多需要 4 层）",
    },
    "limit.conv_cells": {
        "en": "the convolution would have {cells:,} output cells, over the limit of {limit:,} (check the padding and the input size)",
        "zh": "卷积输出将有 {cells:,} 个单元格，超过上限 {limit:,}（请检查 padding 和输入大小）",
    },
    "limit.conv_work": {
        "en": "the convolution would take {work:,} multiply-adds, over the limit of {limit:,}",
        "zh": "卷积需要 {work:,} 次乘加，超过上限 {limit:,}",
    },
    "limit.train_work": {
        "en": "{steps:,} steps of {per_step:,} multiply-adds each would take {work:,}, over the limit of {limit:,}; use fewer steps",
        "zh": "{steps:,} 步、每步 {per_step:,} 次乘加，共 {work:,} 次，超过上限 {limit:,}；请减少步数",
    },
    "limit.steps": {
        "en": "steps must be at most {limit:,} (got {value:,})",
        "zh": "steps 最多为 {limit:,}（收到 {value:,}）",
    },
    "param.answer_grids": {
        "en": "the answer must be a list of Grid (from read_grids or parse_text), got {value!r}",
        "zh": "答案必须是 Grid 的列表（由 read_grids 或 parse_text 得到），收到 {value!r}",
    },
    "param.expected_dims": {
        "en": "the expected result must be a non-empty 1-D, 2-D or 3-D array of numbers (got {shape})",
        "zh": "正确结果必须是非空的 1、2 或 3 维数组（收到 {shape}）",
    },
    "cli.no_command": {
        "en": "give a command, e.g. cnncalc conv IMAGE KERNEL (the commands are listed above)",
        "zh": "请给出命令，例如 cnncalc conv IMAGE KERNEL（命令列表见上）",
    },
    "cli.nul_argument": {
        "en": "an argument holds a NUL character, which no file name or option can hold ({value!r})",
        "zh": "参数含有 NUL 字符，文件名和选项都不能含有它（{value!r}）",
    },
    "cli.empty_output": {
        "en": "-o needs a file name (got an empty one)",
        "zh": "-o 需要一个文件名（收到空字符串）",
    },
    "param.fps": {
        "en": "fps must be a number from 0.1 to 50 (got {value!r})",
        "zh": "fps 必须是 0.1 到 50 之间的数（收到 {value!r}）",
    },
}
