"""What happens when a moderation workflow is approved."""


def publish_approved(workflow_state, user=None):
    """Publish the approved revision.

    Wagtail's default re-checks that the approver may publish the page. Here the approval
    itself is the check: the moderation task only offers "approve" to its reviewers (editors,
    or the municipality's coordinator, who has no publish permission of their own), and never
    to the author of the change.
    """
    workflow_state.content_object.get_latest_revision().publish(
        user=user, skip_permission_checks=True
    )
