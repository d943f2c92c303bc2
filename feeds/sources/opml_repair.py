"""Safe repairs for OPML files that real feed readers export but expat refuses.

Only mistakes whose fix cannot change what a well-formed part means are repaired:

- a bare ``&`` (one that starts no XML reference such as ``&amp;`` or ``&#38;``)
  becomes ``&amp;``; an HTML entity name such as ``&nbsp;`` becomes its character
  reference, from Python's fixed HTML5 table. Nothing is ever looked up in a DTD:
  documents declaring one are refused before this runs;
- byte-order marks and whitespace before the first tag, and stray marks inside;
- a declared encoding the bytes do not match: valid UTF-8 is read as UTF-8,
  otherwise the declared codec, else windows-1252.

The repaired document is UTF-8 with a matching declaration.
"""

from __future__ import annotations

import codecs
import html.entities
import re
from dataclasses import dataclass

_DECLARATION = re.compile(r"<\?xml[^>]*?\?>")
_ENCODING = re.compile(r"""encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_REFERENCE = re.compile(r"&(#[0-9]{1,8};|#x[0-9a-fA-F]{1,8};|[A-Za-z][A-Za-z0-9]{0,31};)?")
_XML_NAMES = {"amp;", "lt;", "gt;", "quot;", "apos;"}
_OUTLINE = re.compile(r"<outline\b[^>]*>", re.IGNORECASE)
_BOM = "\ufeff"
_SPACE = _BOM + " \t\r\n"


@dataclass(frozen=True, slots=True)
class Repair:
    """A repaired document, what was changed, and how many outlines it touched."""

    data: bytes
    changes: tuple[str, ...]
    outlines: int


def _is_utf8(codec: str) -> bool:
    try:
        return codecs.lookup(codec).name == "utf-8"
    except LookupError:
        return False


def _declared(data: bytes) -> str | None:
    head = data[:300].decode("latin-1").lstrip(_SPACE + "\xef\xbb\xbf")
    declaration = _DECLARATION.match(head)
    found = _ENCODING.search(declaration.group()) if declaration else None
    return found.group(1).lower() if found else None


def _decode(data: bytes) -> tuple[str, str | None]:
    """The text of ``data`` and, when its declared encoding was wrong, what it really was."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "replace"), None
    declared = _declared(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        wrong = declared and not data.isascii() and not _is_utf8(declared)
        return text, f"declared {declared} but written in UTF-8" if wrong else None
    if declared and not _is_utf8(declared):
        try:
            return data.decode(declared), None
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("cp1252", "replace"), (
        f"declared {declared or 'UTF-8'} but written in windows-1252"
    )


def _reference(match: re.Match[str]) -> str:
    """``&amp;`` for a bare ampersand, a character reference for an HTML name, else as is."""
    name = match.group(1)
    if name is None:
        return "&amp;"
    if name.startswith("#") or name in _XML_NAMES:
        return match.group()
    value = html.entities.html5.get(name)
    if value is None:
        return "&amp;" + name
    return "".join(f"&#{ord(ch)};" for ch in value)


def _bare(text: str) -> int:
    return sum(1 for m in _REFERENCE.finditer(text) if _reference(m) != m.group())


def repair_opml(data: bytes) -> Repair:
    """Repair what can be repaired safely (see the module docstring); no ``changes``: nothing."""
    text, wrong_encoding = _decode(data)
    changes: list[str] = [f"the encoding ({wrong_encoding})"] if wrong_encoding else []
    body = text.lstrip(_SPACE)
    marks = text[: len(text) - len(body)].count(_BOM) + body.count(_BOM)
    if marks:
        changes.append(f"{marks} stray byte-order mark{'s' if marks != 1 else ''}")
    body = body.replace(_BOM, "")
    declaration = _DECLARATION.match(body)
    if declaration and text[: len(text) - len(text.lstrip(_SPACE))].strip(_BOM):
        changes.append("blank lines before the XML declaration")
    if declaration:
        body = body[declaration.end() :]
    bare = _bare(body)
    outlines = 0
    if bare:
        outlines = sum(1 for tag in _OUTLINE.finditer(body) if _bare(tag.group()))
        body = _REFERENCE.sub(_reference, body)
        changes.append(
            f"{bare} bare ampersand{'s' if bare != 1 else ''} or HTML entit{'ies' if bare != 1 else 'y'}"
        )
    repaired = '<?xml version="1.0" encoding="utf-8"?>\n' + body
    return Repair(repaired.encode("utf-8"), tuple(changes), outlines)
