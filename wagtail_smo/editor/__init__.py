"""Editor experience: the Social tab with live counters, the "Social cards" preview, checks."""
