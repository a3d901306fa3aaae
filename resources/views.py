from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def resource_list(request):
    # The search page comes in the next commit.
    return HttpResponse("")
