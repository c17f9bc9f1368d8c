"""Plain delivery rules: what to send, how to sign it, when to retry."""
