"""Who acts for which organisation or municipality: the one place where the portal decides
which school a login acts for, and which municipalities a coordinator sees."""

from .models import Municipality, Organisation


def organisation_of(user):
    """The organisation whose staff ``user`` belongs to, or None."""
    if not user.is_authenticated:
        return None
    return Organisation.objects.filter(staff_group__in=user.groups.all()).first()


def coordinated_municipalities(user):
    return Municipality.objects.filter(coordinator_group__in=user.groups.all())
