from meldwijzer.trainings.views import home, knowledge, registry, selfcheck, worries

app_name = "trainings"

# Each area lists its pages in its own views module.
urlpatterns = [
    *home.urlpatterns,
    *registry.urlpatterns,
    *knowledge.urlpatterns,
    *worries.urlpatterns,
    *selfcheck.urlpatterns,
]
