"""Is a comment line commented-out code, or prose?

Used on the lines that continue a TODO's comment: a line of commented-out
code ends the TODO's text, as a blank comment line does.

The judgement follows the idea of `eradicate` (which removes commented-out
Python): a line is code only if it has the shape of a statement, never
because it merely holds a bracket or an equals sign, and doubt counts as
prose (a prose line wrongly cut from a TODO loses information; a code line
wrongly kept only adds noise). For Python comments the line is parsed (never
run) and the statement it parses as must be one that prose does not make:
an import, an assignment, a call written `name(...)`, return/raise/pass…,
or a block header with a real condition. For every language, shapes that
prose does not take: a line that ends by opening a block or a bracket, a
line of closing brackets, a statement ending in ";", `name = value`,
`name(...)`, a markup tag, and per family `#include`, shell commands and
SQL statements. Code spans in backticks, URLs and string literals are set
aside first, and a run of ordinary words (three in a row, or two in the
value of an assignment) marks the line as prose.
"""

from __future__ import annotations

import ast
import functools
import keyword
import re
import warnings
from typing import Callable

MAX_LINE = 400
"""Longer lines are prose: commented-out code is rarely that long, and every
check then stays cheap."""

# --- what is set aside before judging ------------------------------------------

_SPANS = re.compile(r"`[^`\n]*`|\bhttps?://[^\s<>\"'`]+|\bwww\.[^\s<>\"'`]+")
_APOSTROPHE = re.compile(r"(?<=[A-Za-z])'(?=[A-Za-z])")
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_TRAILING_COMMENT = re.compile(r"\s+(?://|#)(?:\s.*)?$")
_SQL_TRAILING_COMMENT = re.compile(r"\s+--(?:\s.*)?$")

# Words that code is made of (in any of the languages): they do not count in
# a run of ordinary words. "is" is left out, so that "x = 1 is wrong" reads
# as prose.
KEYWORDS = frozenset("""
    abstract and as assert async auto await bool boolean break byte case catch char class const
    continue def default defer del delete do double elif else enum export extends extern false final
    finally float fn for from func function go goto if impl implements import in instanceof int
    interface internal lambda let local long match mod module mut my namespace new nil none not null
    of or our override package private protected pub public readonly register return self short
    signed sizeof static str string struct super switch then this throw throws true try type typeof
    uint union unsigned use using val var virtual void volatile where while with yield
    inline typedef template typename friend operator constexpr noexcept sealed transient
    synchronized native lateinit suspend fun elsif unless foreach puts
""".split())
_WORD = re.compile(r"[A-Za-z][a-z]*[,.!?;:]?")


def _word_run(text: str) -> int:
    """The longest run of ordinary words (not keywords) in a row in `text`."""
    longest = run = 0
    for token in text.split():
        if _WORD.fullmatch(token) and token.rstrip(",.!?;:").lower() not in KEYWORDS:
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    return longest


def _starts_as_sentence(text: str) -> bool:
    """"legal for arrays, e.g. …": two ordinary words, the first not a keyword."""
    words = text.split(None, 2)
    return (len(words) > 1 and words[0].isalpha() and words[0].islower() and words[0] not in KEYWORDS
            and _WORD.fullmatch(words[1]) is not None)


def _without_strings(text: str) -> str:
    return _STRINGS.sub(" 0 ", _APOSTROPHE.sub("", text))


# --- shapes that code takes in any language ----------------------------------------

_CLOSERS = re.compile(r"[)\]}]+[)\]};,]*")
_END = re.compile(r"end[;.]?")
_NAME = r"[A-Za-z_$][\w$]*"
_LVALUE = rf"[*&]*{_NAME}(?:(?:\.|->|::){_NAME}|\[[^\]\n]*\])*"
_DECLARE = (r"(?:const|let|var|val|auto|final|static|readonly|local|my|our|export|mut|pub|"
            r"private|public|protected|internal|volatile|register|extern|unsigned|signed|"
            r"int|long|short|char|float|double|bool|boolean|string|String|usize|isize|"
            r"[uif](?:8|16|32|64|size)|u?int\d*_?t?)")
