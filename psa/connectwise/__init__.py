"""The ConnectWise Manage REST v3.0 wire client: auth, conditions, paging, errors, models."""
