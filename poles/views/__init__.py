"""Views of poles, one module per audience: the public (directory, pole pages, map, open
data) and signed-in people (coordinators, regional coordinations)."""
