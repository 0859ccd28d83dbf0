"""Sentences about make's sheets, keys and its output folder."""

MAKING: dict[str, dict[str, str]] = {
    # make's --out is written as one set (grade/reportset.py, words="making")
    "making.out_not_folder": {
        "en": "{path} exists and is not a folder: choose another --out",
        "zh": "{path} 已存在且不是文件夹：请换一个 --out",
    },
    "making.out_foreign": {
        "en": "{path} is not empty and is not a folder cnncalc make wrote (no {manifest}): cnncalc never "
              "replaces files it did not write. If it is the output of an older make, remove the folder; "
              "otherwise choose another --out (nothing was changed)",
        "zh": "{path} 不是空文件夹，也不是 cnncalc make 写出的文件夹（没有 {manifest}）：cnncalc 从不替换"
              "不是它写的文件。如果它是旧版 make 的输出，请删除该文件夹；否则请换一个 --out（未做任何改动）",
    },
    "making.out_not_ours": {
        "en": "{path} was not written by cnncalc make (the folder's manifest does not list it): "
              "move it away or choose another --out (nothing was changed)",
        "zh": "{path} 不是 cnncalc make 写的（文件夹的清单里没有它）：请把它移走或换一个 --out（未做任何改动）",
    },
    "making.out_changed": {
        "en": "{path} was changed after cnncalc make wrote it (a key edited by hand?): move it away "
              "or choose another --out (nothing was changed)",
        "zh": "{path} 在 cnncalc make 写出之后被修改过（手工改过答案？）：请把它移走或换一个 --out（未做任何改动）",
    },
    "making.out_locked": {
        "en": "{path} is locked by another cnncalc run (waited {seconds} s); try again when it has finished",
        "zh": "{path} 已被另一个 cnncalc 进程锁定（已等待 {seconds} 秒）；请在它结束后再试",
    },
    "making.out_write_failed": {
        "en": "the homework could not be written into {path} ({reason}); the folder is unchanged",
        "zh": "无法把作业写入 {path}（{reason}）；该文件夹保持不变",
    },
    # the source assignment (said after "file:line: ", as grade says an assignment's errors)
    "making.bad_random": {"en": "problem {number}: 'random' must be a table",
                          "zh": "第 {number} 题：'random' 必须是一个表"},
    "making.random_and_files": {"en": "problem {number}: give 'random' or image/kernel/settings, not both",
                                "zh": "第 {number} 题：'random' 与 image/kernel/设置只能给其一"},
    "making.need_seed": {"en": "an assignment with random problems needs a whole-number or text 'seed'",
                         "zh": "含随机题目的作业需要一个整数或文本 'seed'"},
    # roster ids that cannot name the file a student hands in
    "making.bad_id": {
        "en": "{file}:{line}: student {student} cannot be a file name ({why}): "
              "the sheet could not say which file to hand in; change the id in the roster",
        "zh": "{file}:{line}：学号 {student} 不能用作文件名（{why}）：作业纸无法说明该交哪个文件；请在名单里修改这个学号",
    },
    "making.why_empty": {"en": "it is empty", "zh": "它是空的"},
    "making.why_slash": {"en": "it holds a / or \\", "zh": "其中有 / 或 \\"},
    "making.why_control": {"en": "it holds a control character such as a line break",
                           "zh": "其中有换行之类的控制字符"},
    "making.why_dot": {"en": "it starts with a dot, so grade would skip the file as hidden",
                       "zh": "它以点开头，grade 会把该文件当作隐藏文件跳过"},
    "making.why_long": {"en": "it is longer than a file name can be", "zh": "它比文件名允许的长度还长"},
    "making.out_other": {
        "en": "{path} was written by {other}, not by cnncalc make: make never replaces it; choose another --out (nothing was changed)",
        "zh": "{path} 是 {other} 写的，不是 cnncalc make 写的：make 不会替换它；请换一个 --out（未做任何改动）",
    },
}
