"""Which webhook URLs and addresses are allowed (SSRF protection)."""

from __future__ import annotations

import ipaddress

import pytest

from services.notifications.adapters.resolver import safe_address
from services.notifications.domain.urlpolicy import (
    IPAddress,
    UnsafeUrlError,
    check_address,
    endpoint_of,
    parse_target,
)


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.178.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.100.100.200",
        "224.0.0.1",
        "0.0.0.0",  # noqa: S104 -- an address under test, nothing binds to it
        "::",
        "fe80::1",
        "fd00:ec2::254",
        "fc00::1",
        "::ffff:10.0.0.1",
        "2002:a00:1::",
        "64:ff9b::c0a8:101",
        "ff02::1",
        "127.0.0.1",
        "::1",
    ],
)
def test_internal_addresses_are_refused(address: str) -> None:
    with pytest.raises(UnsafeUrlError):
        check_address(ipaddress.ip_address(address), allow_loopback=False)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    check_address(ipaddress.ip_address(address), allow_loopback=False)


def test_loopback_only_with_the_development_flag() -> None:
    check_address(ipaddress.ip_address("127.0.0.1"), allow_loopback=True)
    check_address(ipaddress.ip_address("::1"), allow_loopback=True)
    with pytest.raises(UnsafeUrlError):
        check_address(ipaddress.ip_address("10.0.0.1"), allow_loopback=True)


def test_https_urls_are_parsed_with_default_ports() -> None:
    target = parse_target("https://Hub.Example/hooks?x=1", allow_insecure_localhost=False)
    assert (target.scheme, target.host, target.port, target.path) == (
        "https",
        "hub.example",
        443,
        "/hooks?x=1",
    )


@pytest.mark.parametrize(
    ("url", "flag", "reason"),
    [
        ("http://hub.example/hook", True, "plain http refused"),
        ("http://127.0.0.1:8080/hook", False, "plain http refused"),
        ("http://10.0.0.1/hook", True, "plain http refused"),
        ("https://user:pw@hub.example/", False, "credentials"),
        ("gopher://hub.example/", False, "scheme gopher refused"),
        ("https:///nohost", False, "without a host"),
        ("https://hub.example:99999/", False, "malformed"),
        ("https://127.0.0.1/hook", False, "loopback"),
    ],
)
def test_unsafe_urls_are_refused(url: str, flag: bool, reason: str) -> None:
    with pytest.raises(UnsafeUrlError, match=reason):
        parse_target(url, allow_insecure_localhost=flag)


def test_http_to_loopback_is_allowed_in_development() -> None:
    assert parse_target("http://127.0.0.1:9/h", allow_insecure_localhost=True).port == 9
    assert parse_target("http://localhost/h", allow_insecure_localhost=True).host == "localhost"


def test_endpoints_are_origins() -> None:
    assert endpoint_of("https://Hub.example/a") == endpoint_of("https://hub.example:443/b")
    assert endpoint_of("http://127.0.0.1:1/") != endpoint_of("http://127.0.0.1:2/")


def _resolver(*answers: str):  # type: ignore[no-untyped-def]
    async def resolve(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address(a) for a in answers]

    return resolve


async def test_a_name_resolving_to_any_internal_address_is_refused() -> None:
    target = parse_target("https://rebind.example/hook", allow_insecure_localhost=False)
    with pytest.raises(UnsafeUrlError, match=r"10\.0\.0\.7"):
        await safe_address(
            target, resolve=_resolver("93.184.215.14", "10.0.0.7"), allow_loopback=False
        )


async def test_a_public_name_resolves_to_its_first_address() -> None:
    target = parse_target("https://hub.example/hook", allow_insecure_localhost=False)
    found = await safe_address(
        target, resolve=_resolver("93.184.215.14", "93.184.215.15"), allow_loopback=False
    )
    assert str(found) == "93.184.215.14"
