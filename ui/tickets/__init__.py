"""The ticket list: table model, filter toolbar, saved views, links and the page controller."""
