from django.urls import path

from . import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/progress/", views.action_progress, name="action_progress"),
    path("actions/<int:pk>/propose-completion/", views.action_propose_completion, name="action_propose_completion"),
    path("actions/<int:pk>/sign-off/", views.action_sign_off, name="action_sign_off"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
]
