"""Views of national days, one module per audience: the public (days, people, registration
by personal link) and staff (participants, check-in, certificates, messages)."""
