def vigil_context(request):
    return {"cspNonce": getattr(request, "csp_nonce", "")}
