"""Analytics: signals per day or week, conversion by signal type, team response times, outcomes."""
