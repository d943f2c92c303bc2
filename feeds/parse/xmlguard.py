"""Refuse XML entity tricks before any XML parser sees the body.

feedparser keeps "safe" internal entities (a value without ``&``) and its
loose fallback expands them with ``re.sub``: one 50 KB entity referenced
20,000 times becomes a gigabyte, and a backslash in a value makes ``re.sub``
raise. Expat has limits of its own, but we do not rely on them. `entity_problem`
reads the entity declarations (after decoding UTF-16/32, so ``<!ENTITY`` cannot
hide behind an encoding) and refuses parameter entities, external entities,
entities that reference other entities (billion laughs, cycles), more than a
few dozen declarations, and any set whose total expansion would pass 1 MiB.
"""

from __future__ import annotations

import codecs
import re

MAX_ENTITIES = 64
MAX_EXPANSION = 1024 * 1024

_ENTITY = re.compile(r"<!ENTITY", re.I)
_DECL = re.compile(
    r"""<!ENTITY\s+(%\s*)?([^\s"'>%&;]+)\s*(?:(SYSTEM|PUBLIC)\b|"([^"]*)"|'([^']*)')""",
    re.I | re.S,
)
_CHAR_REF = re.compile(r"&#(?:[0-9]+|x[0-9a-fA-F]+);")
_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_MARKERS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)


def as_text(body: bytes) -> str:
    """``body`` as text good enough to find ASCII markup in, whatever its encoding."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, "replace")
    for marker, codec in _MARKERS:
        if body.startswith(marker):
            return body.decode(codec, "replace")
    if b"\x00" in body[:64]:
        # No BOM but NUL bytes: try both UTF-16 byte orders and keep the one with markup.
        for codec in ("utf-16-le", "utf-16-be"):
            text = body.decode(codec, "replace")
            if "<" in text[:64]:
                return text
    return body.decode("latin-1")


_CHAR_REF_BYTES = re.compile(rb"&#([xX][0-9a-fA-F]+|[0-9]+);")


def _valid_xml_char(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _fix_ref(match: re.Match[bytes]) -> bytes:
    digits = match.group(1)
    if len(digits) > 9:
        return b"&#xFFFD;"
    code = int(digits[1:], 16) if digits[:1] in b"xX" else int(digits)
    return match.group(0) if _valid_xml_char(code) else b"&#xFFFD;"


def repair_char_refs(body: bytes) -> bytes:
    """Replace character references XML forbids (``&#x110000;``, ``&#xD800;``, ``&#0;``).

    They make expat reject the document and feedparser's fallback raise; a
    replacement character keeps the rest of the feed readable.
    """
    if b"&#" not in body:
        return body
    return _CHAR_REF_BYTES.sub(_fix_ref, body)


_DECLARED = re.compile(rb"""^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def repair_utf8(body: bytes, content_type: str = "") -> bytes:
    """Replace the few invalid byte sequences of a UTF-8 document with U+FFFD.

    Given one bad sequence, feedparser abandons UTF-8 and decodes the whole
    document as windows-1252, turning every accent and emoji into mojibake.
    Repaired only when the document says (or defaults to) UTF-8 and most of its
    non-ASCII text is valid UTF-8; a legacy-encoded feed is left alone.
    """
    if body.isascii():
        return body
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return body
    if body[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in body[:4]:
        return body  # UTF-16/32: feedparser's business
    declared = _DECLARED.match(body)
    charset = _CHARSET.search(content_type)
    for name in (
        declared.group(1).decode("ascii", "replace") if declared else "",
        charset.group(1) if charset else "",
    ):
        if name and name.lower() not in ("utf-8", "utf8"):
            return body
    text = body.decode("utf-8", "replace")
    repaired = text.encode("utf-8")
    bad = text.count("\ufffd")  # one per invalid byte
    good = len(repaired) - len(text.encode("ascii", "ignore")) - 3 * bad  # valid multi-byte
    return repaired if good >= bad else body


def entity_problem(body: bytes) -> str | None:
    """A sentence saying why ``body``'s entity declarations are refused, or ``None``."""
    if b"<!" not in body and b"\x00" not in body[:64]:
        return None
    text = as_text(body)
    declared = len(_ENTITY.findall(text))
    if not declared:
        return None
    if declared > MAX_ENTITIES:
        return f"refused: the feed declares {declared} XML entities (at most {MAX_ENTITIES})"
    decls = _DECL.findall(text)
    if len(decls) != declared:
        return "refused: the feed has an XML entity declaration that cannot be checked"
    total = 0
    for percent, name, external, dq, sq in decls:
        value = dq or sq
        if percent:
            return "refused: the feed declares XML parameter entities"
        if external:
            return f"refused: the feed declares an external XML entity ({name})"
        if "&" in value and not _CHAR_REF.fullmatch(value):
            return f"refused: XML entity {name} refers to other entities (an entity bomb)"
        if "%" in value or "<" in value:
            return f"refused: XML entity {name} contains markup"
        uses = text.count(f"&{name};")
        total += uses * max(len(value), 1)
        if total > MAX_EXPANSION:
            return (
                f"refused: XML entities would expand to more than {MAX_EXPANSION // 1024:,} KiB "
                f"({name} is used {uses:,} times)"
            )
    return None
