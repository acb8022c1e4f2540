from django.utils.functional import SimpleLazyObject

from . import access


def navigation(request):
    """What the navigation needs to show only what the user can use."""
    user = request.user

    def flags():
        if not user.is_authenticated:
            return {}
        return {
            "scope": access.primary_scope(user),
            "is_reviewer": access.is_reviewer(user),
            "is_front_reviewer": access.is_front_reviewer(user),
            "read_only": access.is_read_only(user),
            "can_view_audit": access.can_view_audit(user),
        }

    return {"nav": SimpleLazyObject(flags)}