_ASSIGN = re.compile(
    rf"(?:{_DECLARE}\s+)*{_LVALUE}(?:\s*,\s*{_LVALUE})*\s*"
    r"(?::=|(?:[-+*/%&|^]|<<|>>|\*\*|//|\?\?|\|\||&&)?=(?![=>~]))\s*(?P<value>\S.*)")
_CALL = re.compile(
    r"(?:(?:return|throw|await|new|yield|void|delete|go|defer|echo|print|assert)\s+)*"
    rf"(?:{_NAME}|\.{_NAME})(?:<[^<>()\n]*>)?(?:(?:\.|->|::|\?\.){_NAME}(?:<[^<>()\n]*>)?)*"
    r"\(.*\)\s*[;,]?")
_CHAINED = re.compile(r"(?:\.|\?\.|->|::|\(|\[)|\s*[;,]?\s*$")
_STEP = re.compile(rf"{_LVALUE}\s*(?:\+\+|--)\s*;?|(?:\+\+|--){_LVALUE}\s*;?")
_BARE_STATEMENT = re.compile(r"(?:break|continue|return|pass)\s*;?")
_STATEMENT_KEYWORD = re.compile(
    r"(?:return|throw|var|let|const|import|package|using|use|goto|delete|yield|await|"
    r"echo|print|exit|die|require|include)\b")
_CODE_CHARS = re.compile(r"[=(){}\[\]<>]|\+\+|--|->|::")
_ENTRY = re.compile(r"""(?:"[^"]*"|'[^']*')\s*(?::|=>)\s*\S.*,""")  # "key": value,
_TAG = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>")
_TEMPLATE = re.compile(r"\{[%{].*[%}]\}|<\?(?:php|=).*|<%.*")


def _one_call(text: str) -> bool:
    """Whether every bracket closed at the top level of `text` is followed by
    a chained call or the end: `a(b).c(d)`, not `foo() -> bar()` or
    `foo(x) or bar(y)`."""
    depth = 0
    for at, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:
                return False
            if depth == 0 and not _CHAINED.match(text, at + 1):
                return False
    return depth == 0


def _opens_block(line: str) -> bool:
    """Ends by opening a block or a bracket after code: `if (x) {`, `foo(`,
    `x = [` (not an emoticon such as ";-(")."""
    last = line[-1]
    if last not in "{([":
        return False
    before = line[:-1].rstrip()[-1:]
    if last == "{":
        return before.isalnum() or before in "_)]>=:,"
    return line[-2:-1].isalnum() or line[-2:-1] in "_)]" or before in "=,(:"


def _generic(line: str, blocks_end: bool = False) -> bool:
    if blocks_end and _END.fullmatch(line):
        return True
    if _CLOSERS.fullmatch(line) or _BARE_STATEMENT.fullmatch(line) or _STEP.fullmatch(line):
        return True
    if _TEMPLATE.fullmatch(line):
        return True
    if line.startswith("<") and line.endswith(">") and (tag := _TAG.match(line)):
        if tag.group().startswith("</") or line.endswith("/>") or "=" in line or "</" in line[1:]:
            return True
    if _ENTRY.fullmatch(line) or _opens_block(line):
        return _word_run(_without_strings(line)) < 3
    if line.endswith(";"):
        body = line[:-1].rstrip()
        if not body:
            return False
        if _WORD.fullmatch(body):  # "below;" is prose
            return body.lower() in KEYWORDS
        if " " not in body or _CODE_CHARS.search(body) or _STATEMENT_KEYWORD.match(body):
            plain = _without_strings(line)
            return _word_run(plain) < 3 and not _starts_as_sentence(plain)
        return False
    if (assign := _ASSIGN.fullmatch(line)) is not None:
        return _word_run(_without_strings(assign.group("value"))) < 2
    if _CALL.fullmatch(line):
        plain = _without_strings(line)
        return _one_call(plain) and _word_run(plain) < 3
    return False


