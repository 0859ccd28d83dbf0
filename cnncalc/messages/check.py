"""Sentences of checking: wrong cells, their causes, diagnoses, worked cells, assignments."""

CHECK: dict[str, dict[str, str]] = {
    # leads of the per-cell sentences
    "check.lead.all": {"en": "Every wrong cell", "zh": "所有错格都是"},
    "check.lead.one": {"en": "The wrong cell", "zh": "这个错格是"},
    "check.lead.count": {
        "en": "{count} of the {wrong} wrong cells",
        "zh": "{wrong} 个错格中有 {count} 个是",
    },
    "check.lead.some": {"en": "Some wrong cells", "zh": "有些错格是"},
    # per-cell diagnoses
    "check.diag.sign": {
        "en": "{lead}: the right size but the wrong sign. Check the signs of the products.",
        "zh": "{lead}正负号错误：绝对值对了，但符号反了。请检查各乘积的正负号。",
    },
    "check.diag.rounding": {
        "en": "{lead}: off by one in the last decimal. Round (half-up or half-even) or cut the exact value; do not estimate it.",
        "zh": "{lead}舍入错误：最后一位小数差了 1。请对精确值四舍五入或截断，不要估算。",
    },
    "check.diag.too-few-decimals": {
        "en": "{lead}: too few decimals. Write at least {decimals} decimals (only exact values such as 1 or 0.5 may have fewer).",
        "zh": "{lead}因为小数位数太少：请至少写 {decimals} 位小数（只有 1、0.5 这样的精确值可以少写）。",
    },
    "check.diag.arithmetic": {
        "en": "{lead}: miscalculated. Redo the products and their sum; cnncalc explain shows every step.",
        "zh": "{lead}计算错误：请重新计算各乘积及其和；cnncalc explain 会列出每一步。",
    },
    "check.diag.arithmetic.student": {
        "en": "{lead}: miscalculated. Redo the products and their sum.",
        "zh": "{lead}计算错误：请重新计算各乘积及其和。",
    },
    # per-answer diagnoses
    "check.diag.normalization": {
        "en": "The answer mixes up the sum and the mean of the products (norm=sum or norm=mean).",
        "zh": "答案把乘积之和与平均值弄混了（norm=sum 与 norm=mean）。",
    },
    "check.diag.normalization.mean": {
        "en": "The answer is the mean of the products (divided by {n}), but this problem asks for their plain sum (norm=sum).",
        "zh": "答案是各乘积的平均值（除以了 {n}），但本题要的是乘积之和（norm=sum）。",
    },
    # command-line advice, for the teacher's view only (cnncalc check), never in feedback
    "check.advice.normalization.mean": {
        "en": "If the mean was intended, check with --norm mean.",
        "zh": "如果本来就要求平均值，请加 --norm mean 再检查。",
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
        "zh": "{answers} 道题中有 {right} 道全对",
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
        "en": "{count} blocks after the last answer were not checked.",
        "en_one": "1 block after the last answer was not checked.",
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
        "en": "--map must be 1 to {maps}: the kernel file has {maps} filters (got {value})",
        "en_one": "--map must be 1: the kernel file has 1 filter (got {value})",
        "one_of": "maps",
        "zh": "--map 必须在 1 到 {maps} 之间：卷积核文件有 {maps} 个滤波器（收到 {value}）",
    },
}
