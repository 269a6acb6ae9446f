from django.urls import path

from . import views

urlpatterns = [
    path("business-plan/", views.business_plan, name="business_plan"),
]
