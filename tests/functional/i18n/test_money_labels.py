"""A form's label that names the currency reads in the page's language, the currency's words with it."""

from wtforms import StringField

from pledgebank.web.form_base import Form, MoneyText


class _AmountForm(Form):
    class Meta:
        csrf = False

    amount = StringField(
        MoneyText("Your amount, in {name}"), description=MoneyText("In {units}, like 120.00.")
    )


def _labels(app, address: str) -> tuple[str, str]:
    with app.test_request_context(address):
        form = _AmountForm(formdata=None)
        return str(form.amount.label.text), str(form.amount.description)


def test_money_labels_read_in_english_and_in_welsh(app):
    assert _labels(app, "/?lang=en") == ("Your amount, in pounds", "In pounds and pence, like 120.00.")
    assert _labels(app, "/?lang=cy") == ("Eich swm, mewn punnoedd", "Mewn punnoedd a cheiniogau, fel 120.00.")
