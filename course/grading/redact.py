"""Keep hidden tests hidden: find their text in what a submission's run produced, and withhold it.

Trusted step. A submission's code shares its process with the hidden tests, so while they run it can see
their text (an IPython ``pre_run_cell`` hook, ``sys.settrace``, the executor's memory) and print it. The
grader knows that text, so before anything goes back to the student it looks for it in every output of the
run and in every message built from one (the reasons in the score table).

What is looked for: the hidden tests' code with its string literals and comments taken out (their messages
are shown to students, and prose reads like the lesson), reduced to lower-case letters and digits, in
windows of ``WINDOW`` characters; windows that also occur in the released notebook or in those messages and
comments are public and ignored. All outputs of a notebook are searched as one text,
so pieces split across outputs or cells are found together; reducing the text makes spacing, line breaks,
case and punctuation between characters no disguise; reversed text and the common encodings (HTML, URL and
backslash escapes, rot13, base64 with or without zlib or gzip, hex, lists of character codes) are decoded
before the search.

Where hidden text is found, every output of the notebook is withheld (an attacker who got one piece out may
have hidden others in a form not recognised), and the grader flags the notebook for the instructor. Lines of
tracebacks that quote a hidden test (an honest error inside one) are replaced without a flag.

Not caught: text hidden in a way not decoded here (a cipher of the student's own, pixels of an image, a
sequence of pass/fail outcomes), and hidden lines shorter than ``WINDOW`` letters and digits on their own.
"""

import base64
import binascii
import codecs
import html
import io
import re
import tokenize
import unicodedata
import urllib.parse
import warnings
import zlib

import nbformat
import numpy as np

from course import notebooks
from course.grading.execute import RECORD_MIME
from course.release import HIDDEN

WINDOW = 16  # letters and digits: a shorter piece of a hidden test is not told apart from ordinary text
TABLE_SIZE = 2**20
SCAN_LIMIT = 4_000_000  # characters of output per notebook searched; what comes after is not shown
NOT_ALNUM = bytes(b for b in range(256) if not chr(b).isascii() or not chr(b).isalnum() or chr(b).isupper())
PROSE = re.compile(r"#[^\n]*|(\"|')(?:\\.|(?!\1).)*\1")  # a comment or a one-line string literal
TAG = re.compile(r"<[^>]*>")
BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{22,}={0,2}")  # 22 characters: 16 bytes, a window's worth
DIGITS = re.compile(r"\d+")
URL_SAFE = str.maketrans("-_", "+/")
HEX_RUN = re.compile(r"(?:[0-9a-fA-F]{2}){8,}")
CODES_RUN = re.compile(r"(?:\d{1,7}\D{1,4}){7,}\d{1,7}")
RECORD_FIELDS = frozenset({"kind", "value", "message", "hidden", "atol", "rtol", "shape", "data"})  # minillm.checks
WITHHELD = "[output withheld by the grader: it held text of the hidden tests]\n"
TOO_LONG = "[output not shown: the notebook printed more than the grader reads]\n"
WITHHELD_LINE = "[a line of a hidden test]"
WITHHELD_REASON = "the cell failed with a message the grader withheld (it held text of the hidden tests)"
FLAG = ("text of the hidden tests was found in this notebook's outputs: all its outputs were withheld from the "
        "student; look at the submission")


def normalised(text):
    """``text`` (str or bytes) as ASCII bytes, in lower case, with everything but letters and digits taken out
    (in a str, look-alike characters such as full-width letters are read as the letters they look like)."""
    if isinstance(text, str):
        text = (text if text.isascii() else unicodedata.normalize("NFKC", text)).encode("ascii", "ignore")
    return text.lower().translate(None, NOT_ALNUM)


