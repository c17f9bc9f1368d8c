"""Reference data bundled with the hub: postal codes with coordinates and districts."""
