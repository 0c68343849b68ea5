"""The year's official outputs (issue #17): the bus.gov.ru-ready file of each kind's results
with identifiers, shortcomings and plans, and the operator's analytical report. Reads the
ratings, the registry, surveys' coverage and the accountability cycle; nothing below imports
it."""
