"""`inbox_unread` for every page (the header's inbox count): counted only if a template uses it."""

from django.utils.functional import SimpleLazyObject

from vigil.notices.selectors import unread_count


def inbox(request):
    user = getattr(request, "user", None)
    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user))}
