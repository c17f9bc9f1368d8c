"""Which webhook URLs a subscription may name, without servers."""

from __future__ import annotations

import pytest

from services.profiles.domain.webhooks import UnsafeWebhookError, check_webhook_url


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.org/drehscheibe",
        "https://93.184.216.34:8443/in",
        "https://[2606:4700:4700::1111]/hook",
    ],
)
def test_public_https_urls_pass(url: str) -> None:
    check_webhook_url(url, allow_insecure_loopback=False)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://hooks.example.org/x", "plain http"),
        ("ftp://hooks.example.org/x", "scheme"),
        ("https:///nohost", "without a host"),
        ("https://user:pw@hooks.example.org/", "credentials"),
        ("https://10.1.2.3/x", "non-public"),
        ("https://192.168.0.10/x", "non-public"),
        ("https://172.16.5.5/x", "non-public"),
        ("https://169.254.169.254/latest/meta-data", "metadata"),
        ("https://[fe80::1]/x", "non-public"),
        ("https://[::ffff:10.0.0.1]/x", "non-public"),
        ("https://0.0.0.0/x", "non-public"),
        ("https://127.0.0.1/x", "loopback"),
        ("https://localhost/x", "loopback"),
        ("https://hooks.example.org:99999/x", "malformed"),
    ],
)
def test_unsafe_urls_are_refused_with_the_reason(url: str, why: str) -> None:
    with pytest.raises(UnsafeWebhookError, match=why):
        check_webhook_url(url, allow_insecure_loopback=False)


def test_loopback_over_http_only_where_the_setting_allows_it() -> None:
    for url in ("http://127.0.0.1:8088/webhook", "http://localhost:8088/webhook"):
        check_webhook_url(url, allow_insecure_loopback=True)
        with pytest.raises(UnsafeWebhookError):
            check_webhook_url(url, allow_insecure_loopback=False)
    with pytest.raises(UnsafeWebhookError, match="plain http"):
        check_webhook_url("http://hooks.example.org/x", allow_insecure_loopback=True)
    with pytest.raises(UnsafeWebhookError, match="non-public"):
        check_webhook_url("https://10.0.0.1/x", allow_insecure_loopback=True)
