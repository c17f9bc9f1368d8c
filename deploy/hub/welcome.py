"""What `make run` and `python -m deploy.hub demo` print: where to look, and the demo keys."""

from __future__ import annotations

from deploy.hub.world import load_world

_KINDS = {"o-": "training offers", "r-": "staff releases", "p-": "job seekers", "v-": "vacancies"}


def _counts(ids: dict[str, str]) -> str:
    counts = {what: sum(k.startswith(p) for k in ids) for p, what in _KINDS.items()}
    # The remaining ids are the people of the staff releases, by the firms' references.
    people = len(ids) - sum(counts.values())
    return ", ".join([*(f"{n} {what}" for what, n in counts.items()), f"{people} released staff"])


def demo_summary(api: str, ids: dict[str, str], keys: dict[str, str]) -> str:
    """The dashboard, the demo's size and every demo organisation's key."""
    world = load_world()
    hub = next(o for o in world.hubs() if o.role == "hub")
    lines = [
        f"  dashboard:      {api}/dashboard   ({hub.name}; sign in with its hub key)",
        f"  one-click:      {api}/dashboard#key={keys['hub']}",
        "                  (the part after '#' stays in the browser; it is never sent or logged)",
        f"  demo world:     {_counts(ids)}",
        "  demo keys (Authorization: Bearer <key>):",
    ]
    width = max(len(o.role) for o in world.organisations)
    lines += [
        f"    {o.role:<{width}}  {keys[o.role]}  {o.kind}: {o.name}" for o in world.organisations
    ]
    return "\n".join(lines)


def welcome(urls: list[str], ids: dict[str, str], keys: dict[str, str]) -> str:
    """The banner of `make run`; `urls` are profiles, matching, notifications, receiver."""
    api, matching, notifications, receiver = urls
    lines = [
        "",
        "Drehscheibe is running.",
        f"  API:            {api}  (OpenAPI: {api}/docs)",
        f"  matching:       {matching}/readyz",
        f"  notifications:  {notifications}/readyz",
        f"  demo webhooks:  {receiver}/webhook  (deliveries appear as 'receiver |' lines)",
        demo_summary(api, ids, keys),
        f"  try:            curl -H 'Authorization: Bearer <key>' {api}/v1/matches",
        "Press Ctrl-C to stop the services (the infrastructure keeps running: `make down`).",
        "",
    ]
    return "\n".join(lines)
