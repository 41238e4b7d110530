"""Phone numbers as front-desk staff and rosters write them, reduced to one canonical form.

Everything is read as a mainland-China number (region ``CN``) unless it carries an explicit
international prefix for another country. The same number however it was typed (spaces,
dashes, full-width digits, ``+86``, ``0086``, Excel floats) yields the same ``normalized`` key,
which is what calls and customer cards are matched on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from app.i18n import translate

if TYPE_CHECKING:
    import phonenumbers

# phonenumbers (Google's metadata for every country) is imported by the first number that is
# parsed, not when CallDesk starts: the functions below import it where they use it.

REGION = "CN"
MAX_EXTENSION_DIGITS = 6


@dataclass(frozen=True)
class Phone:
    normalized: str  # E.164, plus ";ext=NNN" when there is an extension
    digits: str  # national digits (landlines keep the leading 0), no extension
    kind: str  # "mobile" | "landline" | "other"
    extension: str | None
    display: str  # "138 0013 8000", "010-8888 6666 转8001", "400-812-3123"
    # False for a mobile number in a range the number metadata does not know yet (China
    # opens new 1xx ranges every few years): kept as typed, worth a warning on an import.
    known_range: bool = True


class PhoneError(ValueError):
    """The text is not a phone number we can use; the message says why, in English."""


class _NeedsAreaCode(PhoneError):
    """A complete local landline number, short only of its area code."""


class _MobileExtension(PhoneError):
    """A complete mobile number followed by an extension."""


# NFKC already folds full-width digits, "－", "（）", "＋" and the ideographic space; these
# dashes survive it and are all used between digit groups.
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"})

_LABEL = re.compile(
    r"^\s*(?:联系电话|联系方式|手机号码|手机号|手机|电话号码|电话|座机|固话|tel|phone|mobile)"
    r"\s*[:.]?\s*",
    re.IGNORECASE,
)
_EXPLICIT_EXTENSION = re.compile(
    r"^(?P<base>.*?\d[\s)]*)\s*(?:转分机|转|分机号?|ext\.?|extn\.?|x|#)\s*[:.]?\s*"
    r"(?P<ext>\d+)\s*$",
    re.IGNORECASE,
)
_DASH_EXTENSION = re.compile(r"^(?P<base>.*\d)\s*-\s*(?P<ext>\d+)\s*$")
_EXCEL_FLOAT = re.compile(r"^\d+\.0+$")
_EXCEL_SCIENTIFIC = re.compile(r"^(?P<mantissa>\d\.(?P<fraction>\d+))[eE]\+?(?P<exponent>\d+)$")
_ALLOWED = re.compile(r"^[\d\s+\-.()]*$")
_SERVICE = re.compile(r"^95\d{3,4}$")  # 95588 and friends: nationwide bank/utility lines
_MOBILE_PREFIX = re.compile(r"^1[3-9]")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LOCAL = re.compile(r"^[2-9]\d{6,7}$")  # subscriber number without area code
_AREA_CODE = re.compile(r"^0?([1-9]\d{1,2})$")

# Excel shows at most six significant digits in scientific notation, so a mantissa that
# short has lost digits and the number it expands to is not the customer's.
_MIN_SCIENTIFIC_DIGITS = 7

_SEPARATORS = re.compile(r"[/／、,，;；|｜\r\n]|或|和|及")
_GROUP_BREAK = re.compile(r"[^\s\-－\u2010-\u2015\u2212\ufe58\ufe63]+")
_MAX_TOKENS = 24


def _clean(text: object) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)  # Excel hands over ints and floats
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).strip()
    return _LABEL.sub("", text).strip()


def _undo_excel(text: str) -> str:
    if _EXCEL_FLOAT.match(text):
        return text.split(".", 1)[0]
    match = _EXCEL_SCIENTIFIC.match(text)
    if match is None:
        return text
    if len(match["fraction"]) + 1 < _MIN_SCIENTIFIC_DIGITS:
        raise PhoneError(translate(
            "Phones", "Excel shortened this number to scientific notation and some digits are "
                      "lost; type the number in full."))
    try:
        value = Decimal(match["mantissa"]).scaleb(int(match["exponent"]))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise PhoneError(translate("Phones", "This is not a phone number.")) from exc
    if value != value.to_integral_value():
        raise PhoneError(translate("Phones", "This is not a phone number."))
    return str(int(value))


def _area_digits(default_area_code: str) -> str:
    code = re.sub(r"\D", "", unicodedata.normalize("NFKC", default_area_code))
    match = _AREA_CODE.match(code)
    if match is None:
        raise PhoneError(translate("Phones", "The default area code {code} is not an area code.")
                         .format(code=default_area_code))
    return match[1]


def _length_reason(national: str) -> str:
    count = len(national)
    if _MOBILE_PREFIX.match(national) and count != 11:
        return translate("Phones", "A mobile number has 11 digits; this one has {count}.") \
            .format(count=count)
    if national.startswith("0") and not 11 <= count <= 12:
        return translate("Phones", "A landline number with its area code has 11 or 12 "
                                   "digits; this one has {count}.").format(count=count)
    if count < 7:
        return translate("Phones", "The number has too few digits.")
    if count > 12:
        return translate("Phones", "The number has too many digits.")
    return translate("Phones", "This is not a valid phone number in mainland China.")


def _kind(number: phonenumbers.PhoneNumber) -> str:
    import phonenumbers

    kind = phonenumbers.number_type(number)
    if kind == phonenumbers.PhoneNumberType.MOBILE:
        return "mobile"
    if kind == phonenumbers.PhoneNumberType.FIXED_LINE:
        return "landline"
    if kind == phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE:
        national = str(number.national_number)
        return "mobile" if _MOBILE_PREFIX.match(national) and len(national) == 11 else "landline"
    return "other"


def _build(number: phonenumbers.PhoneNumber, extension: str | None) -> Phone:
    import phonenumbers

    kind = _kind(number)
    if extension is not None and kind == "mobile":
        raise _MobileExtension("A mobile number cannot have an extension.")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if number.country_code != phonenumbers.country_code_for_region(REGION):
        # Searched for as dialled from here, so the country code stays in the digits.
        digits = e164[1:]
        display = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    else:
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        digits = re.sub(r"\D", "", national)
        if kind == "landline":
            display = national.replace(" ", "-", 1)  # area code apart, as printed in China
        elif kind == "other":
            display = national.replace(" ", "-")  # 400-812-3123
        else:
            display = national
    normalized = e164
    if extension is not None:
        normalized += f";ext={extension}"
        display += f" 转{extension}"
    return Phone(normalized, digits, kind, extension, display)


def _parse_base(base: str, extension: str | None, default_area_code: str | None) -> Phone:
    import phonenumbers

    if not _ALLOWED.match(base):
        if not re.search(r"\d", base):
            raise PhoneError(translate("Phones", "This is not a phone number."))
        raise PhoneError(translate("Phones", "The number contains letters or signs that are not part of a number."))
    digits = re.sub(r"\D", "", base)
    if not digits:
        raise PhoneError(translate("Phones", "This is not a phone number."))
    international = base.startswith("+")
    if not international and digits.startswith("00"):
        international, digits = True, digits[2:]
    cn = str(phonenumbers.country_code_for_region(REGION))
    if international and not digits.startswith(cn):
        return _parse_foreign(digits, extension)
    # A national number that starts with 86 has at most 8 digits, so a longer one carries
    # the country code written without "+" (as some rosters and caller-ID exports store it).
    if international or (digits.startswith(cn) and len(digits) >= 12):
        significant = digits[len(cn) :]
        if significant.startswith("0"):
            significant = significant[1:]  # "+86 (0)10 ...": no trunk 0 after the country code
        if _SERVICE.match(significant):
            return _service(significant, extension)
        national = significant if significant[:1] in "1489" else "0" + significant
        return _parse_cn("+" + cn + significant, national, extension)
    if _SERVICE.match(digits):
        return _service(digits, extension)
    if _LOCAL.match(digits):
        if not default_area_code:
            raise _NeedsAreaCode("A landline number needs its area code, e.g. 010.")
        digits = "0" + _area_digits(default_area_code) + digits
    return _parse_cn(digits, digits, extension)


def _service(digits: str, extension: str | None) -> Phone:
    import phonenumbers

    cn = phonenumbers.country_code_for_region(REGION)
    normalized, display = f"+{cn}{digits}", digits
    if extension is not None:
        normalized += f";ext={extension}"
        display += f" 转{extension}"
    return Phone(normalized, digits, "other", extension, display)


def _parse_cn(text: str, national: str, extension: str | None) -> Phone:
    import phonenumbers

    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(translate("Phones", "This is not a phone number.")) from exc
    if not phonenumbers.is_valid_number(number):
        if _MOBILE.match(national):
            return _new_range_mobile(national, extension)
        raise PhoneError(_length_reason(national))
    significant = phonenumbers.national_significant_number(number)
    # The metadata admits some five-digit subscriber numbers that no caller has; a real
    # landline has a 2–3 digit area code and a 7–8 digit number.
    if _kind(number) == "landline" and len(significant) not in (10, 11):
        raise PhoneError(_length_reason(national))
    return _build(number, extension)


def _new_range_mobile(national: str, extension: str | None) -> Phone:
    """An 11-digit mobile number whose range the metadata does not list: a real owner's
    number is more likely than a typo of exactly the right length and prefix, so it is
    kept, normalised as any mobile is (the caller pop-up finds it), and flagged."""
    import phonenumbers

    if extension is not None:
        raise _MobileExtension("A mobile number cannot have an extension.")
    cn = phonenumbers.country_code_for_region(REGION)
    display = f"{national[:3]} {national[3:7]} {national[7:]}"
    return Phone(f"+{cn}{national}", national, "mobile", None, display, known_range=False)


def _parse_foreign(digits: str, extension: str | None) -> Phone:
    import phonenumbers

    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(translate("Phones", "This is not a valid international number.")) from exc
    if not phonenumbers.is_valid_number(number):
        reason = phonenumbers.is_possible_number_with_reason(number)
        if reason == phonenumbers.ValidationResult.TOO_SHORT:
            raise PhoneError(translate("Phones", "The number has too few digits."))
        if reason == phonenumbers.ValidationResult.TOO_LONG:
            raise PhoneError(translate("Phones", "The number has too many digits."))
        raise PhoneError(translate("Phones", "This is not a valid international number."))
    return _build(number, extension)


def _check_extension(extension: str) -> str:
    if len(extension) > MAX_EXTENSION_DIGITS:
        raise PhoneError(translate("Phones", "An extension has at most {n} digits.")
                         .format(n=MAX_EXTENSION_DIGITS))
    return extension


def _parse_one(text: str, default_area_code: str | None) -> Phone:
    if not text:
        raise PhoneError(translate("Phones", "The phone number is empty."))
    text = _undo_excel(text)
    explicit = _EXPLICIT_EXTENSION.match(text)
    if explicit is not None:
        return _parse_base(
            explicit["base"].strip(), _check_extension(explicit["ext"]), default_area_code
        )
    try:
        return _parse_base(text, None, default_area_code)
    except _NeedsAreaCode:
        raise
    except PhoneError as first:
        # "010-88886666-8001": the last dash group is an extension only if what precedes it
        # is a complete landline or service number on its own.
        dashed = _DASH_EXTENSION.match(text)
        if dashed is None or len(dashed["ext"]) > MAX_EXTENSION_DIGITS:
            raise
        try:
            return _parse_base(dashed["base"], dashed["ext"], default_area_code)
        except (_NeedsAreaCode, _MobileExtension):
            raise
        except PhoneError:
            raise first from None


def parse_phone(text: str, default_area_code: str | None = None) -> Phone:
    """One phone number as typed or imported; raises PhoneError saying why it is not one.

    ``default_area_code`` (e.g. "010" or "0755") completes a 7–8 digit local landline.
    Ints and floats from spreadsheets are accepted too.
    """
    cleaned = _clean(text)
    try:
        return _parse_one(cleaned, default_area_code)
    except _NeedsAreaCode:
        raise
    except PhoneError:
        pieces = split_phones(cleaned)
        if len(pieces) > 1 and any(_is_complete(piece) for piece in pieces):
            raise PhoneError(translate(
                "Phones", "This holds more than one phone number; enter them one at a time.")
            ) from None
        raise


def _is_complete(text: str) -> bool:
    try:
        _parse_one(_clean(text), None)
    except _NeedsAreaCode:
        return True
    except PhoneError:
        return False
    return True


def _split_piece(piece: str) -> list[str]:
    if _is_complete(piece):
        return [piece]
    tokens = [(m.start(), m.end()) for m in _GROUP_BREAK.finditer(piece)]
    if not 2 <= len(tokens) <= _MAX_TOKENS:
        return [piece]
    # Longest complete run first, so "138 0013 8000" stays one mobile while
    # "13800138000 13900139000" becomes two.
    groups: list[str] = []
    start = 0
    while start < len(tokens):
        for end in range(len(tokens), start, -1):
            candidate = piece[tokens[start][0] : tokens[end - 1][1]]
            if _is_complete(candidate):
                groups.append(candidate)
                start = end
                break
        else:
            return [piece]  # some part is no number: let the caller reject the whole cell
    return groups


def split_phones(text: str) -> list[str]:
    """The pieces of one cell that holds several numbers, each as written, blanks dropped."""
    if text is None:
        return []
    if not isinstance(text, str):
        text = str(text)
    pieces: list[str] = []
    for part in _SEPARATORS.split(text):
        part = part.strip()
        if part:
            pieces.extend(_split_piece(part))
    return pieces


def parse_phones(
    text: str, default_area_code: str | None = None
) -> tuple[list[Phone], list[tuple[str, str]]]:
    """Every number in one cell: (parsed without repeats, [(piece, reason)] for the rest)."""
    parsed: list[Phone] = []
    rejected: list[tuple[str, str]] = []
    seen: set[str] = set()
    for piece in split_phones(text):
        try:
            phone = parse_phone(piece, default_area_code)
        except PhoneError as exc:
            rejected.append((piece, str(exc)))
            continue
        if phone.normalized not in seen:
            seen.add(phone.normalized)
            parsed.append(phone)
    return parsed, rejected


def search_digits(text: str) -> str:
    """The digits of a search-box entry, to match against ``Phone.digits`` as a substring."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).strip()
    digits = re.sub(r"\D", "", folded)
    # An explicit country prefix would keep "+86 138…" from matching the stored "138…".
    if re.match(r"\+\s*86", folded):
        return digits[2:]
    if digits.startswith("0086"):
        return digits[4:]
    return digits
