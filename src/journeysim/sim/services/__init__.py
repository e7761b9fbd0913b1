"""Services of the network: one ``Service`` base (base.py), one module per kind."""
