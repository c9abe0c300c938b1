"""API schemas for the ledger."""

from __future__ import annotations

import marshmallow as ma

from pledgebank.api import fields


class PageArgsSchema(ma.Schema):
    """Paging parameters."""

    page = fields.page(load_default=1)
    per_page = fields.query_count(500, load_default=50)


class PostingSchema(ma.Schema):
    """One posting: amount in minor units, debits positive."""

    line = ma.fields.Integer()
    account = ma.fields.String(attribute="account_code")
    account_name = ma.fields.String()
    amount = ma.fields.Integer(
        metadata={"description": "Minor units (pence); debits positive, credits negative"}
    )
    currency = ma.fields.String()


class TransactionSchema(ma.Schema):
    """A sealed ledger transaction."""

    sequence = ma.fields.Integer()
    effective_date = ma.fields.Date()
    kind = ma.fields.String()
    memo = ma.fields.String()
    description = fields.English(
        metadata={"description": "The transaction in words, from its source records (not sealed in the hash)"}
    )
    source = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    idempotency_key = ma.fields.String()
    hash = ma.fields.String(
        metadata={"description": "SHA-256 of the previous hash and the sealed bytes, hex"}
    )
    reverses_sequence = ma.fields.Integer(allow_none=True)
    reversed_by_sequence = ma.fields.Integer(
        allow_none=True, metadata={"description": "The sequence of the transaction that reversed this one"}
    )
    recorded_at = ma.fields.AwareDateTime()
    postings = ma.fields.List(ma.fields.Nested(PostingSchema))


class TransactionPageSchema(ma.Schema):
    """A page of transactions, newest first."""

    items = ma.fields.List(ma.fields.Nested(TransactionSchema))
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    total = ma.fields.Integer()


class AccountBalanceSchema(ma.Schema):
    """An account and its balance (debits positive)."""

    code = ma.fields.String()
    name = ma.fields.String()
    type = ma.fields.String()
    currency = ma.fields.String()
    balance = ma.fields.Integer()
    total = ma.fields.Integer(
        metadata={"description": "For bank, cash and the like: the balance with every fund's share added"}
    )


class FundBalanceSchema(ma.Schema):
    """A fund's income, expenses and net, in minor units."""

    slug = ma.fields.String()
    name = ma.fields.String()
    income = ma.fields.Integer()
    expenses = ma.fields.Integer()
    net = ma.fields.Integer()


class BalancesSchema(ma.Schema):
    """Balances per account and per fund, with the chain head they reflect."""

    currency = ma.fields.String()
    head_sequence = ma.fields.Integer()
    head_hash = ma.fields.String()
    accounts = ma.fields.List(ma.fields.Nested(AccountBalanceSchema))
    funds = ma.fields.List(ma.fields.Nested(FundBalanceSchema))


class ExpenseCategorySchema(ma.Schema):
    """An expense category: supplier payments are filed under its slug, an expense account in every fund."""

    slug = ma.fields.String(dump_only=True, metadata={"description": "Fixed: `expenses:<fund>:<slug>`"})
    name = ma.fields.String(dump_only=True)
    retired = ma.fields.Boolean(dump_only=True, metadata={"description": "No longer offered for payments"})


class ExpenseCategoryCreateSchema(ma.Schema):
    """A new category's name; its slug is made from it."""

    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))


class ExpenseCategoryChangeSchema(ma.Schema):
    """A new name, or `retired: true` to stop offering the category (it cannot be brought back)."""

    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    retired = ma.fields.Boolean(validate=ma.validate.Equal(True, error="A category can only be retired."))
