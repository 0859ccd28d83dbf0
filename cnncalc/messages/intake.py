"""Sentences about what grade finds in a submissions folder."""

INTAKE: dict[str, dict[str, str]] = {
    # one id, several entries in the submissions folder (bob.csv and bob.txt): none is graded
    "intake.several_files": {
        "en": "handed in {count} files: {names}; keep one and regrade with --only {student}",
        "zh": "交了 {count} 个文件：{names}；请只保留一个，再用 --only {student} 重新评分",
    },
    # inside one student's folder
    "intake.several_answer_files": {
        "en": "{count} files of the folder ({names}) each hold every answer (two copies?); "
        "keep one and regrade with --only {student}",
        "zh": "文件夹里有 {count} 个文件（{names}）各自都有全部答案（交了两份？）；请只保留一个，再用 --only {student} 重新评分",
    },
    "intake.too_deep": {
        "en": "skipped: a folder nested more than 4 levels deep in the student's folder (not read)",
        "zh": "已跳过：学生文件夹里嵌套超过 4 层的文件夹（未读取）",
    },
    "intake.seen_twice": {
        "en": "skipped: a symlink back to a folder already being read (not read twice)",
        "zh": "已跳过：指回正在读取的文件夹的符号链接（不重复读取）",
    },
    # a submission's id that the roster lacks, but a roster id with nothing handed in
    # differs from it only in case, surrounding spaces or character width
    "intake.near_roster": {
        "en": "not on the roster; did you mean {match}, who handed in nothing?",
        "zh": "不在名单上；是不是名单上没有提交的 {match}？",
    },
    # facts about the class, one line each (summary, summary.md, the HTML report)
    "intake.ids_several_files": {
        "en": "Several files under one id, none of them graded (keep one, then regrade with --only ID) "
              "({count}): {names}",
        "zh": "同一学号交了多个文件，都未评分（请只保留一个，再用 --only 学号 重新评分）（{count} 人）：{names}",
    },
    "intake.ids_near_roster": {
        "en": "Not on the roster, but a roster id with nothing handed in differs only in case, spaces or "
              "character width (rename the file, then grade again) ({count}): {names}",
        "zh": "不在名单上，但与名单上没有提交的学号只差大小写、空格或全角半角（请改正文件名后重新评分）"
              "（{count} 份）：{names}",
    },
    "intake.ids_hidden": {
        "en": "Not graded: hidden names (starting with a dot) in the submissions folder ({count}): {names}",
        "zh": "未评分：提交文件夹中以点开头的隐藏文件（{count} 个）：{names}",
    },
    # gradebook warnings, one line per gradebook and reason
    "intake.gb_several_files": {
        "en": "{student}: handed in {count} files ({names}), none graded, so the score is 0; keep one and "
              "regrade with --only {student} before importing",
        "zh": "{student}：交了 {count} 个文件（{names}），都未评分，所以得分为 0；导入前请只保留一个，"
              "再用 --only {student} 重新评分",
    },
    "intake.gb_several_files_many": {
        "en": "{count} students handed in several files, none graded, so their score is 0; keep one each and "
              "regrade with --only before importing: {names}",
        "zh": "{count} 名学生交了多个文件，都未评分，所以得分为 0；导入前请每人只保留一个，再用 --only 重新评分："
              "{names}",
    },
    "intake.gb_near_roster": {
        "en": "{student}: not on the roster; did you mean {match}, who handed in nothing? Rename the file "
              "and grade again before importing",
        "zh": "{student}：不在名单上；是不是名单上没有提交的 {match}？导入前请改正文件名并重新评分",
    },
    "intake.gb_near_roster_many": {
        "en": "{count} submissions are not on the roster, but a roster id with nothing handed in differs only "
              "in case, spaces or character width; rename the files and grade again before importing: {names}",
        "zh": "{count} 份提交不在名单上，但与名单上没有提交的学号只差大小写、空格或全角半角；"
              "导入前请改正文件名并重新评分：{names}",
    },
    "intake.gb_not_on_roster_many": {
        "en": "{count} submissions are not on the roster (each was graded by its file name); check the ids "
              "before importing: {names}",
        "zh": "{count} 份提交不在名单上（按文件名评分）；导入前请核对学号：{names}",
    },
    "intake.gb_no_canvas_id_many": {
        "en": "{count} students have no Canvas ID, SIS User ID or SIS Login ID; Canvas can only match their "
              "names: {names}",
        "zh": "{count} 名学生没有 Canvas ID、SIS User ID 或 SIS Login ID；Canvas 只能按姓名匹配：{names}",
    },
    "intake.gb_no_moodle_id_many": {
        "en": "{count} students have no {column} in the roster; their rows are left out: {names}",
        "zh": "{count} 名学生在名单中没有{column}；这些行未写入：{names}",
    },
    "intake.gb_no_email_many": {
        "en": "{count} students have no email in the roster; Gradescope matches students by email: {names}",
        "zh": "{count} 名学生在名单中没有邮箱；Gradescope 按邮箱匹配学生：{names}",
    },
    "intake.gb_guarded_many": {
        "en": "{count} students: the {column} looks like a formula and was written with a leading '; "
              "{platform} will not match it as written: {names}",
        "zh": "{count} 名学生的“{column}”看起来像公式，已在前面加 '；{platform} 不会按原样匹配：{names}",
    },
    "intake.gb_guarded_any_many": {
        "en": "{count} students: the {column} looks like a formula and was written with a leading '; "
              "a platform will not match it as written: {names}",
        "zh": "{count} 名学生的“{column}”看起来像公式，已在前面加 '；导入平台时不会按原样匹配：{names}",
    },
    # the report folder would hold the submissions (--out .)
    "intake.out_holds_folder": {
        "en": "--out {out} contains the submissions folder {folder}, but the report folder is replaced as a "
              "whole on every run; give the report a folder of its own, e.g. --out grading-report",
        "zh": "--out {out} 包含提交文件夹 {folder}，而每次评分都会整体替换报告文件夹；"
              "请给报告单独一个文件夹，例如 --out grading-report",
    },
    "grade.out_other": {
        "en": "{path} was written by {other}, not by cnncalc grade: a report never replaces it; choose another --out (nothing was changed)",
        "zh": "{path} 是 {other} 写的，不是 cnncalc grade 写的：评阅报告不会替换它；请换一个 --out（未做任何改动）",
    },
}
