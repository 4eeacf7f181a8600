"""Type stubs for opcorp (checked against the module by tests/test_stubs.py)."""

from builtins import TimeoutError as builtins_TimeoutError
import datetime
import os
from decimal import Decimal
from typing import Any, AsyncIterator, Awaitable, Dict, Iterable, Iterator, List, Literal, Mapping, Optional, Sequence, Tuple, Union, overload

__version__: str

AmountLike = Union[Decimal, int, str]
DateLike = Union[datetime.date, str]
PemLike = Union[str, bytes]
PathLike = Union[str, "os.PathLike[str]"]

class OpcorpError(Exception):
    code: str
    message: str
    status: Optional[int]
    request_id: Optional[str]
    retryable: bool
    retry_after: Optional[float]
    body_snippet: Optional[str]
    pending: Optional[PendingOperation]

class AuthError(OpcorpError): ...
class ForbiddenError(OpcorpError): ...
class TlsError(OpcorpError): ...
class RateLimitedError(OpcorpError): ...
class TimeoutError(OpcorpError, builtins_TimeoutError): ...
class NetworkError(OpcorpError): ...
class InvalidInputError(OpcorpError, ValueError): ...
class RejectedError(OpcorpError): ...
class NotFoundError(OpcorpError): ...
class ConflictError(OpcorpError): ...
class ServerError(OpcorpError): ...
class DecodeError(OpcorpError): ...
class SignatureError(OpcorpError): ...
class ConfigError(OpcorpError): ...
class UnknownOutcomeError(OpcorpError): ...
class ClockSkewError(OpcorpError): ...
class PayeeMismatchError(OpcorpError): ...


class Account:
    iban: str
    bic: Optional[str]
    name: Optional[str]
    balance: Decimal
    currency: str
    surrogate_id: str
    product_names: Dict[str, str]
    account_type_code: Optional[str]
    extra: Dict[str, Any]
    def to_dict(self) -> Dict[str, Any]: ...

class AccountDetails:
    iban: str
    bic: Optional[str]
    due_date: Optional[datetime.date]
    owner_id: Optional[str]
    currency: str
    net_balance: Optional[Decimal]
    account_name: Optional[str]
    credit_limit: Optional[Decimal]
    surrogate_id: str
    account_owner: Optional[str]
    creation_date: Optional[datetime.date]
    gross_balance: Optional[Decimal]
    intra_day_limit: Optional[Decimal]
    extra: Dict[str, Any]
    def to_dict(self) -> Dict[str, Any]: ...

class Transaction:
    amount: Decimal
    balance_before: Optional[Decimal]
    balance_after: Optional[Decimal]
    message: Optional[str]
    currency: Optional[str]
    object_id: str
    archive_id: str
    debtor_bic: Optional[str]
    reference: Optional[str]
    rf_reference: Optional[str]
    value_date: Optional[datetime.date]
    debtor_name: Optional[str]
    booking_date: datetime.date
    creditor_bic: Optional[str]
    payment_date: Optional[datetime.date]
    creditor_name: Optional[str]
    debtor_account: Optional[str]
    creditor_account: Optional[str]
    end_to_end_id: Optional[str]
    timestamp: int
    transaction_type_code: Optional[str]
    transaction_type_description: Optional[str]
    booking_code: Optional[str]
    booking_code_description: Optional[str]
    uetr: Optional[str]
    extra: Dict[str, Any]
    def to_dict(self) -> Dict[str, Any]: ...

class PaymentResponse:
    amount: Decimal
    status: str
    currency: Optional[str]
    archive_id: str
    debtor_iban: Optional[str]
    ultimate_debtor_name: Optional[str]
    booking_date: Optional[datetime.date]
    payment_type: str
    creditor_iban: Optional[str]
    creditor_name: Optional[str]
    ultimate_creditor_name: Optional[str]
    transaction_id: Optional[str]
    transaction_date: Optional[datetime.date]
    end_to_end_id: Optional[str]
    message: Optional[str]
    extra: Dict[str, Any]
    def to_dict(self) -> Dict[str, Any]: ...

class RefundOriginal:
    archive_id: str
    message: Optional[str]
    reference: Optional[str]
    amount: Decimal
    booking_date: Optional[datetime.date]
    debtor_name: Optional[str]
    extra: Dict[str, Any]
    def to_dict(self) -> Dict[str, Any]: ...

