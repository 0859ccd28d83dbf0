"""Sentences about class summaries and feedback names in both languages.

The names of statuses and mistake labels a reader sees (``classzh.status.<status>``,
``classzh.label.<label>``): English keeps the stable key itself, which is also the
value in ``grades.json``/``grades.csv``; Chinese has a word. The facts about student
ids a teacher needs (not on the roster, no submission, an id written with a formula
guard) are here too.
"""

_STATUSES = {
    "ok": "正常",
    "partial": "部分作答",
    "malformed": "格式错误",
    "empty": "空白",
    "missing": "未提交",
    "too-large": "文件过大",
    "unreadable": "无法读取",
}

_LABELS = {
    # per-cell causes
    "sign": "正负号错误",
    "rounding": "舍入错误",
    "too-few-decimals": "小数位数不足",
    "arithmetic": "计算错误",
    # the mistake model's labels
    "normalization": "和与平均值混淆",
    "flipped-kernel": "卷积核翻转",
    "transposed": "答案转置",
    "shifted": "窗口错位",
    "missing-relu": "漏做 ReLU",
    "wrong-stride": "步长错误",
    "wrong-padding": "填充圈数错误",
    "wrong-dilation": "膨胀率错误",
    "swapped-answers": "答案顺序错位",
    "missing-bias": "漏加偏置",
    "double-bias": "偏置加了两次",
    "negated-bias": "偏置被减去",
    "bias-after-relu": "ReLU 之后才加偏置",
    "extra-relu": "多做了 ReLU",
    "missing-pool": "漏做池化",
    "pool-kind": "池化方式错误",
    "wrong-pool-size": "池化窗口大小错误",
    "wrong-pool-stride": "池化步长错误",
    "stage-order": "步骤顺序颠倒",
    "wrong-divisor": "除数错误",
    "flipped-kernel-axis": "卷积核单向翻转",
    "transposed-kernel": "卷积核转置",
    "transposed-image": "图像转置",
    "reversed-rows": "行序颠倒",
    "reversed-cols": "列序颠倒",
    "padding-value": "填充值错误",
    "padding-mode": "填充方式错误",
    "cropped": "少算了窗口",
    "extended": "多算了窗口",
    "other-input": "用错了输入",
    "unfilled": "未填写（全为 0）",
}

CLASSZH: dict[str, dict[str, str]] = {
    **{f"classzh.status.{k}": {"en": k, "zh": v} for k, v in _STATUSES.items()},
    **{f"classzh.label.{k}": {"en": k, "zh": v} for k, v in _LABELS.items()},
    # a pair of mistakes ("wrong-pool-stride+cropped")
    "classzh.pair": {"en": "{first}+{second}", "zh": "{first}＋{second}"},
    "classzh.more": {"en": "{names}, … ({count} in all)", "zh": "{names} 等（共 {count} 人）"},
    # facts about ids: the summary, the HTML report, the csv gradebook's notes
    "classzh.h_ids": {"en": "Student ids", "zh": "学号"},
    "classzh.not_on_roster": {"en": "not on the roster", "zh": "不在名单上"},
    "classzh.ids_not_on_roster": {
        "en": "Not on the roster, graded by their file name ({count}): {names}",
        "zh": "不在名单上、按文件名评分的提交（{count} 份）：{names}",
    },
    "classzh.ids_no_submission": {
        "en": "On the roster, nothing handed in ({count}): {names}",
        "zh": "在名单上但没有提交（{count} 人）：{names}",
    },
    "classzh.ids_guarded": {
        "en": "Ids that look like a formula, written with a leading ' in the CSV files so that a spreadsheet "
              "never runs them; a platform will not match them as written ({count}): {names}",
        "zh": "开头像公式的学号，在 CSV 文件中前面加了 '，电子表格才不会把它们当成公式运行；"
              "导入平台时不会按原样匹配（{count} 个）：{names}",
    },
    # gradebook warnings
    "classzh.gb_not_on_roster": {
        "en": "{student}: not on the roster (a submission of this id was graded); check the id before importing",
        "zh": "{student}：不在名单上（按这个学号评了一份提交）；导入前请核对学号",
    },
    "classzh.gb_guarded": {
        "en": "{student}: the {column} looks like a formula and was written with a leading '; "
              "{platform} will not match it as written",
        "zh": "{student}：“{column}”看起来像公式，已在前面加 '；{platform} 不会按原样匹配它",
    },
    "classzh.gb_guarded_any": {
        "en": "{student}: the {column} looks like a formula and was written with a leading '; "
              "a platform will not match it as written",
        "zh": "{student}：“{column}”看起来像公式，已在前面加 '；导入平台时不会按原样匹配它",
    },
    "classzh.col.email": {"en": "email address", "zh": "邮箱"},
    "classzh.col.idnumber": {"en": "id number", "zh": "学号（idnumber）"},
    "classzh.col.username": {"en": "username", "zh": "用户名"},
    "classzh.col.student": {"en": "student id", "zh": "学号"},
    "classzh.col.name": {"en": "name", "zh": "姓名"},
    "classzh.col.sis_user_id": {"en": "SIS User ID", "zh": "SIS User ID"},
    "classzh.col.sis_login_id": {"en": "SIS Login ID", "zh": "SIS Login ID"},
    # make's sheets: a problem's heading, the pooling kinds
    "classzh.sheet_heading": {"en": "{name} ({points})", "zh": "{name}（{points}）"},
    "classzh.pool.max": {"en": "max", "zh": "最大"},
    "classzh.pool.mean": {"en": "mean", "zh": "平均"},
    "classzh.pool.avg": {"en": "avg", "zh": "平均"},
    "classzh.pool.sum": {"en": "sum", "zh": "求和"},
    # the HTML report
    "classzh.html.roster": {"en": "Student ids", "zh": "学号"},
    "classzh.html.student_of": {"en": "{student}: {note}", "zh": "{student}：{note}"},
    "classzh.html.cell_label": {"en": "{cell}: {what}", "zh": "{cell}：{what}"},
}
