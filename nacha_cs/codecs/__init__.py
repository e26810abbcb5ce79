"""What child-support payments carry inside the addenda: the DED segment and the X12 820."""
