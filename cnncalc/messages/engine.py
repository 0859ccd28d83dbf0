"""Sentences of the engine's newer operations: grouped and transposed convolution,
F.pad-style padding, batch normalization, adaptive pooling and the losses."""

ENGINE: dict[str, dict[str, str]] = {
    "param.pads": {
        "en": "{parameter} must be an integer, a pair H,W or four integers (left, right, top, bottom) (got {value!r})",
        "zh": "{parameter} 必须是整数、一对 H,W 或四个整数（左, 右, 上, 下）（收到 {value!r}）",
    },
    "param.non_negative_real": {
        "en": "{parameter} must be a non-negative number (got {value})",
        "zh": "{parameter} 必须是非负数（收到 {value}）",
    },
    "param.empty_array": {
        "en": "{parameter} is empty ({shape})",
        "zh": "{parameter} 为空（{shape}）",
    },
    "param.dims": {
        "en": "{parameter} must be {expected} (got {ndim}-D)",
        "zh": "{parameter} 必须是 {expected}（收到 {ndim} 维）",
    },
    "param.length": {
        "en": "{parameter} must hold {expected} values, one per channel (got {got})",
        "zh": "{parameter} 必须有 {expected} 个值，每个通道一个（收到 {got} 个）",
    },
    "param.same_shape": {
        "en": "{parameter} must have the shape {expected} (got {got})",
        "zh": "{parameter} 的形状必须是 {expected}（收到 {got}）",
    },
    "param.output_padding": {
        "en": "output_padding {value} must be smaller than stride {stride} or dilation {dilation} along each axis",
        "zh": "output_padding {value} 在每个方向上都必须小于 stride {stride} 或 dilation {dilation}",
    },
    "param.groups_divide": {
        "en": "groups={groups} must divide the {what} ({channels})",
        "zh": "groups={groups} 必须整除{what}（{channels}）",
    },
    "param.weight_channels": {
        "en": "the weight {weight} expects {expected} input channels but the input has {channels}",
        "zh": "权重 {weight} 需要 {expected} 个输入通道，但输入有 {channels} 个",
    },
    "param.transpose_output": {
        "en": "the output would be {output}: padding {padding} cuts more than the transposed convolution of input {input} makes",
        "zh": "输出将是 {output}：padding {padding} 裁掉的比输入 {input} 的转置卷积产生的还多",
    },
    "param.padding_value_mode": {
        "en": "padding_value applies to padding_mode='constant' only (got padding_mode={mode!r})",
        "zh": "padding_value 只适用于 padding_mode='constant'（收到 padding_mode={mode!r}）",
    },
    "param.crop_too_large": {
        "en": "{parameter} crops {crop} cells from an axis of size {size}; at least one cell must remain",
        "zh": "{parameter} 从大小为 {size} 的方向裁掉 {crop} 个格子；至少要留下一个格子",
    },
    "param.negative_pad_mode": {
        "en": "negative {parameter} (cropping) is possible with constant padding only (got padding_mode={mode!r})",
        "zh": "负的 {parameter}（裁剪）只能用于 constant 填充（收到 padding_mode={mode!r}）",
    },
    "param.bn_running_required": {
        "en": "running_mean and running_var are needed when training=False",
        "zh": "training=False 时需要 running_mean 和 running_var",
    },
    "param.bn_running_pair": {
        "en": "running_mean and running_var must be given together (or both left out)",
        "zh": "running_mean 和 running_var 必须同时给出（或都不给）",
    },
    "param.bn_one_value": {
        "en": "batch statistics need more than one value per channel when training=True (input {shape})",
        "zh": "training=True 时每个通道需要多于一个值才能计算批统计量（输入 {shape}）",
    },
    "param.bn_eps_training": {
        "en": "eps must be positive when training=True (got {value}), as in PyTorch",
        "zh": "training=True 时 eps 必须为正（收到 {value}），与 PyTorch 一致",
    },
    "param.bn_variance": {
        "en": "{parameter} + eps must be positive to divide by its square root (channel {channel}: {value})",
        "zh": "{parameter} + eps 必须为正才能除以它的平方根（第 {channel} 个通道：{value}）",
    },
    "param.adaptive_output": {
        "en": "output_size must be positive (got {value}); an adaptive pool with no output cell computes nothing",
        "zh": "output_size 必须为正（收到 {value}）；没有输出格子的自适应池化什么也不计算",
    },
    "param.target_count": {
        "en": "there are {samples} samples but {targets} targets",
        "zh": "有 {samples} 个样本，却有 {targets} 个 target",
    },
    "param.probability": {
        "en": "{parameter} must lie between 0 and 1 (got {value})",
        "zh": "{parameter} 必须在 0 到 1 之间（收到 {value}）",
    },
    "param.margin_p": {
        "en": "p must be 1 or 2 (got {value!r})",
        "zh": "p 必须是 1 或 2（收到 {value!r}）",
    },
    "loss.class_target": {
        "en": "--loss {loss} needs a class index as --target (got {value!r})",
        "zh": "--loss {loss} 需要类别编号作为 --target（收到 {value!r}）",
    },
    "run.loss_named": {
        "en": "loss ({name}, target {target}): {loss}",
        "zh": "损失（{name}，目标 {target}）：{loss}",
    },
    "loss.name.ce": {"en": "cross-entropy", "zh": "交叉熵"},
    "loss.name.nll": {"en": "negative log-likelihood", "zh": "负对数似然"},
    "loss.name.mse": {"en": "mean squared error", "zh": "均方误差"},
    "loss.name.bce": {"en": "binary cross-entropy", "zh": "二元交叉熵"},
    "loss.name.bce_logits": {"en": "binary cross-entropy with logits", "zh": "带 logits 的二元交叉熵"},
    "loss.name.hinge": {"en": "multi-class hinge", "zh": "多类合页损失"},
    "pipeline.batch_vectors": {
        "en": "{name} on a batch needs one vector per image (N×features), but its input is {shape}: put flatten before it",
        "zh": "批量输入时 {name} 需要每张图一个向量（N×特征数），但它的输入是 {shape}：请在它前面加 flatten",
    },
    "read.batch": {
        "en": "batch={value} must be a positive number of images that divides the {blocks} blocks",
        "en_one": "batch={value} must be a positive number of images that divides the {blocks} block",
        "one_of": "blocks",
        "zh": "batch={value} 必须是能整除 {blocks} 个块的正整数（图像数）",
    },
    "transpose.explain_head": {
        "en": "output cell ({row}, {col}) of map {map}: {count} input cells reach it, each times one kernel tap",
        "en_one": "output cell ({row}, {col}) of map {map}: {count} input cell reaches it, times one kernel tap",
        "zh": "第 {map} 个输出图的格子 ({row}, {col})：有 {count} 个输入格子到达它，各乘一个卷积核位置",
    },
    "transpose.explain_channel": {"en": "channel {channel}, ", "zh": "通道 {channel}，"},
    "transpose.explain_line": {
        "en": "  {where}input ({row}, {col}) × kernel ({tap_row}, {tap_col}): {value} × {weight} = {product}",
        "zh": "  {where}输入 ({row}, {col}) × 卷积核 ({tap_row}, {tap_col})：{value} × {weight} = {product}",
    },
    "transpose.explain_sum": {"en": "sum: {sum}", "zh": "和：{sum}"},
    "transpose.explain_bias": {"en": "bias: + {bias}", "zh": "偏置：+ {bias}"},
    "transpose.explain_value": {"en": "value: {value}", "zh": "值：{value}"},
    "explain.one_image": {
        "en": "explain works on one image, not a batch",
        "zh": "explain 只针对一张图，不能用于批量输入",
    },
    "pictures.transposed_options": {
        "en": "animate --transposed takes --stride, --padding (INT or H,W), --output-padding, --dilation and --bias only",
        "zh": "animate --transposed 只接受 --stride、--padding（整数或 H,W）、--output-padding、--dilation 和 --bias",
    },
    "loss.one_image_target": {
        "en": "one image takes one class index as --target (got {value}); several classes need a batch of as many images",
        "zh": "一张图只能有一个类别编号作为 --target（收到 {value}）；多个类别需要同样数量图像的批量输入",
    },
    "pipeline.no_transpose_kernel": {
        "en": "conv_transpose needs a kernel file, e.g. conv_transpose(k.txt, stride=2)",
        "zh": "conv_transpose 需要卷积核文件，例如 conv_transpose(k.txt, stride=2)",
    },
}
