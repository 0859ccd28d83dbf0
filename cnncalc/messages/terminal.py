"""Sentences about tables on narrow terminals."""

TERMINAL: dict[str, dict[str, str]] = {
    # above each block of a grid too wide for the terminal, shown in blocks of columns
    "table.columns": {
        "en": "columns {first}–{last} of {total}",
        "zh": "第 {first}–{last} 列（共 {total} 列）",
    },
    "table.column": {
        "en": "column {first} of {total}",
        "zh": "第 {first} 列（共 {total} 列）",
    },
}
