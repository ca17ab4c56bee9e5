"""Connecting to ConnectWise: the connection dialog and the File-menu connection actions."""
