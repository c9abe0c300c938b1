import pytest

from pledgebank.ledger import chart
from pledgebank.ledger.chart import AccountType, normal_sign


@pytest.mark.parametrize(
    ("account_type", "sign"),
    [
        (AccountType.ASSET, 1),
        (AccountType.EXPENSE, 1),
        (AccountType.LIABILITY, -1),
        (AccountType.INCOME, -1),
        (AccountType.EQUITY, -1),
    ],
)
def test_normal_sign(account_type, sign):
    assert normal_sign(account_type) == sign


def test_book_accounts():
    specs = {spec.code: spec for spec in chart.book_accounts()}
    assert set(specs) == {
        chart.STRIPE_CLEARING,
        chart.BANK,
        chart.CASH,
        chart.RECEIVABLES,
        chart.DEFERRED_INCOME,
        chart.GRANTS_PAYABLE,
        chart.PLEDGES_HELD,
    }
    guarded = {code for code, spec in specs.items() if spec.must_not_go_negative}
    assert guarded == {chart.BANK, chart.CASH}
    assert specs[chart.DEFERRED_INCOME].type is AccountType.LIABILITY
    assert all(spec.fund is None for spec in specs.values())
    assert all(chart.type_of(code) is spec.type for code, spec in specs.items())


def test_fund_accounts():
    specs = chart.fund_accounts("roof-repair", "Roof repair")
    codes = [spec.code for spec in specs]
    assert codes == [
        "assets:stripe-clearing:roof-repair",
        "assets:bank:roof-repair",
        "assets:cash:roof-repair",
        "assets:receivables:roof-repair",
        "liabilities:deferred-income:roof-repair",
        "liabilities:grants-payable:roof-repair",
        "liabilities:pledges-held:roof-repair",
        "income:roof-repair:pledges",
        "income:roof-repair:levies",
        "income:roof-repair:sponsorship",
        "income:roof-repair:donations",
        "expenses:roof-repair:grants",
        "expenses:roof-repair:fees",
        "income:roof-repair:interest",
        "expenses:roof-repair:bank-charges",
        "expenses:roof-repair:repairs",
        "expenses:roof-repair:materials",
        "expenses:roof-repair:events",
        "expenses:roof-repair:insurance",
        "expenses:roof-repair:hall-hire",
        "expenses:roof-repair:other",
        "equity:roof-repair:balance",
    ]
    assert all(spec.fund == "roof-repair" for spec in specs)
    # A fund's share of the bank and of the cash is guarded: one fund cannot spend another's money.
    assert [spec.code for spec in specs if spec.must_not_go_negative] == [
        "assets:bank:roof-repair",
        "assets:cash:roof-repair",
    ]
    assert all(chart.fund_of(code) == "roof-repair" for code in codes)
    assert all(chart.type_of(spec.code) is spec.type for spec in specs)
    assert specs[0].name.startswith("Roof repair")


def test_code_helpers():
    assert chart.income_account("f1", "levies") == "income:f1:levies"
    assert chart.grants_expense("f1") == "expenses:f1:grants"
    assert chart.fees_expense("f1") == "expenses:f1:fees"
    with pytest.raises(ValueError, match="income source"):
        chart.income_account("f1", "salary")


@pytest.mark.parametrize(
    "slug", ["", "Roof", "roof_repair", "-roof", "roof-", "roof--repair", "r:x", "a" * 65, None]
)
def test_invalid_fund_slugs(slug):
    with pytest.raises(ValueError):
        chart.validate_fund_slug(slug)
    with pytest.raises(ValueError):
        chart.grants_expense(slug)


@pytest.mark.parametrize(
    ("code", "fund"),
    [
        ("income:roof:pledges", "roof"),
        ("expenses:a-1:fees", "a-1"),
        ("assets:bank", None),
        ("income:roof:salary", None),
        ("expenses:Roof:fees", None),
        ("liabilities:roof:grants", None),
        ("income:roof:pledges:extra", None),
    ],
)
def test_fund_of(code, fund):
    assert chart.fund_of(code) == fund


def test_type_of_unknown_prefix():
    with pytest.raises(ValueError):
        chart.type_of("stuff:x")


def test_a_funds_shares_fit_the_account_columns_however_long_its_name():
    specs = chart.fund_accounts("a" * 40, "N" * 80)  # the longest slug and name a fund may have
    assert max(len(spec.code) for spec in specs) <= 80
    assert max(len(spec.name) for spec in specs) <= 120
    assert {chart.place_of(spec.code) for spec in specs} >= set(chart.FUND_HELD)
    assert all(chart.fund_of(spec.code) == "a" * 40 for spec in specs)
