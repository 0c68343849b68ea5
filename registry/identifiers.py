"""Official identifiers of an organisation: ИНН, КПП, ОГРН and its card on bus.gov.ru.

The registry holds legal entities (schools, kindergartens, colleges), so only their forms are
accepted:

- ИНН of a legal entity: 10 digits, the last a control digit — the first nine weighted
  2, 4, 10, 3, 5, 9, 4, 6, 8, summed, mod 11, mod 10. A 12-digit ИНН belongs to a person or an
  individual entrepreneur and is refused with a message saying so.
- КПП: 9 characters — 4 digits (the tax office), 2 digits or capital Latin letters (the
  reason for registration), 3 digits.
- ОГРН: 13 digits, the first 1 or 5, the last a control digit — the first twelve as a number,
  mod 11, mod 10. A 15-digit ОГРНИП (an individual entrepreneur) is refused.
- The bus.gov.ru link: https, the host bus.gov.ru itself or one of its subdomains (a host that
  merely ends in "bus.gov.ru", like evilbus.gov.ru, is somebody else's).

Every check raises ``ValidationError`` with a Russian message naming what is wrong; each field
may be blank (the registry's older rows have none). ``inn_control`` and ``ogrn_control`` give
the control digit of a number's leading digits, for tests and demo data.
"""

import re
import urllib.parse

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

INN_LENGTH = 10
PERSONAL_INN_LENGTH = 12
KPP_LENGTH = 9
OGRN_LENGTH = 13
OGRNIP_LENGTH = 15
INN_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
# 1 and 5 start the ОГРН of a legal entity; 3 an entrepreneur's ОГРНИП; 2, 4, 6–9 other
# record numbers of the state register, not an organisation's main number.
OGRN_FIRST_DIGITS = ("1", "5")
KPP_PATTERN = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")
BUSGOV_HOST = "bus.gov.ru"

__all__ = [
    "inn_control",
    "ogrn_control",
    "validate_busgov_url",
    "validate_inn",
    "validate_kpp",
    "validate_ogrn",
]


def inn_control(first_nine):
    """The control digit (a one-character string) of a legal entity's ИНН from its first
    nine digits: ``first_nine + inn_control(first_nine)`` is a valid ИНН."""
    if len(first_nine) != len(INN_WEIGHTS) or not first_nine.isdigit():
        raise ValueError("inn_control needs the first nine digits of an ИНН")
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, INN_WEIGHTS, strict=True))
    return str(total % 11 % 10)


def ogrn_control(first_twelve):
    """The control digit of an ОГРН from its first twelve digits."""
    if len(first_twelve) != OGRN_LENGTH - 1 or not first_twelve.isdigit():
        raise ValueError("ogrn_control needs the first twelve digits of an ОГРН")
    return str(int(first_twelve) % 11 % 10)


def _digits_only(value, label):
    if not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("%(label)s должен состоять только из цифр, а не «%(value)s».")
            % {"label": label, "value": value},
            code="not_digits",
        )
    if set(value) == {"0"}:
        raise ValidationError(
            _("%(label)s не может состоять из одних нулей.") % {"label": label}, code="zeros"
        )


def _wrong_length(label, length, value):
    return ValidationError(
        _("%(label)s должен состоять из %(length)s цифр, а здесь %(count)s.")
        % {"label": label, "length": length, "count": len(value)},
        code="length",
    )


def validate_inn(value):
    if not value:
        return
    _digits_only(value, _("ИНН"))
    if len(value) == PERSONAL_INN_LENGTH:
        raise ValidationError(
            _(
                "ИНН из 12 цифр принадлежит физическому лицу или индивидуальному "
                "предпринимателю; у организации (юридического лица) ИНН из 10 цифр."
            ),
            code="personal",
        )
    if len(value) != INN_LENGTH:
        raise _wrong_length(_("ИНН"), INN_LENGTH, value)
    if value[-1] != inn_control(value[:-1]):
        raise ValidationError(
            _("ИНН %(value)s не проходит проверку контрольной цифры: проверьте, нет ли опечатки.")
            % {"value": value},
            code="checksum",
        )


def validate_kpp(value):
    if not value:
        return
    if len(value) != KPP_LENGTH:
        raise ValidationError(
            _("КПП должен состоять из 9 знаков, а здесь %(count)s.") % {"count": len(value)},
            code="length",
        )
    if not KPP_PATTERN.match(value):
        raise ValidationError(
            _(
                "КПП «%(value)s» записан неверно: 4 цифры, затем 2 цифры или заглавные "
                "латинские буквы, затем 3 цифры (например 770101001)."
            )
            % {"value": value},
            code="format",
        )


def validate_ogrn(value):
    if not value:
        return
    _digits_only(value, _("ОГРН"))
    if len(value) == OGRNIP_LENGTH:
        raise ValidationError(
            _(
                "Номер из 15 цифр — это ОГРНИП индивидуального предпринимателя; у организации "
                "(юридического лица) ОГРН из 13 цифр."
            ),
            code="ogrnip",
        )
    if len(value) != OGRN_LENGTH:
        raise _wrong_length(_("ОГРН"), OGRN_LENGTH, value)
    if value[0] not in OGRN_FIRST_DIGITS:
        raise ValidationError(
            _("ОГРН юридического лица начинается с 1 или 5, а не с %(digit)s.")
            % {"digit": value[0]},
            code="first_digit",
        )
    if value[-1] != ogrn_control(value[:-1]):
        raise ValidationError(
            _("ОГРН %(value)s не проходит проверку контрольной цифры: проверьте, нет ли опечатки.")
            % {"value": value},
            code="checksum",
        )


def is_busgov_host(host):
    host = (host or "").lower().rstrip(".")
    return host == BUSGOV_HOST or host.endswith("." + BUSGOV_HOST)


def validate_busgov_url(value):
    if not value:
        return
    refusal = ValidationError(
        _(
            "Нужна ссылка на карточку организации на сайте bus.gov.ru, вида "
            "https://bus.gov.ru/info-card/…"
        ),
        code="busgov_url",
    )
    try:
        URLValidator(schemes=["https"])(value)
        parts = urllib.parse.urlsplit(value)
        port = parts.port
    except (ValidationError, ValueError) as error:
        raise refusal from error
    # Credentials or another port in the address point the reader somewhere unexpected.
    if parts.username or parts.password or port not in (None, 443):
        raise refusal
    if not is_busgov_host(parts.hostname):
        raise ValidationError(
            _("Ссылка ведёт на сайт %(host)s, а не на bus.gov.ru.") % {"host": parts.hostname},
            code="busgov_host",
        )
