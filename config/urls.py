from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views as core_views
from performance import views as performance_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", core_views.SignOutView.as_view(), name="logout"),
    path("password/", core_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/changed/", core_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("published/<int:pk>/<str:file_format>/", core_views.published_file, name="published_file"),
    path("performance/", include("performance.urls")),
    path("safeguarding/", include("safeguarding.urls")),
    # The home page: My actions, and for managers the counts of actions and of indicators side by side.
    path("", performance_views.home, name="home"),
    path("", include("actionplans.urls")),
]
