"""The model: people, services and the labour market on one SimPy clock."""