class RefundResponse:
    original: RefundOriginal
    refund: PaymentResponse
    extra: Dict[str, Any]
    def to_dict(self) -> Dict[str, Any]: ...

class FilteredTransaction:
    amount: Decimal
    archive_id: str
    object_id: Optional[str]
    timestamp: Optional[int]
    booking_date: Optional[datetime.date]
    reference: Optional[str]
    rf_reference: Optional[str]
    message: Optional[str]
    debtor_name: Optional[str]
    creditor_name: Optional[str]
    extra: Dict[str, Any]
    def to_dict(self) -> Dict[str, Any]: ...

class FilterResult:
    transactions: List[FilteredTransaction]
    skipped: int
    extra: Dict[str, Any]
    def to_dict(self) -> Dict[str, Any]: ...

class PayerDetails:
    payer_name: Optional[str]
    payer_address: Optional[Dict[str, Any]]
    extra: Dict[str, Any]
    def to_dict(self) -> Dict[str, Any]: ...

class PayeeVerification:
    outcome: str
    matched_name: Optional[str]
    request_id: str
    def to_dict(self) -> Dict[str, Any]: ...

class Mandate:
    mandate_id: str
    company_name: Optional[str]
    business_id: Optional[str]
    apis: List[str]
    valid_from: Optional[datetime.date]
    status: str
    extra: Dict[str, Any]
    def to_dict(self) -> Dict[str, Any]: ...

class PaymentRequest:
    def __init__(
        self,
        *,
        debtor_name: str,
        debtor_iban: str,
        creditor_name: str,
        creditor_iban: str,
        amount: AmountLike,
        reference: Optional[str] = None,
        message: Optional[str] = None,
        instruction_id: Optional[str] = None,
        end_to_end_id: Optional[str] = None,
        debtor_address: Optional[Mapping[str, Any]] = None,
        creditor_address: Optional[Mapping[str, Any]] = None,
    ) -> None: ...
    instruction_id: Optional[str]
    amount: Decimal
    creditor_iban: str
    debtor_iban: str
    reference: Optional[str]
    message: Optional[str]
    creditor_address: Optional[Dict[str, Any]]

class RefundRequest:
    def __init__(
        self,
        *,
        archive_id: str,
        amount: AmountLike,
        message: str,
        account_iban: str,
        transaction_date: DateLike,
        end_to_end_id: Optional[str] = None,
    ) -> None: ...
    archive_id: str
    amount: Decimal

class PendingOperation:
    def __init__(self, kind: Literal["sepa_payment", "sepa_instant_payment", "refund"], id: str, body: bytes) -> None: ...
    kind: str
    id: str
    body: bytes

class TransactionIterator(Iterator[Transaction], AsyncIterator[Transaction]):
    def __iter__(self) -> TransactionIterator: ...
    def __next__(self) -> Transaction: ...
    def __aiter__(self) -> TransactionIterator: ...
    def __anext__(self) -> Awaitable[Transaction]: ...
    def to_list(self) -> List[Transaction]: ...

class Delivery:
    account: str
    mandate: Optional[str]
    transaction: Transaction
    object_id: str
    detected_at: datetime.datetime

class Watcher(Iterator[Delivery], AsyncIterator[Delivery]):
    def __iter__(self) -> Watcher: ...
    def __next__(self) -> Delivery: ...
    def __aiter__(self) -> Watcher: ...
    def __anext__(self) -> Awaitable[Delivery]: ...
    def next(self, timeout: Optional[float] = None) -> Optional[Delivery]: ...
    def ack(self, delivery: Delivery) -> None: ...
    def ack_async(self, delivery: Delivery) -> Awaitable[None]: ...
    def close(self) -> None: ...

class OutboxEntry:
    intent: str
    kind: Literal["sepa_payment", "sepa_instant_payment", "refund"]
    state: Literal["succeeded", "rejected", "unknown"]
    id: str
    attempts: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    archive_id: Optional[str]
    receipt: Union[PaymentResponse, RefundResponse, Transaction, None]
    error_code: Optional[str]
    error_message: Optional[str]
    error_status: Optional[int]
    def to_dict(self) -> Dict[str, Any]: ...

