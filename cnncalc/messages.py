"""User-facing sentences in English and Chinese.

Each message is a key mapped to ``{"en": ..., "zh": ...}`` with ``str.format``
fields. Sections are kept per module so that each part of cnncalc owns its own
block. ``text`` falls back to English for a missing translation.

>>> text("param.positive", "zh", parameter="stride", value=0)
'stride 必须是正整数（收到 0）'
"""

from __future__ import annotations

import os
from typing import Any

LANGS = ("en", "zh")

CORE: dict[str, dict[str, str]] = {
    # The prefix stays "Error" in every language: scripts and graders look for
    # "Error:"; the sentence after it is translated.
    "error.prefix": {"en": "Error", "zh": "Error"},
    "error.line_shown": {"en": ' (line: "{text}")', "zh": "（该行：“{text}”）"},
    # matrix reader
    "read.not_found": {"en": "no such file", "zh": "文件不存在"},
    "read.is_directory": {"en": "is a folder, not a matrix file", "zh": "是文件夹，不是矩阵文件"},
    "read.unreadable": {"en": "cannot be read ({reason})", "zh": "无法读取（{reason}）"},
    "read.empty": {"en": "the file holds no numbers", "zh": "文件里没有数字"},
    "read.bad_token": {
        "en": "{token!r} is not a number",
        "zh": "“{token}” 不是数字",
    },
    "read.nonfinite": {
        "en": "{token!r} is not a finite number (nan and inf are not accepted)",
        "zh": "“{token}” 不是有限数（不接受 nan 和 inf）",
    },
    "read.ragged": {
        "en": "row has {got} values but the rows above have {expected}",
        "zh": "这一行有 {got} 个数，但上面的行有 {expected} 个",
    },
    "read.encoding": {
        "en": "is neither UTF-8 nor GB18030 text",
        "zh": "既不是 UTF-8 也不是 GB18030 文本",
    },
    "read.binary": {"en": "looks like a binary file, not text", "zh": "看起来是二进制文件，不是文本"},
    "read.npy": {"en": "is not a usable .npy array ({reason})", "zh": "不是可用的 .npy 数组（{reason}）"},
    "read.npy_dtype": {
        "en": ".npy holds {dtype} values; numbers are needed",
        "zh": ".npy 里是 {dtype} 类型，需要数值",
    },
    "read.json": {"en": "is not valid JSON ({reason})", "zh": "不是有效的 JSON（{reason}）"},
    "read.json_shape": {
        "en": "JSON must be a nested list of numbers with equal-length rows",
        "zh": "JSON 必须是等长行的嵌套数字列表",
    },
    "read.dims": {
        "en": "holds a {ndim}-D array; 2-D to 4-D is supported",
        "zh": "是 {ndim} 维数组；只支持 2 到 4 维",
    },
    "read.block_shapes": {
        "en": "block {block} is {got} but block 1 is {expected}; all blocks of one file must have the same shape",
        "zh": "第 {block} 块是 {got}，但第 1 块是 {expected}；同一文件的各块形状必须相同",
    },
    "read.image_needs_pillow": {
        "en": 'reading pictures needs Pillow: pip install "cnncalc[images]"',
        "zh": '读取图片需要 Pillow：pip install "cnncalc[images]"',
    },
    "read.image_bad": {"en": "is not a readable picture ({reason})", "zh": "不是可读的图片（{reason}）"},
    "read.too_large": {
        "en": "is {size} bytes, over the limit of {limit} bytes",
        "zh": "大小为 {size} 字节，超过上限 {limit} 字节",
    },
    "read.problem_no_answer": {
        "en": "problem {problem} has no answer after '='",
        "zh": "第 {problem} 题在 “=” 之后没有答案",
    },
    "read.problem_layout": {
        "en": "problem {problem} needs an image block and a kernel block before '='",
        "zh": "第 {problem} 题在 “=” 之前需要一个图像块和一个卷积核块",
    },
    "read.no_problems": {
        "en": "no problem found: a problem is an image block, a kernel block, a line '=' and an answer block",
        "zh": "没有找到题目：一道题由图像块、卷积核块、一行 “=” 和答案块组成",
    },
    "read.directive": {
        "en": "cannot understand the directive {text!r}: use '# cnncalc: key=value ...'",
        "zh": "无法理解指令 “{text}”：请写成 “# cnncalc: key=value ...”",
    },
    "read.operator_stray": {
        "en": "an operator line must stand between an image and a kernel",
        "zh": "运算符行必须位于图像和卷积核之间",
    },
    # parameters (ops)
    "param.positive": {
        "en": "{parameter} must be a positive integer (got {value})",
        "zh": "{parameter} 必须是正整数（收到 {value}）",
    },
    "param.non_negative": {
        "en": "{parameter} must be a non-negative integer (got {value})",
        "zh": "{parameter} 必须是非负整数（收到 {value}）",
    },
    "param.int_or_pair": {
        "en": "{parameter} must be an integer or a pair H,W (got {value!r})",
        "zh": "{parameter} 必须是整数或一对 H,W（收到 {value!r}）",
    },
    "param.choice": {
        "en": "{parameter} must be one of {choices} (got {value!r})",
        "zh": "{parameter} 必须是 {choices} 之一（收到 {value!r}）",
    },
    "param.same_stride": {
        "en": "padding='same' needs stride 1 (got stride {stride}), as in PyTorch",
        "zh": "padding='same' 要求 stride 为 1（收到 stride {stride}），与 PyTorch 一致",
    },
    "param.reflect_too_large": {
        "en": "padding {padding} is too large for reflect padding of an input of size {size}: it must be smaller than the input",
        "zh": "padding {padding} 对于大小为 {size} 的输入做 reflect 填充太大：必须小于输入尺寸",
    },
    "param.circular_too_large": {
        "en": "padding {padding} is too large for circular padding of an input of size {size}: it must be at most the input size",
        "zh": "padding {padding} 对于大小为 {size} 的输入做 circular 填充太大：不能超过输入尺寸",
    },
    "param.kernel_too_large": {
        "en": "the kernel ({kernel}, dilated extent {extent}) is larger than the padded input ({padded})",
        "zh": "卷积核（{kernel}，膨胀后范围 {extent}）大于填充后的输入（{padded}）",
    },
    "param.output_too_small": {
        "en": "the output would be {output}: input {input} with {what} gives no window",
        "zh": "输出将是 {output}：输入 {input} 在 {what} 下没有任何窗口",
    },
    "param.pool_padding": {
        "en": "pool padding {padding} must be at most half the pool size {size} (size // 2 = {half}), as in PyTorch",
        "zh": "池化 padding {padding} 不能超过池化大小 {size} 的一半（size // 2 = {half}），与 PyTorch 一致",
    },
    "param.pool_dilation": {
        "en": "dilation applies to max pooling only (got kind={kind}, dilation={dilation})",
        "zh": "dilation 只适用于最大池化（收到 kind={kind}，dilation={dilation}）",
    },
    "param.empty_input": {
        "en": "the input is empty ({shape})",
        "zh": "输入为空（{shape}）",
    },
    "param.nonfinite": {
        "en": "{parameter} holds nan or inf",
        "zh": "{parameter} 含有 nan 或 inf",
    },
    "param.bad_number": {
        "en": "{parameter} must be a number (got {value!r})",
        "zh": "{parameter} 必须是数字（收到 {value!r}）",
    },
    "shape.channels": {
        "en": "the kernel has {kernel_channels} channel(s) but the image has {image_channels}",
        "zh": "卷积核有 {kernel_channels} 个通道，但图像有 {image_channels} 个",
    },
    "shape.kernel_bank": {
        "en": "the image has {channels} channels but the kernel file has {blocks} blocks: give {channels} blocks (one filter across the channels) or a 4-D (out, in, kH, kW) weight",
        "zh": "图像有 {channels} 个通道，但卷积核文件有 {blocks} 块：请给出 {channels} 块（跨通道的一个滤波器），或一个 4 维 (out, in, kH, kW) 权重",
    },
    "shape.kernel_dims": {
        "en": "the kernel must be 2-D, 3-D or 4-D (got {ndim}-D)",
        "zh": "卷积核必须是 2、3 或 4 维（收到 {ndim} 维）",
    },
    "shape.image_dims": {
        "en": "the input must be 2-D (H, W) or 3-D (C, H, W) (got {ndim}-D)",
        "zh": "输入必须是 2 维 (H, W) 或 3 维 (C, H, W)（收到 {ndim} 维）",
    },
    "shape.bias": {
        "en": "bias has {got} values but there are {filters} filters: give one value or one per filter",
        "zh": "bias 有 {got} 个值，但有 {filters} 个滤波器：请给一个值或每个滤波器一个值",
    },
    "shape.linear": {
        "en": "the linear weight is {weight} but the input has {in_features} values: W must be out × {in_features}",
        "zh": "全连接权重是 {weight}，但输入有 {in_features} 个值：W 必须是 out × {in_features}",
    },
    "shape.mse": {
        "en": "mse needs equal shapes (got {got} and {expected})",
        "zh": "mse 需要形状相同（收到 {got} 和 {expected}）",
    },
    "param.target": {
        "en": "target must be a class index from 0 to {last} ({classes} classes; got {target!r})",
        "zh": "target 必须是 0 到 {last} 之间的类别编号（共 {classes} 类；收到 {target!r}）",
    },
    "limit.cells": {
        "en": "the result would have {cells} cells, over the limit of {limit}",
        "zh": "结果将有 {cells} 个单元格，超过上限 {limit}",
    },
    # cli
    "cli.pool_spec": {
        "en": "--pool must be KIND:SIZE[:STRIDE] with KIND max, mean or sum (got {value!r})",
        "zh": "--pool 必须写成 KIND:SIZE[:STRIDE]，KIND 为 max、mean 或 sum（收到 {value!r}）",
    },
    "cli.write_failed": {"en": "cannot write {path}: {reason}", "zh": "无法写入 {path}：{reason}"},
    "cli.map_title": {"en": "map {index}", "zh": "特征图 {index}"},
    "cli.shape_line": {"en": "shape {shape}", "zh": "形状 {shape}"},
}

