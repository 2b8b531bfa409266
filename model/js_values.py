"""JavaScript values as the model receives them, and the ECMAScript abstract operations WebIDL needs.

Input arrives JSON-shaped: None is `null`, bool, int and float are Numbers, str is a String, list is an
Array, dict is a plain Object. The JS values JSON cannot hold are explicit: `UNDEFINED`, and the floats
NaN, +Infinity and -Infinity. Platform objects (an RTCCertificate) pass through as themselves.
"""

from __future__ import annotations

import math
import re
from typing import ClassVar, Final


class _Sentinel:
    """A value with exactly one instance per subclass, which prints as its constant's name."""

    _instances: ClassVar[dict[type, _Sentinel]] = {}  # shared on purpose: one instance per subclass

    def __new__(cls) -> _Sentinel:
        return _Sentinel._instances.setdefault(cls, super().__new__(cls))

    def __repr__(self) -> str:
        return type(self).__name__.upper()

    def __bool__(self) -> bool:
        return False


class Undefined(_Sentinel):
    """The JavaScript value `undefined`: a single instance, `UNDEFINED`."""


class Absent(_Sentinel):
    """No argument at all, as distinct from passing `undefined`: for a required argument WebIDL throws a
    TypeError when it is missing but converts `undefined` like any other value. A single instance, `ABSENT`."""


UNDEFINED: Final = Undefined()
ABSENT: Final = Absent()


class NoPrimitiveValue(Exception):
    """OrdinaryToPrimitive (ES2024 §7.1.1.1) step 6: neither "toString" nor "valueOf" gave a primitive. A JSON
    object with an own "toString" member hides Object.prototype.toString behind a value that is not callable
    (JSON has no functions), and the inherited valueOf returns the object itself; WebIDL's caller turns this into
    the TypeError JavaScript throws."""


#: Where the TypeError comes from, as model errors cite it.
ORDINARY_TO_PRIMITIVE: Final = "ECMAScript OrdinaryToPrimitive step 6 (ES2024 §7.1.1.1)"

JSValue = object
"""Any value the model accepts as JavaScript input (JSON-shaped, UNDEFINED, or a platform object)."""

# isinstance's tuples of types, built once (a `list | tuple` union is built anew each time it is evaluated).
ARRAY_TYPES: Final = (list, tuple)  # an Array
NUMBER_TYPES: Final = (int, float)  # a Number (bool, an int, is tested for first wherever it must differ)
_PRIMITIVE_TYPES: Final = (bool, int, float, str)


def is_object(value: JSValue) -> bool:
    """ECMAScript Type(value) is Object: an Array, a plain Object or a platform object."""
    return not (value is None or value is UNDEFINED or isinstance(value, _PRIMITIVE_TYPES))


def is_array(value: JSValue) -> bool:
    return isinstance(value, ARRAY_TYPES)


def as_double(number: float) -> float:
    """A JSON number as JavaScript holds it: a double. An integer beyond 2**53 rounds as JavaScript rounds it, and
    one beyond the largest double is ±Infinity, as JSON.parse makes it (Python's float() would raise)."""
    try:
        return float(number)
    except OverflowError:
        return math.inf if number > 0 else -math.inf


def number_to_string(number: float) -> str:
    """ECMAScript Number::toString(10) (ES2024 §6.1.6.1.20)."""
    number = as_double(number)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"
    if number < 0:
        return "-" + number_to_string(-number)
    if number.is_integer() and abs(number) < 2**53:  # every digit is significant: print them all
        return str(int(number))
    # The shortest round-tripping digits, laid out as ECMAScript does.
    digits, exponent = _shortest_digits(number)
    k = len(digits)
    n = exponent
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    sign = "+" if n - 1 >= 0 else "-"
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{mantissa}e{sign}{abs(n - 1)}"


def _shortest_digits(number: float) -> tuple[str, int]:
    """Digits d1..dk and n such that number = 0.d1..dk * 10**n, with k as small as possible."""
    mantissa, _, exp = f"{number!r}".partition("e")
    if "." in mantissa:
        whole, fraction = mantissa.split(".")
    else:
        whole, fraction = mantissa, ""
    exponent = int(exp) if exp else 0
    all_digits = (whole + fraction).lstrip("0")
    leading_zeros = len(whole + fraction) - len((whole + fraction).lstrip("0"))
    n = len(whole) + exponent - leading_zeros
    return all_digits.rstrip("0") or "0", n


