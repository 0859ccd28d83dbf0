"""Sentences of the reader, parameters, shapes and the command line."""

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
        "en_one": "row has {got} value but the rows above have {expected}",
        "one_of": "got",
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
        "en": "is {size} bytes, over the limit of {limit:,} bytes ({mib} MiB)",
        "zh": "大小为 {size} 字节，超过上限 {limit:,} 字节（{mib} MiB）",
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
    "param.pool_window_too_large": {
        "en": "the pooling window (size={size}, dilation={dilation}: extent {extent}) is larger than the padded input ({padded})",
        "zh": "池化窗口（size={size}，dilation={dilation}：范围 {extent}）大于填充后的输入（{padded}）",
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
        "en": "the kernel has {kernel_channels} channels but the image has {image_channels}",
        "en_one": "the kernel has 1 channel but the image has {image_channels}",
        "one_of": "kernel_channels",
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