# --- Python: parse the line ---------------------------------------------------------

_PY_HINT = re.compile(r"[()\[\]{}=:]")
_PY_STATEMENT_WORDS = frozenset(
    "return import from raise del pass break continue global nonlocal assert yield await async print".split())
# How a block header is completed so that it parses on its own.
_PY_HEADER = {
    "if": ("", " pass"), "elif": ("if 1: pass\n", " pass"), "else": ("if 1: pass\n", " pass"),
    "while": ("", " pass"), "for": ("", " pass"), "with": ("", " pass"),
    "def": ("", " pass"), "class": ("", " pass"), "async": ("", " pass"),
    "try": ("", " pass\nexcept: pass"), "except": ("try: pass\n", " pass"),
    "finally": ("try: pass\n", " pass"),
}
# Keywords that may stand beside a name (`not x`, `x in y`); None, True and
# False may not.
_PY_GLUE = frozenset(keyword.kwlist + keyword.softkwlist) - {"None", "True", "False"}
_PY_WARNS = re.compile(r"\\|\d[A-Za-z_]")
_NAME_PAIR = re.compile(r"([A-Za-z_]\w*)\s+(?=([A-Za-z_]\w*))")
_PY_COMMENT = re.compile(r"#.*")
_PY_SIMPLE = (ast.Import, ast.ImportFrom, ast.Assign, ast.AugAssign, ast.Return, ast.Raise, ast.Delete,
              ast.Global, ast.Nonlocal, ast.Assert, ast.Pass, ast.Break, ast.Continue)


