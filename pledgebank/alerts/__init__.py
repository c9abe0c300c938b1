"""Email alerts about new pledges in a neighbourhood or a postcode district (double opt-in)."""
