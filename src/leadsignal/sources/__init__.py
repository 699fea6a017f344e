"""Where profiles and posts come from: the source port, its records, snapshots and the scrape log."""