def _python(line: str) -> bool | None:
    """True or False if `line` parses as Python (whether it is a statement
    that prose does not make); None if it does not parse."""
    if line.startswith(">>> "):
        return True
    first = line.split(None, 1)[0].rstrip(":")
    if not (_PY_HINT.search(line) or first in _PY_STATEMENT_WORDS):
        return False
    code = _PY_COMMENT.sub("", _without_strings(line))
    if any(a not in _PY_GLUE and b not in _PY_GLUE for a, b in _NAME_PAIR.findall(code)):
        return None  # two names side by side never parse: spare compile() most prose
    prefix, suffix = _PY_HEADER.get(first, ("", "")) if line.endswith(":") else ("", "")
    source = prefix + line + suffix
    try:
        if _PY_WARNS.search(line):  # invalid escapes and numbers: warnings nobody should see
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = compile(source, "<comment>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        else:
            tree = compile(source, "<comment>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None
    if prefix:
        return True  # else:, elif x:, except …:, finally:
    statements = tree.body
    return bool(statements) and all(_python_statement(s, line) for s in statements)


def _python_statement(node: ast.stmt, line: str) -> bool:
    if isinstance(node, ast.Assign):
        return not _compares_with_is(node.value)
    if isinstance(node, _PY_SIMPLE):
        return True
    if isinstance(node, ast.AnnAssign):
        # "Example: foo = 1" is a heading, not a typed assignment.
        title = isinstance(node.target, ast.Name) and node.target.id.istitle()
        return node.value is not None and not title
    if isinstance(node, ast.Expr):
        value = node.value
        if isinstance(value, (ast.Await, ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(value, ast.Call):
            return _called(value, line)
        if isinstance(value, ast.Tuple) and line.endswith(","):
            # An item of a list: `Handler(x),`, `(r"\d+", Number),`; not "x, y,".
            return all(isinstance(item, (ast.Tuple, ast.List, ast.Dict)) or _called(item, line)
                       or isinstance(item, ast.Constant) and isinstance(item.value, str) for item in value.elts)
        return False
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.For, ast.AsyncFor, ast.Try)):
        return True
    if isinstance(node, (ast.If, ast.While)):
        return not isinstance(node.test, ast.Name)  # "if needed:" is prose
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return not all(isinstance(item.context_expr, ast.Name) for item in node.items)  # "with care:"
    return False


def _called(node: ast.expr, line: str) -> bool:
    """`foo(bar)` is a call; "Done (mostly)" is prose."""
    if not isinstance(node, ast.Call):
        return False
    end = node.func.end_col_offset
    return line.encode()[end:end + 1] == b"("


def _compares_with_is(value: ast.expr) -> bool:
    """`1 is wrong`: an identity test against a bare name, as prose writes it."""
    return isinstance(value, ast.Compare) and any(
        isinstance(op, (ast.Is, ast.IsNot)) and isinstance(right, ast.Name)
        for op, right in zip(value.ops, value.comparators))


# --- C preprocessor ---------------------------------------------------------------------

_DIRECTIVE = re.compile(
    r"[\s*/]*#\s*(?:(?:include|import)\s*[<\"]|(?:define|undef|ifdef|ifndef|endif|pragma|region|endregion)\b"
    r"|(?:if|elif)\s+(?:defined\b|!|\d))")


# --- shell, Makefiles, Dockerfiles ---------------------------------------------------------

_SHELL_COMMANDS = (
    "echo printf cd rm cp mv mkdir rmdir ln chmod chown touch cat grep sed awk find xargs curl wget tar "
    "unzip zip git docker kubectl helm npm npx yarn pnpm pip pip3 python python3 node make cmake go cargo "
    "apt apt-get yum dnf apk brew systemctl service source exec eval set unset trap exit ssh scp rsync "
    "test ls kill sleep terraform aws gcloud az export"
)
_SHELL = re.compile(
    r"(?:fi|done|esac|then|do|else|;;)"
    r"|.*(?:;\s*(?:then|do)|;;)"
    r"|(?:if|elif|while|until)\s+\[\[?\s.*"
    r"|case\s+\S+\s+in"
    r"|[A-Za-z_]\w*=(?:\S.*)?"
    r"|(?:export|local|readonly|declare|typeset)\s+(?:-\w+\s+)*[A-Za-z_]\w*=.*"
    r"|export\s+[A-Z_][A-Z0-9_]*"
    r"|\$[({].*"
    r"|\.{1,2}/\S.*"
    rf"|(?:sudo\s+)?(?:{'|'.join(re.escape(c) for c in _SHELL_COMMANDS.split())})"
    r"\s.*?(?:\s--?[A-Za-z]|[\"'$|<>]|&&|;$)"
    r".*")
_DOCKERFILE = re.compile(
    r"(?:FROM|RUN|CMD|COPY|ADD|ENV|ARG|EXPOSE|WORKDIR|ENTRYPOINT|USER|VOLUME|LABEL|HEALTHCHECK|SHELL|"
    r"ONBUILD|STOPSIGNAL)\s+\S.*")


def _shell(line: str) -> bool:
    return _SHELL.fullmatch(_APOSTROPHE.sub("", line)) is not None


# --- SQL --------------------------------------------------------------------------------------

_SQL_START = re.compile(
    r"(?:SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|CREATE|DROP|ALTER|TRUNCATE|GRANT|REVOKE|WITH|FROM|"
    r"WHERE|(?:LEFT\s+|RIGHT\s+|INNER\s+|OUTER\s+|CROSS\s+)?JOIN|GROUP\s+BY|ORDER\s+BY|HAVING|LIMIT|"
    r"VALUES|SET|AND|OR|UNION|RETURNING|BEGIN|COMMIT|ROLLBACK)\b(?P<rest>.*)")
_SQL_MORE = re.compile(
    r"\b(?:FROM|WHERE|SET|INTO|TABLE|INDEX|VIEW|VALUES|AS|ON|AND|OR|NOT|NULL|IN|IS|BY|JOIN|LIMIT|"
    r"COLUMN|CONSTRAINT|PRIMARY|KEY|DEFAULT|DISTINCT|EXISTS|LIKE|BETWEEN|CASCADE|TRANSACTION)\b"
    r"|[*=(),;<>]|\w\.\w")
_SQL_LOWER = re.compile(
    r"(?:(?:select|insert\s+into|update|delete\s+from|create\s+(?:table|index|view|unique)|"
    r"drop\s+(?:table|index|view)|alter\s+table)\b.*;|select\s+(?:\*|count\().*)")


def _sql(line: str) -> bool:
    start = _SQL_START.match(line)
    if start:
        rest = start.group("rest")
        return (not rest.strip() and line in ("BEGIN", "COMMIT", "ROLLBACK")) or (
            _SQL_MORE.search(rest) is not None and _word_run(_without_strings(rest)) < 3)
    return _SQL_LOWER.fullmatch(line) is not None


# --- the judge -------------------------------------------------------------------------------

# A line can be code only if it holds one of these characters or starts with
# one of the words below (for its language).
_HINT = re.compile(r"[(){}\[\];=<>$|&:\"`\\+]")
_FIRST_WORDS = frozenset("break continue return pass fi done esac then do else".split())
_SHELL_FIRST_WORDS = frozenset(_SHELL_COMMANDS.split()) | {"sudo", "local", "readonly", "declare", "typeset"}
_DOCKER_WORDS = frozenset(
    "FROM RUN CMD COPY ADD ENV ARG EXPOSE WORKDIR ENTRYPOINT USER VOLUME LABEL HEALTHCHECK SHELL ONBUILD "
    "STOPSIGNAL".split())
_SQL_WORDS = frozenset(
    "SELECT INSERT UPDATE DELETE CREATE DROP ALTER TRUNCATE GRANT REVOKE WITH FROM WHERE LEFT RIGHT INNER "
    "OUTER CROSS JOIN GROUP ORDER HAVING LIMIT VALUES SET AND OR UNION RETURNING BEGIN COMMIT ROLLBACK "
    "select insert update delete create drop alter".split())
_PREPROCESSED = frozenset({"c", "cpp", "csharp"})
_SHELL_LIKE = frozenset({"shell", "hash"})
_END_BLOCKS = frozenset({"ruby", "lua", "elixir", "julia", "matlab", "pascal"})
"""Languages whose blocks close with a line `end`."""


@functools.cache
def judge(syntax_name: str) -> Callable[[str, str], bool]:
    """`is_code(content, raw)` for comments of one syntax (lexers.Syntax.name):
    `content` is a comment line without its delimiter and decoration, `raw`
    the same line as the lexer gave it (for `#include` after `//`)."""
    python = syntax_name == "python"
    preprocessed = syntax_name in _PREPROCESSED
    shell = syntax_name in _SHELL_LIKE
    dockerfile = syntax_name == "hash"
    sql = syntax_name == "sql"
    blocks_end = syntax_name in _END_BLOCKS
    first_words = _FIRST_WORDS | (_PY_STATEMENT_WORDS if python else frozenset()) | (
        _SHELL_FIRST_WORDS if shell else frozenset()) | (_DOCKER_WORDS if dockerfile else frozenset()) | (
        _SQL_WORDS if sql else frozenset()) | (frozenset({"end", "end;", "end."}) if blocks_end else frozenset())

    def is_code(content: str, raw: str = "") -> bool:
        if len(content) > MAX_LINE:
            return False
        if preprocessed and _DIRECTIVE.match(raw):
            return True
        line = _SPANS.sub("X", content) if ("`" in content or "://" in content or "www." in content) else content
        if not _HINT.search(line) and line.split(None, 1)[0] not in first_words and line[:1] != ".":
            return False  # most prose: no code character, no statement word
        if python:
            verdict = _python(line)
            if verdict is not None:
                return verdict
        line = _TRAILING_COMMENT.sub("", line).strip()
        if sql:
            line = _SQL_TRAILING_COMMENT.sub("", line)
        if not line:
            return False
        if shell and (_shell(line) or (dockerfile and _DOCKERFILE.fullmatch(line))):
            return True
        if sql and _sql(line):
            return True
        return _generic(line, blocks_end)

    return is_code