def to_string(value: JSValue) -> str:
    """ECMAScript ToString (ES2024 §7.1.17), for JSON-shaped values.

    Objects go through ToPrimitive with hint string: an Array joins its elements' strings with "," (null and
    undefined elements become ""; nested Arrays are joined without recursion, so any depth is answered), a plain
    or platform object is "[object Object]", and a JSON object with an own "toString" member has no primitive
    value (NoPrimitiveValue).
    """
    if isinstance(value, str):
        return value
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, NUMBER_TYPES):
        return number_to_string(value)
    if is_array(value):
        assert isinstance(value, ARRAY_TYPES)
        return _join(value)
    _ordinary_to_primitive(value)
    return f"[object {getattr(value, 'js_class', 'Object')}]"


def _ordinary_to_primitive(value: JSValue) -> None:
    """OrdinaryToPrimitive on a plain object (either hint): an own "toString" is not callable and the inherited
    valueOf returns the object, so no primitive; without one, Object.prototype.toString answers."""
    if isinstance(value, dict) and "toString" in value:
        raise NoPrimitiveValue("an own toString member that is not callable, and valueOf returns the object")


def _join(array: list[object] | tuple[object, ...]) -> str:
    """Array.prototype.join(",") over nested Arrays, with an explicit stack instead of recursion."""
    stack: list[tuple[list[object] | tuple[object, ...], int, list[str]]] = [(array, 0, [])]
    while True:
        items, index, parts = stack[-1]
        if index == len(items):
            stack.pop()
            text = ",".join(parts)
            if not stack:
                return text
            stack[-1][2].append(text)
            continue
        stack[-1] = (items, index + 1, parts)
        item = items[index]
        if item is None or item is UNDEFINED:
            parts.append("")
        elif isinstance(item, ARRAY_TYPES):
            stack.append((item, 0, []))
        else:
            parts.append(to_string(item))


_JS_WHITESPACE = (  # ECMAScript WhiteSpace and LineTerminator
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")
_RADIX = {
    "0x": (16, re.compile(r"[0-9a-fA-F]+")),
    "0o": (8, re.compile(r"[0-7]+")),
    "0b": (2, re.compile(r"[01]+")),
}


def string_to_number(text: str) -> float:
    """ECMAScript StringToNumber (ES2024 §7.1.4.1.1)."""
    stripped = text.strip(_JS_WHITESPACE)
    if stripped == "":
        return 0.0
    prefix = stripped[:2].lower()
    if prefix in _RADIX:
        radix, digits = _RADIX[prefix]
        if not digits.fullmatch(stripped[2:]):
            return math.nan
        try:
            return float(int(stripped[2:], radix))
        except OverflowError:
            return math.inf
    if not _DECIMAL.fullmatch(stripped):
        return math.nan
    if stripped.lstrip("+-") == "Infinity":
        return -math.inf if stripped.startswith("-") else math.inf
    return float(stripped)


def to_number(value: JSValue) -> float:
    """ECMAScript ToNumber (ES2024 §7.1.4), for JSON-shaped values."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, NUMBER_TYPES):
        return as_double(value)
    if value is None:
        return 0.0
    if value is UNDEFINED:
        return math.nan
    if isinstance(value, str):
        return string_to_number(value)
    return string_to_number(to_string(value))


def to_boolean(value: JSValue) -> bool:
    """ECMAScript ToBoolean (ES2024 §7.1.2)."""
    if value is None or value is UNDEFINED:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, NUMBER_TYPES):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True


def to_usv_string(value: JSValue) -> str:
    """WebIDL USVString: ToString, then every lone surrogate becomes U+FFFD."""
    if type(value) is str and value.isascii():  # ToString of a String is itself, and ASCII holds no surrogate
        return value
    return to_scalar_value_string(to_string(value))


def to_scalar_value_string(text: str) -> str:
    """Infra, "convert a string into a scalar value string": a surrogate pair becomes its code point and every
    lone surrogate U+FFFD. UTF-8 encoding a string (Encoding, "UTF-8 encode") sees the string this way."""
    if text.isascii() or _SURROGATE.search(text) is None:  # a surrogate is not ASCII
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
