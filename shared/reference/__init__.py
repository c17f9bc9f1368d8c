"""Reference data bundled with the hub: postal codes, competences, occupations and regions."""