class Outbox:
    def submit(
        self,
        intent: str,
        *,
        payment: Optional[PaymentRequest] = None,
        refund: Optional[RefundRequest] = None,
        instant: bool = False,
    ) -> OutboxEntry: ...
    def drive(self) -> List[OutboxEntry]: ...
    def list(self, *, unsettled: bool = False) -> List[OutboxEntry]: ...
    def get(self, intent: str) -> Optional[OutboxEntry]: ...

class AsyncOutbox:
    async def submit(
        self,
        intent: str,
        *,
        payment: Optional[PaymentRequest] = None,
        refund: Optional[RefundRequest] = None,
        instant: bool = False,
    ) -> OutboxEntry: ...
    async def drive(self) -> List[OutboxEntry]: ...
    async def list(self, *, unsettled: bool = False) -> List[OutboxEntry]: ...
    async def get(self, intent: str) -> Optional[OutboxEntry]: ...

class Client:
    def __init__(
        self,
        *,
        base_url: Optional[str] = None,
        environment: Optional[Literal["production", "sandbox"]] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        certificate_pem: Optional[PemLike] = None,
        certificate_file: Optional[PathLike] = None,
        private_key_pem: Optional[PemLike] = None,
        private_key_file: Optional[PathLike] = None,
        ca_certificate_pem: Optional[PemLike] = None,
        ca_certificate_file: Optional[PathLike] = None,
        signing_key_pem: Optional[PemLike] = None,
        signing_key_file: Optional[PathLike] = None,
        signing_kid: Optional[str] = None,
        connect_timeout: Optional[float] = None,
        read_timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        call_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
        max_connections: Optional[int] = None,
        proxy: Optional[str] = None,
        address_rules: Optional[Literal["rulebook", "allow_unstructured"]] = None,
    ) -> None: ...
    @staticmethod
    def from_env(**overrides: Any) -> Client: ...
    base_url: str
    def accounts(self) -> List[Account]: ...
    def account(self, surrogate_id: str) -> AccountDetails: ...
    def transactions(
        self,
        surrogate_id: str,
        *,
        from_date: Optional[DateLike] = None,
        from_time: Optional[datetime.datetime] = None,
        after_object_id: Optional[str] = None,
        to_date: Optional[DateLike] = None,
        version: Optional[Literal[2, 3, "auto"]] = None,
        page_size: Optional[int] = None,
    ) -> TransactionIterator: ...
    def sepa_payment(self, request: PaymentRequest) -> PaymentResponse: ...
    def sepa_instant_payment(self, request: PaymentRequest) -> PaymentResponse: ...
    def prepare_payment(self, request: PaymentRequest, *, instant: bool = False) -> PendingOperation: ...
    def refund(self, request: RefundRequest) -> RefundResponse: ...
    def prepare_refund(self, request: RefundRequest) -> PendingOperation: ...
    def resolve(self, pending: PendingOperation) -> Union[PaymentResponse, RefundResponse]: ...
    def conformance(self, *, writes: bool = False) -> Dict[str, Any]: ...
    def instant_status(self, instruction_id: str) -> List[PaymentResponse]: ...
    def credit_transactions(
        self,
        account_iban: str,
        from_date: DateLike,
        to_date: DateLike,
        *,
        reference: Optional[str] = None,
        min_amount: Optional[AmountLike] = None,
        max_amount: Optional[AmountLike] = None,
        debtor_name: Optional[str] = None,
        creditor_name: Optional[str] = None,
    ) -> FilterResult: ...
    def debit_transactions(
        self,
        account_iban: str,
        from_date: DateLike,
        to_date: DateLike,
        *,
        reference: Optional[str] = None,
        min_amount: Optional[AmountLike] = None,
        max_amount: Optional[AmountLike] = None,
        debtor_name: Optional[str] = None,
        creditor_name: Optional[str] = None,
    ) -> FilterResult: ...
    def verify_payee(self, iban: str, name: str) -> PayeeVerification: ...
    def payer_details(self, account_iban: str, archive_id: str, *, booking_date: Optional[DateLike] = None) -> PayerDetails: ...
    def mandates(self) -> List[Mandate]: ...
    def outbox(self, path: PathLike) -> Outbox: ...
    def watch(
        self,
        accounts: List[str],
        *,
        checkpoint_file: Optional[PathLike] = None,
        start_from: Union[Literal["now", "beginning"], datetime.datetime, None] = None,
        poll_interval: Optional[float] = None,
        include_outgoing: bool = False,
        page_size: Optional[int] = None,
        lookback: Optional[float] = None,
        max_requests_per_second: Optional[float] = None,
        store_url: Optional[str] = None,
        store_group: Optional[str] = None,
        lease_ttl: Optional[float] = None,
        account_source: Optional[Literal["listed", "all", "mandates"]] = None,
        store_init: bool = False,
    ) -> Watcher: ...

