"""The help of every command and option in Chinese, keyed by its English text.

``cli/group.py`` swaps these in while ``--help`` is written under ``--lang zh``;
``tests/test_help_zh.py`` fails when a help text has no translation.
"""

from __future__ import annotations

HELP_ZH: dict[str, str] = {
    "Feature-map calculator and CNN homework checker.\n\n    Computes convolutions, pooling and whole small networks exactly as PyTorch\n    does, checks hand-computed answers cell by cell, and grades folders of\n    submissions. Rows and columns shown are 1-based.\n    ":
        "特征图计算器与 CNN 作业检查工具。\n\n    与 PyTorch 完全一致地计算卷积、池化和完整的小型网络，逐格检查手算答案，并批量评阅整个文件夹的提交。显示的行号和列号从 1 开始。\n    ",
    "Animate the kernel sliding over the image as a GIF (-o conv.gif).\n\n    One frame per output cell: the (padded) input with the sampled cells\n    outlined (a dilated window shows its gaps), the kernel, the products,\n    their sum (and the mean and bias when used), and the output map filling\n    in; a last frame holds the full map, so the GIF has (output cells + 1)\n    frames. A multi-channel image shows every channel and sums over them; a\n    bank of filters animates one (--map). At most 2,500 frames and a padded\n    input of 100 cells a side. Needs Pillow (pip install \"cnncalc[images]\").\n\n    \b\n    Example (the course notes' X, its first feature, averaged):\n      cnncalc animate samples/xo/x.txt samples/xo/k1.txt --norm mean -o conv.gif\n    ":
        "以 GIF 动画展示卷积核在图像上滑动的过程（-o conv.gif）。\n\n    每个输出格一帧：显示（填充后的）输入并框出被采样的格子（膨胀窗口会显示其间隔）、卷积核、逐元素乘积、它们的和（用到时还有均值和偏置），输出特征图随之逐格填充；最后一帧显示完整的特征图，因此 GIF 共有（输出格数 + 1）帧。多通道图像会显示每个通道并对各通道求和；若有一组滤波器，则只展示其中一个（--map）。最多 2,500 帧，填充后的输入每边最多 100 格。需要 Pillow（pip install \"cnncalc[images]\"）。\n\n    \b\n    示例（课程讲义中的 X 与其第一个特征，取平均）：\n      cnncalc animate samples/xo/x.txt samples/xo/k1.txt --norm mean -o conv.gif\n    ",
    "Animate the kernel sliding over IMAGE (GIF).":
        "以动画（GIF）展示卷积核在 IMAGE 上滑动的过程。",
    "INT or H,W (default 1).":
        "INT 或 H,W（默认 1）。",
    "INT, H,W, same (stride 1) or valid (default 0).":
        "INT、H,W、same（步幅为 1）或 valid（默认 0）。",
    "sum as nn.Conv2d, or mean: divide by the filter's cells (C·kh·kw).":
        "sum 与 nn.Conv2d 相同；mean 则除以滤波器的格数（C·kh·kw）。",
    "Added after normalisation: a number or a file with one value per filter.":
        "在归一化之后加上：一个数，或每个滤波器各一个值的文件。",
    "Flip the kernel: true convolution.":
        "翻转卷积核：即真正的卷积。",
    "The picture to write.":
        "要写出的图片。",
    "Decimals written in the cells.":
        "格子中写出的小数位数。",
    "How to cut the decimals.":
        "小数的截取方式。",
    "The title written above the picture.":
        "写在图片上方的标题。",
    "Language of messages: en or zh (default from LANGUAGE, LC_ALL, LC_MESSAGES or LANG).":
        "消息语言：en 或 zh（默认依次取自 LANGUAGE、LC_ALL、LC_MESSAGES 或 LANG）。",
    "Frames per second (the last frame stays at least 2 s).":
        "每秒帧数（最后一帧至少停留 2 秒）。",
    "Also write every frame as DIR/frame-0001.png, ...":
        "同时把每一帧另存为 DIR/frame-0001.png, ...",
    "Which filter to animate, when KERNEL holds several.":
        "KERNEL 含多个滤波器时，要展示哪一个。",
    "Animate conv-transpose: the input spread by the stride, the kernel rotated.":
        "以动画展示转置卷积：输入按步幅展开，卷积核旋转。",
    "With --transposed: extra rows/columns at the bottom/right (default 0).":
        "配合 --transposed：在底部/右侧额外增加的行/列数（默认 0）。",
    "Check a hand-computed ANSWER cell by cell and say why wrong cells are wrong.\n\n    ANSWER is a problem file (image, kernel, '=', answer; '# cnncalc:' directives\n    set options, the command line overrides them), or a matrix file checked\n    against --image/--kernel, --expected KEY or --assignment FILE. A cell is\n    right when it equals the exact value rounded (half-up or half-even) or\n    truncated to the decimals written; exact values need none (\"1\" for 1.00).\n    Exit code 0: all right; 1: something wrong; 2: bad input.\n\n    \b\n    Example (the course notes' homework, with its dropped minus signs):\n      cnncalc check samples/xo/homework.txt --norm mean\n    ":
        "逐格检查手算的 ANSWER，并说明错误的格子错在哪里。\n\n    ANSWER 可以是题目文件（图像、卷积核、'='、答案；'# cnncalc:' 指令用于设置选项，命令行选项优先于它们），也可以是矩阵文件，依据 --image/--kernel、--expected KEY 或 --assignment FILE 进行检查。若某格等于精确值按所写小数位四舍五入（half-up 或 half-even）或截断后的结果，即判为正确；精确值无需写小数（1.00 写作 \"1\" 即可）。退出码 0：全部正确；1：有错误；2：输入有误。\n\n    \b\n    示例（课程讲义中的作业，其中漏掉了负号）：\n      cnncalc check samples/xo/homework.txt --norm mean\n    ",
    "Check a hand-computed answer cell by cell.":
        "逐格检查手算的答案。",
    "The image the answer was computed from (with --kernel).":
        "计算答案所用的图像（与 --kernel 一起使用）。",
    "The kernel (with --image).":
        "卷积核（与 --image 一起使用）。",
    "An answer key: block i of ANSWER is checked against block i of KEY.":
        "标准答案：ANSWER 的第 i 块与 KEY 的第 i 块对照检查。",
    "An assignment TOML file; ANSWER's blocks in problem order.":
        "作业 TOML 文件；ANSWER 中的各块按题目顺序排列。",
    "Apply ReLU after the conv.":
        "卷积后应用 ReLU。",
    "Pool after the conv: KIND:SIZE[:STRIDE].":
        "卷积后进行池化：KIND:SIZE[:STRIDE]。",
    "Fewest decimals a non-exact value may have (default 2, or the file's).":
        "非精确值至少应写的小数位数（默认 2，或取文件中的设置）。",
    "Absolute tolerance: numpy's isclose rule instead of the decimals policy.":
        "绝对容差：改用 numpy 的 isclose 规则，而非小数位规则。",
    "Relative tolerance (with or without --atol).":
        "相对容差（可与 --atol 同用，也可单独使用）。",
    "Add the worked computation of the first N wrong cells of each answer.":
        "为每个答案的前 N 个错误格附上详细计算过程。",
    "Also draw the answer with wrong cells outlined in red (several answers: FILE-1.png, FILE-2.png, ...). Needs Pillow.":
        "同时绘制答案图，错误格以红框标出（多个答案时为 FILE-1.png, FILE-2.png, ...）。需要 Pillow。",
    "Output format (default: table on a terminal, plain when piped, or from the -o suffix).":
        "输出格式（默认：在终端上为 table，通过管道输出时为 plain，或根据 -o 的后缀确定）。",
    "Decimals shown.":
        "显示的小数位数。",
    "How to cut the decimals; truncate writes 7/9 as 0.77.":
        "小数的截取方式；truncate 会把 7/9 写成 0.77。",
    "Write to FILE (atomically) instead of stdout.":
        "写入 FILE（原子写入），而非 stdout。",
    "No colours (NO_COLOR is honoured too).":
        "不使用颜色（也遵循 NO_COLOR）。",
    "Convolve IMAGE with KERNEL (cross-correlation, as torch's conv2d).\n\n    IMAGE with C blocks is C channels. KERNEL with M blocks is M filters for a\n    one-channel image, one filter across the channels when M == C, M/C filters\n    of C blocks each when C divides M, and with --groups G filters of C/G\n    blocks each; .npy and .json may hold a full (out, in/groups, kH, kW) weight.\n\n    \b\n    Example (the sample's X with its first feature):\n      cnncalc conv samples/xo/x.txt samples/xo/k1.txt --norm mean\n    ":
        "用 KERNEL 对 IMAGE 做卷积（互相关，与 torch 的 conv2d 相同）。\n\n    含 C 个块的 IMAGE 即 C 个通道。含 M 个块的 KERNEL：对单通道图像是 M 个滤波器；M == C 时是跨所有通道的一个滤波器；C 整除 M 时是 M/C 个滤波器，每个含 C 个块；使用 --groups G 时，每个滤波器含 C/G 个块；.npy 和 .json 文件可以存放完整的 (out, in/groups, kH, kW) 权重。\n\n    \b\n    示例（样例中的 X 与其第一个特征）：\n      cnncalc conv samples/xo/x.txt samples/xo/k1.txt --norm mean\n    ",
    "Convolve IMAGE with KERNEL (torch's conv2d).":
        "用 KERNEL 对 IMAGE 做卷积（torch 的 conv2d）。",
    "Split channels and filters into groups (groups = C: depthwise).":
        "将通道和滤波器分组（groups = C：逐通道卷积，即 depthwise）。",
    "The fill of --padding-mode constant.":
        "--padding-mode constant 时的填充值。",
    "INT, H,W, L,R,T,B (as F.pad), same (stride 1) or valid (default 0).":
        "INT、H,W、L,R,T,B（同 F.pad）、same（步幅为 1）或 valid（默认 0）。",
    "Transposed convolution of IMAGE with KERNEL (as torch's conv_transpose2d).\n\n    Each input cell stamps the kernel, scaled by its value, into the output at\n    stride steps; overlaps add; --padding cuts that many rows and columns from\n    each border. KERNEL with M blocks on C input channels is M/C output\n    channels per input channel (channel by channel); .npy and .json may hold\n    the full (in, out/groups, kH, kW) weight.\n\n    \b\n    Example (each cell of the 2×2 input stamps the kernel into its own 2×2 block):\n      cnncalc conv-transpose samples/transpose/x.txt samples/transpose/k.txt --stride 2\n    ":
        "用 KERNEL 对 IMAGE 做转置卷积（与 torch 的 conv_transpose2d 相同）。\n\n    每个输入格按步幅间隔，把按其值缩放后的卷积核“印”到输出中；重叠部分相加；--padding 从每条边裁去相应数量的行和列。在 C 个输入通道上，含 M 个块的 KERNEL 表示每个输入通道对应 M/C 个输出通道（逐通道计算）；.npy 和 .json 文件可以存放完整的 (in, out/groups, kH, kW) 权重。\n\n    \b\n    示例（2×2 输入的每个格子把卷积核印到各自的 2×2 区块中）：\n      cnncalc conv-transpose samples/transpose/x.txt samples/transpose/k.txt --stride 2\n    ",
    "Transposed convolution of IMAGE with KERNEL.":
        "用 KERNEL 对 IMAGE 做转置卷积。",
    "Cut from each border: INT or H,W (default 0).":
        "从每条边裁去的行列数：INT 或 H,W（默认 0）。",
    "Extra rows/columns at the bottom/right, below max(stride, dilation) (default 0).":
        "在底部/右侧额外增加的行/列数，须小于 max(stride, dilation)（默认 0）。",
    "Split the input channels and the output channels into groups.":
        "将输入通道和输出通道分组。",
    "A number or a file with one value per output channel.":
        "一个数，或每个输出通道各一个值的文件。",
    "List the input cells and kernel taps that reach output cell ROW,COL (1-based).":
        "列出影响输出格 ROW,COL（从 1 开始）的输入格和卷积核元素。",
    "With --explain: which output channel.":
        "配合 --explain：指定哪个输出通道。",
    "Draw the maps of INPUT as a PNG heat map (-o map.png).\n\n    Several blocks (channels, filters' maps) are drawn side by side on one\n    diverging scale: negative blue, positive red, zero white. Each cell holds\n    its value at --precision; rows and columns are labelled from 1. Big maps\n    get smaller cells, without numbers once they no longer fit. Needs Pillow\n    (pip install \"cnncalc[images]\").\n\n    \b\n    Example (a conv result, piped):\n      cnncalc conv samples/xo/x.txt samples/xo/k1.txt --norm mean --format plain | cnncalc draw - -o map.png\n    ":
        "将 INPUT 中的特征图绘制为 PNG 热图（-o map.png）。\n\n    多个块（各通道、各滤波器的特征图）并排绘制，使用同一个发散色标：负值为蓝，正值为红，零为白。每格按 --precision 显示其数值；行和列从 1 开始标号。较大的特征图格子会变小，放不下时不再显示数字。需要 Pillow（pip install \"cnncalc[images]\"）。\n\n    \b\n    示例（通过管道传入卷积结果）：\n      cnncalc conv samples/xo/x.txt samples/xo/k1.txt --norm mean --format plain | cnncalc draw - -o map.png\n    ",
    "Draw maps as a PNG heat map.":
        "将特征图绘制为 PNG 热图。",
    "Maps per row before wrapping.":
        "每行显示的特征图数，超出则换行。",
    "Show how one output cell of conv IMAGE KERNEL is computed.\n\n    The receptive field is highlighted in the (padded) image, then come the\n    kernel, the element-wise products, their sum, the normalization and the\n    value, as the course notes walk through cell (1, 1).\n\n    \b\n    Example:\n      cnncalc explain samples/xo/x.txt samples/xo/k1.txt --at 1,1 --norm mean\n    ":
        "展示 conv IMAGE KERNEL 的某个输出格是如何计算的。\n\n    先在（填充后的）图像中高亮感受野，随后依次给出卷积核、逐元素乘积、它们的和、归一化以及结果值，与课程讲义讲解格 (1, 1) 的过程一致。\n\n    \b\n    示例：\n      cnncalc explain samples/xo/x.txt samples/xo/k1.txt --at 1,1 --norm mean\n    ",
    "Show how one output cell of conv is computed.":
        "展示卷积的某个输出格是如何计算的。",
    "The output cell, 1-based (e.g. 1,1).":
        "输出格，从 1 开始（如 1,1）。",
    "Which filter, when KERNEL holds several.":
        "KERNEL 含多个滤波器时，指定哪一个。",
    "Grade a folder of submissions against an assignment; write a gradebook,\n    feedback for every student and a class summary.\n\n    A submission is one file per student (alice.txt: the id is the stem) or\n    one folder per student (the id is the folder name), holding the answers as\n    blocks in problem order or as a problem file. Statuses: ok, partial,\n    malformed, empty, missing, too-large, unreadable; one bad submission never\n    stops the batch, and the exit code is 0 when the batch finished. Rerunning\n    gives the same bytes; submissions are never modified. --pictures adds a\n    marked PNG of each wrong answer beside the feedback file, linked from it.\n    --gradebook canvas|moodle|gradescope|csv writes files those platforms import\n    unedited; --html writes report/index.html (one page per student too).\n\n    \b\n    Example:\n      cnncalc grade samples/xo/class --assignment samples/xo/assignment.toml --roster samples/xo/roster.csv\n      cnncalc grade samples/xo/class --assignment samples/xo/assignment.toml --pictures\n      cnncalc grade samples/classroom/submissions --assignment samples/classroom/made/variants.json --roster samples/classroom/roster.csv --gradebook canvas --html\n    ":
        "依据作业评阅一个文件夹中的提交；写出成绩册、每位学生的反馈和全班汇总。\n\n    每位学生的提交可以是一个文件（alice.txt：学号取文件名主干）或一个文件夹（学号即文件夹名），其中的答案按题目顺序分块书写，或写成题目文件。状态：ok、partial、malformed、empty、missing、too-large、unreadable；单份有问题的提交不会中断整批评阅，整批完成时退出码为 0。重复运行会得到逐字节相同的结果；提交文件绝不会被修改。--pictures 会在反馈文件旁为每个错误答案生成一张带标记的 PNG，并在反馈中附上链接。--gradebook canvas|moodle|gradescope|csv 写出这些平台无需编辑即可导入的文件；--html 写出 report/index.html（每位学生另有一页）。\n\n    \b\n    示例：\n      cnncalc grade samples/xo/class --assignment samples/xo/assignment.toml --roster samples/xo/roster.csv\n      cnncalc grade samples/xo/class --assignment samples/xo/assignment.toml --pictures\n      cnncalc grade samples/classroom/submissions --assignment samples/classroom/made/variants.json --roster samples/classroom/roster.csv --gradebook canvas --html\n    ",
    "Grade a folder of submissions; write reports.":
        "评阅一个文件夹中的提交并写出报告。",
    "The assignment TOML file (paths in it are relative to it), or the variants.json written by `cnncalc make` (each student checked against their own variant).":
        "作业 TOML 文件（其中的路径相对于该文件），或由 `cnncalc make` 写出的 variants.json（每位学生按其各自的变体检查）。",
    "Report folder (never inside FOLDER): grades.csv, grades.json, summary.md, feedback/.":
        "报告文件夹（不能位于 FOLDER 内）：grades.csv、grades.json、summary.md、feedback/。",
    "Regrade one student: rewrite only their row, their feedback and the summary.":
        "重新评阅一位学生：只重写其所在行、其反馈和全班汇总。",
    "CSV file with a 'student' column; students without a submission are 'missing'.":
        "含 'student' 列的 CSV 文件；没有提交的学生记为 'missing'。",
    "Submissions larger than this are 'too-large' and never read.":
        "大于此大小的提交记为 'too-large'，不会被读取。",
    "Write feedback/<student>.md for every student.":
        "为每位学生写出 feedback/<student>.md。",
    "Also draw a marked PNG for each wrong answer beside the feedback file (feedback/<student>-<problem>.png, linked from it; needs Pillow).":
        "同时在反馈文件旁为每个错误答案绘制一张带标记的 PNG（feedback/<student>-<problem>.png，并在反馈中附上链接；需要 Pillow）。",
    "Class summary on stdout (default: table on a terminal, plain when piped).":
        "将全班汇总输出到 stdout（默认：在终端上为 table，通过管道输出时为 plain）。",
    "Progress bar on stderr (default: when stderr is a terminal).":
        "在 stderr 上显示进度条（默认：stderr 为终端时显示）。",
    "Also write grades-<KIND>.csv for a learning platform (repeat for several); the roster's columns fill its identifier columns.":
        "同时为学习平台写出 grades-<KIND>.csv（可重复指定以生成多个）；平台的标识列取自名单中的列。",
    "The roster column the Moodle gradebook identifies students by.":
        "Moodle 成绩册用来识别学生的名单列。",
    "Also write the class report web page report/index.html.":
        "同时写出全班报告网页 report/index.html。",
    "Processes to grade on (default: every core from 4,000 submissions on, else 1).":
        "用于评阅的进程数（默认：提交达到 4,000 份时使用全部核心，否则为 1）。",
    "Make homework: per student a sheet (Markdown and printable HTML), its key,\n    and what `grade` needs to check each student against their own variant.\n\n    A problem may give a `random` table instead of files (image_size,\n    image_values, kernel_size, kernel_values, stride, padding, dilation, norm,\n    bias, relu, pooling, stages, min_output) or a preset (easy, medium, hard).\n    Each variant is drawn from the assignment's `seed` and the student id: the\n    same on every machine and release. Grade with\n    `--assignment OUT/variants.json`.\n\n    \b\n    Example:\n      cnncalc make samples/classroom/assignment.toml --roster samples/classroom/roster.csv --out made\n    ":
        "生成作业：为每位学生生成一份作业单（Markdown 和可打印的 HTML）及其答案，以及 `grade` 按各自变体检查每位学生所需的文件。\n\n    题目可以不给文件，而是给一个 `random` 表（image_size, image_values, kernel_size, kernel_values, stride, padding, dilation, norm, bias, relu, pooling, stages, min_output）或一个预设（easy、medium、hard）。每个变体由作业的 `seed` 和学号决定：在任何机器、任何版本上都相同。评阅时使用 `--assignment OUT/variants.json`。\n\n    \b\n    示例：\n      cnncalc make samples/classroom/assignment.toml --roster samples/classroom/roster.csv --out made\n    ",
    "Make homework variants, sheets and keys.":
        "生成作业变体、作业单和答案。",
    "CSV file with a 'student' column: one variant per student (without it, one sheet).":
        "含 'student' 列的 CSV 文件：每位学生一个变体（不提供则只生成一份作业单）。",
    "Folder for sheets/, keys/, variants/ and variants.json.":
        "存放 sheets/、keys/、variants/ 和 variants.json 的文件夹。",
    "Pool INPUT with max, mean or sum windows (as torch's max_pool2d/avg_pool2d).\n\n    \b\n    Example:\n      cnncalc pool samples/xo/x.txt --kind max --size 2\n    ":
        "用 max、mean 或 sum 窗口对 INPUT 做池化（与 torch 的 max_pool2d/avg_pool2d 相同）。\n\n\n\n    \b\n    示例：\n      cnncalc pool samples/xo/x.txt --kind max --size 2\n    ",
    "Pool INPUT with max, mean or sum windows.":
        "用 max、mean 或 sum 窗口对 INPUT 做池化。",
    "Window size: INT or H,W.":
        "窗口大小：INT 或 H,W。",
    "Default: the size.":
        "默认：等于窗口大小。",
    "At most size // 2.":
        "最多为 size // 2。",
    "Max pooling only.":
        "仅用于最大池化。",
    "Round the output size up (PyTorch's rule).":
        "输出尺寸向上取整（PyTorch 的规则）。",
    "Mean pooling: count padded cells in the divisor.":
        "平均池化：除数中计入填充的格子。",
    "Set the negative cells of INPUT to 0 (ReLU).\n\n    \b\n    Example:\n      cnncalc conv samples/xo/x.txt samples/xo/k1.txt --norm mean --format plain | cnncalc relu -\n    ":
        "将 INPUT 中的负值格置为 0（ReLU）。\n\n\n\n    \b\n    示例：\n      cnncalc conv samples/xo/x.txt samples/xo/k1.txt --norm mean --format plain | cnncalc relu -\n    ",
    "Set the negative cells of INPUT to 0 (ReLU).":
        "将 INPUT 中的负值格置为 0（ReLU）。",
    "Run INPUT through a chain of stages and show every stage's output and shape.\n\n    PIPELINE is 'stage | stage | ...' with stages conv(K_FILE, stride=, padding=,\n    dilation=, padding_mode=, padding_value=, groups=, norm=, bias=, flip=),\n    conv_transpose(K_FILE, stride=, padding=, output_padding=, dilation=,\n    groups=, bias=), batchnorm(mean=, var=, weight=, bias=, eps=, momentum=,\n    train=), relu, leaky_relu(SLOPE), sigmoid, tanh, maxpool(K, stride=,\n    padding=, dilation=, ceil_mode=), avgpool/meanpool(K, stride=, padding=,\n    ceil_mode=, count_include_pad=), sumpool(K, ...), adaptive_avgpool(H, W),\n    adaptive_maxpool(H, W), global_avgpool, flatten, linear(W_FILE, B_FILE),\n    softmax. '@FILE' reads the chain from FILE, with file names relative to it.\n    --loss picks the loss of --target (cross-entropy by default).\n\n    \b\n    Examples:\n      cnncalc run samples/xo/x.txt \"conv(samples/xo/k1.txt, norm=mean) | relu | maxpool(2)\"\n      cnncalc run samples/net/x.txt @samples/net/xo-net.txt --target 0\n    ":
        "让 INPUT 依次通过一串层，并显示每一层的输出和形状。\n\n    PIPELINE 写作 'stage | stage | ...'，可用的层有 conv(K_FILE, stride=, padding=, dilation=, padding_mode=, padding_value=, groups=, norm=, bias=, flip=)、conv_transpose(K_FILE, stride=, padding=, output_padding=, dilation=, groups=, bias=)、batchnorm(mean=, var=, weight=, bias=, eps=, momentum=, train=)、relu、leaky_relu(SLOPE)、sigmoid、tanh、maxpool(K, stride=, padding=, dilation=, ceil_mode=)、avgpool/meanpool(K, stride=, padding=, ceil_mode=, count_include_pad=)、sumpool(K, ...)、adaptive_avgpool(H, W)、adaptive_maxpool(H, W)、global_avgpool、flatten、linear(W_FILE, B_FILE)、softmax。'@FILE' 从 FILE 读取层链，其中的文件名相对于该文件。--loss 选择 --target 所用的损失（默认为交叉熵）。\n\n    \b\n    示例：\n      cnncalc run samples/xo/x.txt \"conv(samples/xo/k1.txt, norm=mean) | relu | maxpool(2)\"\n      cnncalc run samples/net/x.txt @samples/net/xo-net.txt --target 0\n    ",
    "Run INPUT through a chain of stages.":
        "让 INPUT 依次通过一串层。",
    "Class index (0-based, as PyTorch) for ce/nll/hinge, or target values (a number or a file) for mse/bce/bce_logits: adds the loss and the prediction.":
        "类别索引（从 0 开始，与 PyTorch 相同），用于 ce/nll/hinge；或目标值（一个数或一个文件），用于 mse/bce/bce_logits：会额外显示损失和预测结果。",
    "The loss, as PyTorch's with its default mean reduction.":
        "损失函数，与 PyTorch 的相同，采用其默认的 mean 归约。",
    "Show only stage N (1-based); plain output is then just that map, ready to paste.":
        "只显示第 N 层（从 1 开始）；此时 plain 输出只有该特征图，可直接粘贴。",
    "Each stage's output shape, parameter count and multiply-adds for an input C×H×W.\n\n    The input is written 1x32x32, 1×32×32 or 32x32 (one channel), or N×C×H×W for a\n    batch. Here conv, conv_transpose and linear take sizes: conv(OUT, K, stride=,\n    padding=, dilation=, groups=, bias=true|false), conv_transpose(OUT, K, stride=,\n    padding=, output_padding=, dilation=, groups=, bias=true|false) and\n    linear(OUT, bias=true|false); the other stages are written as for run.\n    Parameters are counted as PyTorch does; multiply-adds (MACs) as torchinfo's\n    \"Mult-Adds\": each bias counts once per output cell.\n\n    \b\n    Example (the course notes' Net):\n      cnncalc shape 1x32x32 \"conv(6, 3) | relu | maxpool(2) | conv(16, 5) | relu | maxpool(2)\"\n    ":
        "网络每一层在输入为 C×H×W 时的输出形状、参数量和乘加次数。\n\n    输入写作 1x32x32、1×32×32 或 32x32（单通道），批输入则写作 N×C×H×W。这里 conv、conv_transpose 和 linear 接受的是尺寸：conv(OUT, K, stride=, padding=, dilation=, groups=, bias=true|false)、conv_transpose(OUT, K, stride=, padding=, output_padding=, dilation=, groups=, bias=true|false) 和 linear(OUT, bias=true|false)；其他层的写法与 run 相同。参数量按 PyTorch 的方式计数；乘加次数（MACs）按 torchinfo 的 \"Mult-Adds\" 计数：每个偏置在每个输出格计一次。\n\n    \b\n    示例（课程讲义中的 Net）：\n      cnncalc shape 1x32x32 \"conv(6, 3) | relu | maxpool(2) | conv(16, 5) | relu | maxpool(2)\"\n    ",
    "Shapes, parameters and MACs of a network.":
        "网络的形状、参数量和 MACs。",
    "Train the network PIPELINE on INPUT: loss, gradients and optimizer updates.\n\n    Runs the forward pass, the loss (--loss; cross-entropy for class --target\n    by default, −log p when the last stage is softmax), the backward pass\n    through every stage (batchnorm's weight and bias are trained too) and\n    --steps updates with torch.optim's SGD or Adam rules. Shows the loss per\n    step, then each parameter (conv kernels, conv biases given with bias=,\n    linear weights and biases): its value before step 1, its gradient at step 1\n    and its value after the last step. Values show 4 decimals unless\n    --precision says otherwise. PIPELINE is written as for run ('@FILE' too).\n\n    \b\n    Example:\n      cnncalc train-step samples/net/x.txt @samples/net/xo-net.txt --target 0 \\\n        --optimizer sgd --lr 0.1 --explain 1:1:1,1\n    ":
        "在 INPUT 上训练网络 PIPELINE：损失、梯度和优化器更新。\n\n    依次执行前向传播、计算损失（--loss；默认对类别 --target 使用交叉熵，最后一层为 softmax 时为 −log p）、对每一层做反向传播（batchnorm 的权重和偏置也参与训练），并按 torch.optim 的 SGD 或 Adam 规则执行 --steps 次更新。先显示每一步的损失，再显示每个参数（卷积核、用 bias= 给出的卷积偏置、linear 的权重和偏置）：第 1 步之前的值、第 1 步的梯度以及最后一步之后的值。除非 --precision 另有指定，数值显示 4 位小数。PIPELINE 的写法与 run 相同（也支持 '@FILE'）。\n\n    \b\n    示例：\n      cnncalc train-step samples/net/x.txt @samples/net/xo-net.txt --target 0 \\\n        --optimizer sgd --lr 0.1 --explain 1:1:1,1\n    ",
    "Train PIPELINE on INPUT: loss and gradients.":
        "在 INPUT 上训练 PIPELINE：损失和梯度。",
    "The true class, 0-based (as PyTorch), or target values (a number or a file) for mse/bce/bce_logits.":
        "真实类别，从 0 开始（与 PyTorch 相同）；或目标值（一个数或一个文件），用于 mse/bce/bce_logits。",
    "Learning rate.":
        "学习率。",
    "SGD momentum (default 0).":
        "SGD 动量（默认 0）。",
    "Adam B1,B2 (default 0.9,0.999).":
        "Adam 的 B1,B2（默认 0.9,0.999）。",
    "Adam epsilon (default 1e-8).":
        "Adam 的 epsilon（默认 1e-8）。",
    "L2 penalty added to the gradient, as torch.optim.":
        "加到梯度上的 L2 惩罚项，与 torch.optim 相同。",
    "Optimizer steps (at most 10,000); each recomputes the loss and the gradients.":
        "优化器步数（最多 10,000）；每一步都会重新计算损失和梯度。",
    "Write the updated parameters and pipeline.txt (for run @DIR/pipeline.txt).":
        "写出更新后的参数和 pipeline.txt（供 run @DIR/pipeline.txt 使用）。",
    "Show the products behind dL/dw of one weight cell at step 1: STAGE:ROW,COL, or STAGE:BLOCK:ROW,COL for a kernel of several blocks.":
        "显示第 1 步时某个权重格的 dL/dw 背后的乘积：STAGE:ROW,COL；若卷积核含多个块，则为 STAGE:BLOCK:ROW,COL。",
    "Show the version and exit.":
        "显示版本并退出。",
}
