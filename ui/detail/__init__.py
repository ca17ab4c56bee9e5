"""The ticket detail dock: one ticket's header, notes, configurations, related, resources; bulk."""
