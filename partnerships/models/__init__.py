"""The partnerships app's data: partnerships and clusters (``partnerships``), and the
repayable finance instrument for PES (``finance``)."""

from .finance import (
    Lender,
    LenderStaff,
    Loan,
    LoanRequest,
    Product,
    Repayment,
)
from .partnerships import Meeting, MemberQuerySet, Partnership, PartnershipMember, Theme

__all__ = [
    "Lender",
    "LenderStaff",
    "Loan",
    "LoanRequest",
    "Meeting",
    "MemberQuerySet",
    "Partnership",
    "PartnershipMember",
    "Product",
    "Repayment",
    "Theme",
]
