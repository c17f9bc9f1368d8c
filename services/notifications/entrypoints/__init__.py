"""How the outside world reaches the service: Kafka consumers and HTTP."""
