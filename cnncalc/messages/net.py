"""Sentences of stage chains: parsing, binding, running and shapes."""

PIPELINE: dict[str, dict[str, str]] = {
    # where a chain error is (cnncalc/net/chain.py)
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
        "en": "{name} takes at most {most} values without a name (got {got})",
        "en_one": "{name} takes at most 1 value without a name (got {got})",
        "one_of": "most",
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
    # running (cnncalc/net/pipeline.py)
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
    # shape (cnncalc/net/shapes.py)
    "shape.bad_input": {
        "en": "the input shape must be C×H×W, H×W or N×C×H×W (a batch) in positive integers, e.g. 1x32x32 (got {value!r})",
        "zh": "输入形状必须是由正整数组成的 C×H×W、H×W 或 N×C×H×W（批量），例如 1x32x32（收到 {value!r}）",
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
        "en": "--stage {stage} is out of range: the pipeline has {count} stages",
        "en_one": "--stage {stage} is out of range: the pipeline has 1 stage",
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
