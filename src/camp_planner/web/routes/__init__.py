"""The web app's routes, one router per group of pages: plans (start page, plan, roster),
jobs (progress, Stop), what-if (form, comparison, its files) and the JSON API."""
