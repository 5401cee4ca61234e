from django.apps import AppConfig


class SocialMapConfig(AppConfig):
    name = "meldwijzer.social_map"
    label = "social_map"
    verbose_name = "Sociale kaart en routekaart"
