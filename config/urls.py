from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from actionplans import views_site

urlpatterns = [
    path("healthz", views_site.healthz, name="healthz"),
    path("accessibility/", views_site.accessibility, name="accessibility"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("actionplans.urls")),
]
