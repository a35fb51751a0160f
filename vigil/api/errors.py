"""API errors: service refusals become 400/403/409 with the field named."""

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from vigil.core.errors import ServiceError


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        body = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
            body["errors"] = {exc.field: [exc.message]}
        return Response(body, status=exc.status_code)
    return drf_exception_handler(exc, context)