# Sections owned by later modules (checking, explain, grading, pipeline,
# training, pictures) are added below and merged into MESSAGES.
CHECK: dict[str, dict[str, str]] = {
    # leads of the per-cell sentences
    "check.lead.all": {"en": "Every wrong cell", "zh": "所有错误的格子"},
    "check.lead.one": {"en": "The wrong cell", "zh": "这个错误的格子"},
    "check.lead.count": {
        "en": "{count} of the {wrong} wrong cells",
        "zh": "{wrong} 个错误的格子中有 {count} 个",
    },
    "check.lead.some": {"en": "Some wrong cells", "zh": "有些错误的格子"},
    # per-cell diagnoses
    "check.diag.sign": {
        "en": "{lead}: the right size but the wrong sign. Check the signs of the products.",
        "zh": "{lead}：绝对值对了，但正负号错了。请检查各乘积的正负号。",
    },
    "check.diag.rounding": {
        "en": "{lead}: off by one in the last decimal. Round (half-up or half-even) or cut the exact value; do not estimate it.",
        "zh": "{lead}：最后一位小数差了 1。请对精确值四舍五入或截断，不要估算。",
    },
    "check.diag.too-few-decimals": {
        "en": "{lead}: too few decimals. Write at least {decimals} decimals (only exact values such as 1 or 0.5 may have fewer).",
        "zh": "{lead}：小数位数太少。请至少写 {decimals} 位小数（只有 1、0.5 这样的精确值可以少写）。",
    },
    "check.diag.arithmetic": {
        "en": "{lead}: miscalculated. Redo the products and their sum; cnncalc explain shows every step.",
        "zh": "{lead}：计算错误。请重新计算各乘积及其和；cnncalc explain 会列出每一步。",
    },
    # per-answer diagnoses
    "check.diag.normalization": {
        "en": "The answer mixes up the sum and the mean of the products (norm=sum or norm=mean).",
        "zh": "答案把乘积之和与平均值弄混了（norm=sum 与 norm=mean）。",
    },
    "check.diag.normalization.mean": {
        "en": "The answer is the mean of the products (divided by {n}), but this problem asks for their plain sum (norm=sum). If the mean was intended, check with --norm mean.",
        "zh": "答案是各乘积的平均值（除以了 {n}），但本题要的是乘积之和（norm=sum）。如果本来就要求平均值，请加 --norm mean 再检查。",
    },
    "check.diag.normalization.sum": {
        "en": "The answer is the plain sum of the products, but this problem asks for their mean: divide each sum by the number of kernel cells ({n}).",
        "zh": "答案是各乘积之和，但本题要的是平均值：请把每个和除以卷积核的格子数（{n}）。",
    },
    "check.diag.flipped-kernel": {
        "en": "The answer matches the kernel turned by 180°.",
        "zh": "答案与旋转 180° 后的卷积核的结果一致。",
    },
    "check.diag.flipped-kernel.flipped": {
        "en": "The answer uses the kernel turned by 180°: a CNN layer slides the kernel as written (cross-correlation), without flipping it.",
        "zh": "答案用的是旋转了 180° 的卷积核：CNN 的卷积层按原样滑动卷积核（互相关），不要翻转。",
    },
    "check.diag.flipped-kernel.unflipped": {
        "en": "The answer uses the kernel as written, but this problem asks for true convolution: turn the kernel by 180° first.",
        "zh": "答案按原样使用了卷积核，但本题要求真正的卷积：请先把卷积核旋转 180°。",
    },
    "check.diag.transposed": {
        "en": "The answer is transposed: rows and columns are swapped. Output row i comes from the windows that start on image row i.",
        "zh": "答案被转置了：行和列互换了。输出的第 i 行来自从图像第 i 行开始的窗口。",
    },
    "check.diag.shifted": {
        "en": "The answer is shifted by a row or a column: the first output cell comes from the top-left window of the (padded) image.",
        "zh": "答案错位了一行或一列：输出的第一个格子来自（填充后）图像左上角的窗口。",
    },
    "check.diag.shifted.cells": {
        "en": "The answer is shifted: cell {cell} holds the value that belongs at {belongs}. The first output cell comes from the top-left window of the (padded) image.",
        "zh": "答案错位了：格子 {cell} 里填的是属于 {belongs} 的值。输出的第一个格子来自（填充后）图像左上角的窗口。",
    },
    "check.diag.missing-relu": {
        "en": "Negative cells were kept: this problem applies ReLU, which turns every negative value into 0.",
        "zh": "保留了负值：本题要做 ReLU，所有负值都应变为 0。",
    },
    "check.diag.wrong-stride": {
        "en": "The answer was computed with another stride (the step by which the window moves).",
        "zh": "答案用了别的步长 stride（窗口每次移动的格数）。",
    },
    "check.diag.wrong-stride.setting": {
        "en": "The answer matches {setting}, but this problem uses {expected} (the step by which the window moves).",
        "zh": "答案与 {setting} 的结果一致，但本题用的是 {expected}（窗口每次移动的格数）。",
    },
    "check.diag.wrong-padding": {
        "en": "The answer was computed with another padding (the border added around the image).",
        "zh": "答案用了别的填充 padding（在图像四周补几圈）。",
    },
    "check.diag.wrong-padding.setting": {
        "en": "The answer matches {setting}, but this problem uses {expected} (the border added around the image).",
        "zh": "答案与 {setting} 的结果一致，但本题用的是 {expected}（在图像四周补几圈）。",
    },
    "check.diag.wrong-dilation": {
        "en": "The answer was computed with another dilation (the gaps between the kernel's cells).",
        "zh": "答案用了别的膨胀 dilation（卷积核各格之间的间隔）。",
    },
    "check.diag.wrong-dilation.setting": {
        "en": "The answer matches {setting}, but this problem uses {expected} (the gaps between the kernel's cells).",
        "zh": "答案与 {setting} 的结果一致，但本题用的是 {expected}（卷积核各格之间的间隔）。",
    },
    "check.diag.shape_setting": {
        "en": "The answer has the shape that {setting} gives, but this problem uses {expected}.",
        "zh": "答案的形状与 {setting} 的结果相同，但本题用的是 {expected}。",
    },
    "check.diag.swapped-answers": {
        "en": "This is the answer of another problem: the answers are in the wrong order.",
        "zh": "这是另一道题的答案：答案的顺序弄错了。",
    },
    "check.diag.swapped-answers.maps": {
        "en": "Maps {first} and {second} are in each other's place: map i is the result of filter i of the kernel file, in order.",
        "zh": "特征图 {first} 和 {second} 的位置对调了：第 i 张特征图应由卷积核文件中的第 i 个滤波器算出，按顺序排列。",
    },
    "check.diag.swapped-answers.named": {
        "en": "This is the answer of “{other}”: the answers are in the wrong order.",
        "zh": "这是“{other}”的答案：答案的顺序弄错了。",
    },
    "check.diag.swapped-answers.other": {
        "en": "This is the answer of problem {other}: the answers are in the wrong order.",
        "zh": "这是第 {other} 题的答案：答案的顺序弄错了。",
    },
    # check reports
    "check.title": {"en": "{name}: {verdict}", "zh": "{name}：{verdict}"},
    "check.summary": {"en": "{wrong} of {cells} cells wrong", "zh": "{cells} 个格子中有 {wrong} 个错误"},
    "check.all_right": {"en": "all {cells} cells right", "zh": "全部 {cells} 个格子都对"},
    "check.title_shape": {"en": "wrong shape", "zh": "形状不对"},
    "check.title_missing": {"en": "no answer", "zh": "没有答案"},
    "check.total": {
        "en": "{right} of {answers} answers right",
        "zh": "{answers} 个答案中有 {right} 个全对",
    },
    "check.shape_wrong": {
        "en": "The answer is {got}, but the result is {expected}.",
        "zh": "答案的形状是 {got}，但结果应为 {expected}。",
    },
    "check.shape_before": {
        "en": "The answer is the map before {step}: apply {step} to it to get the result.",
        "zh": "答案是做 {step} 之前的特征图：还要对它做 {step} 才是结果。",
    },
    "check.shape_hint": {
        "en": "Computed with {hint}, the result has the answer's shape.",
        "zh": "用 {hint} 计算，结果的形状与答案相同。",
    },
    "check.missing_answer": {
        "en": "No answer was given for this problem.",
        "zh": "这道题没有给出答案。",
    },
    "check.extra_blocks": {
        "en": "{count} block(s) after the last answer were not checked.",
        "zh": "最后一个答案之后还有 {count} 个矩阵块没有检查。",
    },
    "check.problem_name": {"en": "problem {index}", "zh": "第 {index} 题"},
    "check.block_name": {"en": "block {index}", "zh": "第 {index} 块"},
    "check.cell_line": {
        "en": "({row}, {col}): {got} → {expected} ({cause})",
        "zh": "({row}, {col})：{got} → {expected}（{cause}）",
    },
    "check.map_cell_line": {
        "en": "map {map} ({row}, {col}): {got} → {expected} ({cause})",
        "zh": "特征图 {map} ({row}, {col})：{got} → {expected}（{cause}）",
    },
    "check.wrong_heading": {"en": "Wrong cells", "zh": "错误的格子"},
    "check.diagnosis_heading": {"en": "Diagnosis", "zh": "诊断"},
    "check.explain_heading": {
        "en": "Worked computation of cell ({row}, {col})",
        "zh": "格子 ({row}, {col}) 的计算过程",
    },
    "check.explain_needs_context": {
        "en": "--explain needs the image and kernel (a problem file, --image/--kernel or --assignment), not --expected",
        "zh": "--explain 需要图像和卷积核（题目文件、--image/--kernel 或 --assignment），不能只用 --expected",
    },
    "check.explain_not_conv": {
        "en": "--explain shows conv cells only; this problem has steps after the conv",
        "zh": "--explain 只能展示卷积的格子；这道题在卷积之后还有其他步骤",
    },
    "check.no_source": {
        "en": "{file} is not a problem file (no line '='): give --image and --kernel, --expected KEY or --assignment FILE",
        "zh": "{file} 不是题目文件（没有 “=” 行）：请给出 --image 和 --kernel、--expected KEY 或 --assignment FILE",
    },
    "check.image_and_kernel": {
        "en": "--image and --kernel go together: give both",
        "zh": "--image 和 --kernel 必须同时给出",
    },
    "check.one_source": {
        "en": "use only one of --image/--kernel, --expected and --assignment",
        "zh": "--image/--kernel、--expected 和 --assignment 只能选一种",
    },
    "check.options_need_conv": {
        "en": "conv options ({options}) need a problem file or --image/--kernel; --expected and --assignment set their own",
        "zh": "卷积选项（{options}）只能配合题目文件或 --image/--kernel 使用；--expected 和 --assignment 自带设置",
    },
    # settings (directives, assignment keys)
    "check.setting_bool": {
        "en": "{parameter} must be true or false (got {value!r})",
        "zh": "{parameter} 必须是 true 或 false（收到 {value!r}）",
    },
    "check.setting_number": {
        "en": "{parameter} must be a non-negative number (got {value!r})",
        "zh": "{parameter} 必须是非负数（收到 {value!r}）",
    },
    "check.setting_decimals": {
        "en": "{parameter} must be a whole number from 0 to 15 (got {value!r})",
        "zh": "{parameter} 必须是 0 到 15 之间的整数（收到 {value!r}）",
    },
    "check.setting_unknown": {
        "en": "unknown setting {parameter!r}; known settings: {keys}",
        "zh": "未知设置 “{parameter}”；可用的设置：{keys}",
    },
    # assignment files
    "assign.toml": {"en": "is not valid TOML ({reason})", "zh": "不是有效的 TOML（{reason}）"},
    "assign.unknown_key": {"en": "unknown key (known keys: {keys})", "zh": "未知的键（可用的键：{keys}）"},
    "assign.need_text": {"en": "must be text in quotes", "zh": "必须是带引号的文本"},
    "assign.need_points": {"en": "must be a number, 0 or more", "zh": "必须是不小于 0 的数"},
    "assign.points_range": {
        "en": "must be a finite number from 0 to 1000000 (got {value!r})",
        "zh": "必须是 0 到 1000000 之间的有限数（收到 {value!r}）",
    },
    "assign.duplicate_name": {
        "en": "problem {number} has the same name as problem {first} ({value!r}): each problem needs its own name (it heads a gradebook column)",
        "zh": "第 {number} 题与第 {first} 题同名（{value!r}）：每道题都需要不同的名字（它是成绩单的列名）",
    },
    "assign.no_problems": {
        "en": "no [[problem]] table: an assignment needs at least one problem",
        "zh": "没有 [[problem]] 表：作业至少需要一道题",
    },
    "assign.missing": {
        "en": "problem {number} has no {what} = \"...\"",
        "zh": "第 {number} 题缺少 {what} = \"...\"",
    },
    "assign.conv_and_stages": {
        "en": "conv options and stages cannot both be given: put the options inside conv(...)",
        "zh": "不能同时给出卷积选项和 stages：请把选项写进 conv(...)",
    },
    "assign.scoring": {
        "en": "must be \"cells\" or \"all\" (got {value!r})",
        "zh": "必须是 \"cells\" 或 \"all\"（收到 {value!r}）",
    },
    "assign.bad": {"en": "invalid value", "zh": "无效的值"},
    # explain
    "explain.image": {"en": "Image", "zh": "图像"},
    "explain.image_padded": {
        "en": "Image padded by {padding} ({mode})",
        "zh": "填充 {padding} 后的图像（{mode}）",
    },
    "explain.field": {
        "en": "The receptive field of cell ({row}, {col}): rows {rows}, columns {cols}{padded}",
        "zh": "格子 ({row}, {col}) 的感受野：第 {rows} 行，第 {cols} 列{padded}",
    },
    "explain.padded_coords": {"en": " of the padded image", "zh": "（按填充后的图像计）"},
    "explain.channel": {"en": "channel {index}", "zh": "通道 {index}"},
    "explain.kernel": {"en": "Kernel", "zh": "卷积核"},
    "explain.kernel_filter": {"en": "Kernel (filter {index})", "zh": "卷积核（第 {index} 个滤波器）"},
    "explain.kernel_flipped": {
        "en": "Kernel, turned by 180° (--flip: true convolution)",
        "zh": "卷积核，已旋转 180°（--flip：真正的卷积）",
    },
    "explain.window": {"en": "Window", "zh": "窗口"},
    "explain.products": {
        "en": "Products (window × kernel, cell by cell)",
        "zh": "乘积（窗口 × 卷积核，逐格相乘）",
    },
    "explain.sum": {
        "en": "Sum of the {count} products: {expr} = {sum}",
        "zh": "{count} 个乘积之和：{expr} = {sum}",
    },
    "explain.sum_short": {
        "en": "Sum of the {count} products: {sum}",
        "zh": "{count} 个乘积之和：{sum}",
    },
    "explain.mean": {
        "en": "Mean (norm=mean, {n} kernel cells): {sum} / {n} = {value}",
        "zh": "平均（norm=mean，卷积核共 {n} 格）：{sum} / {n} = {value}",
    },
    "explain.no_norm": {
        "en": "norm=sum: the value is the sum itself.",
        "zh": "norm=sum：值就是这个和。",
    },
    "explain.bias": {"en": "Bias: {before} + {bias} = {value}", "zh": "加偏置：{before} + {bias} = {value}"},
    "explain.value": {
        "en": "Value of cell ({row}, {col}): {value}",
        "zh": "格子 ({row}, {col}) 的值：{value}",
    },
    "explain.at_format": {
        "en": "--at must be ROW,COL with 1-based whole numbers (got {value!r})",
        "zh": "--at 必须写成 ROW,COL，行列号从 1 开始（收到 {value!r}）",
    },
    "explain.at_range": {
        "en": "--at {row},{col} is outside the output: it is {shape}, so the row must be 1 to {rows} and the column 1 to {cols}",
        "zh": "--at {row},{col} 超出了输出范围：输出是 {shape}，行必须在 1 到 {rows} 之间，列必须在 1 到 {cols} 之间",
    },
    "explain.map_range": {
        "en": "--map must be 1 to {maps}: the kernel file has {maps} filter(s) (got {value})",
        "zh": "--map 必须在 1 到 {maps} 之间：卷积核文件有 {maps} 个滤波器（收到 {value}）",
    },
}
GRADE: dict[str, dict[str, str]] = {
    # submissions that cannot be read (the caller prefixes the entry's name)
    "grade.symlink_out": {
        "en": "a symlink that leaves the submissions folder (not followed)",
        "zh": "指向提交文件夹之外的符号链接（不跟随）",
    },
    "grade.broken_link": {
        "en": "a broken or looping symlink",
        "zh": "损坏或循环的符号链接",
    },
    "grade.not_regular": {
        "en": "not a regular file (a FIFO, socket or device is never opened)",
        "zh": "不是普通文件（FIFO、套接字或设备文件一律不打开）",
    },
    "grade.cannot_list": {"en": "the folder cannot be listed", "zh": "无法列出该文件夹"},
    "grade.too_many_files": {
        "en": "skipped: a student's folder is read up to 64 files",
        "zh": "已跳过：每个学生的文件夹最多读取 64 个文件",
    },
    "grade.too_deep": {
        "en": "skipped: folder nested too deep or seen twice",
        "zh": "已跳过：文件夹嵌套过深或重复出现",
    },
    "grade.empty_folder": {"en": "the folder holds no files", "zh": "文件夹里没有文件"},
    "grade.cannot_open": {"en": "cannot be read ({reason})", "zh": "无法读取（{reason}）"},
    "grade.too_large": {
        "en": "{size} bytes, over the limit of {limit} bytes (not read)",
        "zh": "{size} 字节，超过上限 {limit} 字节（未读取）",
    },
    "grade.no_numbers": {"en": "the submission holds no numbers", "zh": "提交内容里没有数字"},
    "grade.partial": {
        "en": "{count} problem(s) not answered: {names}",
        "zh": "有 {count} 道题没有作答：{names}",
    },
    "grade.extra_blocks": {
        "en": "{count} block(s) after the last answer were not graded",
        "zh": "最后一个答案之后还有 {count} 个矩阵块，未评分",
    },
    "grade.missing": {"en": "on the roster but nothing was handed in", "zh": "在名单上，但没有提交"},
    # command errors
    "grade.roster_column": {
        "en": "{path}: the roster must be a CSV file with a 'student' column",
        "zh": "{path}：名单必须是带 “student” 列的 CSV 文件",
    },
    "grade.not_a_folder": {"en": "{path} is not a folder", "zh": "{path} 不是文件夹"},
    "grade.out_inside": {
        "en": "the report folder {out} must not be inside the submissions folder {folder} (submissions are never modified); choose another --out",
        "zh": "报告文件夹 {out} 不能位于提交文件夹 {folder} 之内（提交内容永不修改）；请换一个 --out",
    },
    "grade.out_over": {
        "en": "the submissions folder {folder} is inside the report's feedback folder {out}; choose another --out",
        "zh": "提交文件夹 {folder} 位于报告的反馈文件夹 {out} 之内；请换一个 --out",
    },
    "grade.out_foreign": {
        "en": "{path} exists but no earlier report is beside it (no grades.json): grading would replace that folder; choose another --out, or remove it",
        "zh": "{path} 已存在，但旁边没有以前的报告（没有 grades.json）：评分会替换这个文件夹；请换一个 --out，或先删除它",
    },
    "grade.only_no_report": {
        "en": "--only regrades one student of an earlier report, but {path} does not exist: grade the whole class first",
        "zh": "--only 只重评已有报告中的一名学生，但 {path} 不存在：请先评全班",
    },
    "grade.only_bad_report": {
        "en": "{path} is not a cnncalc gradebook ({reason}): grade the whole class again",
        "zh": "{path} 不是 cnncalc 成绩单（{reason}）：请重新评全班",
    },
    "grade.only_other_assignment": {
        "en": "{path} was made for another version of the assignment: grade the whole class again",
        "zh": "{path} 是按另一版本的作业生成的：请重新评全班",
    },
    "grade.only_unknown": {
        "en": "no submission, roster entry or report row for student {student!r}",
        "zh": "找不到学生 “{student}” 的提交、名单条目或成绩行",
    },
    "grade.max_bytes": {"en": "--max-bytes must be at least 1", "zh": "--max-bytes 至少为 1"},
    # reports
    "grade.summary_title": {"en": "Class summary: {title}", "zh": "全班总结：{title}"},
    "grade.h_statuses": {"en": "Submissions", "zh": "提交情况"},
    "grade.h_scores": {"en": "Scores", "zh": "分数"},
    "grade.h_histogram": {"en": "Score histogram (% of the maximum)", "zh": "分数分布（占满分的百分比）"},
    "grade.h_cells": {"en": "Most often wrong cells", "zh": "最常出错的格子"},
    "grade.h_diagnoses": {"en": "Most common mistakes", "zh": "最常见的错误"},
    "grade.col_status": {"en": "status", "zh": "状态"},
    "grade.col_students": {"en": "students", "zh": "人数"},
    "grade.col_cell": {"en": "cell (row, col)", "zh": "格子（行, 列）"},
    "grade.col_expected": {"en": "expected", "zh": "正确值"},
    "grade.col_written": {"en": "written", "zh": "所写"},
    "grade.col_cause": {"en": "cause", "zh": "原因"},
    "grade.col_wrong_in": {"en": "wrong in", "zh": "出错人数"},
    "grade.col_problem": {"en": "problem", "zh": "题目"},
    "grade.col_mistakes": {"en": "mistakes", "zh": "错误类型"},
    "grade.col_often_wrong": {"en": "often wrong", "zh": "常错格子"},
    "grade.col_answers": {"en": "answers", "zh": "答案数"},
    "grade.col_all_right": {"en": "all right", "zh": "全对"},
    "grade.total": {"en": "total", "zh": "合计"},
    "grade.map": {"en": "map {index}", "zh": "特征图 {index}"},
    "grade.score_line": {
        "en": "{count} submissions: mean {mean}, median {median}, min {min}, max {max} (out of {max_score}).",
        "zh": "{count} 份提交：平均 {mean}，中位数 {median}，最低 {min}，最高 {max}（满分 {max_score}）。",
    },
    "grade.no_scores": {"en": "No submission was graded.", "zh": "没有可评分的提交。"},
    "grade.problem_line": {
        "en": "{answered} answered: {right} fully right, {shape} with a wrong shape.",
        "zh": "{answered} 人作答，{right} 人全对，{shape} 人形状错误。",
    },
    "grade.feedback_title": {"en": "{title}: feedback for {student}", "zh": "{title}：{student} 的反馈"},
    "grade.feedback_score": {
        "en": "Score: **{score} / {max_score}** (status: {status})",
        "zh": "得分：**{score} / {max_score}**（状态：{status}）",
    },
    "grade.fb_unanswered": {"en": "Not answered.", "zh": "未作答。"},
    "grade.fb_right": {"en": "Every cell is right.", "zh": "每个格子都对。"},
    "grade.fb_shape": {
        "en": "The answer is {got} but the result is {expected}: no cell can be checked.",
        "zh": "答案的形状是 {got}，但结果应为 {expected}：无法逐格检查。",
    },
    "grade.fb_shape_hint": {
        "en": "Your shape is what {hint} gives.",
        "zh": "你的答案的形状正是用 {hint} 计算时得到的形状。",
    },
    "grade.fb_wrong_count": {"en": "{wrong} of {cells} cells wrong.", "zh": "{cells} 个格子中有 {wrong} 个错误。"},
    # terminal
    "grade.progress_read": {"en": "reading", "zh": "读取"},
    "grade.progress_check": {"en": "checking", "zh": "检查"},
    "grade.progress_write": {"en": "writing", "zh": "写入"},
    "grade.reports_written": {"en": "Reports written to {path}", "zh": "报告已写入 {path}"},
    # grade --pictures
    "grade.pictures_no_feedback": {
        "en": "--pictures draws the pictures of the feedback files; it cannot go with --no-feedback",
        "zh": "--pictures 为反馈文件绘制图片，不能与 --no-feedback 同时使用",
    },
}
PIPELINE: dict[str, dict[str, str]] = {
    # where a chain error is (cnncalc/chain.py)
    "pipeline.where": {
        "en": "stage {index} '{text}' at character {char}",
        "zh": "第 {index} 步 “{text}” 第 {char} 个字符处",
    },
    "pipeline.where_empty": {
        "en": "stage {index} at character {char}",
        "zh": "第 {index} 步第 {char} 个字符处",
    },
    "pipeline.empty": {
        "en": "the pipeline is empty: write stages separated by '|', e.g. conv(k1.txt) | relu | maxpool(2)",
        "zh": "流水线为空：请用 “|” 分隔各步，例如 conv(k1.txt) | relu | maxpool(2)",
    },
    "pipeline.empty_stage": {
        "en": "empty stage: two '|' with nothing between them, or a '|' at an end",
        "zh": "空的一步：两个 “|” 之间什么也没有，或 “|” 位于开头或结尾",
    },
    "pipeline.bad_name": {
        "en": "a stage starts with its name, e.g. relu or maxpool(2) (found {found!r})",
        "zh": "每一步以名称开头，例如 relu 或 maxpool(2)（看到的是 “{found}”）",
    },
    "pipeline.unknown_stage": {
        "en": "unknown stage {name!r}; the stages are {names}",
        "zh": "未知的步骤 “{name}”；可用的步骤有 {names}",
    },
    "pipeline.unknown_stage_hint": {
        "en": "unknown stage {name!r} (did you mean {hint}?); the stages are {names}",
        "zh": "未知的步骤 “{name}”（是不是 {hint}？）；可用的步骤有 {names}",
    },
    "pipeline.unbalanced": {
        "en": "{char!r} closes a bracket that was never opened",
        "zh": "“{char}” 关闭了一个从未打开的括号",
    },
    "pipeline.unclosed": {
        "en": "a bracket is never closed: {bracket!r} is missing",
        "zh": "括号没有闭合：缺少 “{bracket}”",
    },
    "pipeline.unclosed_quote": {
        "en": "the quote {quote} is never closed",
        "zh": "引号 {quote} 没有闭合",
    },
    "pipeline.trailing": {
        "en": "unexpected {text!r}: arguments go inside one pair of brackets, stages are separated by '|'",
        "zh": "多余的 “{text}”：参数写在一对括号里，各步之间用 “|” 分隔",
    },
    "pipeline.empty_arg": {
        "en": "empty argument (two commas in a row?)",
        "zh": "空参数（是不是连写了两个逗号？）",
    },
    "pipeline.positional_after_keyword": {
        "en": "{text!r} comes after a key=value argument; for a pair write stride=(2,1) or stride=2x1",
        "zh": "“{text}” 出现在 key=value 参数之后；一对数请写成 stride=(2,1) 或 stride=2x1",
    },
    "pipeline.duplicate_key": {
        "en": "{option} is given twice",
        "zh": "{option} 给了两次",
    },
    "pipeline.too_many_args": {
        "en": "{name} takes at most {most} value(s) without a name (got {got})",
        "zh": "{name} 最多接受 {most} 个不带名称的参数（收到 {got} 个）",
    },
    "pipeline.unknown_key": {
        "en": "{name} has no option {option!r}; its options are {keys}",
        "zh": "{name} 没有选项 “{option}”；它的选项有 {keys}",
    },
    "pipeline.no_args": {
        "en": "{name} takes no arguments",
        "zh": "{name} 不接受参数",
    },
    "pipeline.missing_arg": {
        "en": "{name} needs {what}, e.g. {example}",
        "zh": "{name} 需要 {what}，例如 {example}",
    },
    "pipeline.needs_bool": {
        "en": "{parameter} must be true or false (got {value!r})",
        "zh": "{parameter} 必须是 true 或 false（收到 {value!r}）",
    },
    "pipeline.needs_number": {
        "en": "{parameter} must be a number (got {value!r})",
        "zh": "{parameter} 必须是数字（收到 {value!r}）",
    },
    "pipeline.needs_file": {
        "en": "{parameter} must be a file name (got {value!r})",
        "zh": "{parameter} 必须是文件名（收到 {value!r}）",
    },
    "pipeline.linear_dims": {
        "en": "the linear weight must be 2-D, out × in (got {shape})",
        "zh": "全连接权重必须是二维的 out × in（收到 {shape}）",
    },
    # running (cnncalc/pipeline.py)
    "pipeline.no_kernel": {
        "en": "conv needs a kernel file, e.g. conv(k1.txt)",
        "zh": "conv 需要卷积核文件，例如 conv(k1.txt)",
    },
    "pipeline.kernel_blocks": {
        "en": "the input has {channels} channels but the kernel has {blocks} blocks: give {channels} blocks (one filter) or a multiple of {channels} (filter by filter, channel by channel)",
        "zh": "输入有 {channels} 个通道，但卷积核有 {blocks} 块：请给出 {channels} 块（一个滤波器）或 {channels} 的倍数块（逐个滤波器、逐个通道）",
    },
    "pipeline.softmax_vector": {
        "en": "softmax needs a vector but its input is {shape}: put flatten (or linear) before it",
        "zh": "softmax 需要向量，但输入是 {shape}：请在前面加 flatten（或 linear）",
    },
    "pipeline.target_vector": {
        "en": "--target needs a network that ends in a vector of class scores, but the last stage gives {shape}: end with flatten | linear(...)",
        "zh": "--target 需要网络以类别分数向量结尾，但最后一步输出 {shape}：请以 flatten | linear(...) 结尾",
    },
    # shape (cnncalc/shapes.py)
    "shape.bad_input": {
        "en": "the input shape must be C×H×W or H×W in positive integers, e.g. 1x32x32 (got {value!r})",
        "zh": "输入形状必须是由正整数组成的 C×H×W 或 H×W，例如 1x32x32（收到 {value!r}）",
    },
    "shape.needs_size": {
        "en": "{name} takes sizes here, not files: {example}",
        "zh": "在这里 {name} 接受的是尺寸而不是文件：{example}",
    },
    "shape.input_prefix": {"en": " (its input is {input})", "zh": "（其输入为 {input}）"},
    "shape.needs_map": {
        "en": "{name} needs a map C×H×W but its input is {shape}",
        "zh": "{name} 需要 C×H×W 的特征图，但输入是 {shape}",
    },
    # cli: run and shape
    "run.stage_title": {
        "en": "stage {index} · {text} · shape {shape}",
        "zh": "第 {index} 步 · {text} · 形状 {shape}",
    },
    "run.loss": {
        "en": "loss (cross-entropy, target class {target}): {loss}",
        "zh": "损失（交叉熵，目标类别 {target}）：{loss}",
    },
    "run.prediction": {"en": "predicted class: {cls}", "zh": "预测类别：{cls}"},
    "run.no_stage": {
        "en": "--stage {stage} is out of range: the pipeline has {count} stage(s)",
        "zh": "--stage {stage} 超出范围：流水线只有 {count} 步",
    },
    "run.index": {"en": "index", "zh": "序号"},
    "run.value": {"en": "value", "zh": "值"},
    "shape.col_stage": {"en": "stage", "zh": "步骤"},
    "shape.col_output": {"en": "output shape", "zh": "输出形状"},
    "shape.col_params": {"en": "params", "zh": "参数量"},
    "shape.col_macs": {"en": "MACs", "zh": "乘加次数"},
    "shape.input_row": {"en": "input", "zh": "输入"},
    "shape.total": {"en": "total", "zh": "合计"},
}
TRAIN: dict[str, dict[str, str]] = {
    # backward passes and optimizers (cnncalc/backward.py, cnncalc/optim.py)
    "train.pool_empty_window": {
        "en": "max-pooling window ({row}, {col}) lies entirely in the padding (padding {padding}, dilation {dilation}): it has no maximum (PyTorch gives -inf) and no gradient; lower the dilation or the padding",
        "zh": "最大池化窗口 ({row}, {col}) 完全落在填充区里（padding {padding}，dilation {dilation}）：它没有最大值（PyTorch 给出 -inf），也没有梯度；请减小 dilation 或 padding",
    },
    "train.zero_probability": {
        "en": "the probability of the target class {target} is 0, so the loss is infinite and has no gradient",
        "zh": "目标类别 {target} 的概率为 0，损失为无穷大，没有梯度",
    },
    "train.non_negative": {
        "en": "{parameter} must be a number >= 0 (got {value}), as in torch.optim",
        "zh": "{parameter} 必须是 >= 0 的数（收到 {value}），与 torch.optim 一致",
    },
    "train.beta": {
        "en": "beta {index} must be in [0, 1) (got {value}), as in torch.optim.Adam",
        "zh": "第 {index} 个 beta 必须在 [0, 1) 之间（收到 {value}），与 torch.optim.Adam 一致",
    },
    "train.betas": {
        "en": "--betas must be two numbers B1,B2, e.g. 0.9,0.999 (got {value!r})",
        "zh": "--betas 必须是两个数 B1,B2，例如 0.9,0.999（收到 {value!r}）",
    },
    "train.option_for": {
        "en": "{option} applies to the {optimizer} optimizer only",
        "zh": "{option} 只适用于 {optimizer} 优化器",
    },
    # training (cnncalc/training.py)
    "train.diverged": {
        "en": "step {step} made a parameter infinite or nan (learning rate {lr}): lower --lr",
        "zh": "第 {step} 步使参数变成无穷大或 nan（学习率 {lr}）：请减小 --lr",
    },
    "train.explain_spec": {
        "en": "--explain must be STAGE:ROW,COL or STAGE:BLOCK:ROW,COL, 1-based, e.g. 1:2,3 (got {value!r})",
        "zh": "--explain 必须写成 STAGE:ROW,COL 或 STAGE:BLOCK:ROW,COL（从 1 开始），例如 1:2,3（收到 {value!r}）",
    },
    "train.explain_stage": {
        "en": "stage {stage} is {name}, which has no weight: --explain needs a conv or linear stage ({choices})",
        "zh": "第 {stage} 步是 {name}，没有权重：--explain 需要 conv 或 linear 步骤（{choices}）",
    },
    "train.explain_no_stage": {
        "en": "stage {stage} does not exist: the pipeline has {count} stage(s)",
        "zh": "第 {stage} 步不存在：流水线只有 {count} 步",
    },
    "train.explain_needs_block": {
        "en": "the weight of stage {stage} has {blocks} blocks: say which with --explain STAGE:BLOCK:ROW,COL, e.g. {stage}:1:1,1",
        "zh": "第 {stage} 步的权重有 {blocks} 块：请用 --explain STAGE:BLOCK:ROW,COL 指明哪一块，例如 {stage}:1:1,1",
    },
    "train.explain_block": {
        "en": "block {block} does not exist: the weight of stage {stage} has {blocks} block(s)",
        "zh": "第 {block} 块不存在：第 {stage} 步的权重只有 {blocks} 块",
    },
    "train.explain_cell": {
        "en": "row {row}, column {col} is outside the {shape} weight of stage {stage}",
        "zh": "第 {row} 行第 {col} 列超出了第 {stage} 步 {shape} 的权重",
    },
    "train.save_exists": {
        "en": "{path} exists and is not a folder",
        "zh": "{path} 已存在且不是文件夹",
    },
    # rendering (cnncalc/output.py) and the CLI
    "train.loss_title": {"en": "loss per step", "zh": "每步的损失"},
    "train.col_step": {"en": "step", "zh": "步"},
    "train.col_loss": {"en": "loss", "zh": "损失"},
    "train.param_title": {
        "en": "stage {stage} · {stage_name} · {name} · {shape}",
        "zh": "第 {stage} 步 · {stage_name} · {name} · {shape}",
    },
    "train.value": {"en": "value (before step 1)", "zh": "原值（第 1 步之前）"},
    "train.grad": {"en": "gradient (at step 1)", "zh": "梯度（第 1 步）"},
    "train.updated": {"en": "updated (after step {steps})", "zh": "更新后（第 {steps} 步之后）"},
    "train.block": {"en": "block {block}", "zh": "第 {block} 块"},
    "train.no_params": {
        "en": "the pipeline has no trainable parameters (conv kernels, conv biases given with bias=, linear weights and biases)",
        "zh": "流水线没有可训练的参数（卷积核、用 bias= 给出的卷积偏置、全连接权重和偏置）",
    },
    "train.saved": {
        "en": "saved {count} parameter file(s) and {pipeline}; run the trained network with: cnncalc run INPUT @{pipeline}",
        "zh": "已保存 {count} 个参数文件和 {pipeline}；用以下命令运行训练后的网络：cnncalc run INPUT @{pipeline}",
    },
    "train.explain_title": {
        "en": "dL/dw for stage {stage} ({stage_name}) {block}row {row}, column {col}: the sum of input cell × upstream gradient over every output cell the weight touches",
        "zh": "第 {stage} 步（{stage_name}）{block}第 {row} 行第 {col} 列的 dL/dw：该权重参与的每个输出单元上，输入单元 × 上游梯度之和",
    },
    "train.explain_block_part": {"en": "block {block}, ", "zh": "第 {block} 块，"},
    "train.explain_flip": {
        "en": "the kernel is flipped (flip=true): its cell ({row}, {col}) multiplies the window's cell ({trow}, {tcol})",
        "zh": "卷积核已翻转（flip=true）：它的 ({row}, {col}) 单元与窗口的 ({trow}, {tcol}) 单元相乘",
    },
    "train.col_output": {"en": "output cell", "zh": "输出单元"},
    "train.col_input": {"en": "input cell", "zh": "输入单元"},
    "train.col_x": {"en": "input value", "zh": "输入值"},
    "train.col_g": {"en": "upstream gradient", "zh": "上游梯度"},
    "train.col_product": {"en": "product", "zh": "乘积"},
    "train.padding_cell": {"en": "padding", "zh": "填充"},
    "train.explain_sum": {"en": "sum of the products: {sum}", "zh": "乘积之和：{sum}"},
    "train.explain_mean": {
        "en": "norm=mean divides by {n} cells: {sum} / {n} = {value}",
        "zh": "norm=mean 除以 {n} 个单元：{sum} / {n} = {value}",
    },
    "train.explain_value": {"en": "dL/dw = {value}", "zh": "dL/dw = {value}"},
}
PICTURES: dict[str, dict[str, str]] = {
    "pictures.needs_pillow": {
        "en": 'drawing pictures needs Pillow: pip install "cnncalc[images]"',
        "zh": '绘制图片需要 Pillow：pip install "cnncalc[images]"',
    },
    "pictures.too_large": {
        "en": "a {shape} map is too large to draw: at most {limit} cells on a side",
        "zh": "{shape} 的特征图太大，无法绘制：每边最多 {limit} 个单元格",
    },
    "pictures.too_many_pixels": {
        "en": "the picture would be {size} pixels, over the limit of {limit} pixels",
        "zh": "图片将有 {size} 像素，超过上限 {limit} 像素",
    },
    "pictures.too_many_frames": {
        "en": "the animation would have {frames} frames (output {shape} plus the final frame), over the limit of {limit}: use a larger stride or a smaller image",
        "zh": "动画将有 {frames} 帧（输出 {shape} 加最后一帧），超过上限 {limit}：请用更大的步长或更小的图像",
    },
    "pictures.too_large_anim": {
        "en": "the padded input {shape} is too large to animate: at most {limit} cells on a side",
        "zh": "填充后的输入 {shape} 太大，无法做动画：每边最多 {limit} 个单元格",
    },
    "pictures.filter_range": {
        "en": "there is no filter {value}: the kernel holds {filters} filter(s) (map 1 to {filters})",
        "zh": "没有第 {value} 个滤波器：卷积核只有 {filters} 个滤波器（map 取 1 到 {filters}）",
    },
    "pictures.bad_suffix": {
        "en": "{path}: {option} must name a {suffix} file",
        "zh": "{path}：{option} 必须是 {suffix} 文件",
    },
    "pictures.warning": {"en": "Warning", "zh": "警告"},
    "pictures.font_fallback": {
        "en": "no installed font can draw some characters, so the picture's words are in English (a title keeps boxes); set CNNCALC_FONT to a .ttf/.otf/.ttc font that has them",
        "zh": "没有已安装的字体能绘制某些字符，图中文字改用英文（标题中显示为方框）；请把 CNNCALC_FONT 设为包含这些字符的 .ttf/.otf/.ttc 字体",
    },
    "pictures.wrote": {
        "en": "wrote {path} ({width}×{height} px)",
        "zh": "已写入 {path}（{width}×{height} 像素）",
    },
    "pictures.wrote_frames": {
        "en": "wrote {path} ({frames} frames, {width}×{height} px)",
        "zh": "已写入 {path}（{frames} 帧，{width}×{height} 像素）",
    },
    "pictures.wrote_dir": {
        "en": "wrote {frames} PNG frames to {dir}",
        "zh": "已把 {frames} 帧 PNG 写入 {dir}",
    },
    "pictures.map": {"en": "map {index}", "zh": "特征图 {index}"},
    "pictures.wrong_count": {
        "en": "{wrong} of {cells} cells wrong",
        "zh": "{cells} 个单元格中有 {wrong} 个错误",
    },
    "pictures.all_right": {"en": "all {cells} cells right", "zh": "全部 {cells} 个单元格正确"},
    "pictures.legend_marked": {
        "en": "red box: wrong cell; your number on top, the exact value below in red",
        "zh": "红框：错误的单元格；上面是你的数，下面红色的是正确值",
    },
    "pictures.shape_mismatch": {
        "en": "shape {got}, expected {expected}",
        "zh": "形状为 {got}，应为 {expected}",
    },
    "pictures.your_answer": {"en": "your answer", "zh": "你的答案"},
    "pictures.expected": {"en": "expected", "zh": "正确答案"},
    # animation
    "pictures.anim_title": {
        "en": "input {image}, kernel {kernel}, stride {stride}, padding {padding}, dilation {dilation}",
        "zh": "输入 {image}，卷积核 {kernel}，步长 {stride}，填充 {padding}，膨胀 {dilation}",
    },
    "pictures.filter_of": {"en": "filter {filter} of {filters}", "zh": "第 {filter} 个滤波器（共 {filters} 个）"},
    "pictures.input": {"en": "input", "zh": "输入"},
    "pictures.input_padded": {"en": "input, padded ({mode})", "zh": "输入（已填充，{mode}）"},
    "pictures.channel": {"en": "channel {channel}", "zh": "通道 {channel}"},
    "pictures.kernel": {"en": "kernel", "zh": "卷积核"},
    "pictures.kernel_flipped": {"en": "kernel (flipped)", "zh": "卷积核（已翻转）"},
    "pictures.products": {"en": "products", "zh": "逐元素乘积"},
    "pictures.output": {"en": "output {shape}", "zh": "输出 {shape}"},
    "pictures.step": {
        "en": "output ({row}, {col}) = sum of the products = {sum}",
        "zh": "输出 ({row}, {col}) = 乘积之和 = {sum}",
    },
    "pictures.step_channels": {
        "en": "output ({row}, {col}) = sum over the channels = {parts} = {sum}",
        "zh": "输出 ({row}, {col}) = 各通道之和 = {parts} = {sum}",
    },
    "pictures.step_mean": {
        "en": "mean: {sum} / {count} = {value}",
        "zh": "平均：{sum} / {count} = {value}",
    },
    "pictures.step_bias": {
        "en": "bias: {before} + {bias} = {value}",
        "zh": "偏置：{before} + {bias} = {value}",
    },
    "pictures.done": {"en": "output complete: {shape}", "zh": "输出完成：{shape}"},
    "pictures.titled": {"en": "{title}: {headline}", "zh": "{title}：{headline}"},
    "pictures.sep": {"en": "; ", "zh": "；"},
}

# QA (hostile input, student-written files): reader and argument sentences.
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

MESSAGES: dict[str, dict[str, str]] = {}
for _section in (CORE, CHECK, GRADE, PIPELINE, TRAIN, PICTURES, QA):
    MESSAGES.update(_section)


def default_lang(environ: dict[str, str] | None = None) -> str:
    """Pick ``zh`` when the locale (LC_ALL, LC_MESSAGES, LANG) is Chinese, else ``en``."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def text(key: str, lang: str = "en", **params: Any) -> str:
    """Return the sentence for ``key`` in ``lang`` with ``params`` filled in."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key + (" " + repr(params) if params else "")
    template = entry.get(lang) or entry["en"]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return entry["en"].format(**params)
