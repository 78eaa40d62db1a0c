"""Views over a run directory: terminal, HTML report, blind review, stats, export.

Views read records and findings from disk; they never import a backend or torch.
"""