class AsyncClient:
    def __init__(
        self,
        *,
        base_url: Optional[str] = None,
        environment: Optional[Literal["production", "sandbox"]] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        certificate_pem: Optional[PemLike] = None,
        certificate_file: Optional[PathLike] = None,
        private_key_pem: Optional[PemLike] = None,
        private_key_file: Optional[PathLike] = None,
        ca_certificate_pem: Optional[PemLike] = None,
        ca_certificate_file: Optional[PathLike] = None,
        signing_key_pem: Optional[PemLike] = None,
        signing_key_file: Optional[PathLike] = None,
        signing_kid: Optional[str] = None,
        connect_timeout: Optional[float] = None,
        read_timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        call_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
        max_connections: Optional[int] = None,
        proxy: Optional[str] = None,
        address_rules: Optional[Literal["rulebook", "allow_unstructured"]] = None,
    ) -> None: ...
    @staticmethod
    def from_env(**overrides: Any) -> AsyncClient: ...
    base_url: str
    async def accounts(self) -> List[Account]: ...
    async def account(self, surrogate_id: str) -> AccountDetails: ...
    def transactions(
        self,
        surrogate_id: str,
        *,
        from_date: Optional[DateLike] = None,
        from_time: Optional[datetime.datetime] = None,
        after_object_id: Optional[str] = None,
        to_date: Optional[DateLike] = None,
        version: Optional[Literal[2, 3, "auto"]] = None,
        page_size: Optional[int] = None,
    ) -> TransactionIterator: ...
    async def sepa_payment(self, request: PaymentRequest) -> PaymentResponse: ...
    async def sepa_instant_payment(self, request: PaymentRequest) -> PaymentResponse: ...
    def prepare_payment(self, request: PaymentRequest, *, instant: bool = False) -> PendingOperation: ...
    async def refund(self, request: RefundRequest) -> RefundResponse: ...
    def prepare_refund(self, request: RefundRequest) -> PendingOperation: ...
    async def resolve(self, pending: PendingOperation) -> Union[PaymentResponse, RefundResponse]: ...
    async def conformance(self, *, writes: bool = False) -> Dict[str, Any]: ...
    async def instant_status(self, instruction_id: str) -> List[PaymentResponse]: ...
    async def credit_transactions(
        self,
        account_iban: str,
        from_date: DateLike,
        to_date: DateLike,
        *,
        reference: Optional[str] = None,
        min_amount: Optional[AmountLike] = None,
        max_amount: Optional[AmountLike] = None,
        debtor_name: Optional[str] = None,
        creditor_name: Optional[str] = None,
    ) -> FilterResult: ...
    async def debit_transactions(
        self,
        account_iban: str,
        from_date: DateLike,
        to_date: DateLike,
        *,
        reference: Optional[str] = None,
        min_amount: Optional[AmountLike] = None,
        max_amount: Optional[AmountLike] = None,
        debtor_name: Optional[str] = None,
        creditor_name: Optional[str] = None,
    ) -> FilterResult: ...
    async def verify_payee(self, iban: str, name: str) -> PayeeVerification: ...
    async def payer_details(self, account_iban: str, archive_id: str, *, booking_date: Optional[DateLike] = None) -> PayerDetails: ...
    async def mandates(self) -> List[Mandate]: ...
    def outbox(self, path: PathLike) -> AsyncOutbox: ...
    def watch(
        self,
        accounts: List[str],
        *,
        checkpoint_file: Optional[PathLike] = None,
        start_from: Union[Literal["now", "beginning"], datetime.datetime, None] = None,
        poll_interval: Optional[float] = None,
        include_outgoing: bool = False,
        page_size: Optional[int] = None,
        lookback: Optional[float] = None,
        max_requests_per_second: Optional[float] = None,
        store_url: Optional[str] = None,
        store_group: Optional[str] = None,
        lease_ttl: Optional[float] = None,
        account_source: Optional[Literal["listed", "all", "mandates"]] = None,
        store_init: bool = False,
    ) -> Watcher: ...

