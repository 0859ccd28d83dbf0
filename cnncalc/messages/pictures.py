"""Sentences of the pictures: heat maps, marked answers, animations."""

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
        "en": "there is no filter {value}: the kernel holds {filters} filters (map 1 to {filters})",
        "en_one": "there is no filter {value}: the kernel holds 1 filter (map 1)",
        "one_of": "filters",
        "zh": "没有第 {value} 个滤波器：卷积核只有 {filters} 个滤波器（map 取 1 到 {filters}）",
    },
    "pictures.bad_suffix": {
        "en": "{path}: {option} must name a {suffix} file",
        "zh": "{path}：{option} 必须是 {suffix} 文件",
    },
    "pictures.warning": {"en": "Warning: {warning}", "zh": "警告：{warning}"},
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
