"""A ConnectWise Manage REST v3.0 simulator: a real HTTP server for the demo, tests and benches."""
