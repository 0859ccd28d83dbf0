"""Sentences of the training step: losses, gradients, optimizers."""

TRAIN: dict[str, dict[str, str]] = {
    # backward passes and optimizers (cnncalc/train/backward.py, cnncalc/train/optim.py)
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
    # training (cnncalc/train/step.py)
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
        "en": "stage {stage} does not exist: the pipeline has {count} stages",
        "en_one": "stage {stage} does not exist: the pipeline has 1 stage",
        "zh": "第 {stage} 步不存在：流水线只有 {count} 步",
    },
    "train.explain_needs_block": {
        "en": "the weight of stage {stage} has {blocks} blocks: say which with --explain STAGE:BLOCK:ROW,COL, e.g. {stage}:1:1,1",
        "zh": "第 {stage} 步的权重有 {blocks} 块：请用 --explain STAGE:BLOCK:ROW,COL 指明哪一块，例如 {stage}:1:1,1",
    },
    "train.explain_block": {
        "en": "block {block} does not exist: the weight of stage {stage} has {blocks} blocks",
        "en_one": "block {block} does not exist: the weight of stage {stage} has 1 block",
        "one_of": "blocks",
        "zh": "第 {block} 块不存在：第 {stage} 步的权重只有 {blocks} 块",
    },
    "train.explain_cell": {
        "en": "row {row}, column {col} is outside the {shape} weight of stage {stage}",
        "zh": "第 {row} 行第 {col} 列超出了第 {stage} 步 {shape} 的权重",
    },
    "train.save_foreign": {
        "en": "{path} exists and was not written by train-step --save (or was changed since): move it away or choose another --save folder (nothing was written)",
        "zh": "{path} 已存在，且不是 train-step --save 写的（或之后被改过）：请把它移走，或换一个 --save 文件夹（什么都没有写）",
    },
    "train.save_exists": {
        "en": "{path} exists and is not a folder",
        "zh": "{path} 已存在且不是文件夹",
    },
    # rendering (cnncalc/show/traintables.py) and the CLI
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
        "en": "saved {count} parameter files and {pipeline}; run the trained network with: cnncalc run INPUT @{pipeline}",
        "en_one": "saved 1 parameter file and {pipeline}; run the trained network with: cnncalc run INPUT @{pipeline}",
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
