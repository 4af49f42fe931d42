"""Webhook signature schemes, one module per provider family, behind one registry."""

PROVIDERS = (
    "bondify", "primebot", "bondio", "standard-webhooks", "svix", "stripe", "github", "gitlab",
    "bitbucket", "slack", "shopify", "twilio", "telegram", "discord", "square", "paddle",
    "sendgrid", "mailgun", "zoom", "linear", "intercom", "typeform", "twitch", "hmac",
)


def provider_names() -> tuple[str, ...]:
    return PROVIDERS
