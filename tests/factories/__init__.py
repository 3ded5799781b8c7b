import factory

from casework.models import Organisation, Team, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testshire Council {n}")
    kind = Organisation.Kind.LOCAL_AUTHORITY
    la_code = factory.Sequence(lambda n: f"{800 + n % 100:03d}")
    ons_code = factory.Sequence(lambda n: f"E06{n % 1000000:06d}")


class AdvocacyServiceFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Guardian Service {n}")
    kind = Organisation.Kind.ADVOCACY_SERVICE
    la_code = ""
    ons_code = ""


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Iterator(["Ngozi", "Arben", "Selam", "Farid", "Linh", "Emma"])
    last_name = factory.Iterator(["Adeyemi", "Hoxha", "Tesfaye", "Ahmadi", "Tran", "Clarke"])
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = "social_worker"
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
