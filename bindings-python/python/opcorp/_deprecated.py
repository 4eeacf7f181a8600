"""Toolkit names of the 0.1 release, kept for one release.

Every binding now uses one vocabulary, ``<type>_<core method>`` (``reference_generate``,
``iban_normalize``, ...). Each old name warns once with a ``DeprecationWarning`` and calls
its new name.
"""

from __future__ import annotations

import warnings
from . import _native


def _warn(old: str, new: str) -> None:
    warnings.warn(f"opcorp.{old}() is deprecated; use opcorp.{new}()", DeprecationWarning, stacklevel=3)


def finnish_reference(base: str) -> str:
    """Deprecated: use ``reference_generate``."""
    _warn("finnish_reference", "reference_generate")
    return _native.reference_generate(base)


def rf_reference(body: str) -> str:
    """Deprecated: use ``rf_generate``."""
    _warn("rf_reference", "rf_generate")
    return _native.rf_generate(body)


def validate_reference(reference: str) -> str:
    """Deprecated: use ``reference_normalize``."""
    _warn("validate_reference", "reference_normalize")
    return _native.reference_normalize(reference)


def format_reference(reference: str) -> str:
    """Deprecated: use ``reference_grouped``."""
    _warn("format_reference", "reference_grouped")
    return _native.reference_grouped(reference)


def validate_iban(iban: str) -> str:
    """Deprecated: use ``iban_normalize``."""
    _warn("validate_iban", "iban_normalize")
    return _native.iban_normalize(iban)


def format_iban(iban: str) -> str:
    """Deprecated: use ``iban_grouped``."""
    _warn("format_iban", "iban_grouped")
    return _native.iban_grouped(iban)


def validate_bic(bic: str) -> str:
    """Deprecated: use ``bic_normalize``."""
    _warn("validate_bic", "bic_normalize")
    return _native.bic_normalize(bic)

