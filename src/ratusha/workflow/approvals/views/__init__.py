"""Office pages of the approvals app."""
