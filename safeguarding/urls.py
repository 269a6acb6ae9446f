from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="safeguarding_overview"),
    path("entry/", views.entry, name="safeguarding_entry"),
    path("report/", views.report, name="safeguarding_report"),
]
