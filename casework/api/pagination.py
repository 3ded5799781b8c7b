from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

PAGE_INVALID = "Enter the page as a whole number, 1 or more"
PAGE_SIZE_INVALID = "Enter page_size as a whole number from 1 to 200 (larger values give 200)"


def _positive_int(raw: str, message: str, field: str) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({field: [message]}) from None
    if value < 1:
        raise ValidationError({field: [message]})
    return value


class StandardPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 200). A malformed page or page size is a 400, not ignored;
    a page past the last one is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()  # the page is a number, as the schema says

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return min(_positive_int(raw, PAGE_SIZE_INVALID, self.page_size_query_param), self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        return _positive_int(raw, PAGE_INVALID, self.page_query_param)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = "Results per page: 1 to 200 (larger values give 200); 50 if not given."
            else:
                parameter["description"] = "A page number, 1 or more; a page past the last one is a 404."
        return parameters
