from django.urls import path

from . import entry, views

urlpatterns = [
    path("", views.dashboard, name="performance_dashboard"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("report/", views.performance_report, name="performance_report"),
    path("report/publish/", views.performance_publish, name="performance_publish"),
    path("business-plan/", views.business_plan, name="business_plan"),
    path("entry/", entry.data_entry, name="indicator_entry"),
]
