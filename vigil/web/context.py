def vigil_context(request):
    # django-csp's nonce is lazy and reads as false until used: make it a string, which also
    # puts it in the header. Templates test `cspNonce` before writing the attribute.
    nonce = getattr(request, "csp_nonce", None)
    return {"cspNonce": str(nonce) if nonce is not None else ""}