def split_code(code):
    """``(code, prose)``: ``code`` with its string literals and comments taken out, and those taken out (the
    checks' messages, which students are shown, and prose, which reads like the lesson's)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):  # not Python as a whole: take out what looks like a literal
        return PROSE.sub(" ", code), " ".join(match.group(0) for match in PROSE.finditer(code))
    kinds = {tokenize.STRING, tokenize.COMMENT} | {getattr(tokenize, name) for name in (
        "FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END") if hasattr(tokenize, name)}
    return (" ".join(t.string for t in tokens if t.type not in kinds),
            " ".join(t.string for t in tokens if t.type in kinds))


class Hidden:
    """The hidden test text of one notebook, and the means to find it in untrusted text."""

    def __init__(self, source, release, messages=()):
        """``messages``: the checks' messages as the solution's run published them (f-strings filled in)."""
        public = [cell.source for cell in release.cells] + [str(m) for m in messages]
        windows = set()
        for cell in source.cells:
            if notebooks.is_autograded_test(cell):
                for block in HIDDEN.findall(cell.source):
                    code, prose = split_code(block)
                    windows |= _windows(code)
                    public.append(prose)
        windows -= _windows(" ".join(public))
        windows = windows or {"~" * WINDOW}  # no hidden tests: a window no normalised text holds
        self.windows = windows | {w[::-1] for w in windows}  # reversed text, read forwards
        self.table = np.zeros(TABLE_SIZE, dtype=bool)  # a hash's low bits: whether a window may have it
        self.table[_hashes("".join(sorted(self.windows)).encode())[::WINDOW] % TABLE_SIZE] = True

    def _in(self, text):
        data = normalised(text)
        if len(data) < WINDOW:
            return False
        maybe = np.flatnonzero(self.table[_hashes(data) % TABLE_SIZE])
        return any(data[i:i + WINDOW].decode() in self.windows for i in maybe)

    def found_in(self, text):
        """Whether ``text`` holds a piece of the hidden tests, as it is or in one of the decodings."""
        return bool(text) and any(self._in(decoded) for decoded in _decodings(text))

    def clean(self, message):
        """``message`` (a reason built from the submission's run), or a notice if it holds hidden text."""
        return WITHHELD_REASON if self.found_in(message) else message

    def redact(self, nb):
        """Withhold hidden text from the outputs of ``nb`` (the graded notebook, changed in place).

        Outputs past the first ``SCAN_LIMIT`` characters of the notebook are not searched, so not shown.
        Returns whether hidden text was found outside tracebacks: then every output was withheld.
        """
        texts, size = [], 0
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            outputs = cell.get("outputs", [])
            for output in outputs:
                if output.get("output_type") == "error":
                    output["traceback"] = [WITHHELD_LINE if self.found_in(str(line)) else line
                                           for line in output.get("traceback", [])]
                texts.append("\n".join(_leaves(output)))
                size += len(texts[-1])
            if size > SCAN_LIMIT and outputs:
                del texts[-len(outputs):]
                cell.outputs = [_notice(TOO_LONG)]
        if not self.found_in("\n".join(texts)):
            return False
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.get("outputs"):
                cell.outputs = [_notice(WITHHELD)]
        return True


def _windows(text):
    text = normalised(text).decode()
    return {text[i:i + WINDOW] for i in range(len(text) - WINDOW + 1)}


def _notice(text):
    return nbformat.v4.new_output("stream", name="stderr", text=text)


def _hashes(data):
    """A 64-bit hash of every ``WINDOW``-byte window of ``data`` (bytes), by position: the window's two
    8-byte words, the first times an odd number (wrapping around) exclusive-or the second."""
    words = np.empty(len(data) - 7, dtype=np.uint64)  # the 8 bytes from each position, as a number
    for offset in range(8):
        words[offset::8] = np.frombuffer(data, dtype="<u8", count=(len(data) - offset) // 8, offset=offset)
    n = len(data) - WINDOW + 1
    return (words[:n] * np.uint64(0x9E3779B97F4A7C15)) ^ words[8:8 + n]


def _leaves(output):
    """The text of an output: its data (by MIME type), metadata (keys too) and an error's name and message.

    A check record's own field names are left out: run together with the values beside them ("message" and
    the message) they spell windows that hidden code may hold too (``error_message(bits_per_byte, ...)``).
    """
    for key, item in output.items():
        if key == "data" and isinstance(item, dict):
            for mime, value in item.items():
                yield from _values(value, RECORD_FIELDS if mime == RECORD_MIME else frozenset())
        elif key not in ("output_type", "name", "execution_count", "traceback"):
            yield from _values(item)


def _values(value, fields=frozenset()):
    """The keys and values of ``value``, nested, as strings; keys in ``fields`` are left out."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in fields:
                yield str(key)
            yield from _values(item, fields)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item, fields)
    else:
        yield str(value)


def _decodings(text):
    """``text`` itself and what it, or its reverse, reads as in common encodings (str or bytes; a best effort)."""
    yield text
    if "<" in text or "&" in text:
        yield html.unescape(TAG.sub("", text))
    if "%" in text:
        yield urllib.parse.unquote(text)
    yield codecs.decode(text, "rot13")
    if "\\" in text:
        try:
            with warnings.catch_warnings():  # "\\p" in an output is no escape: not worth a warning each time
                warnings.simplefilter("ignore", DeprecationWarning)
                unescaped = codecs.decode(text.encode("latin-1", "backslashreplace"), "unicode_escape")
        except (UnicodeDecodeError, ValueError):
            pass
        else:
            yield unescaped
    dense = "".join(text.replace("\\n", "").split())
    runs = BASE64_RUN.findall(dense) + BASE64_RUN.findall(dense[::-1])
    decoded = [b for run in runs if not run.isdigit() for b in _base64(run)]  # digits alone: printed numbers
    yield b"\n".join(decoded)
    yield b"\n".join(map(_inflated, decoded))
    yield b"\n".join(bytes.fromhex(run) for run in HEX_RUN.findall(dense) + HEX_RUN.findall(dense[::-1]))
    codes = (int(code) for run in CODES_RUN.findall(text) for code in DIGITS.findall(run))
    yield "".join(chr(code) if 32 <= code < 0x110000 else "\n" for code in codes)


def _inflated(data):
    """What ``data`` decompresses to as zlib or gzip, as much as can be read (it may be cut short)."""
    if data[:1] not in (b"\x78", b"\x1f"):  # neither stream's first byte
        return b""
    try:
        return zlib.decompressobj(wbits=47).decompress(data)
    except zlib.error:
        return b""


def _base64(run):
    """The bytes ``run`` decodes to as base64, standard or URL-safe, whatever its padding and where it starts."""
    body = run.rstrip("=").translate(URL_SAFE)
    for trim in range(4):  # a run cut out of longer text may start off a 4-character boundary
        piece = body[trim:]
        if len(piece) % 4 == 1:  # not a whole number of bytes: the last character cannot be read
            piece = piece[:-1]
        try:
            yield base64.b64decode(piece + "=" * (-len(piece) % 4))
        except (binascii.Error, ValueError):
            continue
