"""Gift Aid: a charity's HMRC reference, donors' declarations, which gifts are eligible, claims and their
schedule, and the claim and its payment in the books."""
