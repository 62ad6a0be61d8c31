"""What it costs: day-ahead prices, network packages, national fees and VAT, per 15 minutes."""
