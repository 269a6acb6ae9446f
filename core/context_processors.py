from django.conf import settings


def service(request):
    """The council's name and the service's name, for the header and page titles."""
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "accessibility_contact": settings.ACCESSIBILITY_CONTACT,
    }
