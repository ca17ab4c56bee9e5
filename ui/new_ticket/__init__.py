"""The New Ticket dialog: Full Form, AI Quick Create and spin-off tickets."""
