"""factory-boy factories for the action plan models."""

import datetime

import factory
from django.contrib.auth import get_user_model

from actionplans import rag, state
from core.models import OrganisationUnit, Profile
from actionplans.models import Action, Area, Lead, Milestone, Plan, ProgressUpdate, Recommendation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password("correct horse battery staple")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationUnit

    name = factory.Sequence(lambda n: f"Unit {n}")
    level = OrganisationUnit.DIVISION


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Profile.OFFICER


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    name = factory.Sequence(lambda n: f"Lead Officer {n}")
    kind = Lead.PERSON


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Improvement plan {n}")
    source = Plan.CQC_INSPECTION
    source_date = datetime.date(2010, 3, 31)
    unit = factory.SubFactory(UnitFactory)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Outcome area {n}")
    order = factory.Sequence(lambda n: n)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    area = factory.SubFactory(AreaFactory)
    plan = factory.SelfAttribute("area.plan")
    number = factory.Sequence(lambda n: str(n + 1))
    text = factory.Faker("sentence", nb_words=14)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    area = factory.SubFactory(AreaFactory)
    plan = factory.SelfAttribute("area.plan")
    recommendation = None
    number = factory.Sequence(lambda n: f"1.{n + 1}")
    text = factory.Faker("sentence", nb_words=12)
    timescale = "March 2011"

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        if create and extracted:
            self.leads.set(extracted)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # As the services and the importer do: the stored state is written with the action.
        if create:
            state.refresh_action(instance)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    activity = factory.Faker("sentence", nb_words=8)
    date_text = "June 2011"


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    date = datetime.date(2010, 6, 30)
    narrative = factory.Faker("paragraph")
    status = rag.ON_TRACK
    source = ProgressUpdate.WEB

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            state.refresh_action(instance.action)


# --- Performance indicators ---------------------------------------------------------------------


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "performance.Indicator"

    code = factory.Sequence(lambda n: f"NI {100 + n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "percent"
    polarity = "higher"
    frequency = "monthly"
    aggregation = "latest"
    rated_figure = "value"
    decimal_places = 1
    domain = "Personalisation"


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "performance.Target"

    indicator = factory.SubFactory(IndicatorFactory)
    financial_year = 2013
    target = 30
    minimum_standard = 25


class ReadingFactory(factory.django.DjangoModelFactory):
    """A reading; call `performance.state.refresh` afterwards for the stored figures."""

    class Meta:
        model = "performance.Reading"

    indicator = factory.SubFactory(IndicatorFactory)
    period_start = datetime.date(2013, 9, 1)
    value = 27


class ComparatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "performance.Comparator"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Comparator council {n}")


class BenchmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "performance.Benchmark"

    indicator = factory.SubFactory(IndicatorFactory)
    comparator = factory.SubFactory(ComparatorFactory)
    period_start = datetime.date(2013, 4, 1)
    value = 30
