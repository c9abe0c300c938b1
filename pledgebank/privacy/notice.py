"""The privacy notice's content, built from the settings: who the controller is, what is held, why, for how
long (from the retention policy), who it is shared with, and each cookie the service sets."""

from __future__ import annotations

from dataclasses import dataclass

from pledgebank.privacy.retention import RetentionPolicy, describe_days

LEGAL_OBLIGATION = "legal obligation (UK GDPR article 6(1)(c)): the law requires the accounts to be kept"
CONTRACT = "contract (UK GDPR article 6(1)(b)): it is needed to provide what you signed up for"
LEGITIMATE = "legitimate interests (UK GDPR article 6(1)(f))"


@dataclass(frozen=True, slots=True)
class Holding:
    """One kind of personal data held: what it is, why (with the lawful basis) and for how long."""

    what: str
    why: str
    how_long: str


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone the data is shared with, what they receive and why."""

    name: str
    receives: str
    why: str


@dataclass(frozen=True, slots=True)
class Cookie:
    """A cookie the service sets: all are essential; none tracks or advertises."""

    name: str
    purpose: str
    lasts: str


@dataclass(frozen=True, slots=True)
class Controller:
    """Who decides what happens to the data, and how to reach them (empty until they are named)."""

    name: str
    contact: str


def holdings(policy: RetentionPolicy) -> list[Holding]:
    """What is held, why and for how long, with the periods the retention job enforces."""
    financial = (
        f"{policy.financial_years} years after the end of the financial year it falls in; the records are "
        "then kept without your name (pseudonymised), since the books cannot be changed"
    )
    return [
        Holding(
            "Your account: email address, the name neighbours see, a one-way hash of your password, when you "
            "registered and last signed in",
            f"To let you sign in and to email you about what you take part in; {CONTRACT}.",
            "While your account is open. An account whose email address is never confirmed is deleted after "
            f"{describe_days(policy.unverified_accounts_days)}.",
        ),
        Holding(
            "Records of sign-ins you ended (a one-way digest only) and your API tokens' names",
            f"To keep a signed-out or stolen cookie from working again; {LEGITIMATE}, keeping accounts safe.",
            f"Sign-out records: {describe_days(policy.sign_outs_days)}. Revoked API tokens: "
            f"{describe_days(policy.revoked_tokens_days)} after you revoke them.",
        ),
        Holding(
            "Your memberships and roles in neighbourhoods, and actions recorded in the audit log",
            f"To run each neighbourhood's committee openly; {LEGITIMATE}, accountability for shared money.",
            "While you are a member; audit entries as long as the financial records they explain.",
        ),
        Holding(
            "Households: address, council-tax band and who lives there; levy charges and payments",
            f"To raise and collect levies the household joined; {CONTRACT}. The payment records: "
            f"{LEGAL_OBLIGATION}.",
            f"While the household takes part; payment records for {financial}. Once nobody lives there and "
            'its charges are settled and past keeping, its address is replaced by "Former household" and '
            "a number.",
        ),
        Holding(
            "Pledges, payments, refunds and card references (Stripe's ids for your saved card, never the "
            "card number, which goes to Stripe only)",
            f"To collect what you pledged once a pledge succeeds; {CONTRACT}. The payment records: "
            f"{LEGAL_OBLIGATION}.",
            f"Payment records for {financial}.",
        ),
        Holding(
            "Gift Aid declarations: your name, house name or number and postcode, the words you agreed to "
            "and when; their cancellations; and which of your gifts were claimed",
            "To claim Gift Aid from HMRC on your gifts, as you asked; HMRC may check each claim against the "
            f"declarations behind it, so keeping them is a {LEGAL_OBLIGATION}.",
            f"{policy.financial_years} years after the end of the financial year of the last claim a "
            "declaration supports (HMRC's time for checking claims); they are kept when you close your "
            "account, since HMRC may still ask for them.",
        ),
        Holding(
            "Grant applications, the committee's reviews and decisions, and grantees' reports",
            f"To decide and pay grants fairly; {LEGITIMATE}. Awards and payments: {LEGAL_OBLIGATION}.",
            "Applications not funded or withdrawn: "
            f"{describe_days(policy.declined_applications_days)} after the decision. Awarded grants: "
            f"{financial}.",
        ),
        Holding(
            "Emails to you waiting to be sent, and any that could not be sent after every retry: your "
            "address, your name and the message",
            f"To deliver the emails the service sends you; {CONTRACT}.",
            "Until sent (then deleted at once); one that could not be sent: "
            f"{describe_days(policy.dead_jobs_days)} after the last try. Closing your account deletes them.",
        ),
        Holding(
            "Messages from Stripe about payments that could not be read (they may include a payer's details)",
            f"To find and fix faults in taking payments; {LEGITIMATE}.",
            f"{describe_days(policy.webhook_payloads_days)}.",
        ),
    ]


def recipients(mail_provider: str) -> list[Recipient]:
    """Who the data is shared with: the card processor and the email provider, nobody else."""
    return [
        Recipient(
            "Stripe Payments Europe, Ltd. and Stripe Payments UK, Ltd.",
            "Your name and email address, card details you type into Stripe's form, and the amounts taken",
            "To save cards and take payments; Stripe also decides on fraud checks as a controller itself. "
            "When you close your account, your customer record at Stripe is deleted.",
        ),
        Recipient(
            "HM Revenue and Customs (HMRC)",
            "For a gift you declared for Gift Aid: your name, house name or number, postcode, and the gift's "
            "date and amount",
            "To claim Gift Aid on it, where the neighbourhood is a charity and you made a declaration.",
        ),
        Recipient(
            mail_provider or "Our email delivery provider",
            "Your email address, your name and the message",
            "To deliver the emails the service sends you (links to confirm your address, receipts, "
            "reminders).",
        ),
    ]


def cookies(*, session_name: str, remember_name: str, remember_days: int) -> list[Cookie]:
    """Every cookie the service sets, all essential (no consent banner is needed, nothing tracks you)."""
    return [
        Cookie(
            session_name,
            "Keeps you signed in as you move between pages, protects forms against forgery and carries "
            "one-time messages such as 'The settings are saved.'",
            "Until you close your browser",
        ),
        Cookie(
            remember_name,
            "Set only when you tick 'Keep me signed in on this device': signs you in again on your next "
            "visit. Signing out ends it.",
            f"{describe_days(remember_days)}, or until you sign out",
        ),
    ]
