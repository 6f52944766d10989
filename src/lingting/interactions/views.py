from django.http import HttpRequest, HttpResponse


def contact_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("contacts")
