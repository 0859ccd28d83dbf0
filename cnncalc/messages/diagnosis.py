"""Sentences of the mistake catalogue: one per mistake for the student, a short
phrase per mistake for pairs (``check.what.<label>``) and the evidence. A sentence
with command-line advice (for the teacher's view, ``cnncalc check``) has a
``<key>.student`` version without it for students' feedback (messages/check.py)."""

DIAGNOSIS: dict[str, dict[str, str]] = {
    # totals: Chinese says "none" and "all" without the count ("3 道题都没有全对")
    "check.total_none": {"en": "{right} of {answers} answers right", "zh": "{answers} 道题都没有全对"},
    "check.total_all": {"en": "{right} of {answers} answers right", "zh": "{answers} 道题全都对了"},
    # a named mistake's evidence
    "check.evidence": {
        "en": "For example cell {where}: you wrote {got}, the right value is {expected}.",
        "zh": "例如格子 {where}：你写的是 {got}，正确的值是 {expected}。",
    },
    "check.evidence_shape": {
        "en": "For example cell {where}: you wrote {got}, exactly the value this mistake gives.",
        "zh": "例如格子 {where}：你写的 {got} 正是这样算出的值。",
    },
    "check.where": {"en": "({row}, {col})", "zh": "({row}, {col})"},
    "check.where_map": {"en": "({row}, {col}) of map {map}", "zh": "（特征图 {map}）({row}, {col})"},
    "check.shape_unexplained": {
        "en": "The values match no usual mistake: recompute the map with this problem's settings.",
        "zh": "这些数值对不上任何常见错误：请按本题的设置重新计算。",
    },
    "check.diag.pair_general": {
        "en": "Two mistakes made together: {first}, and {second}.",
        "zh": "两个错误叠加：{first}，并且{second}。",
    },
    "check.diag.pair": {
        "en": "Two mistakes together give this answer: {first}, and {second}.",
        "zh": "这个答案是两个错误叠加的结果：{first}，并且{second}。",
    },
    "check.diag.pair_settings_shape": {
        "en": "The answer matches {first} together with {second}, which give {shape}, but this problem uses {first_expected} and {second_expected}.",
        "zh": "答案与 {first} 加上 {second} 的结果一致（得到 {shape}），但本题用的是 {first_expected} 和 {second_expected}。",
    },
    "check.diag.pair_settings": {
        "en": "The answer matches {first} together with {second}, but this problem uses {first_expected} and {second_expected}.",
        "zh": "答案与 {first} 加上 {second} 的结果一致，但本题用的是 {first_expected} 和 {second_expected}。",
    },
    # the catalogue's sentences, for the mistakes the first vocabulary did not have
    "check.diag.missing-bias": {"en": "The bias was left out: add it to every sum of products.", "zh": "漏加了偏置：每个乘积之和都要加上偏置。"},
    "check.diag.missing-bias.value": {
        "en": "The bias {bias} was left out: add it to every sum of products.",
        "zh": "漏加了偏置 {bias}：每个乘积之和都要加上偏置。",
    },
    "check.diag.double-bias": {"en": "The bias was added twice: add it once to every sum of products.", "zh": "偏置加了两次：每个乘积之和只加一次偏置。"},
    "check.diag.double-bias.value": {
        "en": "The bias {bias} was added twice: add it once to every sum of products.",
        "zh": "偏置 {bias} 加了两次：每个乘积之和只加一次偏置。",
    },
    "check.diag.negated-bias": {"en": "The bias was subtracted: add it to every sum of products.", "zh": "偏置被减掉了：应当加上偏置。"},
    "check.diag.negated-bias.value": {
        "en": "The bias {bias} was subtracted: add it to every sum of products.",
        "zh": "偏置 {bias} 被减掉了：应当加上偏置。",
    },
    "check.diag.bias-after-relu": {"en": "The bias was added after ReLU: add it to the sum first, then apply ReLU.", "zh": "偏置是在 ReLU 之后加的：应先加偏置，再做 ReLU。"},
    "check.diag.bias-after-relu.value": {
        "en": "The bias {bias} was added after ReLU: add it to the sum first, then apply ReLU.",
        "zh": "偏置 {bias} 是在 ReLU 之后加的：应先加偏置，再做 ReLU。",
    },
    "check.diag.extra-relu": {
        "en": "Negative values were turned into 0, but this problem has no ReLU: keep them.",
        "zh": "把负值都变成了 0，但本题没有 ReLU：负值应当保留。",
    },
    "check.diag.missing-pool": {"en": "The pooling was left out: the answer is the map before it.", "zh": "漏做了池化：答案是池化之前的特征图。"},
    "check.diag.missing-pool.step": {
        "en": "The answer is the map before {step}: apply {step} to it to get the result.",
        "zh": "答案是做 {step} 之前的特征图：还要对它做 {step} 才是结果。",
    },
    "check.diag.pool-kind": {"en": "Max, mean and sum pooling were mixed up.", "zh": "把最大值池化、平均池化和求和池化弄混了。"},
    "check.diag.pool-kind.setting": {
        "en": "The pooling takes the {kind} of each window, but this problem asks for the {expected_kind}.",
        "zh": "池化取的是每个窗口的{kind}，但本题要的是{expected_kind}。",
    },
    "check.diag.wrong-pool-size": {"en": "The pooling windows have another size than this problem's.", "zh": "池化窗口的大小用错了。"},
    "check.diag.wrong-pool-size.setting": {
        "en": "The pooling windows have {setting}, but this problem uses {expected}.",
        "zh": "池化窗口用了 {setting}，但本题用的是 {expected}。",
    },
    "check.diag.wrong-pool-stride": {"en": "The pooling window moves with another stride than this problem's.", "zh": "池化窗口的步长用错了。"},
    "check.diag.wrong-pool-stride.setting": {
        "en": "The pooling window moves with {setting}, but this problem uses {expected}.",
        "zh": "池化窗口的步长用了 {setting}，但本题用的是 {expected}。",
    },
    "check.diag.stage-order": {
        "en": "ReLU and pooling were done in the wrong order: do them in the order the problem gives.",
        "zh": "ReLU 和池化的顺序弄反了：请按题目给出的顺序计算。",
    },
    "check.diag.wrong-divisor": {"en": "The sums were divided by a wrong count: the mean divides by the number of kernel cells.", "zh": "除数用错了：求平均要除以卷积核的格子数。"},
    "check.diag.wrong-divisor.count": {
        "en": "Each sum was divided by {divisor}, but the mean divides by the number of kernel cells, {n}.",
        "zh": "每个和除以了 {divisor}，但求平均要除以卷积核的格子数 {n}。",
    },
    "check.diag.flipped-kernel-axis.rows": {
        "en": "The kernel was turned upside down (its rows reversed): use it as written.",
        "zh": "卷积核被上下翻转了（行的顺序颠倒）：请按原样使用卷积核。",
    },
    "check.diag.flipped-kernel-axis.cols": {
        "en": "The kernel was mirrored left to right (its columns reversed): use it as written.",
        "zh": "卷积核被左右翻转了（列的顺序颠倒）：请按原样使用卷积核。",
    },
    "check.diag.transposed-kernel": {
        "en": "The kernel was transposed (its rows read as columns): use it as written.",
        "zh": "卷积核被转置了（行当成了列）：请按原样使用卷积核。",
    },
    "check.diag.transposed-image": {
        "en": "The image was transposed (its rows read as columns): slide the kernel over the image as written.",
        "zh": "图像被转置了（行当成了列）：请在原样的图像上滑动卷积核。",
    },
    "check.diag.reversed-rows": {
        "en": "The rows of the answer are in reverse order: output row 1 comes from the top windows.",
        "zh": "答案的行顺序颠倒了：输出的第 1 行来自最上面的窗口。",
    },
    "check.diag.reversed-cols": {
        "en": "The columns of the answer are in reverse order: output column 1 comes from the leftmost windows.",
        "zh": "答案的列顺序颠倒了：输出的第 1 列来自最左边的窗口。",
    },
    "check.diag.shifted.window": {
        "en": "Every window was moved by one cell: the first output cell comes from the top-left window of the (padded) image.",
        "zh": "每个窗口都错开了一格：输出的第一个格子来自（填充后）图像左上角的窗口。",
    },
    "check.diag.cropped": {
        "en": "The last row or column of windows is missing: slide the window as long as it fits in the (padded) image.",
        "zh": "少算了最后一行或一列窗口：只要窗口还在（填充后的）图像内，就要继续滑动。",
    },
    "check.diag.extended": {
        "en": "One window too many was computed past the bottom or right edge: stop where the window no longer fits.",
        "zh": "在下边或右边多算了一个超出图像的窗口：窗口放不下时就该停止。",
    },
    "check.diag.padding-value": {
        "en": "The border was padded with 1s: padding adds 0s around the image.",
        "zh": "四周补的是 1：填充应当在图像四周补 0。",
    },
    "check.diag.padding-mode": {"en": "The border around the image was filled in another way than this problem's padding mode.", "zh": "图像四周的填充方式用错了。"},
    "check.diag.padding-mode.setting": {
        "en": "The answer matches {setting}, but this problem uses {expected} (how the border around the image is filled).",
        "zh": "答案与 {setting} 的结果一致，但本题用的是 {expected}（图像四周用什么来填充）。",
    },
    "check.diag.other-input": {"en": "The answer was computed with another problem's image or kernel: use this problem's own.", "zh": "答案用了别的题的图像或卷积核：请用本题自己的。"},
    "check.diag.flipped-kernel-axis": {"en": "The kernel was flipped on one axis: use it as written.", "zh": "卷积核被沿一个方向翻转了：请按原样使用卷积核。"},
    "check.diag.other-input.image": {
        "en": "The answer was computed on the image of {other_ref}: use this problem's own image.",
        "zh": "答案是用{other_ref}的图像算的：请用本题自己的图像。",
    },
    "check.diag.other-input.kernel": {
        "en": "The answer was computed with the kernel of {other_ref}: use this problem's own kernel.",
        "zh": "答案是用{other_ref}的卷积核算的：请用本题自己的卷积核。",
    },
    # short phrases: two of them make the sentence of a pair
    "check.what.normalization.mean": {"en": "each sum was divided by {n}", "zh": "每个和都除以了 {n}"},
    "check.what.normalization.sum": {"en": "the sums were not divided by {n}", "zh": "和没有除以 {n}"},
    "check.what.flipped-kernel.flipped": {"en": "the kernel was turned by 180°", "zh": "卷积核被旋转了 180°"},
    "check.what.flipped-kernel.unflipped": {"en": "the kernel was not turned by 180°", "zh": "卷积核没有旋转 180°"},
    "check.what.missing-relu": {"en": "negative values were kept (no ReLU)", "zh": "负值没有变为 0（漏做 ReLU）"},
    "check.what.missing-bias.value": {"en": "the bias {bias} was left out", "zh": "漏加了偏置 {bias}"},
    "check.what.double-bias.value": {"en": "the bias {bias} was added twice", "zh": "偏置 {bias} 加了两次"},
    "check.what.negated-bias.value": {"en": "the bias {bias} was subtracted", "zh": "偏置 {bias} 被减掉了"},
    "check.what.bias-after-relu.value": {"en": "the bias {bias} was added after ReLU", "zh": "偏置 {bias} 在 ReLU 之后才加"},
    "check.what.extra-relu": {"en": "negative values were turned into 0", "zh": "负值被变成了 0"},
    "check.what.missing-pool.step": {"en": "the pooling {step} was left out", "zh": "漏做了池化 {step}"},
    "check.what.pool-kind.setting": {"en": "the pooling took the {kind}", "zh": "池化取了{kind}"},
    "check.what.wrong-pool-size.setting": {"en": "the pooling used {setting}", "zh": "池化用了 {setting}"},
    "check.what.wrong-pool-stride.setting": {"en": "the pooling used {setting}", "zh": "池化用了 {setting}"},
    "check.what.stage-order": {"en": "ReLU and pooling were swapped", "zh": "ReLU 和池化的顺序弄反了"},
    "check.what.wrong-divisor.count": {"en": "each sum was divided by {divisor}", "zh": "每个和除以了 {divisor}"},
    "check.diag.unfilled": {
        "en": "Every cell of the answer is 0, and {count} of them should not be: it looks like a blank template. Compute each cell (cnncalc explain shows every step).",
        "en_one": "Every cell of the answer is 0, and 1 of them should not be: it looks like a blank template. Compute each cell (cnncalc explain shows every step).",
        "zh": "答案的每一格都是 0，其中 {count} 格不应为 0：看起来交的是没填的空白表格。请逐格计算（cnncalc explain 会列出每一步）。",
    },
    "check.diag.unfilled.student": {
        "en": "Every cell of the answer is 0, and {count} of them should not be: it looks like a blank template. Compute each cell.",
        "en_one": "Every cell of the answer is 0, and 1 of them should not be: it looks like a blank template. Compute each cell.",
        "zh": "答案的每一格都是 0，其中 {count} 格不应为 0：看起来交的是没填的空白表格。请逐格计算。",
    },
    "check.what.unfilled": {"en": "every cell is 0", "zh": "每一格都是 0"},
    "check.what.transposed": {"en": "the answer is transposed", "zh": "答案被转置了"},
    "check.what.flipped-kernel-axis.rows": {"en": "the kernel was turned upside down", "zh": "卷积核被上下翻转了"},
    "check.what.flipped-kernel-axis.cols": {"en": "the kernel was mirrored left to right", "zh": "卷积核被左右翻转了"},
    "check.what.transposed-kernel": {"en": "the kernel was transposed", "zh": "卷积核被转置了"},
    "check.what.transposed-image": {"en": "the image was transposed", "zh": "图像被转置了"},
    "check.what.reversed-rows": {"en": "the rows are in reverse order", "zh": "行的顺序颠倒了"},
    "check.what.reversed-cols": {"en": "the columns are in reverse order", "zh": "列的顺序颠倒了"},
    "check.what.shifted": {"en": "every window was moved by one cell", "zh": "每个窗口都错开了一格"},
    "check.what.cropped": {"en": "the last row or column of windows is missing", "zh": "少算了最后一行或一列窗口"},
    "check.what.extended": {"en": "one window too many was computed past the edge", "zh": "在边缘外多算了一个窗口"},
    "check.what.padding-value": {"en": "the border was padded with 1s", "zh": "四周补的是 1"},
    "check.what.padding-mode.setting": {"en": "{setting} was used instead of {expected}", "zh": "用了 {setting} 而不是 {expected}"},
    "check.what.wrong-stride.setting": {"en": "{setting} was used instead of {expected}", "zh": "用了 {setting} 而不是 {expected}"},
    "check.what.wrong-padding.setting": {"en": "{setting} was used instead of {expected}", "zh": "用了 {setting} 而不是 {expected}"},
    "check.what.wrong-dilation.setting": {"en": "{setting} was used instead of {expected}", "zh": "用了 {setting} 而不是 {expected}"},
    "check.what.other-input.image": {"en": "the image of {other_ref} was used", "zh": "用了{other_ref}的图像"},
    "check.what.other-input.kernel": {"en": "the kernel of {other_ref} was used", "zh": "用了{other_ref}的卷积核"},
    "check.what.swapped-answers": {"en": "it is the answer of another problem", "zh": "这是另一道题的答案"},
    "check.what.swapped-answers.other": {"en": "it is the answer of {other_ref}", "zh": "这是{other_ref}的答案"},
    "check.what.swapped-answers.named": {"en": "it is the answer of {other_ref}", "zh": "这是{other_ref}的答案"},
    "check.what.normalization": {"en": "the sum and the mean were mixed up", "zh": "把和与平均值弄混了"},
    "check.what.flipped-kernel": {"en": "the kernel was turned by 180°", "zh": "卷积核被旋转了 180°"},
    "check.what.missing-bias": {"en": "the bias was left out", "zh": "漏加了偏置"},
    "check.what.double-bias": {"en": "the bias was added twice", "zh": "偏置加了两次"},
    "check.what.negated-bias": {"en": "the bias was subtracted", "zh": "偏置被减掉了"},
    "check.what.bias-after-relu": {"en": "the bias was added after ReLU", "zh": "偏置在 ReLU 之后才加"},
    "check.what.missing-pool": {"en": "the pooling was left out", "zh": "漏做了池化"},
    "check.what.pool-kind": {"en": "the pooling kind was mixed up", "zh": "池化方式弄混了"},
    "check.what.wrong-pool-size": {"en": "the pooling window has another size", "zh": "池化窗口大小用错了"},
    "check.what.wrong-pool-stride": {"en": "the pooling window moves with another stride", "zh": "池化步长用错了"},
    "check.what.wrong-divisor": {"en": "the sums were divided by a wrong count", "zh": "除数用错了"},
    "check.what.flipped-kernel-axis": {"en": "the kernel was flipped on one axis", "zh": "卷积核被沿一个方向翻转了"},
    "check.what.padding-mode": {"en": "the border was filled another way", "zh": "填充方式用错了"},
    "check.what.wrong-stride": {"en": "another stride was used", "zh": "步长用错了"},
    "check.what.wrong-padding": {"en": "another padding was used", "zh": "填充用错了"},
    "check.what.wrong-dilation": {"en": "another dilation was used", "zh": "膨胀用错了"},
    "check.what.other-input": {"en": "another problem's image or kernel was used", "zh": "用了别的题的图像或卷积核"},
    # Chinese names of the pooling kinds (the English sentences use the kind itself)
    "check.pool.max": {"en": "max", "zh": "最大值"},
    "check.pool.mean": {"en": "mean", "zh": "平均值"},
    "check.pool.sum": {"en": "sum", "zh": "和"},
}
