"""What happens after the numbers (portal.md, cycle steps 5–6): shortcomings derived from the
evidence, the preliminary stage with objections, improvement plans and their execution, the
public council, the public discussion of a year's results and the authority's management
decisions.

It sits above the domain apps (it reads ratings, checklists and questionnaires) and below page
composition; the ratings learn about it only through the ``before_publish_ratings`` hook.
"""
