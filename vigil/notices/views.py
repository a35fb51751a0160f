"""The inbox page: unread first, open (marks read and goes to the thing) or mark read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from vigil.notices import selectors
from vigil.notices.services import notice_mark_read


@login_required
def inbox_page(request):
    notices = selectors.inbox(request.user)
    unread = sum(1 for n in notices if not n.is_read)
    return render(
        request, "notices/inbox.html", {"notices": notices, "unread": unread, "nav": "inbox"}
    )


@login_required
def notice_open(request, pk):
    """Where an e-mail's link lands: the notice, with a button to go to what it is about."""
    notice = selectors.notice_for(request.user, pk)
    if notice is None:
        raise Http404("No such notice.")
    return render(request, "notices/notice.html", {"notice": notice, "nav": "inbox"})


@login_required
@require_POST
def notice_read(request, pk):
    notice = selectors.notice_for(request.user, pk)
    if notice is None:
        raise Http404("No such notice.")
    notice_mark_read(notice=notice, actor=request.user)
    if request.POST.get("next") == "link":
        return redirect(notice.link)
    messages.success(request, "Notice marked as read.")
    return redirect("notices:inbox")
