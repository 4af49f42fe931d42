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

# "Exponential backoff for up to three days", where no exact schedule is published.
BACKOFF_OVER_THREE_DAYS = (MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR,
                           24 * HOUR, 24 * HOUR)

POLICIES: dict[str, RetryPolicy] = {
    "bondify": RetryPolicy(10, (1, 2, 4), "docs.bondify.dev/webhooks/overview: non-2xx or no "
                           "answer within 10 s fails; up to 3 retries with exponential backoff "
                           "(the base delay is not published: 1 s, doubling, is assumed)"),
    "primebot": RetryPolicy(5, (30, 2 * MINUTE, 10 * MINUTE, HOUR, 6 * HOUR, 24 * HOUR),
                            "prime-bot.live/docs/webhooks: 2xx within 5 s; retries after 30 s, "
                            "2 min, 10 min, 1 h, 6 h and 24 h"),
    "bondio": RetryPolicy(10, NO_RETRY, "docs.bondio.co/webhooks: no retry policy published"),
    "telebothost": RetryPolicy(10, NO_RETRY, "tbl-static-docs.pages.dev: a user opens the "
                               "link; nothing is retried"),
    "standard-webhooks": RetryPolicy(15, (5, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR,
                                          10 * HOUR, 10 * HOUR),
                                     "Svix's published schedule, which Standard Webhooks follows"),
    "svix": RetryPolicy(15, (5, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR,
                             10 * HOUR), "docs.svix.com/retries"),
    "stripe": RetryPolicy(10, BACKOFF_OVER_THREE_DAYS,
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
    "adyen": unconfirmed("docs.adyen.com/development-resources/webhooks"),
    "braintree": unconfirmed("developer.paypal.com/braintree/docs/guides/webhooks"),
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
    "mongodb": unconfirmed("mongodb.com/docs/atlas/tutorial/webhook-integration"),
    "modern-treasury": RetryPolicy(5, NO_RETRY, "docs.moderntreasury.com/platform/reference/"
                                   "webhooks: 5 s to answer 2xx, then re-enqueued with "
                                   "exponential backoff (delays not published: one attempt)"),
    "signal-sciences": unconfirmed("docs.fastly.com/en/ngwaf/generic-webhooks"),
    "sonatype": unconfirmed("help.sonatype.com webhooks"),
    "coinbase": RetryPolicy(10, NO_RETRY, "docs.cdp.coinbase.com/commerce/api-arcitecture/"
                            "webhooks-overview: exponential backoff for up to three days, at "
                            "most 1 hour apart (delays not published: one attempt)"),
    "castle": unconfirmed("docs.castle.io/docs/subscribe-to-webhooks"),
    "bolt": unconfirmed("help.bolt.com/developers/webhooks"),
    "clearbit": unconfirmed("clearbit webhooks"),
    "autodesk": RetryPolicy(6, NO_RETRY, "aps.autodesk.com/en/docs/webhooks/v1/overview/basics: "
                            "6 s to answer 2xx; four retries, the last at least 48 hours after "
                            "the first (delays not published: one attempt)"),
    "docusign": unconfirmed("developers.docusign.com/platform/webhooks/connect"),
    "hostedhooks": unconfirmed("docs.hostedhooks.com"),
    "trendmicro-conformity": unconfirmed("cloudone.trendmicro.com/docs/conformity"),
    "orb": unconfirmed("docs.withorb.com"),
    "sentry": RetryPolicy(1, NO_RETRY, "docs.sentry.io integration-platform webhooks: answer "
                          "within 1 second; no retry is documented (one attempt)"),
    "terraform": unconfirmed("developer.hashicorp.com/terraform/cloud-docs/api-docs/"
                             "notification-configurations"),
    "launch-darkly": RetryPolicy(10, (5,), "launchdarkly.com/docs webhooks: one retry after a "
                                 "non-2xx answer (its delay is not published: 5 s assumed)"),
    "tiktok": RetryPolicy(10, BACKOFF_OVER_THREE_DAYS,
                          "developers.tiktok.com webhooks overview: retries with exponential "
                          "backoff for up to 72 hours (approximated)"),
    "pinwheel": RetryPolicy(15, NO_RETRY, "docs.pinwheelapi.com webhooks: 15 s to answer; the "
                            "redelivery schedule is not yet confirmed at the source (one attempt)"),
    "go1": unconfirmed("developers.go1.com webhooks"),
    "frameio": RetryPolicy(5, (15, 30, 60, 120), "AdobeDocs/frameio-api Webhooks guide: five "
                           "attempts, exponential back-off from 15 s (doubling assumed), a "
                           "non-2xx answer or more than 5 s retries"),
    "heroku": RetryPolicy(10, (MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE, 16 * MINUTE,
                               32 * MINUTE, HOUR, HOUR, HOUR),
                          "heroku/webhooks-docs: level sync retries 180 times over about seven "
                          "days, the delay growing exponentially to an hour, then hourly (the "
                          "first hours approximated); level notify makes one attempt"),
    "clerk": unconfirmed("clerk.com/docs webhooks"),
    "resend": unconfirmed("resend.com/docs webhooks"),
    "replicate": unconfirmed("replicate.com/docs webhooks"),
    "whatsapp": unconfirmed("developers.facebook.com/docs/whatsapp/cloud-api/webhooks"),
    "instagram": unconfirmed("developers.facebook.com/docs/instagram-platform/webhooks"),
    "facebook-messenger": unconfirmed("developers.facebook.com/docs/messenger-platform/webhooks"),
    "facebook-graph-api": unconfirmed("developers.facebook.com/docs/graph-api/webhooks"),
    "twitter": unconfirmed("docs.x.com/x-api/webhooks"),
    "xero": RetryPolicy(5, (MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 6 * HOUR, 15 * HOUR),
                        "developer.xero.com/documentation/webhooks/configuring-your-server: "
                        "answer within 5 s; retried with decreasing frequency for up to 24 hours "
                        "(no exact schedule published: approximated)"),
    "worldline": unconfirmed("docs.connect.worldline-solutions.com/documentation/webhooks"),
    "dropbox": RetryPolicy(10, (30, MINUTE, 2 * MINUTE, 4 * MINUTE),
                           "dropbox.com/developers/reference/webhooks: a non-200 or a timeout is "
                           "re-attempted with exponential backoff over about ten minutes (delays "
                           "approximated; the notification timeout is not published)"),
    "jira": unconfirmed("developer.atlassian.com/cloud/jira/platform/webhooks (retry policy)"),
    "webex": unconfirmed("developer.webex.com/docs/api/guides/webhooks"),
    "microsoft-teams": unconfirmed("learn.microsoft.com/microsoftteams/platform outgoing "
                                   "webhooks"),
    "woocommerce": unconfirmed("class-wc-webhook.php (60 s timeout)"),
    "vercel": unconfirmed("vercel.com/docs/webhooks"),
    "cal-com": unconfirmed("cal.com/docs"),
    "lemon-squeezy": RetryPolicy(10, (5, 25, 125), "lemonsqueezy.com/docs/api/webhooks: up to "
                                 "three more attempts with exponential backoff (e.g. 5, 25 and "
                                 "125 s); the timeout is not published"),
    "sanity": unconfirmed("sanity.io/docs/webhooks"),
    "trello": unconfirmed("developer.atlassian.com/cloud/trello"),
    "checkout-com": RetryPolicy(10, (5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR,
                                     4 * HOUR, 12 * HOUR, 12 * HOUR),
                                "checkout.com/docs (receive webhooks): up to eight resends after "
                                "5, 10, 15 and 30 minutes, 1, 4, 12 and 12 hours; the timeout is "
                                "not published"),
    "mollie": unconfirmed("docs.mollie.com/reference/webhooks-new"),
    "gocardless": unconfirmed("developer.gocardless.com"),
    "asana": RetryPolicy(10, (MINUTE, 10 * MINUTE, HOUR, 4 * HOUR, 12 * HOUR),
                         "Asana developer docs (webhooks): 10 s to answer, then resent for up "
                         "to 24 hours (no exact schedule published: approximated)"),
    "segment": unconfirmed("twilio.com/docs/segment"),
    "okta": unconfirmed("developer.okta.com/docs/concepts/event-hooks"),
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
