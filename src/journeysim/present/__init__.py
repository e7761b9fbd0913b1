"""Presenting results: plots, the HTML report and journey traces."""
