def vigil_context(request):
    # django-csp's nonce is lazy and reads as false until used: make it a string, which also
    # puts it in the header. Templates test `cspNonce` before writing the attribute.
    nonce = getattr(request, "csp_nonce", None)
    user = getattr(request, "user", None)

    def may_view_board() -> bool:  # asked only by pages that draw the menu
        from vigil.access.cases import can_view_board

        return user is not None and can_view_board(user)

    return {"cspNonce": str(nonce) if nonce is not None else "", "may_view_board": may_view_board}
