"""Sentences of issue 12 (hardening): output files, deprecations, legends, pipes."""

HARDENING: dict[str, dict[str, str]] = {
    "cli.output_suffix": {
        "en": "-o {path}: this command does not write {suffix} files; use {suffixes} or --format",
        "zh": "-o {path}：此命令不能写 {suffix} 文件；请用 {suffixes}，或用 --format 指定格式",
    },
    "cli.shape_no_decimals": {
        "en": "note: shape shows whole numbers only; --precision and --round do nothing "
        "and will be removed in the next release",
        "zh": "提示：shape 只显示整数；--precision 和 --round 不起作用，下一版将删除",
    },
    "table.legend": {"en": "colours:", "zh": "颜色："},
    "check.arrow_key": {
        "en": "a → b: a was written, b is the exact value at the decimals written",
        "zh": "a → b：写的是 a，b 是按所写小数位数给出的准确值",
    },
    "cli.aborted": {"en": "aborted", "zh": "已中止"},
    "param.int_pair_or_pads": {
        "en": "{parameter} must be an integer, a pair H,W or four pads L,R,T,B (got {value!r})",
        "zh": "{parameter} 必须是整数、一对 H,W 或四个值 L,R,T,B（收到 {value!r}）",
    },
    "cli.output_format_clash": {
        "en": "-o {path} names a {named} file, but --format {format} was given: name the file for its format or leave out --format",
        "zh": "-o {path} 表示 {named} 文件，但指定了 --format {format}：请按格式命名文件，或去掉 --format",
    },
}