class Reconciler:
    def __init__(self, items: Iterable[Union[Mapping[str, Any], Any]]) -> None: ...
    def push(self, payment: Union[Transaction, Mapping[str, Any], Any]) -> Dict[str, Any]: ...
    def finish(self) -> ReconcileReport: ...

class ReconcileItem(Mapping[str, Any]):
    """One report item; a read-only mapping whose values are converted when read."""
    id: str
    reference: str
    amount: Decimal
    currency: str
    due_date: Optional[datetime.date]
    received: Decimal
    status: Literal["unpaid", "paid", "partially_paid", "overpaid", "paid_twice", "ambiguous_reference"]
    remaining: Optional[Decimal]
    excess: Optional[Decimal]
    covering_payments: Optional[int]
    payment_ids: List[str]
    def keys(self) -> List[str]: ...  # type: ignore[override]
    def values(self) -> List[Any]: ...  # type: ignore[override]
    def items(self) -> List[Tuple[str, Any]]: ...  # type: ignore[override]
    def get(self, key: str, default: Any = None) -> Any: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __getitem__(self, key: str) -> Any: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...

class ReconcileItems(Sequence[ReconcileItem]):
    """The report's items in input order; each item is made only when reached."""
    @overload
    def __getitem__(self, index: int) -> ReconcileItem: ...
    @overload
    def __getitem__(self, index: slice) -> List[ReconcileItem]: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[ReconcileItem]: ...

class ReconcileReport:
    items: ReconcileItems
    unmatched: List[Dict[str, Any]]
    totals: Dict[str, Any]
    def columns(self, money: Literal["decimal", "cents"] = "decimal") -> Dict[str, List[Any]]: ...
    def to_pandas(self, money: Literal["decimal", "cents"] = "decimal") -> Any: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_xlsx(self, path: Optional[PathLike] = None) -> bytes: ...

class GeneratedKey:
    private_key_pem: str
    csr_pem: str

def read_statement(source: Union[bytes, PathLike]) -> List[Dict[str, Any]]: ...
def reconcile(items: Iterable[Union[Mapping[str, Any], Any]], payments: Iterable[Union[Transaction, Mapping[str, Any], Any]]) -> ReconcileReport: ...
def conformance_compare(a: Union[Mapping[str, Any], str], b: Union[Mapping[str, Any], str]) -> Dict[str, Any]: ...
def transactions_to_xlsx(transactions: Iterable[Transaction], path: Optional[PathLike] = None) -> bytes: ...
def read_invoices(source: Union[bytes, PathLike]) -> List[Dict[str, Any]]: ...
def to_dataframe(transactions: Iterable[Any]) -> Any: ...

TRACE: int
def refresh_logging() -> None: ...
def reference_generate(base: str) -> str: ...
def rf_generate(body: str) -> str: ...
def rf_from_finnish(reference: str) -> str: ...
def rf_to_finnish(rf: str) -> Optional[str]: ...
def reference_normalize(reference: str) -> str: ...
def reference_grouped(reference: str) -> str: ...
def iban_normalize(iban: str) -> str: ...
def iban_grouped(iban: str) -> str: ...
def bic_for_iban(iban: str) -> Optional[str]: ...
def bic_normalize(bic: str) -> str: ...
def status_error(status: int, body: bytes, request_id: Optional[str] = None) -> OpcorpError: ...
# Deprecated names (one release): each warns and calls its new name above.
def finnish_reference(base: str) -> str: ...
def rf_reference(body: str) -> str: ...
def validate_reference(reference: str) -> str: ...
def format_reference(reference: str) -> str: ...
def validate_iban(iban: str) -> str: ...
def format_iban(iban: str) -> str: ...
def validate_bic(bic: str) -> str: ...
def barcode_encode(iban: str, amount: AmountLike, reference: str, due_date: Optional[DateLike] = None) -> str: ...
def barcode_decode(barcode: str) -> Dict[str, Any]: ...
def sign_detached(body: bytes, private_key_pem: str, kid: str, iat: Optional[int] = None) -> str: ...
def public_key_pem(private_key_pem: str) -> str: ...
def generate_key_and_csr(common_name: str, bits: Literal[2048, 3072, 4096] = 4096) -> GeneratedKey: ...
