"""Sentences of batch grading: statuses, feedback, the class summary."""

GRADE: dict[str, dict[str, str]] = {
    # submissions that cannot be read (the caller prefixes the entry's name)
    "grade.symlink_out": {
        "en": "a symlink that leaves the submissions folder (not followed)",
        "zh": "指向提交文件夹之外的符号链接（不跟随）",
    },
    "grade.broken_link": {
        "en": "a broken or looping symlink",
        "zh": "损坏或循环的符号链接",
    },
    "grade.not_regular": {
        "en": "not a regular file (a FIFO, socket or device is never opened)",
        "zh": "不是普通文件（FIFO、套接字或设备文件一律不打开）",
    },
    "grade.cannot_list": {"en": "the folder cannot be listed", "zh": "无法列出该文件夹"},
    "grade.too_many_files": {
        "en": "skipped: a student's folder is read up to 64 files",
        "zh": "已跳过：每个学生的文件夹最多读取 64 个文件",
    },
    "grade.too_slow": {
        "en": "reading it took more than {seconds:g} s, the limit for one submission",
        "zh": "读取它用了超过 {seconds:g} 秒，超过了单份提交的上限",
    },
    "grade.too_many_blocks": {
        "en": "{count:,} blocks of numbers, over the limit of {limit:,} for one submission",
        "zh": "共 {count:,} 个数字块，超过单份提交的上限 {limit:,}",
    },
    "grade.duplicate": {
        "en": "duplicate: another file of this student has the same name in another Unicode form; only the first was read",
        "zh": "重复：该学生的另一个文件名字相同（Unicode 形式不同）；只读取了第一个",
    },
    "grade.empty_folder": {"en": "the folder holds no files", "zh": "文件夹里没有文件"},
    "grade.cannot_open": {"en": "cannot be read ({reason})", "zh": "无法读取（{reason}）"},
    "grade.too_large": {
        "en": "{size} bytes, over the limit of {limit} bytes (not read)",
        "zh": "{size} 字节，超过上限 {limit} 字节（未读取）",
    },
    "grade.no_numbers": {"en": "the submission holds no numbers", "zh": "提交内容里没有数字"},
    "grade.partial": {
        "en": "{count} problems not answered: {names}",
        "en_one": "1 problem not answered: {names}",
        "zh": "有 {count} 道题没有作答：{names}",
    },
    "grade.extra_blocks": {
        "en": "{count} blocks after the last answer were not graded",
        "en_one": "1 block after the last answer was not graded",
        "zh": "最后一个答案之后还有 {count} 个矩阵块，未评分",
    },
    "grade.missing": {"en": "on the roster but nothing was handed in", "zh": "在名单上，但没有提交"},
    # command errors
    "grade.roster_column": {
        "en": "{path}: the roster must be a CSV file with a 'student' column",
        "zh": "{path}：名单必须是带 “student” 列的 CSV 文件",
    },
    "grade.not_a_folder": {"en": "{path} is not a folder", "zh": "{path} 不是文件夹"},
    "grade.out_inside": {
        "en": "the report folder {out} must not be inside the submissions folder {folder} (submissions are never modified); choose another --out",
        "zh": "报告文件夹 {out} 不能位于提交文件夹 {folder} 之内（提交内容永不修改）；请换一个 --out",
    },
    "grade.out_foreign": {
        "en": "{path} is not empty and is not a cnncalc report folder (no {manifest}): cnncalc never replaces files it did not write; choose another --out (nothing was changed)",
        "zh": "{path} 不是空文件夹，也不是 cnncalc 的报告文件夹（没有 {manifest}）：cnncalc 从不替换不是它写的文件；请换一个 --out（未做任何改动）",
    },
    "grade.out_not_folder": {
        "en": "{path} exists and is not a folder: choose another --out",
        "zh": "{path} 已存在且不是文件夹：请换一个 --out",
    },
    "grade.out_not_ours": {
        "en": "{path} was not written by cnncalc (its report folder's manifest does not list it): move it away or choose another --out (nothing was changed)",
        "zh": "{path} 不是 cnncalc 写的（报告文件夹的清单里没有它）：请把它移走或换一个 --out（未做任何改动）",
    },
    "grade.out_changed": {
        "en": "{path} was changed after cnncalc wrote it: move it away or choose another --out (nothing was changed)",
        "zh": "{path} 在 cnncalc 写出之后被修改过：请把它移走或换一个 --out（未做任何改动）",
    },
    "grade.out_locked": {
        "en": "{path} is locked by another grading run (waited {seconds} s); try again when it has finished",
        "zh": "{path} 已被另一个评分进程锁定（已等待 {seconds} 秒）；请在它结束后再试",
    },
    "grade.out_write_failed": {
        "en": "the report could not be written into {path} ({reason}); the previous report is unchanged",
        "zh": "无法把报告写入 {path}（{reason}）；之前的报告保持不变",
    },
    "grade.only_no_report": {
        "en": "--only regrades one student of an earlier report, but {path} does not exist: grade the whole class first",
        "zh": "--only 只重评已有报告中的一名学生，但 {path} 不存在：请先评全班",
    },
    "grade.only_bad_report": {
        "en": "{path} is not a cnncalc gradebook ({reason}): grade the whole class again",
        "zh": "{path} 不是 cnncalc 成绩单（{reason}）：请重新评全班",
    },
    "grade.only_other_assignment": {
        "en": "{path} was made for another version of the assignment: grade the whole class again",
        "zh": "{path} 是按另一版本的作业生成的：请重新评全班",
    },
    "grade.only_unknown": {
        "en": "no submission, roster entry or report row for student {student!r}",
        "zh": "找不到学生 “{student}” 的提交、名单条目或成绩行",
    },
    "grade.max_bytes": {"en": "--max-bytes must be at least 1", "zh": "--max-bytes 至少为 1"},
    # reports
    "grade.summary_title": {"en": "Class summary: {title}", "zh": "全班总结：{title}"},
    "grade.h_statuses": {"en": "Submissions", "zh": "提交情况"},
    "grade.h_scores": {"en": "Scores", "zh": "分数"},
    "grade.h_histogram": {"en": "Score histogram (% of the maximum)", "zh": "分数分布（占满分的百分比）"},
    "grade.h_cells": {"en": "Most often wrong cells", "zh": "最常出错的格子"},
    "grade.h_diagnoses": {"en": "Most common mistakes", "zh": "最常见的错误"},
    "grade.col_status": {"en": "status", "zh": "状态"},
    "grade.col_students": {"en": "students", "zh": "人数"},
    "grade.col_cell": {"en": "cell (row, col)", "zh": "格子（行, 列）"},
    "grade.col_expected": {"en": "expected", "zh": "正确值"},
    "grade.col_written": {"en": "written", "zh": "所写"},
    "grade.col_cause": {"en": "cause", "zh": "原因"},
    "grade.col_wrong_in": {"en": "wrong in", "zh": "出错人数"},
    "grade.col_problem": {"en": "problem", "zh": "题目"},
    "grade.col_mistakes": {"en": "mistakes", "zh": "错误类型"},
    "grade.col_often_wrong": {"en": "often wrong", "zh": "常错格子"},
    "grade.col_answers": {"en": "answers", "zh": "答案数"},
    "grade.col_all_right": {"en": "all right", "zh": "全对"},
    "grade.total": {"en": "total", "zh": "合计"},
    "grade.map": {"en": "map {index}", "zh": "特征图 {index}"},
    "grade.score_line": {
        "en": "{count} submissions: mean {mean}, median {median}, min {min}, max {max} (out of {max_score}).",
        "en_one": "1 submission: mean {mean}, median {median}, min {min}, max {max} (out of {max_score}).",
        "zh": "{count} 份提交：平均 {mean}，中位数 {median}，最低 {min}，最高 {max}（满分 {max_score}）。",
    },
    "grade.no_scores": {"en": "No submission was graded.", "zh": "没有可评分的提交。"},
    "grade.problem_line": {
        "en": "{answered} answered: {right} fully right, {shape} with a wrong shape.",
        "zh": "{answered} 人作答，{right} 人全对，{shape} 人形状错误。",
    },
    "grade.feedback_title": {"en": "{title}: feedback for {student}", "zh": "{title}：{student} 的反馈"},
    "grade.feedback_score": {
        "en": "Score: **{score} / {max_score}** (status: {status})",
        "zh": "得分：**{score} / {max_score}**（状态：{status}）",
    },
    "grade.fb_unanswered": {"en": "Not answered.", "zh": "未作答。"},
    "grade.fb_right": {"en": "Every cell is right.", "zh": "每个格子都对。"},
    "grade.fb_shape": {
        "en": "The answer is {got} but the result is {expected}: no cell can be checked.",
        "zh": "答案的形状是 {got}，但结果应为 {expected}：无法逐格检查。",
    },
    "grade.fb_shape_hint": {
        "en": "Your shape is what {hint} gives.",
        "zh": "你的答案的形状正是用 {hint} 计算时得到的形状。",
    },
    "grade.fb_wrong_count": {"en": "{wrong} of {cells} cells wrong.", "zh": "{cells} 个格子中有 {wrong} 个错误。"},
    # terminal
    "grade.progress_read": {"en": "reading", "zh": "读取"},
    "grade.progress_check": {"en": "checking", "zh": "检查"},
    "grade.progress_write": {"en": "writing", "zh": "写入"},
    "grade.reports_written": {"en": "Reports written to {path}", "zh": "报告已写入 {path}"},
    # grade --pictures
    "grade.pictures_no_feedback": {
        "en": "--pictures draws the pictures of the feedback files; it cannot go with --no-feedback",
        "zh": "--pictures 为反馈文件绘制图片，不能与 --no-feedback 同时使用",
    },
}
