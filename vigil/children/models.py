"""Voice of the child, trigger plans, Child Abduction Warning Notices and protocol data."""
