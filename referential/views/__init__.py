"""Views of the referential, one module per audience: the public, staff, a pole's
coordinators, respondents (personal link). Page data comes from selectors and report."""
