"""Each provider's delivery timeout and retry schedule, as its documentation states it.

`delays_s` are the waits before each retry (after the first attempt). Where a provider publishes
no exact schedule, the `source` says so and the delays approximate what it does describe.
"""

from __future__ import annotations

from dataclasses import dataclass

MINUTE = 60.0
HOUR = 3600.0


@dataclass(frozen=True)
class RetryPolicy:
    timeout_s: float
    delays_s: tuple[float, ...]
    source: str

    def waits(self, time_scale: float) -> tuple[float, ...]:
        return tuple(delay * time_scale for delay in self.delays_s)


NO_RETRY = ()


def unconfirmed(where: str) -> RetryPolicy:
    """One attempt, for a provider whose retry schedule has not been read at its source yet."""
    return RetryPolicy(10, NO_RETRY, f"{where}: retry schedule not yet confirmed at the source "
                                     "(one attempt)")

POLICIES: dict[str, RetryPolicy] = {
    "bondify": RetryPolicy(10, (1, 2, 4), "docs.bondify.dev/webhooks/overview: non-2xx or no "
                           "answer within 10 s fails; up to 3 retries with exponential backoff "
                           "(the base delay is not published: 1 s, doubling, is assumed)"),
    "primebot": RetryPolicy(5, (30, 2 * MINUTE, 10 * MINUTE, HOUR, 6 * HOUR, 24 * HOUR),
                            "prime-bot.live/docs/webhooks: 2xx within 5 s; retries after 30 s, "
                            "2 min, 10 min, 1 h, 6 h and 24 h"),
    "bondio": RetryPolicy(10, NO_RETRY, "docs.bondio.co/webhooks: no retry policy published"),
    "standard-webhooks": RetryPolicy(15, (5, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR,
                                          10 * HOUR, 10 * HOUR),
                                     "Svix's published schedule, which Standard Webhooks follows"),
    "svix": RetryPolicy(15, (5, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR,
                             10 * HOUR), "docs.svix.com/retries"),
    "stripe": RetryPolicy(10, (MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR,
                               24 * HOUR, 24 * HOUR),
                          "docs.stripe.com/webhooks: exponential backoff for up to 3 days in "
                          "live mode (no exact schedule published: approximated)"),
    "github": RetryPolicy(10, NO_RETRY, "docs.github.com: 10 s timeout; failed deliveries are "
                          "not retried automatically (redeliver by hand)"),
    "gitlab": RetryPolicy(10, NO_RETRY, "docs.gitlab.com: 10 s timeout; no automatic retry"),
    "bitbucket": RetryPolicy(10, (10, 10), "support.atlassian.com: up to 2 retries on "
                             "connection errors and 5xx (delays approximated)"),
    "slack": RetryPolicy(3, (0, MINUTE, 5 * MINUTE), "docs.slack.dev Events API: 3 s to answer; "
                         "retries immediately, after 1 minute, then after 5 minutes"),
    "shopify": RetryPolicy(5, (MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE, 16 * MINUTE,
                               32 * MINUTE, HOUR, 2 * HOUR),
                           "shopify.dev: 5 s timeout; 8 retries over 4 hours with exponential "
                           "backoff (approximated)"),
    "twilio": RetryPolicy(15, NO_RETRY, "twilio.com/docs/usage/webhooks: 15 s timeout; retries "
                          "only when configured with connection overrides"),
    "telegram": RetryPolicy(60, (MINUTE, 5 * MINUTE, 30 * MINUTE),
                            "core.telegram.org/bots/api: gives up after a reasonable amount of "
                            "attempts (unpublished: approximated)"),
    "discord": RetryPolicy(3, NO_RETRY, "discord.com/developers: 3 s to answer an interaction; "
                           "no retry"),
    "square": RetryPolicy(10, (MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 6 * HOUR, 12 * HOUR),
                          "developer.squareup.com: retries with exponential backoff for up to "
                          "24 hours (approximated)"),
    "paddle": RetryPolicy(5, (MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 6 * HOUR, 24 * HOUR),
                          "developer.paddle.com: retries with exponential backoff over 3 days in "
                          "live mode (approximated)"),
    "sendgrid": RetryPolicy(10, (5 * MINUTE, 30 * MINUTE, 2 * HOUR, 8 * HOUR),
                            "SendGrid Event Webhook: retries for up to 24 hours (approximated)"),
    "mailgun": RetryPolicy(10, (10 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR,
                                2 * HOUR, 4 * HOUR),
                           "documentation.mailgun.com: retries over 8 hours at increasing "
                           "intervals"),
    "zoom": RetryPolicy(3, (5 * MINUTE, 30 * MINUTE, 90 * MINUTE),
                        "developers.zoom.us: 3 s to answer; retries after 5, 30 and 90 minutes"),
    "linear": RetryPolicy(5, (MINUTE, HOUR, 6 * HOUR),
                          "linear.app/developers/webhooks: retries after 1 minute, 1 hour and "
                          "6 hours"),
    "intercom": RetryPolicy(5, (MINUTE,), "developers.intercom.com: one retry after a minute"),
    "typeform": RetryPolicy(30, (2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR),
                            "typeform.com/developers: retries for up to 10 hours (approximated)"),
    "twitch": RetryPolicy(10, (10, 30, MINUTE), "dev.twitch.tv EventSub: retries failed "
                          "notifications with backoff (approximated)"),
    "aftership": unconfirmed("aftership.com/docs/tracking/webhook"),
    "alchemy": unconfirmed("docs.alchemy.com"),
    "circleci": unconfirmed("circleci.com/docs/outbound-webhooks"),
    "calendly": unconfirmed("developer.calendly.com"),
    "zendesk": unconfirmed("developer.zendesk.com"),
    "mux": unconfirmed("mux.com/docs"),
    "pagerduty": unconfirmed("developer.pagerduty.com"),
    "razorpay": unconfirmed("razorpay.com/docs/webhooks"),
    "coinify": unconfirmed("coinify.readme.io"),
    "fourthwall": unconfirmed("docs.fourthwall.com/webhooks"),
    "logto": unconfirmed("logto"),
    "exa": unconfirmed("exa"),
    "datasaur": unconfirmed("datasaur"),
    "oracle-commerce": unconfirmed("oracle-commerce"),
    "xobni": unconfirmed("xobni"),
    "emailit": unconfirmed("emailit"),
    "lusha": unconfirmed("lusha"),
    "zoho-payments": unconfirmed("zoho-payments"),
    "zavu": unconfirmed("zavu"),
    "rootly": unconfirmed("rootly"),
    "leaf": unconfirmed("leaf"),
    "persona": unconfirmed("docs.withpersona.com"),
    "buildkite": unconfirmed("buildkite.com/docs/apis/webhooks"),
    "box": RetryPolicy(30, (5 * MINUTE, 10 * MINUTE, 20 * MINUTE, 40 * MINUTE, 80 * MINUTE,
                            160 * MINUTE, 320 * MINUTE, 640 * MINUTE, 1280 * MINUTE,
                            2560 * MINUTE),
                       "developer.box.com/guides/webhooks/v2 (retries): 2xx within 30 s; up to "
                       "10 retries, the first 5 minutes after the failure, then exponential "
                       "back-off (its factor is not published: doubling is assumed)"),
    "pusher": RetryPolicy(10, (5, 10, 20, 40, 80, 145),
                          "pusher.com/docs/channels/server_api/webhooks: a non-2xx answer is "
                          "retried with exponential backoff for 5 minutes (delays approximated; "
                          "the answer timeout is not stated: 10 s assumed)"),
    "plivo": unconfirmed("plivo.com/docs"),
    "hubspot": unconfirmed("developers.hubspot.com/docs/api/webhooks"),
    "mailchimp": unconfirmed("mailchimp.com/developer/transactional/docs/webhooks"),
    "contentful": unconfirmed("contentful.com/developers/docs/webhooks"),
    "graphcms": unconfirmed("hygraph.com/docs/api-reference/basics/webhooks"),
    "sns": RetryPolicy(15, (20, 20, 20),
                       "docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.retry.html: by "
                       "default up to three retries, 20 seconds apart (a topic's delivery policy "
                       "can change it; the answer timeout is not stated there: 15 s assumed)"),
    "hmac": RetryPolicy(10, (1, 2, 4), "generic: three retries, doubling from 1 s"),
}
