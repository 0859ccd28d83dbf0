"""Click's own words -- usage errors, help headings, "[default: ...]" -- in the
language of ``--lang`` (or the locale).

click marks its strings with gettext: each of its modules does
``from gettext import gettext as _`` (and ``ngettext``) at import, and so reads
the process-wide default domain ``messages``. Serving that domain the standard
way would mean shipping compiled ``.mo`` files, claiming a domain shared with
every other library in the process, and setting ``LANGUAGE`` in ``os.environ``
to follow ``--lang``. Instead cnncalc rebinds those two names in click's modules
(only where they are still the standard library's functions) to a lookup in the
catalogue below, made at call time in the language chosen. A click that stops
using them simply stays English.

>>> translate("Usage:", "zh"), translate("Usage:", "en"), translate("never seen", "zh")
('用法:', 'Usage:', 'never seen')
"""

from __future__ import annotations

import gettext as _gettext
import importlib
from collections.abc import Callable

# English msgid (as in click 8.2-8.5) -> Chinese. Fields stay as click fills them.
CLICK_ZH: dict[str, str] = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Error": "Error",  # scripts look for "Error:", as in messages.CORE
    "Error: {message}": "Error: {message}",
    "Try '{command} {option}' for help.": "用 '{command} {option}' 查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option: {name}": "没有选项：{name}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "{value!r} is not one of {choices}.": "{value!r} 不在可选值 {choices} 之中。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid integer.": "{value!r} 不是有效的整数。",
    "{value!r} is not a valid float.": "{value!r} 不是有效的数。",
    "default: {default}": "默认：{default}",
    "required": "必需",
    "Aborted!": "已中止！",
    "Got unexpected extra argument ({args})": "多了一个参数（{args}）",
    "Got unexpected extra arguments ({args})": "多了几个参数（{args}）",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，不是文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 无法执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "unknown error": "未知错误",
    "Did you mean {possibility}?": "（是不是想用 {possibility}？）",
    "(Did you mean one of: {possibilities}?)": "（是不是想用其中之一：{possibilities}？）",
    "(Possible options: {possibilities})": "（可用的选项：{possibilities}）",  # click 8.2
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，但只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，但给了 {len} 个。",
    "{len_type} values are required, but {len_value} was given.": "需要 {len_type} 个值，但给了 {len_value} 个。",
    "{len_type} values are required, but {len_value} were given.": "需要 {len_type} 个值，但给了 {len_value} 个。",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合任何格式 {formats}。",
    "Invalid start character for option ({option})": "选项的首字符无效（{option}）",
    "Missing {param_type}": "缺少{param_type}",
    "Choose from:\n\t{choices}": "可选值：\n\t{choices}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
}
CATALOGUES = {"zh": CLICK_ZH}
CLICK_MODULES = (
    "click.core", "click.exceptions", "click.types", "click.decorators", "click.formatting",
    "click.parser", "click._parser", "click.termui", "click.utils",
)


def translate(message: str, lang: str) -> str:
    """``message`` in ``lang`` when the catalogue has it, else unchanged."""
    return CATALOGUES.get(lang, {}).get(message, message)


def install(current_lang: Callable[[], str]) -> None:
    """Make click's ``_``/``ngettext`` answer in ``current_lang()`` (read per call)."""

    def gettext(message: str) -> str:
        return translate(message, current_lang())

    def ngettext(singular: str, plural: str, n: int) -> str:
        return translate(singular if n == 1 else plural, current_lang())

    for name in CLICK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # click.parser became click._parser in 8.2
            continue
        if getattr(module, "_", None) is _gettext.gettext:
            setattr(module, "_", gettext)  # noqa: B010 (a module's name, rebound)
        if getattr(module, "ngettext", None) is _gettext.ngettext:
            setattr(module, "ngettext", ngettext)  # noqa: B010
