"""journeysim: journeys of workless people through welfare-to-work services."""
